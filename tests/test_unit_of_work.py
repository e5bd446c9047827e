"""The unit of work: the write begins first, commits once, and a refusal leaves nothing."""
import pytest
from sqlalchemy import event

from billboard.domain_errors import DomainError
from billboard.extensions import db
from billboard.models import AuditEvent, Organization
from billboard.unit_of_work import HeldChangesError, NestedUnitOfWork, begin_write, unit_of_work


def _organizations() -> list[str]:
    return list(db.session.scalars(db.select(Organization.name).order_by(Organization.name)))


def test_commits_once_on_success(app):
    with unit_of_work():
        db.session.add(Organization(name="Dinas Kominfo", kind="government"))
    db.session.remove()
    assert _organizations() == ["Dinas Kominfo"]


def test_a_refusal_rolls_back_everything_flushed_before_it(app):
    with pytest.raises(DomainError), unit_of_work():
        db.session.add(Organization(name="Dinas Kominfo", kind="government"))
        db.session.flush()
        raise DomainError("refused")
    db.session.remove()
    assert _organizations() == []


@pytest.mark.db
def test_a_change_held_before_the_write_begins_is_a_programming_error(app):
    db.session.add(Organization(name="Dinas Kominfo", kind="government"))
    with pytest.raises(HeldChangesError):
        begin_write()
    db.session.rollback()
    db.session.add(Organization(name="Dinas Kominfo", kind="government"))
    db.session.flush()
    with pytest.raises(HeldChangesError), unit_of_work():
        pass
    db.session.rollback()
    assert _organizations() == []


def test_units_of_work_do_not_nest(app):
    with pytest.raises(NestedUnitOfWork), unit_of_work(), unit_of_work():
        pass


def test_an_unsafe_request_takes_the_write_lock_before_its_first_query(app, client, kpu):
    if db.session.get_bind().dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE is SQLite's")
    email = kpu.email
    db.session.remove()
    statements = []

    def record(_conn, _cursor, statement, *_args):
        words = statement.split()
        statements.append(" ".join(words[:2]) if words[0] == "BEGIN" else words[0])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.post("/login", data={"email": email, "password": "salah"})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    assert statements[0] == "BEGIN IMMEDIATE" and "SELECT" in statements[1:]
    assert statements.count("BEGIN IMMEDIATE") == 1
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(
        AuditEvent.action == "user.login_failed")) == 1


def test_the_live_check_does_not_wait_for_the_write_lock(app, client, kpu, auth):
    if db.session.get_bind().dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE is SQLite's")
    auth.login(kpu.email)
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.post("/requests/check", json={"category": "voter_education",
                                                        "items": []})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    assert "BEGIN IMMEDIATE" not in statements
