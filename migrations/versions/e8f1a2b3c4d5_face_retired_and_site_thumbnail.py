"""A face can be retired (its bookings stay); a site photo has a thumbnail beside it.

Revision ID: e8f1a2b3c4d5
Revises: 4882fecd2ca0
Create Date: 2026-12-02 05:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "e8f1a2b3c4d5"
down_revision = "4882fecd2ca0"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable columns need no table rebuild on SQLite: every existing face stays in use.
    op.add_column("face", sa.Column("retired_on", sa.Date(), nullable=True))
    op.add_column("site", sa.Column("thumbnail_photo", sa.String(255), nullable=True))


def downgrade():
    with op.batch_alter_table("site") as batch:
        batch.drop_column("thumbnail_photo")
    with op.batch_alter_table("face") as batch:
        batch.drop_column("retired_on")
