"""The schema comes from migrations, and the migrations match the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from support import MIGRATIONS

from billboard.extensions import db


@pytest.mark.db
def test_models_match_migrations(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


@pytest.mark.db
def test_postgres_has_the_exclusion_constraint(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    found = db.session.execute(db.text(
        "SELECT conname FROM pg_constraint WHERE contype = 'x'")).scalars().all()
    assert "booking_no_overlapping_occupancy" in found


def test_downgrade_and_upgrade_again(app):
    downgrade(directory=MIGRATIONS, revision="base")
    assert "booking" not in inspect(db.engine).get_table_names()
    upgrade(directory=MIGRATIONS)
    assert "booking" in inspect(db.engine).get_table_names()


@pytest.mark.db
def test_postgres_refuses_changing_audit_rows(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    from sqlalchemy.exc import DBAPIError

    db.session.execute(db.text(
        "INSERT INTO audit_event (at, action, object_type) VALUES (now(), 'test', 'test')"))
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(db.text("UPDATE audit_event SET action = 'forged'"))
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(db.text("DELETE FROM audit_event"))
    db.session.rollback()
