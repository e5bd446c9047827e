"""One unit of work per request or command (DESIGN §6): begin the write, commit once.

Every view, API call and CLI command that changes data runs its change inside
``unit_of_work()`` (a context manager, or ``@unit_of_work()`` on a whole view)::

    try:
        with unit_of_work(letter, artwork):
            created = booking.submit_request(...)
    except DomainError as refused:
        ...  # nothing was written; show the refusal

It begins the write (on SQLite the write lock, ``BEGIN IMMEDIATE``), lets the services flush,
then commits once; any exception rolls everything back and passes on. Uploaded files given to
it are staged before the commit and moved into place only after it succeeded, so a row never
names a missing file and a refused change leaves no file behind.

On unsafe methods the write already begins before the request's first query, before the user
is loaded (``init_app``): a login, a failed-login audit row, a token or an admin change waits
for the lock like a booking does, instead of failing on a stale read.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from . import uploads
from .extensions import db
from .sqlite import IMMEDIATE

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_OPEN = "unit_of_work"
# Marks in ``session.info``, for the current transaction only: it flushed; it is a write.
FLUSHED = "flushed"
WRITING = "writing"


class NestedUnitOfWork(RuntimeError):
    """A unit of work inside another: the inner commit would cut the outer one in two."""


class HeldChangesError(RuntimeError):
    """A write began while the session already held changes: they would have joined it unseen."""


def _holds_changes(session) -> bool:
    return bool(session.new or session.deleted or session.info.get(FLUSHED)
                or any(session.is_modified(obj) for obj in session.dirty))


def begin_write() -> None:
    """Start the transaction of a change, before it reads anything.

    On SQLite a transaction that reads first and writes later fails at once ("database is
    locked") when another writer committed in between; the busy timeout does not help. So the
    write lock is taken first (``BEGIN IMMEDIATE``) and concurrent changes wait their turn. A
    change the session already holds is a programming error, never committed on the side.
    PostgreSQL needs no lock here (row locks and constraints do that work).
    """
    session = db.session
    if session.info.get(WRITING):
        return
    if _holds_changes(session):
        raise HeldChangesError("begin_write() with changes already in the session: start the "
                               "unit of work before the first change")
    # Ends the read transaction still open (checked above: it holds nothing to keep), so
    # that the write begins afresh and on SQLite takes the lock before its first read.
    session.rollback()
    sqlite = session.get_bind().dialect.name == "sqlite"
    session.connection(execution_options=IMMEDIATE if sqlite else None)
    session.info[WRITING] = True


@event.listens_for(Session, "after_flush")
def _flushed(session, _context) -> None:
    session.info[FLUSHED] = True


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(FLUSHED, None)
        session.info.pop(WRITING, None)


@contextmanager
def locked_read() -> Iterator[None]:
    """Hold the write lock (on SQLite) while reading, then end the transaction unwritten.

    For work outside the database that must not race a commit (settling staged upload files
    against the rows that name them): no commit can happen meanwhile, and nothing is written.
    """
    begin_write()
    try:
        yield
    finally:
        db.session.rollback()  # nothing was written: the read and the lock end here


@contextmanager
def unit_of_work(*files: uploads.Upload | None) -> Iterator[None]:
    """Run the block as one transaction, with ``files`` saved if and only if it commits."""
    session = db.session
    if session.info.get(_OPEN):
        raise NestedUnitOfWork("a unit of work is already open")
    begin_write()
    session.info[_OPEN] = True
    staged: list[uploads.Staged] = []
    try:
        yield
        for upload in files:
            if upload is not None:
                staged.append(uploads.stage(upload))
        session.commit()
    except BaseException:
        session.rollback()
        uploads.unstage(staged)
        raise
    finally:
        session.info.pop(_OPEN, None)
    uploads.publish(staged)


def read_only(view):
    """Mark a view that answers a POST without changing anything (the form's live check): it
    does not wait for the write lock, so it never queues behind the writers."""
    view.read_only = True
    return view


def _begin_unsafe_requests() -> None:
    view = current_app.view_functions.get(request.endpoint)
    if request.method in UNSAFE_METHODS and not getattr(view, "read_only", False):
        g.write_begun = True
        begin_write()


def _end_unfinished_write(_error) -> None:
    # A change the view did not commit through unit_of_work() is never committed later.
    if g.pop("write_begun", False):
        db.session.rollback()


def init_app(app: Flask) -> None:
    # First of all before_request functions: nothing may query before the write begins.
    app.before_request_funcs.setdefault(None, []).insert(0, _begin_unsafe_requests)
    app.teardown_request(_end_unfinished_write)
