"""An index for the desk's count of items approved this month (status, decided_at).

Revision ID: f1a2b3c4d5e7
Revises: e5f6a7b8c9d0
Create Date: 2026-12-02 06:00:00
"""
from alembic import op

revision = "f1a2b3c4d5e7"
down_revision = "e5f6a7b8c9d0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.create_index("ix_booking_status_decided", ["status", "decided_at"])


def downgrade():
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_status_decided")
