"""Uploaded files: judged by content, size-limited, written only with the change they belong to."""
import io
import os

import pytest
from flask_babel import force_locale
from support import EXE, JPEG, PDF, PNG, jpeg_declaring, png_declaring
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

from billboard import uploads
from billboard.extensions import db
from billboard.unit_of_work import unit_of_work

HTML = b"<html><script>alert(1)</script></html>"
LIMIT = 1024


@pytest.fixture
def app_config():
    return {"MAX_UPLOAD_BYTES": LIMIT}


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


def sent(data: bytes, filename: str, content_type: str = "application/pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)


def folder(app) -> list[str]:
    path = app.config["UPLOAD_FOLDER"]
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


@pytest.mark.parametrize(("data", "filename", "allowed", "mimetype", "extension"), [
    (PDF, "surat.pdf", uploads.LETTER_TYPES, "application/pdf", ".pdf"),
    (PNG, "desain.png", uploads.ARTWORK_TYPES, "image/png", ".png"),
    (JPEG, "desain.jpeg", uploads.ARTWORK_TYPES, "image/jpeg", ".jpg"),
    (PDF, "desain", uploads.ARTWORK_TYPES, "application/pdf", ".pdf"),
    # The name lies, the content decides, and so does the stored extension.
    (PNG, "foto.pdf", uploads.PHOTO_TYPES, "image/png", ".png"),
])
def test_accepted_by_content(app, data, filename, allowed, mimetype, extension):
    upload = uploads.check(sent(data, filename), allowed)
    assert upload.mimetype == mimetype and upload.data == data
    assert upload.name.endswith(extension) and filename.split(".")[0] not in upload.name
    assert folder(app) == []  # checking writes nothing


@pytest.mark.parametrize(("data", "filename", "allowed", "message"), [
    (EXE, "surat.pdf", uploads.LETTER_TYPES, "The file must be PDF;"),
    (HTML, "desain.png", uploads.ARTWORK_TYPES, "must be JPEG / PNG / PDF"),
    (PNG, "surat.pdf", uploads.LETTER_TYPES, "judged by its content, not by its name"),
    (PDF, "foto.jpg", uploads.PHOTO_TYPES, "The file must be JPEG / PNG;"),
    (b"", "surat.pdf", uploads.LETTER_TYPES, "The file is empty."),
    (PDF + b"0" * LIMIT, "surat.pdf", uploads.LETTER_TYPES, "larger than 1 KB"),
])
def test_refused(app, data, filename, allowed, message):
    with pytest.raises(uploads.UploadError) as refused:
        uploads.check(sent(data, filename), allowed)
    assert message in str(refused.value)


def test_size_limit_is_inclusive(app):
    exactly = PDF + b"0" * (LIMIT - len(PDF))
    assert len(uploads.check(sent(exactly, "a.pdf"), uploads.LETTER_TYPES).data) == LIMIT
    with pytest.raises(uploads.UploadError):
        uploads.check(sent(exactly + b"0", "a.pdf"), uploads.LETTER_TYPES)


def test_names_are_random(app):
    names = {uploads.check(sent(PDF, "surat.pdf"), uploads.LETTER_TYPES).name for _ in range(20)}
    assert len(names) == 20


def test_the_unit_of_work_writes_and_keeps_files_when_it_commits(app):
    letter = uploads.check(sent(PDF, "a.pdf"), uploads.LETTER_TYPES)
    artwork = uploads.check(sent(PNG, "b.png"), uploads.ARTWORK_TYPES)
    with unit_of_work(letter, None, artwork):
        pass
    assert folder(app) == sorted([letter.name, artwork.name])
    with open(os.path.join(app.config["UPLOAD_FOLDER"], artwork.name), "rb") as stored:
        assert stored.read() == PNG


def test_the_unit_of_work_removes_files_when_the_commit_fails(app, monkeypatch):
    letter = uploads.check(sent(PDF, "a.pdf"), uploads.LETTER_TYPES)
    artwork = uploads.check(sent(PNG, "b.png"), uploads.ARTWORK_TYPES)

    def failing_commit():
        # Staged under temporary names, not yet where a row could name them.
        staged = folder(app)
        assert len(staged) == 2 and all(n.startswith(uploads.STAGED_PREFIX) for n in staged)
        raise RuntimeError("commit failed")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    with pytest.raises(RuntimeError), unit_of_work(letter, artwork):
        pass
    assert folder(app) == []


def test_the_unit_of_work_never_overwrites(app):
    first = uploads.check(sent(PDF, "a.pdf"), uploads.LETTER_TYPES)
    with unit_of_work(first):
        pass
    same_name = uploads.Upload(first.name, first.mimetype, b"%PDF-other")
    with pytest.raises(FileExistsError), unit_of_work(same_name):
        pass
    assert folder(app) == [first.name]
    with open(os.path.join(app.config["UPLOAD_FOLDER"], first.name), "rb") as stored:
        assert stored.read() == PDF


def test_discard_tolerates_missing_files(app):
    uploads.discard(None)
    uploads.discard("0123456789abcdef.pdf")


@pytest.mark.parametrize(("data", "allowed", "mimetype", "disposition"), [
    (PDF, uploads.LETTER_TYPES, "application/pdf", "attachment"),
    (PNG, uploads.PHOTO_TYPES, "image/png", "inline"),
    (JPEG, uploads.PHOTO_TYPES, "image/jpeg", "inline"),
])
def test_send_upload_headers(app, data, allowed, mimetype, disposition):
    upload = uploads.check(sent(data, "x"), allowed)
    with unit_of_work(upload):
        pass
    with app.test_request_context():
        response = uploads.send_upload(upload.name, "PJ-2026-0001-letter")
    response.close()
    assert response.mimetype == mimetype
    extension = upload.name.rsplit(".", 1)[1]
    assert response.headers["Content-Disposition"] == (
        f"{disposition}; filename=PJ-2026-0001-letter.{extension}")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "private" in response.headers["Cache-Control"]


def test_send_upload_of_a_missing_file_is_404(app):
    with app.test_request_context(), pytest.raises(NotFound):
        uploads.send_upload("0123456789abcdef.pdf", "x")


@pytest.mark.parametrize(("size", "shown"), [
    (10 * 1024 * 1024, "10 MB"), (1536 * 1024, "1.5 MB"), (2048, "2 KB"), (100, "1 KB"),
])
def test_human_size(size, shown):
    assert uploads.human_size(size) == shown


def app_segment(payload: bytes, marker: int = 0xE1) -> bytes:
    return b"\xff" + bytes([marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


# An EXIF block whose own thumbnail declares a huge frame: only segments outside it count.
EXIF = app_segment(b"Exif\x00\x00" + b"\xff\xc0\x00\x11\x08\x75\x30\x75\x30" + b"\x00" * 20)


@pytest.mark.parametrize("data", [
    png_declaring(30_000, 30_000),
    png_declaring(50_001, 1_000),
    png_declaring(2**31 - 1, 2**31 - 1),
    jpeg_declaring(30_000, 30_000),
    jpeg_declaring(30_000, 30_000, frame=0xC2),  # progressive
    jpeg_declaring(65_535, 65_535, frame=0xC1, before=app_segment(b"\x00" * 100, 0xE0)),
    jpeg_declaring(20_000, 20_000, before=b"\xff\xff\xff"),  # fill bytes before the frame
])
@pytest.mark.parametrize("allowed", [uploads.PHOTO_TYPES, uploads.ARTWORK_TYPES])
def test_an_image_declaring_too_many_pixels_is_refused_before_decoding(app, data, allowed):
    app.config["MAX_UPLOAD_BYTES"] = 10 * 1024
    with pytest.raises(uploads.UploadError) as refused:
        uploads.check(sent(data, "foto.jpg"), allowed)
    assert "megapixels are accepted" in str(refused.value)
    assert folder(app) == []


@pytest.mark.parametrize("data, size", [
    (png_declaring(4000, 3000), (4000, 3000)),
    (png_declaring(8000, 6000), (8000, 6000)),
    (jpeg_declaring(4032, 3024), (4032, 3024)),
    (jpeg_declaring(4032, 3024, frame=0xC2, before=EXIF), (4032, 3024)),
])
def test_an_ordinary_photo_passes_and_its_size_is_read(app, data, size):
    mimetype = uploads.check(sent(data, "foto"), uploads.PHOTO_TYPES).mimetype
    assert uploads.image_size(data, mimetype) == size


def test_a_header_without_a_size_is_judged_by_its_type_alone(app):
    assert uploads.image_size(JPEG, "image/jpeg") is None
    assert uploads.image_size(PDF, "application/pdf") is None
    assert uploads.check(sent(JPEG, "a.jpg"), uploads.PHOTO_TYPES).mimetype == "image/jpeg"
