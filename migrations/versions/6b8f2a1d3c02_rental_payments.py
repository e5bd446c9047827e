"""Rentals carry their payments, and the reason when their fee is not the tariff's (DESIGN §3).

Revision ID: 6b8f2a1d3c02
Revises: 5a7e1f0c2b91
Create Date: 2026-12-01 22:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = "6b8f2a1d3c02"
down_revision = "5a7e1f0c2b91"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("booking", sa.Column("fee_reason", sa.Text(), nullable=True))
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("receipt_number", sa.String(length=100), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_idr", sa.BigInteger(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_idr > 0", name=op.f("ck_payment_positive_amount")),
        sa.ForeignKeyConstraint(["booking_id"], ["booking.id"],
                                name=op.f("fk_payment_booking_id_booking")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"],
                                name=op.f("fk_payment_recorded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("receipt_number", name=op.f("uq_payment_receipt_number")),
    )
    op.create_index(op.f("ix_payment_booking_id"), "payment", ["booking_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_payment_booking_id"), table_name="payment")
    op.drop_table("payment")
    # Plain SQL on both engines (SQLite ≥ 3.35): a batch rebuild of the table would drop the
    # overlap triggers with it.
    op.execute("ALTER TABLE booking DROP COLUMN fee_reason")
