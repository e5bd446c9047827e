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
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import FileStorage

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
TYPE_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
MIMETYPES = {extension: mime for mime, extension in EXTENSIONS.items()}

# Start-of-frame markers of JPEG (baseline, progressive, lossless…; not DHT, JPG, DAC).
JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
JPEG_START_OF_SCAN = 0xDA

LETTER_TYPES = (PDF,)
ARTWORK_TYPES = (JPEG, PNG, PDF)
PHOTO_TYPES = (JPEG, PNG)
SCAN_TYPES = (PDF, JPEG, PNG)
STAGED_PREFIX = ".staged-"
# How long a form may carry a kept file's token; the staged-file sweep may end it sooner.
KEPT_MAX_AGE_SECONDS = 24 * 60 * 60


class UploadError(Exception):
    """A refused file; the message is meant for the person who sent it."""


@dataclass(frozen=True)
class Upload:
    """A checked file, not yet written: its content, the random name it will be stored under
    and the name it had on the sender's computer (shown, never used in a path)."""

    name: str
    mimetype: str
    data: bytes
    filename: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


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
    _refuse_a_bomb(data, mimetype)
    return Upload(f"{secrets.token_hex(16)}.{EXTENSIONS[mimetype]}", mimetype, data,
                  _shown_filename(storage.filename))


def _shown_filename(filename: str | None) -> str:
    # Only the last part of whatever path a browser sends, without control characters.
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable())[:255]


def image_size(data: bytes, mimetype: str) -> tuple[int, int] | None:
    """The width and height an image declares in its header, read without decoding it; None
    when the header does not say (a truncated file, or not an image)."""
    if mimetype == PNG and len(data) >= 24 and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20]), int.from_bytes(data[20:24])
    if mimetype == JPEG:
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    # Walk the segments after SOI up to the first scan; the largest frame counts (a decoder
    # may take any of them).
    found, position = None, 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return found
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            position += 2
            continue
        if marker == JPEG_START_OF_SCAN:
            return found
        length = int.from_bytes(data[position + 2:position + 4])
        if marker in JPEG_FRAMES and position + 9 <= len(data):
            height = int.from_bytes(data[position + 5:position + 7])
            width = int.from_bytes(data[position + 7:position + 9])
            if found is None or width * height > found[0] * found[1]:
                found = (width, height)
        position += 2 + length
    return found


def _refuse_a_bomb(data: bytes, mimetype: str) -> None:
    """A small file may declare a huge image (30,000 × 30,000 pixels is 3.6 GB decoded): refuse
    it on the size it declares, before anything (a browser, a thumbnailer) decodes it."""
    size = image_size(data, mimetype)
    if size:
        refuse_too_many_pixels(*size)


def refuse_too_many_pixels(width: int, height: int) -> None:
    """Refuse an image of more than MAX_IMAGE_PIXELS pixels, with the sizes that help."""
    limit = current_app.config["MAX_IMAGE_PIXELS"]
    if width * height > limit:
        raise UploadError(_(
            "The image is %(width)d × %(height)d pixels; at most %(megapixels)d megapixels are "
            "accepted. Save it at a smaller size (for example 4000 × 3000) and try again.",
            width=width, height=height, megapixels=limit // 1_000_000))


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


def _staged_path(digest: str, name: str) -> str:
    # Content-addressed and hidden: a sweep can tell a complete staged file by its hash and
    # which stored name it was meant for.
    return _path(f"{STAGED_PREFIX}{digest}-{name}")


def _write_staged(upload: Upload) -> str:
    """Write ``upload`` under its staged name unless it is there already (kept from a refused
    submission, ``keep``: content-addressed, so the same bytes); its path."""
    os.makedirs(current_app.config["UPLOAD_FOLDER"], exist_ok=True)
    path = _staged_path(upload.sha256, upload.name)
    if not os.path.exists(path):
        with open(path, "xb") as stream:
            stream.write(upload.data)
    return path


def stage(upload: Upload) -> Staged:
    """Write ``upload`` under its temporary name (before the commit of its row)."""
    # A random name that already exists is never overwritten: refused before the commit.
    if os.path.exists(_path(upload.name)):
        raise FileExistsError(upload.name)
    return Staged(upload.name, _write_staged(upload))


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


def _kept_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="kept-upload")


def keep(upload: Upload) -> str:
    """Stage a checked file of a refused form, so that the next submission of the form can
    use it without the person choosing it again; returns the token the form carries.

    Nothing names the staged file until a submission commits, so the staged-file sweep
    (``billboard.ops.files``) removes it if the form is never sent again.
    """
    _write_staged(upload)
    return _kept_serializer().dumps([upload.name, upload.sha256, upload.filename])


def kept(token: str | None) -> Upload | None:
    """The file a form's token names, if it is still staged and untouched; else None (the
    person chooses the file again). The token is signed: nobody names another's file."""
    if not token:
        return None
    try:
        name, digest, filename = _kept_serializer().loads(token, max_age=KEPT_MAX_AGE_SECONDS)
    except (BadSignature, ValueError, TypeError):
        return None
    path = _staged_path(digest, name)
    try:
        with open(path, "rb") as stream:
            data = stream.read()
        # In use again: the sweep's grace period on PostgreSQL counts from now.
        os.utime(path)
    except FileNotFoundError:
        return None
    mimetype = MIMETYPES.get(name.rsplit(".", 1)[-1])
    if hashlib.sha256(data).hexdigest() != digest or mimetype is None:
        return None
    return Upload(name, mimetype, data, filename)
