"""A face carries at most one occupancy per day on SQLite too: triggers (DESIGN §3).

PostgreSQL has had the exclusion constraint ``booking_no_overlapping_occupancy`` since the
initial schema (partial on approved rows). SQLite has no exclusion constraint, so two triggers
refuse an approved row whose range overlaps another approved row on the same face, on insert
and on update. They raise with the constraint's name, which the booking service turns into a
clash (409) exactly as it does for PostgreSQL's refusal.

Revision ID: c7d8e9f0a1b2
Revises: b1c2d3e4f5a6
Create Date: 2026-12-01 21:40:00
"""
from alembic import op

revision = "c7d8e9f0a1b2"
down_revision = "b1c2d3e4f5a6"
branch_labels = None
depends_on = None

# Inclusive ranges: [a, b] and [c, d] overlap iff a <= d and c <= b.
_REFUSE_OVERLAP = """
    FOR EACH ROW WHEN NEW.status = 'approved'
    BEGIN
        SELECT RAISE(ABORT, 'booking_no_overlapping_occupancy')
        WHERE EXISTS (
            SELECT 1 FROM booking AS other
            WHERE other.face_id = NEW.face_id
              AND other.status = 'approved'
              AND other.id IS NOT NEW.id
              AND other.start_on <= NEW.end_on
              AND NEW.start_on <= other.end_on
        );
    END
"""


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL: the exclusion constraint of the initial schema.
    op.execute(
        f"CREATE TRIGGER booking_no_overlap_insert BEFORE INSERT ON booking {_REFUSE_OVERLAP}")
    op.execute(
        "CREATE TRIGGER booking_no_overlap_update "
        f"BEFORE UPDATE OF face_id, start_on, end_on, status ON booking {_REFUSE_OVERLAP}")


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER booking_no_overlap_update")
    op.execute("DROP TRIGGER booking_no_overlap_insert")
