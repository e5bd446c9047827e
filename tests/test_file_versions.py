"""Every uploaded file of a request is a version kept for good (DESIGN §3 "Files are frozen")."""
import hashlib
import io
import os

import pytest
from flask_migrate import downgrade, upgrade
from support import MIGRATIONS, PDF, PNG, count
from test_attach_files import bare_request, uploaded  # noqa: F401 (a fixture)

from billboard.extensions import db
from billboard.models import AuditEvent, FileKind, FileVersion


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
    assert uploaded(app) == sorted(v.stored_name for v in kept)
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


# --- Frozen at approval, every version listed and downloadable ---------------------------------

@pytest.fixture
def two_items(kpu):
    """A request of two pending items, made without files (as through the API)."""
    from test_agency import day, submitted

    return submitted(kpu, ("PGK-01", "A", day(10), day(20)), ("PGK-02", "A", day(10), day(20)))


@pytest.mark.db
def test_files_are_frozen_once_an_item_is_approved(app, client, auth, kpu, reviewer,
                                                   two_items):
    from test_agency import approve, text_of

    auth.login(kpu.email)
    client.get("/language/en")
    attach(client, two_items, letter=(PDF, "surat.pdf"), artwork=(PNG, "desain.png"))
    approve(two_items.bookings[0], reviewer)
    before = [(v.id, v.sha256) for v in versions_of(two_items)]
    files_before = uploaded(app)

    page = client.get(f"/requests/{two_items.id}")
    assert "Attach or replace the letter and artwork" not in text_of(page)
    assert "can no longer be replaced" in text_of(page)
    response = attach(client, two_items, artwork=(PNG + b"v2", "desain-baru.png"))
    assert response.status_code == 409
    assert "send a new request" in text_of(response)
    db.session.expire_all()
    assert [(v.id, v.sha256) for v in versions_of(two_items)] == before
    assert uploaded(app) == files_before
    assert client.get(f"/requests/{two_items.id}/files/artwork").data == PNG


@pytest.mark.db
def test_files_stay_frozen_after_the_approved_item_is_withdrawn(client, auth, kpu, reviewer,
                                                                two_items):
    from test_agency import approve

    from billboard import booking

    auth.login(kpu.email)
    client.get("/language/en")
    attach(client, two_items, artwork=(PNG, "desain.png"))
    approve(two_items.bookings[0], reviewer)
    booking.withdraw_item(two_items.bookings[0].id, kpu)
    db.session.commit()
    # The other item still waits, but the artwork the approval saw stays the one on record.
    response = attach(client, two_items, artwork=(PNG + b"v2", "desain-baru.png"))
    assert response.status_code == 409
    assert client.get(f"/requests/{two_items.id}/files/artwork").data == PNG


@pytest.mark.db
def test_every_version_is_listed_and_downloadable_on_both_pages(client, auth, kpu, reviewer,
                                                                two_items):
    auth.login(kpu.email)
    first, second = PDF, PDF + b"% revised\n"
    attach(client, two_items, letter=(first, "surat.pdf"))
    attach(client, two_items, letter=(second, "surat-revisi.pdf"))
    kept = versions_of(two_items)

    for page_url in (f"/requests/{two_items.id}", f"/review/requests/{two_items.id}"):
        if page_url.startswith("/review"):
            client.post("/logout")
            auth.login(reviewer.email)
        page = client.get(page_url).get_data(as_text=True)
        for version in kept:
            assert f"/requests/{two_items.id}/files/versions/{version.id}" in page
            assert version.sha256[:12] in page and version.original_filename in page
        downloads = [client.get(f"/requests/{two_items.id}/files/versions/{v.id}").data
                     for v in kept]
        assert downloads == [first, second]


@pytest.mark.db
def test_history_says_which_files_each_decision_saw(client, auth, kpu, reviewer, two_items):
    from billboard import booking

    auth.login(kpu.email)
    first, second = PDF, PDF + b"% revised\n"
    attach(client, two_items, letter=(first, "surat.pdf"))
    booking.reject(two_items.bookings[0].id, reviewer, reason="Tidak sesuai")
    db.session.commit()
    attach(client, two_items, letter=(second, "surat-revisi.pdf"))
    from test_agency import approve

    approve(two_items.bookings[1], reviewer)
    page = client.get(f"/requests/{two_items.id}").get_data(as_text=True)
    history = page[page.index("<h2>History</h2>") if "<h2>History</h2>" in page
                   else page.index("<h2>Riwayat</h2>"):]
    rows = history.split("<tr>")
    [rejected] = [row for row in rows if "Tidak sesuai" in row]
    [approved] = [row for row in rows if "Disetujui" in row or "Approved" in row]
    assert sha(first)[:12] in rejected and sha(second)[:12] not in rejected
    assert sha(second)[:12] in approved and sha(first)[:12] not in approved


