"""SQLite connection settings: foreign keys, WAL, a busy timeout and explicit transactions.

pysqlite's own transaction handling defers BEGIN and cannot start ``BEGIN IMMEDIATE``; we emit
BEGIN ourselves so that a change can take the write lock before it reads what it checks
(DESIGN §3: on SQLite, approval runs in a write-locked transaction).
"""
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

IMMEDIATE = {"sqlite_begin": "IMMEDIATE"}


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


def init_app(app: Flask) -> None:
    from .extensions import db

    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name != "sqlite":
            return
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
