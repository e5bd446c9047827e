"""Every uploaded file of a request is a version kept for good (DESIGN §3 "Files are frozen")."""
import hashlib
import io
import os

import pytest
from flask_migrate import downgrade, upgrade
from support import MIGRATIONS, PDF, PNG
from test_attach_files import bare_request  # noqa: F401 (a fixture)

from billboard.extensions import db
from billboard.models import AuditEvent, FileKind, FileVersion


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored(app) -> list[str]:
    folder = app.config["UPLOAD_FOLDER"]
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def versions_of(request) -> list[FileVersion]:
    return list(db.session.scalars(db.select(FileVersion).where(
        FileVersion.request_id == request.id).order_by(FileVersion.id)))


def attach(client, request, **files):
    return client.post(f"/requests/{request.id}/files", data={
        field: (io.BytesIO(data), name) for field, (data, name) in files.items()})


def file_details(request) -> list[str]:
    return list(db.session.scalars(db.select(AuditEvent.detail).where(
        AuditEvent.object_type == "request", AuditEvent.object_id == request.id,
        AuditEvent.action.in_(["request.letter_file", "request.artwork_file"]))))


@pytest.mark.db
def test_replacing_before_approval_keeps_both_versions_with_their_hashes(
        app, client, auth, kpu, bare_request):  # noqa: F811
    auth.login(kpu.email)
    first, second = PDF, PDF + b"% revised\n"
    assert attach(client, bare_request, letter=(first, "surat.pdf")).status_code == 302
    assert attach(client, bare_request, letter=(second, "surat-revisi.pdf")).status_code == 302

    kept = versions_of(bare_request)
    assert [(v.kind, v.sha256, v.original_filename) for v in kept] == [
        (FileKind.LETTER, sha(first), "surat.pdf"),
        (FileKind.LETTER, sha(second), "surat-revisi.pdf")]
    assert all(v.uploaded_by_id == kpu.id for v in kept)
    # Both files stay on disk: the first version still names its file.
    assert stored(app) == sorted(v.stored_name for v in kept)
    details = file_details(bare_request)
    assert len(details) == 2
    assert f"sha256 {sha(first)}" in details[0] and f"sha256 {sha(second)}" in details[1]
    # The request's letter is the newest version.
    assert client.get(f"/requests/{bare_request.id}/files/letter").data == second


def test_submitting_with_files_makes_their_first_versions(client, auth, kpu):
    from test_agency import request_form

    auth.login(kpu.email)
    assert client.post("/requests/new", data=request_form()).status_code == 302
    [letter, artwork] = db.session.scalars(db.select(FileVersion).order_by(FileVersion.id))
    assert (letter.kind, letter.sha256, letter.original_filename) == (
        FileKind.LETTER, sha(PDF), "surat.pdf")
    assert (artwork.kind, artwork.sha256, artwork.original_filename) == (
        FileKind.ARTWORK, sha(PNG), "desain.png")
    assert letter.request.letter_file == letter.stored_name


@pytest.mark.db
def test_the_migration_backfills_a_version_for_every_named_file(app, bare_request):  # noqa: F811
    folder = app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "a" * 32 + ".pdf"), "wb") as stream:
        stream.write(PDF)
    downgrade(directory=MIGRATIONS, revision="4882fecd2ca0-1")
    # The artwork's file is gone: the migration keeps its name without a hash, and goes on.
    db.session.execute(db.text("UPDATE request SET letter_file = :letter, artwork_file = :art"),
                       {"letter": "a" * 32 + ".pdf", "art": "b" * 32 + ".png"})
    db.session.commit()
    upgrade(directory=MIGRATIONS)

    kept = versions_of(bare_request)
    assert [(v.kind, v.stored_name, v.sha256) for v in kept] == [
        (FileKind.LETTER, "a" * 32 + ".pdf", sha(PDF)),
        (FileKind.ARTWORK, "b" * 32 + ".png", None)]
    assert all(v.uploaded_by_id == bare_request.created_by_id for v in kept)