@pytest.mark.db
def test_another_organisation_gets_404_for_a_version(client, auth, kpu, bawaslu, two_items):
    from test_agency import day, submitted

    auth.login(kpu.email)
    attach(client, two_items, letter=(PDF, "surat.pdf"))
    [version] = versions_of(two_items)
    url = f"/requests/{two_items.id}/files/versions/{version.id}"
    assert client.get(url).status_code == 200
    # The version of one request is not found under another of the same organisation.
    other = submitted(kpu, ("PGK-03", "A", day(10), day(20)))
    assert client.get(f"/requests/{other.id}/files/versions/{version.id}").status_code == 404
    client.post("/logout")
    auth.login(bawaslu.email)
    assert client.get(url).status_code == 404


# --- The API ----------------------------------------------------------------------------------

def api_attach(api_as, user, request, **files):  # noqa: F811
    return api_as(user).post(f"/requests/{request.id}/files", json=None, data={
        field: (io.BytesIO(data), name) for field, (data, name) in files.items()})


@pytest.mark.db
def test_the_api_keeps_versions_and_refuses_after_approval(app, api_as, kpu, reviewer,  # noqa: F811
                                                           two_items):
    from test_agency import approve

    response = api_attach(api_as, kpu, two_items, letter=(PDF, "surat.pdf"))
    assert response.status_code == 200
    [letter] = response.json["files"]
    assert (letter["kind"], letter["sha256"], letter["filename"]) == (
        "letter", sha(PDF), "surat.pdf")

    approve(two_items.bookings[0], reviewer)
    files_before = uploaded(app)
    response = api_attach(api_as, kpu, two_items, artwork=(PNG, "desain.png"))
    assert response.status_code == 409
    assert response.json["error"]["code"] == "wrong_state"
    assert "send a new request" in response.json["error"]["message"]
    assert [v.sha256 for v in versions_of(two_items)] == [sha(PDF)]
    assert uploaded(app) == files_before


def test_the_api_refuses_a_bad_file_or_none(app, api_as, kpu, bawaslu, two_items):  # noqa: F811
    from support import EXE

    assert api_attach(api_as, kpu, two_items).status_code == 422
    assert api_attach(api_as, kpu, two_items, letter=(EXE, "surat.pdf")).status_code == 422
    assert api_attach(api_as, bawaslu, two_items, letter=(PDF, "surat.pdf")).status_code == 404
    assert versions_of(two_items) == [] and uploaded(app) == []


# --- Files survive a refused submission --------------------------------------------------------

def kept_tokens(response) -> dict[str, str]:
    import re

    page = response.get_data(as_text=True)
    return {field: re.search(rf'name="{field}_kept"[^>]*value="([^"]*)"', page).group(1)
            for field in ("letter", "artwork")}


@pytest.mark.db
def test_a_refused_submission_keeps_the_chosen_files_for_the_next(app, client, auth, kpu):
    from test_agency import day, request_form, text_of

    auth.login(kpu.email)
    client.get("/language/en")
    # Inside the lead time: refused by the booking rules.
    refused = client.post("/requests/new", data=request_form(start=day(1).isoformat()))
    assert refused.status_code == 422
    assert "surat.pdf kept" in text_of(refused) and "desain.png kept" in text_of(refused)
    tokens = kept_tokens(refused)
    assert all(tokens.values())
    # Kept staged, named by nothing yet.
    assert count(FileVersion) == 0
    assert all(name.startswith(".staged-") for name in uploaded(app)) and len(uploaded(app)) == 2

    # Sent again with the dates corrected and no file chosen: the kept files are used.
    again = request_form(letter=None, artwork=None, letter_kept=tokens["letter"],
                         artwork_kept=tokens["artwork"])
    assert client.post("/requests/new", data=again).status_code == 302
    [letter, artwork] = db.session.scalars(db.select(FileVersion).order_by(FileVersion.id))
    assert (letter.original_filename, letter.sha256) == ("surat.pdf", sha(PDF))
    assert (artwork.original_filename, artwork.sha256) == ("desain.png", sha(PNG))
    assert uploaded(app) == sorted([letter.stored_name, artwork.stored_name])
    assert client.get(f"/requests/{letter.request_id}/files/letter").data == PDF


def test_a_form_refused_by_its_fields_keeps_the_files_too(client, auth, kpu):
    from test_agency import request_form, text_of

    auth.login(kpu.email)
    client.get("/language/en")
    refused = client.post("/requests/new", data=request_form(purpose=""))
    assert refused.status_code == 422
    assert "surat.pdf kept" in text_of(refused)
    assert all(kept_tokens(refused).values())


