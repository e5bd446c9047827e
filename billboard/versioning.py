"""The version of what the public sees, kept in the database so every worker and host agrees.

Every transaction that writes a row the public pages can show (a booking, a site, a face, a
request's purpose, an organisation's name, …) also gives the one ``data_version`` row a new
random value, in the same transaction: a hook on the session's flushes does it, so no code path
can forget. A reader that sees the new version therefore also sees the change. Rows that never
reach a public page (accounts, tokens, audit events, mail) leave the version alone, so a login
does not empty every cache.
"""
from __future__ import annotations

import secrets

from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, UOWTransaction

from .extensions import db
from .models import ApiToken, AuditEvent, DataVersion, OutboxEmail, User

PRIVATE = (ApiToken, AuditEvent, DataVersion, OutboxEmail, User)
_BUMPED = "public_data_version_bumped"
_UPSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def current() -> str:
    """The version the database holds now (empty if its row is missing)."""
    return db.session.scalar(select(DataVersion.version).where(DataVersion.id == 1)) or ""


def _changes_public(session: Session) -> bool:
    if any(not isinstance(row, PRIVATE) for row in (*session.new, *session.deleted)):
        return True
    return any(not isinstance(row, PRIVATE) and session.is_modified(row)
               for row in session.dirty)


def _bump(session: Session) -> None:
    if session.info.get(_BUMPED):
        return
    connection = session.connection()
    # An upsert: the row comes back by itself after a TRUNCATE (as the tests do on PostgreSQL).
    statement = _UPSERT[connection.dialect.name](DataVersion).values(
        id=1, version=secrets.token_hex(16))
    connection.execute(statement.on_conflict_do_update(
        index_elements=[DataVersion.id], set_={"version": statement.excluded.version}))
    session.info[_BUMPED] = True


@event.listens_for(db.session, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    # After the flush the rows are written; session.new and .dirty still name them here.
    if _changes_public(session):
        _bump(session)


@event.listens_for(db.session, "do_orm_execute")
def _on_bulk_statement(state) -> None:
    # ORM-enabled UPDATE/DELETE/INSERT statements bypass the flush.
    if (state.is_update or state.is_delete or state.is_insert) and not any(
            issubclass(mapper.class_, PRIVATE) for mapper in state.all_mappers):
        _bump(state.session)


@event.listens_for(db.session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_BUMPED, None)
