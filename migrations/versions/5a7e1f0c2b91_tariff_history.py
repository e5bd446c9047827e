"""Tariffs have history: a site's monthly rate from a day on (DESIGN §3).

Each site's one rate becomes its first tariff, in force from 2000-01-01 (before any use the
system can hold), and the column leaves the site table: the rate in force on a day is the
tariff's to tell. On SQLite the site table is rebuilt to drop the column (its CHECK names it),
with foreign keys off meanwhile and checked afterwards (migrations/env.py).

Revision ID: 5a7e1f0c2b91
Revises: d4e5f6a7b8c9
Create Date: 2026-12-01 22:10:00
"""
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "5a7e1f0c2b91"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None

FIRST_DAY = date(2000, 1, 1)


def upgrade():
    op.create_table(
        "tariff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("monthly_rate_idr", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("monthly_rate_idr >= 0", name=op.f("ck_tariff_non_negative_rate")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"],
                                name=op.f("fk_tariff_created_by_id_user")),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_tariff_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff")),
        sa.UniqueConstraint("site_id", "valid_from", name="uq_tariff_site_valid_from"),
    )
    op.create_index(op.f("ix_tariff_site_id"), "tariff", ["site_id"], unique=False)
    op.execute(sa.text(
        "INSERT INTO tariff (site_id, monthly_rate_idr, valid_from, created_at) "
        "SELECT id, monthly_rate_idr, :first, CURRENT_TIMESTAMP FROM site"
    ).bindparams(first=FIRST_DAY))
    with op.batch_alter_table("site") as batch:
        batch.drop_constraint(op.f("ck_site_non_negative_rate"), type_="check")
        batch.drop_column("monthly_rate_idr")


def downgrade():
    with op.batch_alter_table("site") as batch:
        batch.add_column(sa.Column("monthly_rate_idr", sa.Integer(), nullable=False,
                                   server_default="0"))
    # Back to one rate per site: the one in force today.
    op.execute(
        "UPDATE site SET monthly_rate_idr = COALESCE((SELECT t.monthly_rate_idr FROM tariff t "
        "WHERE t.site_id = site.id AND t.valid_from <= CURRENT_DATE "
        "ORDER BY t.valid_from DESC LIMIT 1), 0)")
    with op.batch_alter_table("site") as batch:
        batch.alter_column("monthly_rate_idr", server_default=None)
        batch.create_check_constraint(op.f("ck_site_non_negative_rate"), "monthly_rate_idr >= 0")
    op.drop_index(op.f("ix_tariff_site_id"), table_name="tariff")
    op.drop_table("tariff")
