"""Reminders sent (billboard remind): each kind once per booking.

Revision ID: d1e2f3a4b5c6
Revises: c7d1a2b3e4f5
Create Date: 2026-12-01 23:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = "d1e2f3a4b5c6"
down_revision = "c7d1a2b3e4f5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reminder_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["booking_id"], ["booking.id"],
                                name=op.f("fk_reminder_sent_booking_id_booking")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_sent")),
        sa.UniqueConstraint("kind", "booking_id", name="uq_reminder_sent_kind_booking"),
    )


def downgrade():
    op.drop_table("reminder_sent")
