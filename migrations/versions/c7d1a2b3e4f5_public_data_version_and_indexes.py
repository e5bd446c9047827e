"""The public data version row, and booking indexes that match the occupancy reads.

Revision ID: c7d1a2b3e4f5
Revises: c4d5e6f7a8b9
Create Date: 2026-12-01 21:40:00
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "c7d1a2b3e4f5"
down_revision = "c4d5e6f7a8b9"
branch_labels = None
depends_on = None


def upgrade():
    data_version = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(data_version, [{"id": 1, "version": secrets.token_hex(16)}])
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_face_id")
        batch_op.create_index("ix_booking_face_status_end", ["face_id", "status", "end_on"])
        batch_op.create_index("ix_booking_status_end", ["status", "end_on"])
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.drop_index("ix_request_organization_id")
        batch_op.create_index("ix_request_organization_created",
                              ["organization_id", "created_at", "id"])


def downgrade():
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.drop_index("ix_request_organization_created")
        batch_op.create_index("ix_request_organization_id", ["organization_id"])
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_status_end")
        batch_op.drop_index("ix_booking_face_status_end")
        batch_op.create_index("ix_booking_face_id", ["face_id"])
    op.drop_table("data_version")
