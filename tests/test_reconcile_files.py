"""The reconciliation of the upload folder (start-up and ``billboard check``): a staged file
whose commit happened is moved into place, one whose commit never happened is removed, and rows
whose file is missing and files no row names are reported."""
import hashlib
import os
import time
from datetime import timedelta

import pytest
from support import PDF, PNG, TODAY

from billboard import uploads
from billboard.booking import ItemInput, submit_request
from billboard.extensions import db
from billboard.models import Site
from billboard.ops import files
from billboard.ops.files import reconcile


def _staged(app, name: str, data: bytes, *, age: float = 0) -> str:
    """A file left as the unit of work stages it, as if its process had died."""
    folder = app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    staged = f"{uploads.STAGED_PREFIX}{hashlib.sha256(data).hexdigest()}-{name}"
    with open(os.path.join(folder, staged), "wb") as stream:
        stream.write(data)
    if age:
        past = time.time() - age
        os.utime(os.path.join(folder, staged), (past, past))
    return staged


def _folder(app) -> list[str]:
    return sorted(os.listdir(app.config["UPLOAD_FOLDER"]))


@pytest.fixture
def site(app):
    return db.session.scalar(db.select(Site).filter_by(code="PGK-01"))


@pytest.mark.db
def test_a_committed_file_is_moved_into_place_and_a_dead_one_removed(app, site):
    site.photo = "a" * 32 + ".png"
    db.session.commit()
    committed = _staged(app, site.photo, PNG)
    never = _staged(app, "b" * 32 + ".pdf", PDF, age=files.STAGED_GRACE_SECONDS + 1)

    result = reconcile()

    assert (result.completed, result.removed) == ([site.photo], [never])
    assert committed not in _folder(app) and _folder(app) == [site.photo]
    with open(os.path.join(app.config["UPLOAD_FOLDER"], site.photo), "rb") as stream:
        assert stream.read() == PNG
    assert (result.missing, result.unnamed) == ([], [])


def test_on_sqlite_a_young_unnamed_staged_file_is_dead_too(app):
    """The pass holds the write lock that every change holds while its file is staged."""
    young = _staged(app, "c" * 32 + ".pdf", PDF)
    assert reconcile().removed == [young]
    assert _folder(app) == []


@pytest.mark.db
def test_a_file_cut_short_by_the_crash_is_removed_and_its_row_reported(app, site):
    site.photo = "d" * 32 + ".png"
    db.session.commit()
    staged = _staged(app, site.photo, PNG)
    with open(os.path.join(app.config["UPLOAD_FOLDER"], staged), "r+b") as stream:
        stream.truncate(4)

    result = reconcile()

    assert result.removed == [staged] and result.completed == []
    assert result.missing == [f"site.photo {site.id}: {site.photo}"]


@pytest.mark.db
def test_a_duplicate_of_a_file_already_in_place_is_removed(app, site):
    site.photo = "e" * 32 + ".png"
    db.session.commit()
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)
    with open(os.path.join(app.config["UPLOAD_FOLDER"], site.photo), "wb") as stream:
        stream.write(PNG)
    staged = _staged(app, site.photo, PNG)
    assert reconcile().removed == [staged]
    assert _folder(app) == [site.photo]


@pytest.mark.db
def test_missing_files_and_files_no_row_names_are_reported_not_touched(app, make_user):
    start = TODAY + timedelta(days=10)
    request = submit_request(make_user(), purpose="Sosialisasi", category="public_service",
                             letter_number="1/2026", letter_date=TODAY,
                             items=[ItemInput("PGK-01", "A", start, start)])
    request.letter_file = "f" * 32 + ".pdf"
    db.session.commit()
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)
    with open(os.path.join(app.config["UPLOAD_FOLDER"], "stray.pdf"), "wb") as stream:
        stream.write(PDF)

    result = reconcile()

    assert result.missing == [f"request.letter_file {request.id}: {request.letter_file}"]
    assert result.unnamed == ["stray.pdf"]
    assert _folder(app) == ["stray.pdf"]


def test_every_column_holding_a_file_name_is_reconciled(app):
    """A new file column must join FILE_COLUMNS, or the pass would take its files for
    strays (and miss its missing ones)."""
    looks_like_a_file = {
        f"{table.name}.{column.name}" for table in db.metadata.sorted_tables
        for column in table.columns
        if column.name.endswith(("_file", "photo", "stored_name", "_scan"))}
    assert looks_like_a_file == {f"{c.class_.__tablename__}.{c.key}" for c in files.FILE_COLUMNS}


def test_publishing_a_file_the_pass_already_moved_is_no_error(app):
    """``billboard check`` may settle a committed file between the commit and its move."""
    upload = uploads.Upload("g" * 32 + ".pdf", uploads.PDF, PDF)
    staged = uploads.stage(upload)
    os.replace(staged.path, os.path.join(app.config["UPLOAD_FOLDER"], upload.name))
    uploads.publish([staged])
    assert _folder(app) == [upload.name]
    os.remove(os.path.join(app.config["UPLOAD_FOLDER"], upload.name))
    with pytest.raises(FileNotFoundError):
        uploads.publish([staged])  # gone from both places: that is still an error
