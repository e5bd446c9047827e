"""Handover records: the BAST serah terima and pengembalian of an approved item (DESIGN §3).

Revision ID: e5f6a7b8c9d0
Revises: e8f1a2b3c4d5
Create Date: 2026-12-02 05:18:30
"""
import sqlalchemy as sa
from alembic import op

revision = "e5f6a7b8c9d0"
down_revision = "e8f1a2b3c4d5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "handover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("handover", "return", name="handover_kind", native_enum=False,
                                  create_constraint=True, length=32), nullable=False),
        sa.Column("bast_number", sa.String(length=100), nullable=False),
        sa.Column("bast_date", sa.Date(), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["booking_id"], ["booking.id"],
                                name=op.f("fk_handover_booking_id_booking")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"],
                                name=op.f("fk_handover_recorded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover")),
        sa.UniqueConstraint("bast_number", name=op.f("uq_handover_bast_number")),
        sa.UniqueConstraint("booking_id", "kind", name="uq_handover_booking_kind"),
    )
    op.create_index(op.f("ix_handover_booking_id"), "handover", ["booking_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_handover_booking_id"), table_name="handover")
    op.drop_table("handover")
