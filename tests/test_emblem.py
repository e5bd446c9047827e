"""The letterhead's emblem: an administrator uploads the city's, and every document prints it."""
import io

import pytest
from PIL import Image
from support import PNG

from billboard import settings
from billboard.extensions import db
from billboard.models import AuditEvent
from billboard.ops.files import reconcile


def image_bytes(size=(1200, 1400), fmt="PNG") -> bytes:
    out = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, (200, 30, 30, 255)[:len(mode)]).save(out, fmt)
    return out.getvalue()


def upload(client, data: bytes, name="lambang.png"):
    return client.post("/admin/settings/emblem", data={"emblem": (io.BytesIO(data), name)})


def test_without_an_upload_documents_print_the_placeholder(client, admin):
    response = client.get("/documents/emblem")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/static/img/lambang-contoh.svg")
    assert "Still the placeholder emblem" in client.get("/admin/settings").get_data(as_text=True)


@pytest.mark.db
def test_an_uploaded_emblem_is_resized_served_audited_and_named(app, client, admin):
    response = upload(client, image_bytes())
    assert response.status_code == 302
    stored = settings.emblem()
    assert stored
    served = client.get("/documents/emblem")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(served.data)) as picture:
        assert max(picture.size) == 400
    [event] = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "setting.change")).all()
    assert settings.EMBLEM_KEY in event.detail and "sha256" in event.detail
    # A row names the file: the upload folder's check neither misses it nor calls it stray.
    assert stored not in reconcile().unnamed

    # A second upload replaces the first, whose file goes.
    assert upload(client, image_bytes((300, 300), "JPEG"), "lambang.jpg").status_code == 302
    assert settings.emblem() != stored
    assert client.get("/documents/emblem").status_code == 200
    assert reconcile().unnamed == [] and reconcile().missing == []


def test_a_file_that_is_no_image_is_refused_and_nothing_changes(client, admin):
    response = upload(client, b"bukan gambar", "lambang.png")
    assert response.status_code == 422
    assert settings.emblem() is None
    broken = upload(client, PNG, "lambang.png")  # a PNG header, no pixels
    assert broken.status_code == 422
    assert settings.emblem() is None
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(
        AuditEvent.action == "setting.change")) == 0


def test_only_an_administrator_uploads_the_emblem(client, auth, make_user):
    reviewer = make_user("analis@bakeuda.example", role="reviewer", org="Bakeuda")
    auth.login(reviewer.email)
    assert upload(client, image_bytes()).status_code == 403
    assert settings.emblem() is None
