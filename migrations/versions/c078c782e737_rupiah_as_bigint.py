"""Rupiah as BIGINT: a long use of an expensive site, or a large fee, passes 2^31.

Revision ID: c078c782e737
Revises: 6b8f2a1d3c02
Create Date: 2026-12-01 21:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = "c078c782e737"
down_revision = "6b8f2a1d3c02"
branch_labels = None
depends_on = None

# The tariff and payment tables were made BIGINT from the start.
MONEY = (("booking", "fee_idr"), ("booking", "foregone_idr"))


def _retype(to_type, from_type) -> None:
    # SQLite stores every INTEGER in up to 64 bits already (models.Rupiah keeps INTEGER there);
    # rebuilding its tables only to rename the type would also drop their triggers.
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column in MONEY:
        op.alter_column(table, column, type_=to_type, existing_type=from_type,
                        existing_nullable=False)


def upgrade():
    _retype(sa.BigInteger(), sa.Integer())


def downgrade():
    _retype(sa.Integer(), sa.BigInteger())
