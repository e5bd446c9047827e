"""A request made through the API has no files: the agency attaches them on its page."""
import io
import os
from datetime import timedelta

import pytest
from support import EXE, PDF, PNG, TODAY

from billboard import booking
from billboard.booking import ItemInput
from billboard.extensions import db
from billboard.models import AuditEvent, Category


@pytest.fixture
def bare_request(kpu):
    """As the API makes it: items, no letter, no artwork."""
    start = TODAY + timedelta(days=10)
    made = booking.submit_request(
        kpu, purpose="Sosialisasi DPT", category=Category.VOTER_EDUCATION, letter_number="7/KPU",
        letter_date=TODAY,
        items=[ItemInput("PGK-01", "A", start, start + timedelta(days=5))])
    db.session.commit()
    return made


def uploaded(app):
    folder = app.config["UPLOAD_FOLDER"]
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def test_agency_attaches_letter_and_artwork(app, client, logged_in, bare_request):
    page = client.get(f"/requests/{bare_request.id}").get_data(as_text=True)
    assert "Attach or replace the letter and artwork" in page
    response = client.post(f"/requests/{bare_request.id}/files", data={
        "letter": (io.BytesIO(PDF), "surat.pdf"), "artwork": (io.BytesIO(PNG), "desain.png")})
    assert response.status_code == 302
    db.session.refresh(bare_request)
    assert client.get(f"/requests/{bare_request.id}/files/letter").data == PDF
    assert client.get(f"/requests/{bare_request.id}/files/artwork").data == PNG
    assert len(uploaded(app)) == 2
    assert {e.action for e in db.session.scalars(db.select(AuditEvent))} >= {
        "request.letter_file", "request.artwork_file"}
    history = client.get(f"/requests/{bare_request.id}").get_data(as_text=True)
    assert "Letter attached" in history and "Artwork attached" in history


def test_replacing_the_artwork_keeps_the_old_file(app, client, logged_in, bare_request):
    for content in (PNG, PNG + b"v2"):
        client.post(f"/requests/{bare_request.id}/files",
                    data={"artwork": (io.BytesIO(content), "desain.png")})
    assert len(uploaded(app)) == 2
    assert client.get(f"/requests/{bare_request.id}/files/artwork").data == PNG + b"v2"


@pytest.mark.parametrize("data, message", [
    ({}, "Choose a letter, an artwork or both."),
    ({"letter": (EXE, "surat.pdf")}, "judged by its content"),
])
def test_bad_files_are_refused_and_nothing_is_stored(app, client, logged_in, bare_request,
                                                     data, message):
    data = {key: (io.BytesIO(value[0]), value[1]) for key, value in data.items()}
    response = client.post(f"/requests/{bare_request.id}/files", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.refresh(bare_request)
    assert bare_request.letter_file is None and uploaded(app) == []


def test_files_are_fixed_once_every_item_is_decided(app, client, logged_in, bare_request,
                                                    reviewer):
    booking.reject(bare_request.bookings[0].id, reviewer, reason="Tidak sesuai")
    db.session.commit()
    assert "Attach or replace" not in client.get(f"/requests/{bare_request.id}").get_data(
        as_text=True)
    response = client.post(f"/requests/{bare_request.id}/files",
                           data={"letter": (io.BytesIO(PDF), "surat.pdf")})
    assert response.status_code == 409
    assert "only while items wait for a decision" in response.get_data(as_text=True)
    assert uploaded(app) == []


def test_another_agency_cannot_attach(app, client, auth, bawaslu, bare_request):
    auth.login(bawaslu.email)
    response = client.post(f"/requests/{bare_request.id}/files",
                           data={"letter": (io.BytesIO(PDF), "surat.pdf")})
    assert response.status_code == 404
    assert uploaded(app) == []
