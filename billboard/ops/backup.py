"""``billboard backup DIR`` and ``billboard restore DIR``: the SQLite database and the uploads.

The database is copied with SQLite's online backup API (a consistent snapshot while the app
keeps serving), then the upload folder. In that order nothing is lost: a file is written before
the row that names it is committed and is never removed afterwards, so every file the snapshot
names is already there when the folder is copied. A manifest records the SHA-256 of everything,
and ``restore`` refuses a backup that does not match it. PostgreSQL is backed up with pg_dump
(README, "Backups").
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import inspect

from ..extensions import db

MANIFEST = "manifest.json"
DATABASE = "billboard.sqlite"
UPLOADS = "uploads"


class BackupError(Exception):
    """A refusal, worded for the operator; nothing was changed."""


@dataclass(frozen=True)
class Summary:
    directory: str
    revision: str | None
    files: int


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sqlite_file() -> str:
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise BackupError("This database is not SQLite: back it up with pg_dump and restore "
                          "it with pg_restore (README, \"Backups\").")
    return url.database


def _copy_database(source: str, target: str) -> None:
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def _revision(path: str) -> str | None:
    with closing(sqlite3.connect(path)) as connection:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            row = None
    return row[0] if row else None


def _files(folder: str) -> dict[str, str]:
    found = {}
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(parent, name)
            found[os.path.relpath(path, folder)] = _sha256(path)
    return found


def backup(directory: str) -> Summary:
    """Write the database and the uploads into ``directory``, which must be new or empty."""
    source = _sqlite_file()
    if os.path.exists(directory) and (not os.path.isdir(directory) or os.listdir(directory)):
        raise BackupError(f"{directory} already exists and is not an empty folder.")
    os.makedirs(os.path.join(directory, UPLOADS))
    target = os.path.join(directory, DATABASE)
    _copy_database(source, target)
    uploads = current_app.config["UPLOAD_FOLDER"]
    if os.path.isdir(uploads):
        shutil.copytree(uploads, os.path.join(directory, UPLOADS), dirs_exist_ok=True)
    files = _files(os.path.join(directory, UPLOADS))
    manifest = {"created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "revision": _revision(target), "database": _sha256(target), "uploads": files}
    with open(os.path.join(directory, MANIFEST), "w", encoding="utf-8") as stream:
        json.dump(manifest, stream, indent=1, sort_keys=True)
    return Summary(directory, manifest["revision"], len(files))


def _verified_manifest(directory: str) -> dict:
    try:
        with open(os.path.join(directory, MANIFEST), encoding="utf-8") as stream:
            manifest = json.load(stream)
    except (OSError, ValueError):
        raise BackupError(f"{directory} holds no readable {MANIFEST}: not a backup made by "
                          "'billboard backup'.") from None
    database = os.path.join(directory, DATABASE)
    damaged = [] if os.path.exists(database) and _sha256(database) == manifest["database"] \
        else [DATABASE]
    present = _files(os.path.join(directory, UPLOADS))
    damaged += sorted(f"{UPLOADS}/{name}" for name, digest in manifest["uploads"].items()
                      if present.get(name) != digest)
    if damaged:
        raise BackupError("The backup is damaged (missing or changed since it was made): "
                          + ", ".join(damaged))
    return manifest


def _holds_data(path: str) -> bool:
    if not os.path.exists(path):
        return False
    engine = db.engine
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.connect() as connection:
        return any(connection.exec_driver_sql(f'SELECT 1 FROM "{table}" LIMIT 1').first()
                   for table in tables)


def restore(directory: str, *, force: bool = False) -> Summary:
    """Put a backup's database and uploads in place of the configured ones.

    A database or upload folder that already holds data is refused unless ``force``.
    """
    target = _sqlite_file()
    manifest = _verified_manifest(directory)
    uploads = current_app.config["UPLOAD_FOLDER"]
    if not force:
        if _holds_data(target):
            raise BackupError(f"The database {target} already holds data: restoring would "
                              "replace it. Use --force to replace it anyway.")
        if os.path.isdir(uploads) and os.listdir(uploads):
            raise BackupError(f"The upload folder {uploads} is not empty. Use --force to "
                              "restore into it anyway.")
    db.session.remove()
    db.engine.dispose()
    _copy_database(os.path.join(directory, DATABASE), target)
    os.makedirs(uploads, exist_ok=True)
    shutil.copytree(os.path.join(directory, UPLOADS), uploads, dirs_exist_ok=True)
    return Summary(directory, manifest["revision"], len(manifest["uploads"]))
