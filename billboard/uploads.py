"""Uploaded files: judged by their content, size-limited, stored under the instance folder.

A file is checked (``check``) before anything is written; the unit of work stages it under a
temporary name before the commit of the change it belongs to and moves it into place after that
commit succeeded (``stage``, ``publish``), or removes it again (``unstage``).
Stored names are random, so nothing a user typed ever becomes part of a path.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from contextlib import suppress
from dataclasses import dataclass

import filetype
from flask import Response, current_app, send_from_directory
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
TYPE_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
MIMETYPES = {extension: mime for mime, extension in EXTENSIONS.items()}

LETTER_TYPES = (PDF,)
ARTWORK_TYPES = (JPEG, PNG, PDF)
PHOTO_TYPES = (JPEG, PNG)
STAGED_PREFIX = ".staged-"


class UploadError(Exception):
    """A refused file; the message is meant for the person who sent it."""


@dataclass(frozen=True)
class Upload:
    """A checked file, not yet written: its content and the random name it will be stored under."""

    name: str
    mimetype: str
    data: bytes


def human_size(size: int) -> str:
    """``10 MB``, ``512 KB``: the limit as people read it."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{max(1, round(size / 1024))} KB"


def check(storage: FileStorage, allowed: tuple[str, ...]) -> Upload:
    """Read an uploaded file and accept it only if its content is one of ``allowed``.

    The name and the browser's content type are ignored: an ``.exe`` renamed ``.pdf`` is an
    ``.exe``. Raises :class:`UploadError`.
    """
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    # One byte more than the limit is enough to know the file is too large.
    data = storage.stream.read(limit + 1)
    if not data:
        raise UploadError(_("The file is empty."))
    if len(data) > limit:
        raise UploadError(_("The file is larger than %(size)s.", size=human_size(limit)))
    kind = filetype.guess(data)
    mimetype = kind.mime if kind else None
    if mimetype not in allowed:
        raise UploadError(_("The file must be %(types)s; this was judged by its content, "
                            "not by its name.",
                            types=" / ".join(TYPE_NAMES[t] for t in allowed)))
    return Upload(f"{secrets.token_hex(16)}.{EXTENSIONS[mimetype]}", mimetype, data)


def _path(name: str) -> str:
    return os.path.join(current_app.config["UPLOAD_FOLDER"], name)


def discard(name: str | None) -> None:
    """Remove a stored file if it is there."""
    if name:
        with suppress(FileNotFoundError):
            os.remove(_path(name))


@dataclass(frozen=True)
class Staged:
    """A file written under its temporary name, waiting for the commit that names it."""

    name: str
    path: str


def _staged_path(upload: Upload) -> str:
    # Content-addressed and hidden: a sweep can tell a complete staged file by its hash and
    # which stored name it was meant for.
    digest = hashlib.sha256(upload.data).hexdigest()
    return _path(f"{STAGED_PREFIX}{digest}-{upload.name}")


def stage(upload: Upload) -> Staged:
    """Write ``upload`` under its temporary name (before the commit of its row)."""
    os.makedirs(current_app.config["UPLOAD_FOLDER"], exist_ok=True)
    # A random name that already exists is never overwritten: refused before the commit.
    if os.path.exists(_path(upload.name)):
        raise FileExistsError(upload.name)
    path = _staged_path(upload)
    with open(path, "xb") as stream:
        stream.write(upload.data)
    return Staged(upload.name, path)


def publish(staged: list[Staged]) -> None:
    """Move staged files to their stored names, once the commit naming them succeeded."""
    for file in staged:
        try:
            os.replace(file.path, _path(file.name))
        except FileNotFoundError:
            # A reconciliation pass (billboard check) may have moved it already.
            if not os.path.exists(_path(file.name)):
                raise


def unstage(staged: list[Staged]) -> None:
    """Remove staged files whose commit failed."""
    for file in staged:
        with suppress(FileNotFoundError):
            os.remove(file.path)


def send_upload(name: str, download_stem: str) -> Response:
    """Serve a stored file as ``download_stem`` plus its extension: PDFs as a download, images
    inline, never sniffed or scripted by the browser."""
    extension = name.rsplit(".", 1)[-1]
    mimetype = MIMETYPES.get(extension, "application/octet-stream")
    response = send_from_directory(
        current_app.config["UPLOAD_FOLDER"], name, mimetype=mimetype,
        as_attachment=mimetype not in PHOTO_TYPES,
        download_name=f"{download_stem}.{extension}",
    )
    # Set here too: the file's safety must not depend on the app-wide defaults.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.cache_control.private = True
    return response
