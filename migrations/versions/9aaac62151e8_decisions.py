"""Decisions: one answer of Bakeuda per request (letter, agreement), and city offices.

Approved and rejected items from before decisions existed get one decision per request and
(approval letter number, agreement number), so that their letters still print. A number that
two old requests shared stays on their items but is kept by the first decision only: the
register's numbers are unique from now on.

Revision ID: 9aaac62151e8
Revises: f1a2b3c4d5e7
Create Date: 2026-12-02 05:40:00
"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "9aaac62151e8"
down_revision = "f1a2b3c4d5e7"
branch_labels = None
depends_on = None

OLD_KINDS = ("government", "private", "bakeuda")
NEW_KINDS = (*OLD_KINDS, "city_office")


def _kinds(kinds) -> sa.Enum:
    return sa.Enum(*kinds, name="organization_kind", native_enum=False, create_constraint=True,
                   length=32)


def upgrade():
    with op.batch_alter_table("organization") as batch:
        batch.alter_column("kind", type_=_kinds(NEW_KINDS), existing_type=_kinds(OLD_KINDS),
                           existing_nullable=False)
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agreement_number", sa.String(length=100), nullable=True),
        sa.Column("agreement_date", sa.Date(), nullable=True),
        sa.Column("approval_letter_number", sa.String(length=100), nullable=True),
        sa.Column("approval_letter_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"],
                                name=op.f("fk_decision_decided_by_id_user")),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"],
                                name=op.f("fk_decision_request_id_request")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
        sa.UniqueConstraint("agreement_number", name=op.f("uq_decision_agreement_number")),
        sa.UniqueConstraint("approval_letter_number",
                            name=op.f("uq_decision_approval_letter_number")),
    )
    op.create_index(op.f("ix_decision_request_id"), "decision", ["request_id"])
    # A plain ADD COLUMN: rebuilding the booking table in batch mode would drop its SQLite
    # no-overlap triggers, and SQLite adds a foreign key only inside the column's definition.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE booking ADD COLUMN decision_id INTEGER "
                   "CONSTRAINT fk_booking_decision_id_decision REFERENCES decision (id)")
    else:
        op.add_column("booking", sa.Column(
            "decision_id", sa.Integer(),
            sa.ForeignKey("decision.id", name=op.f("fk_booking_decision_id_decision")),
            nullable=True))
    op.create_index(op.f("ix_booking_decision_id"), "booking", ["decision_id"])
    _backfill()


def _backfill():
    connection = op.get_bind()
    booking = sa.table("booking", sa.column("id"), sa.column("request_id"), sa.column("status"),
                       sa.column("agreement_number"), sa.column("approval_letter_number"),
                       sa.column("approval_letter_date"), sa.column("decided_by_id"),
                       sa.column("decided_at"), sa.column("decision_id"))
    decision = sa.table("decision", sa.column("id"), sa.column("request_id"),
                        sa.column("decided_by_id"), sa.column("decided_at"),
                        sa.column("agreement_number"), sa.column("approval_letter_number"),
                        sa.column("approval_letter_date"))
    rows = connection.execute(
        sa.select(booking).where(booking.c.request_id.is_not(None),
                                 booking.c.status.in_(("approved", "rejected")))
        .order_by(booking.c.decided_at, booking.c.id)).mappings().all()
    groups: dict[tuple, list] = {}
    for row in rows:
        key = (row["request_id"], row["approval_letter_number"], row["agreement_number"])
        groups.setdefault(key, []).append(row)
    used_letters, used_agreements = set(), set()
    for (request_id, letter, agreement), items in groups.items():
        first = items[0]
        letter = None if letter in used_letters else letter
        agreement = None if agreement in used_agreements else agreement
        used_letters.add(letter)
        used_agreements.add(agreement)
        decision_id = connection.execute(decision.insert().values(
            request_id=request_id, decided_by_id=first["decided_by_id"],
            decided_at=first["decided_at"] or sa.func.current_timestamp(),
            agreement_number=agreement, approval_letter_number=letter,
            approval_letter_date=first["approval_letter_date"],
        ).returning(decision.c.id)).scalar_one()
        connection.execute(booking.update().where(
            booking.c.id.in_([item["id"] for item in items])).values(decision_id=decision_id))


def _no_overlap_triggers():
    path = Path(__file__).with_name("c7d8e9f0a1b2_sqlite_no_overlap_triggers.py")
    spec = importlib.util.spec_from_file_location("no_overlap_triggers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downgrade():
    op.drop_index(op.f("ix_booking_decision_id"), table_name="booking")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column with a foreign key only by rebuilding the table (the foreign
        # key goes with the column), which drops its triggers too: put them back.
        with op.batch_alter_table("booking") as batch:
            batch.drop_column("decision_id")
        _no_overlap_triggers().upgrade()
    else:
        op.drop_constraint(op.f("fk_booking_decision_id_decision"), "booking",
                           type_="foreignkey")
        op.drop_column("booking", "decision_id")
    op.drop_index(op.f("ix_decision_request_id"), table_name="decision")
    op.drop_table("decision")
    op.execute("UPDATE organization SET kind = 'government' WHERE kind = 'city_office'")
    with op.batch_alter_table("organization") as batch:
        batch.alter_column("kind", type_=_kinds(OLD_KINDS), existing_type=_kinds(NEW_KINDS),
                           existing_nullable=False)