def test_a_forged_or_swept_token_asks_for_the_file_again(app, client, auth, kpu):
    from test_agency import day, request_form, text_of

    from billboard.ops.files import reconcile

    auth.login(kpu.email)
    client.get("/language/en")
    tokens = kept_tokens(client.post("/requests/new",
                                     data=request_form(start=day(1).isoformat())))
    forged = request_form(letter=None, artwork=None, letter_kept=tokens["letter"] + "x",
                          artwork_kept=tokens["artwork"])
    response = client.post("/requests/new", data=forged)
    assert response.status_code == 422
    assert "Attach the signed letter as a PDF." in text_of(response)
    # Never sent again: the staged-file sweep removes the kept files (SQLite: at once).
    reconcile()
    assert uploaded(app) == []
    lost = request_form(letter=None, artwork=None, letter_kept=tokens["letter"],
                        artwork_kept=tokens["artwork"])
    response = client.post("/requests/new", data=lost)
    assert response.status_code == 422
    assert "Attach the artwork that will be displayed." in text_of(response)
    assert count(FileVersion) == 0


# --- Signed scans uploaded back by Bakeuda (DESIGN §6a) ------------------------------------------

def upload_scan(client, request, kind, data=PDF, name="pindaian.pdf", item=""):
    return client.post(f"/review/requests/{request.id}/scans", data={
        "kind": kind, "item": str(item), "scan": (io.BytesIO(data), name)})


@pytest.mark.db
def test_bakeuda_uploads_signed_scans_kept_for_the_agency_and_itself(
        app, client, auth, kpu, bawaslu, reviewer, two_items):
    from support import JPEG
    from test_agency import approve, day

    from billboard import booking

    item = two_items.bookings[0]
    auth.login(reviewer.email)
    client.get("/language/en")
    # Nothing approved yet: no signed letter to upload.
    assert upload_scan(client, two_items, "signed_letter").status_code == 409
    approve(item, reviewer)
    assert upload_scan(client, two_items, "signed_letter").status_code == 303
    assert upload_scan(client, two_items, "signed_agreement", JPEG, "perjanjian.jpg"
                       ).status_code == 303
    # A BAST's scan follows the BAST itself.
    assert upload_scan(client, two_items, "signed_bast_handover", item=item.id
                       ).status_code == 409
    booking.record_handover(item.id, reviewer, number="BAST/01/2026", on=day(0),
                            condition="Baik")
    db.session.commit()
    assert upload_scan(client, two_items, "signed_bast_handover", PNG, "bast.png",
                       item=item.id).status_code == 303

    scans = versions_of(two_items)
    assert [(v.kind, v.booking_id, v.sha256) for v in scans] == [
        (FileKind.SIGNED_LETTER, None, sha(PDF)), (FileKind.SIGNED_AGREEMENT, None, sha(JPEG)),
        (FileKind.SIGNED_BAST_HANDOVER, item.id, sha(PNG))]
    assert {e.detail.split("sha256 ")[1] for e in db.session.scalars(db.select(AuditEvent)
            .where(AuditEvent.action.like("request.signed_%")))} == {sha(PDF), sha(JPEG),
                                                                       sha(PNG)}
    urls = [f"/requests/{two_items.id}/files/versions/{v.id}" for v in scans]
    page = client.get(f"/review/requests/{two_items.id}").get_data(as_text=True)
    assert all(url in page for url in urls) and "Signed handover BAST" in page
    assert [client.get(url).data for url in urls] == [PDF, JPEG, PNG]

    client.post("/logout")
    auth.login(kpu.email)
    client.get("/language/en")
    page = client.get(f"/requests/{two_items.id}").get_data(as_text=True)
    assert all(url in page for url in urls) and "Signed approval letter" in page
    assert [client.get(url).data for url in urls] == [PDF, JPEG, PNG]
    # The agency cannot upload one; another organisation never sees them.
    assert upload_scan(client, two_items, "signed_letter").status_code == 403
    client.post("/logout")
    auth.login(bawaslu.email)
    assert all(client.get(url).status_code == 404 for url in urls)


def test_a_bad_scan_is_refused_and_nothing_is_kept(app, client, auth, reviewer, two_items):
    from support import EXE
    from test_agency import approve

    approve(two_items.bookings[0], reviewer)
    auth.login(reviewer.email)
    client.get("/language/en")
    response = upload_scan(client, two_items, "signed_letter", EXE, "surat.pdf")
    assert response.status_code == 422
    assert "judged by its content" in response.get_data(as_text=True)
    response = upload_scan(client, two_items, "letter")
    assert response.status_code == 422
    assert "Choose what the scan is" in response.get_data(as_text=True)
    assert versions_of(two_items) == [] and uploaded(app) == []
