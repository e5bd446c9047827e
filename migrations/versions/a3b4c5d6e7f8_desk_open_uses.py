"""The desk's open uses by index: each booking's return date and the rent paid so far, copied
from its handovers and payments, with an index of the uses not yet back and one of the
rentals still owed.

Revision ID: a3b4c5d6e7f8
Revises: 9aaac62151e8
Create Date: 2026-12-03 19:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = "a3b4c5d6e7f8"
down_revision = "9aaac62151e8"
branch_labels = None
depends_on = None

OWING = "fee_idr > paid_idr"
RUPIAH = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table, and with it would go
    # the triggers that refuse overlapping approvals.
    op.add_column("booking", sa.Column("returned_on", sa.Date(), nullable=True))
    op.add_column("booking", sa.Column("paid_idr", RUPIAH, nullable=False, server_default="0"))
    op.execute("UPDATE booking SET returned_on = (SELECT handover.bast_date FROM handover "
               "WHERE handover.booking_id = booking.id AND handover.kind = 'return') "
               "WHERE id IN (SELECT booking_id FROM handover WHERE kind = 'return')")
    op.execute("UPDATE booking SET paid_idr = (SELECT sum(payment.amount_idr) FROM payment "
               "WHERE payment.booking_id = booking.id) "
               "WHERE id IN (SELECT booking_id FROM payment)")
    op.create_index("ix_booking_awaiting_return", "booking",
                    ["kind", "status", "returned_on", "end_on"])
    op.create_index("ix_booking_owing", "booking", ["kind", "status", "start_on"],
                    sqlite_where=sa.text(OWING), postgresql_where=sa.text(OWING))


def downgrade():
    op.drop_index("ix_booking_owing", table_name="booking")
    op.drop_index("ix_booking_awaiting_return", table_name="booking")
    with op.batch_alter_table("booking", recreate="never") as batch_op:
        batch_op.drop_column("paid_idr")
        batch_op.drop_column("returned_on")
