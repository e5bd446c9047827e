"""Audit events are append-only in the database too (PostgreSQL).

Revision ID: b1c2d3e4f5a6
Revises: 72222451b9d3
Create Date: 2026-11-28 07:00:00
"""
from alembic import op

revision = "b1c2d3e4f5a6"
down_revision = "72222451b9d3"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: the application's guard in billboard/audit.py is the only one.
    op.execute("""
        CREATE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'audit events are append-only';
        END;
        $$ LANGUAGE plpgsql
    """)
    op.execute("""
        CREATE TRIGGER audit_event_append_only
        BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()
    """)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
    op.execute("DROP FUNCTION audit_event_is_append_only()")
