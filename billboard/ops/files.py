"""Reconciling the upload folder with the rows that name its files (DESIGN §6).

The unit of work stages a file under ``.staged-<sha256>-<stored name>`` before the commit of its
row and moves it to ``<stored name>`` after (``uploads.stage`` / ``publish``). A process killed
in between leaves a staged file behind: either its commit happened (a row names the stored name)
and only the move is missing, or it never did. The pass completes the first kind, removes the
second, and reports rows whose file is missing and files that no row names. It runs at start-up
and in ``billboard check``.

A staged file no row names may belong to a change still in flight. On SQLite the pass holds the
write lock, which every change holds from before it stages until it commits, so what it sees
staged without a row is dead. PostgreSQL has no such lock: there such a file is removed only once
it is older than ``STAGED_GRACE_SECONDS`` (longer than any request may run).
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from .. import settings, uploads
from ..extensions import db
from ..models import Booking, FileVersion, Request, Site
from ..unit_of_work import locked_read

# Every column that holds a stored file name.
FILE_COLUMNS = (Site.photo, Site.thumbnail_photo, Request.letter_file, Request.artwork_file,
                Booking.installed_photo, Booking.removed_photo, FileVersion.stored_name)
STAGED_GRACE_SECONDS = 300


@dataclass
class Reconciliation:
    completed: list[str] = field(default_factory=list)  # moved into place after their commit
    removed: list[str] = field(default_factory=list)  # staged for a commit that never happened
    missing: list[str] = field(default_factory=list)  # "request.letter_file 12: name"
    unnamed: list[str] = field(default_factory=list)  # stored files no row names


def _named() -> dict[str, str]:
    """Stored name -> which row names it."""
    named = {}
    for column in FILE_COLUMNS:
        table = column.class_.__tablename__
        rows = db.session.execute(
            select(column.class_.id, column).where(column.is_not(None))).all()
        named.update((name, f"{table}.{column.key} {row_id}") for row_id, name in rows)
    if emblem := settings.emblem():
        named[emblem] = f"setting {settings.EMBLEM_KEY}"
    return named


def _sha256(path: str) -> str:
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _settle(staged: str, named: dict[str, str], folder: str, result: Reconciliation,
            dead: bool) -> None:
    digest, _sep, name = staged.removeprefix(uploads.STAGED_PREFIX).partition("-")
    path = os.path.join(folder, staged)
    if name in named and not os.path.exists(os.path.join(folder, name)):
        # Committed, not yet moved; a file cut short by the crash fails its own hash.
        if _sha256(path) == digest:
            os.replace(path, os.path.join(folder, name))
            result.completed.append(name)
            return
    elif name not in named and not dead and time.time() - os.path.getmtime(path) < \
            STAGED_GRACE_SECONDS:
        return  # perhaps a change still in flight
    os.remove(path)
    result.removed.append(staged)


def reconcile() -> Reconciliation:
    """Settle staged files and list what does not match; inside an app context."""
    folder = current_app.config["UPLOAD_FOLDER"]
    result = Reconciliation()
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    with locked_read():
        named = _named()
        stored = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
        for entry in stored:
            if entry.startswith(uploads.STAGED_PREFIX):
                _settle(entry, named, folder, result, dead=sqlite)
        present = set(os.listdir(folder)) if os.path.isdir(folder) else set()
    result.missing = sorted(f"{row}: {name}" for name, row in named.items()
                            if name not in present)
    result.unnamed = sorted(name for name in present
                            if name not in named and not name.startswith(uploads.STAGED_PREFIX))
    return result
