"""SQLite connection settings: foreign keys, WAL, a busy timeout and explicit transactions.

pysqlite's own transaction handling defers BEGIN and cannot start ``BEGIN IMMEDIATE``; we emit
BEGIN ourselves so that a change can take the write lock before it reads what it checks
(DESIGN §3: on SQLite, approval runs in a write-locked transaction).
"""
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

IMMEDIATE = {"sqlite_begin": "IMMEDIATE"}
# Marks in ``session.info``, for the current transaction only: it flushed; it is a write.
FLUSHED = "flushed"
WRITING = "writing"


class HeldChangesError(RuntimeError):
    """A write began while the session already held changes: they would have joined it unseen."""


def _holds_changes(session) -> bool:
    return bool(session.new or session.deleted or session.info.get(FLUSHED)
                or any(session.is_modified(obj) for obj in session.dirty))


def begin_write() -> None:
    """Start the transaction of a change, before it reads anything (see ``unit_of_work``).

    On SQLite a transaction that reads first and writes later fails at once ("database is
    locked") when another writer committed in between; the busy timeout does not help. So the
    write lock is taken first (``BEGIN IMMEDIATE``) and concurrent changes wait their turn. A
    read transaction still open ends here; a change the session already holds is a
    programming error, never committed on the side. PostgreSQL needs no lock here (row locks
    and constraints do that work).
    """
    from .extensions import db

    session = db.session
    if session.info.get(WRITING):
        return
    if _holds_changes(session):
        raise HeldChangesError("begin_write() with changes already in the session: start the "
                               "unit of work before the first change")
    session.rollback()
    sqlite = session.get_bind().dialect.name == "sqlite"
    session.connection(execution_options=IMMEDIATE if sqlite else None)
    session.info[WRITING] = True


def _on_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _on_begin(connection) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


@event.listens_for(Session, "after_flush")
def _flushed(session, _context) -> None:
    session.info[FLUSHED] = True


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(FLUSHED, None)
        session.info.pop(WRITING, None)


def init_app(app: Flask) -> None:
    from .extensions import db

    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name != "sqlite":
            return
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
