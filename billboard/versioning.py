"""The version of what the public sees, kept in the database so every worker and host agrees.

Every transaction that writes a row the public pages can show (a booking, a site, a face, a
request's purpose, an organisation's name, …) also gives the one ``data_version`` row a new
random value, in the same transaction: a hook on the session's flushes does it, so no code path
can forget. A reader that sees the new version therefore also sees the change. Rows that never
reach a public page (accounts, tokens, audit events, mail) leave the version alone, so a login
does not empty every cache.
"""
from __future__ import annotations

import contextlib
import functools
import os
import secrets
import threading
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import Engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, UOWTransaction

from .extensions import db
from .models import ApiToken, AuditEvent, DataVersion, OutboxEmail, User

PRIVATE = (ApiToken, AuditEvent, DataVersion, OutboxEmail, User)
_CHANGED = "public_data_changed"
_UPSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
QUERY = "SELECT version FROM data_version WHERE id = 1"


class VersionReader(threading.local):
    """Reads the version on a connection of its own (one per thread), outside any transaction.

    A page served from the cache then costs this one small query and no session, transaction
    or pool checkout: through the ORM the read alone cost more than the rest of the request.
    """

    def __init__(self, engine: Engine, opened: set):
        # threading.local runs this once per thread with the same arguments: ``opened`` is
        # the one set of every thread's connection, for ``close_all``.
        self._engine = engine
        self._opened = opened
        self._connection = None
        self._pid = None
        self._query: Callable[[], str] | None = None

    def read(self) -> str:
        try:
            return self._read()
        except self._engine.dialect.loaded_dbapi.Error:
            # The database went away (a restart): one new connection, one more try.
            self.close()
            return self._read()

    def _read(self) -> str:
        if self._connection is None or self._pid != os.getpid():
            self._open()
        return self._query()

    def _open(self) -> None:
        fairy = self._engine.raw_connection()
        # Ours alone: never back into the pool, where its autocommit would surprise.
        fairy.detach()
        self._connection, self._pid = fairy, os.getpid()
        self._opened.add((os.getpid(), fairy))
        if self._engine.dialect.name == "postgresql":
            # Not a unit of work's rollback: this raw connection never joins the session.
            # The pool's ping left a transaction open (it wrote nothing), and autocommit
            # cannot be switched on inside one.
            fairy.rollback()
            fairy.dbapi_connection.autocommit = True
            self._query = _prepared_read(fairy.dbapi_connection.pgconn)
        else:
            self._query = functools.partial(_first_value, fairy.dbapi_connection)

    def close(self) -> None:
        if self._connection is not None:
            self._opened.discard((self._pid, self._connection))
            with contextlib.suppress(Exception):
                self._connection.close()
        self._connection = None

    def close_all(self, _engine=None) -> None:
        """Close every thread's connection: they left the pool, so disposing of the engine
        (at shutdown, after each test) would not close them."""
        for pid, connection in list(self._opened):
            self._opened.discard((pid, connection))
            # A forked worker's copy of its parent's connection shares the parent's socket:
            # closing it would end the parent's session.
            if pid == os.getpid():
                with contextlib.suppress(Exception):
                    connection.close()
        self._connection = None


def _first_value(connection) -> str:
    row = connection.execute(QUERY).fetchone()
    return row[0] if row else ""


def _prepared_read(pgconn) -> Callable[[], str]:
    """The read as a statement prepared once and run through libpq itself (psycopg's ``pq``):
    a cursor's execute cost three times the client's time, on every public request."""
    # Imported here: an installation on SQLite goes without psycopg.
    from psycopg import OperationalError, pq

    def succeeded(result):
        if result.status not in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK):
            raise OperationalError(result.error_message.decode(errors="replace"))
        return result

    succeeded(pgconn.prepare(b"data_version", QUERY.encode()))

    def read() -> str:
        result = succeeded(pgconn.exec_prepared(b"data_version", None))
        return result.get_value(0, 0).decode() if result.ntuples else ""

    return read


def current(app: Flask | None = None) -> str:
    """The version the database holds now (empty if its row is missing)."""
    return (app or current_app).extensions["data_version"].read()


def init_app(app: Flask) -> None:
    with app.app_context():
        reader = app.extensions["data_version"] = VersionReader(db.engine, set())
        event.listen(db.engine, "engine_disposed", reader.close_all)


def _changes_public(session: Session) -> bool:
    if any(not isinstance(row, PRIVATE) for row in (*session.new, *session.deleted)):
        return True
    return any(not isinstance(row, PRIVATE) and session.is_modified(row)
               for row in session.dirty)


@event.listens_for(db.session, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    # After the flush the rows are written; session.new and .dirty still name them here.
    if _changes_public(session):
        session.info[_CHANGED] = True


@event.listens_for(db.session, "do_orm_execute")
def _on_bulk_statement(state) -> None:
    # ORM-enabled UPDATE/DELETE/INSERT statements bypass the flush.
    if (state.is_update or state.is_delete or state.is_insert) and not any(
            issubclass(mapper.class_, PRIVATE) for mapper in state.all_mappers):
        state.session.info[_CHANGED] = True


@event.listens_for(db.session, "before_commit")
def _bump(session: Session) -> None:
    # As late as possible: from this write to the commit, concurrent writers of public rows
    # wait for this row (PostgreSQL) — only for the commit itself, not the whole change.
    session.flush()
    if not session.info.pop(_CHANGED, False):
        return
    connection = session.connection()
    # An upsert: the row comes back by itself after a TRUNCATE (as the tests do on PostgreSQL).
    statement = _UPSERT[connection.dialect.name](DataVersion).values(
        id=1, version=secrets.token_hex(16))
    connection.execute(statement.on_conflict_do_update(
        index_elements=[DataVersion.id], set_={"version": statement.excluded.version}))


@event.listens_for(db.session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)
