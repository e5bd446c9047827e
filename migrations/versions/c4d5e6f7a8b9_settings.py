"""Settings an administrator edits (Bakeuda's contact details, later the letterhead).

Revision ID: c4d5e6f7a8b9
Revises: c7d8e9f0a1b2
Create Date: 2026-12-01 21:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = "c4d5e6f7a8b9"
down_revision = "c7d8e9f0a1b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )


def downgrade():
    op.drop_table("setting")
