"""The agency pages as people use them: the request form, a request, its files, the letter."""
import html
import io
import os
import re

import pytest
from support import (
    EXE,
    JPEG,
    PASSWORD,
    PDF,
    PNG,
    TODAY,
    approval,
    csrf_token_in,
    day,
    png_declaring,
)

from billboard import booking, uploads
from billboard.booking import ItemInput
from billboard.extensions import db
from billboard.i18n import long_date
from billboard.models import (
    AuditEvent,
    Blackout,
    Booking,
    BookingKind,
    BookingStatus,
    Face,
    Request,
    Site,
    SiteStatus,
)


def text_of(response) -> str:
    """The page as a person reads it: entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


def request_form(**overrides) -> dict:
    """A complete, valid request for PGK-01/A in ten days; fresh file objects every call.

    Parametrized cases give uploads as ``(bytes, name)``: one case runs once per database.
    """
    data = {
        "purpose": "Sosialisasi tahapan Pilkada",
        "category": "voter_education",
        "letter_number": "001/PL.01/KPU/2026",
        "letter_date": day(0).isoformat(),
        "letter": (io.BytesIO(PDF), "surat.pdf"),
        "artwork": (io.BytesIO(PNG), "desain.png"),
        "start": day(10).isoformat(),
        "end": day(23).isoformat(),
        "faces": ["PGK-01/A"],
    }
    data.update(overrides)
    # Uploads given as (bytes, name) get a fresh stream: the client closes what it sends.
    return {key: (io.BytesIO(value[0]), value[1])
            if isinstance(value, tuple) and isinstance(value[0], bytes) else value
            for key, value in data.items() if value is not None}


def stored_files(app, *, staged=False) -> list[str]:
    """The files stored under their names; with ``staged``, those waiting staged too (a
    refused form's files wait so, kept for its next submission)."""
    folder = app.config["UPLOAD_FOLDER"]
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    return names if staged else [n for n in names if not n.startswith(uploads.STAGED_PREFIX)]


def counts() -> tuple[int, int, int]:
    return (db.session.scalar(db.select(db.func.count(Request.id))),
            db.session.scalar(db.select(db.func.count(Booking.id))),
            db.session.scalar(db.select(db.func.count(AuditEvent.id))))


def submitted(user, *items, today=None, **fields) -> Request:
    """A request made through the service (for pages that show an existing one)."""
    today = today or TODAY
    found = booking.submit_request(
        user, purpose=fields.get("purpose", "Sosialisasi tahapan Pilkada"),
        category=fields.get("category", "voter_education"), letter_number="002/KPU/2026",
        letter_date=today, items=[ItemInput(*item) for item in items], today=today)
    db.session.commit()
    return found


def approve(item: Booking, reviewer, **fields) -> Booking:
    """Approve with fresh numbers, or those given (the register's numbers are unique)."""
    numbers = {**approval(), **fields}
    result = booking.approve(item.id, reviewer, **numbers)
    db.session.commit()
    return result


# --- The list and the form ----------------------------------------------------------------------

def test_landing_page_is_indonesian_by_default(client, auth, kpu):
    auth.login(kpu.email)
    text = text_of(client.get("/requests"))
    assert "Permohonan baru" in text
    assert "belum mengirim permohonan" in text


def test_list_shows_only_own_requests_with_status(client, logged_in, make_user):
    own = submitted(logged_in, ("PGK-01", "A", day(10), day(20)))
    other = submitted(make_user("staf@bawaslu.example", org="Bawaslu Kota Pangkalpinang"),
                      ("PGK-02", "A", day(10), day(20)), purpose="Pengawasan partisipatif")
    text = text_of(client.get("/requests"))
    assert own.reference in text and "Sosialisasi tahapan Pilkada" in text
    assert "Voter education" in text and "Submitted" in text
    assert other.reference not in text and "Pengawasan partisipatif" not in text


def test_form_offers_every_face_of_active_sites_only(client, logged_in):
    site = db.session.scalar(db.select(Site).where(Site.code == "PGK-10"))
    site.status = SiteStatus.MAINTENANCE
    db.session.commit()
    response = client.get("/requests/new")
    assert response.status_code == 200
    values = re.findall(r'name="faces" value="([^"]+)"', response.get_data(as_text=True))
    faces = db.session.execute(db.select(Site.code, Face.label).join(Face.site)
                               .where(Site.status == SiteStatus.ACTIVE)).all()
    assert sorted(values) == sorted(f"{code}/{label}" for code, label in faces)
    assert not any(value.startswith("PGK-10/") for value in values)
    text = response.get_data(as_text=True)
    assert '<meta name="csrf-token"' in text and "request_form.js" in text
    assert 'value="commercial"' not in text


@pytest.mark.db
def test_submit_three_sites_with_files(app, client, logged_in):
    response = client.post("/requests/new", data=request_form(
        faces=["PGK-01/A", "PGK-02/B", "PGK-03/A"]))
    assert response.status_code == 302
    created = db.session.scalar(db.select(Request))
    assert response.headers["Location"] == f"/requests/{created.id}"
    assert sorted((b.face.site.code, b.face.label, b.status) for b in created.bookings) == [
        ("PGK-01", "A", BookingStatus.SUBMITTED), ("PGK-02", "B", BookingStatus.SUBMITTED),
        ("PGK-03", "A", BookingStatus.SUBMITTED)]
    assert {(b.start_on, b.end_on) for b in created.bookings} == {(day(10), day(23))}
    assert created.letter_file.endswith(".pdf") and created.artwork_file.endswith(".png")
    assert stored_files(app) == sorted([created.letter_file, created.artwork_file])
    with open(os.path.join(app.config["UPLOAD_FOLDER"], created.letter_file), "rb") as stored:
        assert stored.read() == PDF

    text = text_of(client.get(response.headers["Location"]))
    assert created.reference in text and "was sent to Bakeuda" in text
    for code in ("PGK-01/A", "PGK-02/B", "PGK-03/A"):
        assert code in text
    # One audit row per item, shown in the history.
    assert text.count("Submitted") >= 4


@pytest.mark.parametrize(("content", "filename", "extension"), [
    (PNG, "desain.PNG", ".png"), (JPEG, "desain.jpg", ".jpg"), (PDF, "desain.pdf", ".pdf"),
    (JPEG, "desain.pdf", ".jpg"),
])
def test_artwork_may_be_jpeg_png_or_pdf(app, client, logged_in, content, filename, extension):
    response = client.post("/requests/new",
                           data=request_form(artwork=(io.BytesIO(content), filename)))
    assert response.status_code == 302
    created = db.session.scalar(db.select(Request))
    assert created.artwork_file.endswith(extension) and created.artwork_file in stored_files(app)


def test_submit_all_ten_sites_at_once(client, logged_in):
    values = [f"{code}/{label}" for code, label in db.session.execute(
        db.select(Site.code, Face.label).join(Face.site).where(Site.status == SiteStatus.ACTIVE))]
    response = client.post("/requests/new", data=request_form(faces=values))
    assert response.status_code == 302
    created = db.session.scalar(db.select(Request))
    assert len(created.bookings) == len(values)
    assert len({b.face.site.code for b in created.bookings}) == 10


def test_extra_rows_carry_their_own_dates(client, logged_in):
    response = client.post("/requests/new", data=request_form(**{
        "rows-0-face": "PGK-04/A", "rows-0-start": day(30).isoformat(),
        "rows-0-end": day(40).isoformat(),
        "rows-1-face": "", "rows-1-start": "", "rows-1-end": "",
    }))
    assert response.status_code == 302
    created = db.session.scalar(db.select(Request))
    assert sorted((b.face.site.code, b.start_on, b.end_on) for b in created.bookings) == [
        ("PGK-01", day(10), day(23)), ("PGK-04", day(30), day(40))]


def blackout_on_pgk01(request=None):
    site = db.session.scalar(db.select(Site).where(Site.code == "PGK-01"))
    db.session.add(Blackout(name="Perbaikan jalan", site=site, start_on=day(15), end_on=day(16)))
    db.session.commit()


def approved_use_on_pgk01(request):
    make_user, reviewer = request.getfixturevalue("make_user"), request.getfixturevalue("reviewer")
    bawaslu = make_user("staf@bawaslu.example", org="Bawaslu Kota Pangkalpinang")
    other = submitted(bawaslu, ("PGK-01", "A", day(20), day(30)))
    approve(other.bookings[0], reviewer)


REFUSALS = {
    "reversed dates": ({"start": day(20).isoformat(), "end": day(10).isoformat()},
                       "the end date is before the start date"),
    "impossible date": ({"start": "2026-02-30"}, "Write the date like 27 November 2024"),
    "past dates": ({"start": day(-10).isoformat(), "end": day(-5).isoformat()},
                   "the start must be on or after"),
    "inside lead time": ({"start": day(1).isoformat()}, "days' notice"),
    "too long": ({"end": day(10 + 90).isoformat()}, "one item may last at most 90 days"),
    "beyond the horizon": ({"start": day(400).isoformat(), "end": day(410).isoformat()},
                           "bookings can be made until"),
    "unknown site": ({"faces": ["PGK-99/A"]}, "PGK-99/A"),
    "unknown site in a row": ({"faces": None, "rows-0-face": "PGK-99/A",
                               "rows-0-start": day(10).isoformat(),
                               "rows-0-end": day(12).isoformat()}, "no such site or face"),
    "unknown face": ({"faces": ["PGK-03/B"]}, "no such site or face"),
    "commercial category": ({"category": "commercial"}, "Commercial use is not requested here"),
    "unknown category": ({"category": "iklan"}, "Unknown category"),
    "campaign outside campaign period": ({"category": "facilitated_campaign"},
                                         "names the election whose campaign"),
    "letter from the future": ({"letter_date": day(2).isoformat()},
                               "The letter date must be a date not in the future"),
    "no purpose": ({"purpose": ""}, "This field is required"),
    "no items": ({"faces": None}, "Add at least one site, face and date range"),
    "ticked faces without dates": ({"start": None, "end": None},
                                   "Choose the dates for the ticked faces"),
    "incomplete row": ({"faces": None, "rows-0-face": "PGK-02/A"},
                       "Fill in site, face and both dates"),
    "same face twice": ({"rows-0-face": "PGK-01/A", "rows-0-start": day(20).isoformat(),
                         "rows-0-end": day(25).isoformat()},
                        "overlaps another item of this request"),
    "no letter": ({"letter": None}, "Attach the signed letter as a PDF"),
    "no artwork": ({"artwork": None}, "Attach the artwork"),
    "exe renamed pdf": ({"letter": (EXE, "surat.pdf")},
                        "judged by its content, not by its name"),
    "image as letter": ({"letter": (PNG, "surat.pdf")}, "The file must be PDF"),
    "exe renamed png artwork": ({"artwork": (EXE, "desain.png")},
                                "The file must be JPEG / PNG / PDF"),
    "empty file": ({"artwork": (b"", "desain.png")}, "The file is empty"),
    "blackout": (blackout_on_pgk01, "falls in the blackout “Perbaikan jalan”"),
    "clash with approved use": (approved_use_on_pgk01, "the face is already taken"),
}


@pytest.mark.db
@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_refusals_explain_and_write_nothing(request, app, client, logged_in, case):
    change, message = REFUSALS[case]
    if callable(change):
        change(request)
        change = {}
    before = counts()
    response = client.post("/requests/new", data=request_form(**change))
    assert response.status_code in (400, 409, 422)
    text = text_of(response)
    assert message in text
    assert "The request was not sent" in text
    assert counts() == before
    assert stored_files(app) == []


def test_refused_form_keeps_what_was_typed(client, logged_in):
    response = client.post("/requests/new", data=request_form(
        faces=["PGK-02/A", "PGK-06/B"], start=day(1).isoformat(), purpose="Sosialisasi DPT"))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Sosialisasi DPT" in body
    assert re.search(r'value="PGK-02/A"\s+checked', body)
    assert re.search(r'value="PGK-06/B"\s+checked', body)
    assert not re.search(r'value="PGK-01/A"\s+checked', body)
    # The chosen files are kept for the next submission, not asked for again.
    assert "surat.pdf kept" in text_of(response) and "desain.png kept" in text_of(response)
    assert "please choose both files again" not in text_of(response)


def test_private_organisation_cannot_borrow(app, client, auth, make_user):
    company = make_user("staf@maju.example", org="PT Maju Jaya", org_kind="private")
    auth.login(company.email)
    client.get("/language/en")
    response = client.post("/requests/new", data=request_form())
    assert response.status_code == 422
    assert "Pinjam pakai is only for government organisations" in text_of(response)
    assert counts()[0] == 0 and stored_files(app) == []


@pytest.mark.parametrize("role", ["reviewer", "admin"])
def test_other_roles_cannot_request(app, client, auth, make_user, role):
    user = make_user(f"{role}@bakeuda.example", role=role, org="Bakeuda")
    auth.login(user.email)
    assert client.get("/requests/new").status_code == 403
    assert client.post("/requests/new", data=request_form()).status_code == 403
    assert counts()[0] == 0 and stored_files(app) == []


def test_anonymous_is_sent_to_login(client):
    response = client.get("/requests/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("app_config", [{"MAX_UPLOAD_BYTES": 2048}])
def test_oversized_upload_is_refused(app, client, logged_in):
    big_pdf = PDF + b"0" * 2048
    response = client.post("/requests/new",
                           data=request_form(letter=(io.BytesIO(big_pdf), "surat.pdf")))
    assert response.status_code == 422
    assert "The file is larger than 2 KB" in text_of(response)
    assert counts()[0] == 0 and stored_files(app) == []


def test_failed_commit_leaves_no_file(app, client, logged_in, monkeypatch):
    def broken_commit():
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        client.post("/requests/new", data=request_form())
    monkeypatch.undo()
    db.session.rollback()
    assert stored_files(app, staged=True) == []
    assert counts()[0] == 0


def csrf_login(client, user) -> None:
    """Log in when CSRF protection is on: the token comes from the login page."""
    body = client.get("/login").get_data(as_text=True)
    token = csrf_token_in(body)
    assert client.post("/login", data={"email": user.email, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_request_form_needs_its_csrf_token(app, client, kpu):
    csrf_login(client, kpu)
    refused = client.post("/requests/new", data=request_form())
    assert refused.status_code == 400
    assert counts()[0] == 0 and stored_files(app, staged=True) == []
    body = client.get("/requests/new").get_data(as_text=True)
    token = csrf_token_in(body)
    assert client.post("/requests/new",
                       data=request_form(csrf_token=token)).status_code == 302
    assert counts()[0] == 1


# --- Live check -----------------------------------------------------------------------------------

def check(client, *items, category="voter_education", **kwargs):
    return client.post("/requests/check", json={"category": category, "items": [
        {"site": site, "face": face, "start": start.isoformat(), "end": end.isoformat()}
        for site, face, start, end in items]}, **kwargs)


def test_live_check_reports_clashes_blackouts_and_pending(request, client, logged_in):
    approved_use_on_pgk01(request)
    blackout_on_pgk01()
    submitted(logged_in, ("PGK-02", "A", day(10), day(20)))
    response = check(client, ("PGK-01", "A", day(25), day(28)), ("PGK-01", "B", day(14), day(18)),
                     ("PGK-02", "A", day(15), day(16)), ("PGK-03", "A", day(10), day(12)))
    assert response.status_code == 200
    clash, blackout, pending, free = response.get_json()["items"]
    assert not clash["ok"] and "already taken" in clash["problems"][0]
    assert clash["conflicts"] == {"approved": [{
        "start": day(20).isoformat(), "end": day(30).isoformat(), "kind": "non_commercial",
        "organization": "Bawaslu Kota Pangkalpinang", "purpose": "Sosialisasi tahapan Pilkada"}],
        "pending_elsewhere": 0}
    assert not blackout["ok"] and "Perbaikan jalan" in blackout["problems"][0]
    assert pending["ok"] and pending["conflicts"] == {"approved": [], "pending_elsewhere": 1}
    assert free == {"site": "PGK-03", "face": "A", "start": day(10).isoformat(),
                    "end": day(12).isoformat(), "ok": True, "taken": False, "problems": [],
                    "conflicts": {"approved": [], "pending_elsewhere": 0},
                    "line": f"PGK-03/A {span(10, 12)}: free, no blackout.",
                    "suggestions": None,
                    "period": f"{day(10):%-d %B %Y} to {day(12):%-d %B %Y}"}
    assert counts()[0] == 2


def span(first: int, last: int) -> str:
    return f"{long_date(day(first))} – {long_date(day(last))}"


def test_live_check_says_one_line_per_item_in_indonesian(request, client, logged_in, reviewer):
    approved_use_on_pgk01(request)
    face = db.session.scalar(db.select(Face).join(Site).where(Site.code == "PGK-02",
                                                               Face.label == "A"))
    booking.add_occupancy(reviewer, face, day(12), day(14), kind=BookingKind.MAINTENANCE,
                          reason="Ganti rangka")
    db.session.commit()
    client.get("/language/id")
    taken, closed = check(client, ("PGK-01", "A", day(25), day(28)),
                          ("PGK-02", "A", day(10), day(20))).get_json()["items"]
    assert taken["line"].startswith(f"PGK-01/A {span(25, 28)}: sisi ini sudah terpakai "
                                    f"{span(20, 30)}. Dipakai oleh Bawaslu Kota Pangkalpinang: "
                                    "Sosialisasi tahapan Pilkada.")
    assert closed["line"].startswith(
        f"PGK-02/A {span(10, 20)}: sisi ini ditutup untuk pemeliharaan {span(12, 14)}.")
    assert (taken["taken"], closed["taken"]) == (True, True)


def test_live_check_says_a_reason_every_item_shares_once(client, logged_in):
    faces = [("PGK-01", "A"), ("PGK-02", "A"), ("PGK-03", "A"), ("PGK-04", "B")]
    data = check(client, *[(site, face, day(1), day(5)) for site, face in faces]).get_json()
    [shared] = data["problems"]
    assert shared.startswith("Every item: the start must be on or after")
    lines = [i["line"] for i in data["items"]]
    assert all("days' notice" not in line for line in lines)
    assert all(line.endswith("refused for the reason above, like every item.") for line in lines)


def test_live_check_suggests_a_later_window_and_other_faces(request, client, logged_in):
    approved_use_on_pgk01(request)
    [taken] = check(client, ("PGK-01", "A", day(25), day(28))).get_json()["items"]
    # Taken from day 20 to day 30: the first 4 free days after the wished start are 31–34.
    assert taken["suggestions"] == {
        "later": {"start": day(31).isoformat(), "end": day(34).isoformat()},
        "faces": ["PGK-01/B", "PGK-02/A", "PGK-02/B", "PGK-03/A", "PGK-04/A"]}
    assert f"Instead: this face is free {span(31, 34)}." in taken["line"]
    assert "Free for the same dates: PGK-01/B, PGK-02/A" in taken["line"]


def test_a_refused_form_says_what_is_free_instead(request, client, logged_in):
    approved_use_on_pgk01(request)
    response = client.post("/requests/new", data=request_form(
        faces=["PGK-01/A"], start=day(25).isoformat(), end=day(28).isoformat()))
    assert response.status_code == 422
    text = text_of(response)
    assert "the face is already taken" in text
    assert f"PGK-01/A {span(25, 28)}: Instead: this face is free {span(31, 34)}." in text


def test_send_the_rest_without_the_taken_faces(request, client, logged_in):
    approved_use_on_pgk01(request)
    assert "Send without the taken faces" in text_of(client.get("/requests/new"))
    data = check(client, ("PGK-01", "A", day(25), day(28)),
                 ("PGK-02", "A", day(25), day(28))).get_json()
    assert [(i["taken"], i["ok"]) for i in data["items"]] == [(True, False), (False, True)]
    # What the button sends: the form without the taken face.
    response = client.post("/requests/new", data=request_form(
        faces=["PGK-02/A"], start=day(25).isoformat(), end=day(28).isoformat()))
    assert response.status_code == 302
    sent = db.session.scalar(db.select(Request).order_by(Request.id.desc()))
    assert [(b.face.site.code, b.face.label) for b in sent.bookings] == [("PGK-02", "A")]


@pytest.mark.parametrize("payload", [
    None, {"category": "voter_education"}, {"category": "commercial", "items": []},
    {"category": "voter_education", "items": [{"site": "PGK-01", "face": "A",
                                               "start": "2026-02-30", "end": "2026-03-01"}]},
    {"category": "voter_education", "items": [{"site": "PGK-01"}]},
    {"category": ["voter_education"], "items": []},
    {"category": "voter_education", "items": ["PGK-01/A"]},
    {"category": "voter_education", "items": [{"site": "PGK-01", "face": "A", "start": 20261201,
                                               "end": None}]},
    # Refused by the API's reader too: the two read bodies alike.
    {"category": "voter_education", "items": [{"site": "PGK-01", "face": "A",
                                               "start": "20261201", "end": "20261202"}]},
    {"category": "voter_education", "items": [{"site": "PGK-01" * 10, "face": "A",
                                               "start": "2026-12-01", "end": "2026-12-02"}]},
])
def test_live_check_refuses_bad_input(client, logged_in, payload):
    response = client.post("/requests/check", json=payload)
    assert response.status_code == 400
    # The API's error for a body that cannot be read, every problem listed.
    error = response.get_json()["error"]
    assert error["code"] == "bad_request" and error["problems"]


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_live_check_takes_the_csrf_token_from_the_page(client, kpu):
    csrf_login(client, kpu)
    assert check(client, ("PGK-01", "A", day(10), day(12))).status_code == 400
    body = client.get("/requests/new").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', body).group(1)
    response = check(client, ("PGK-01", "A", day(10), day(12)), headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json()["items"][0]["ok"]


# --- One request: details, withdraw, files, photos, approval letter -----------------------------

@pytest.fixture
def posted(client, logged_in):
    """A request sent through the form, with its letter and artwork."""
    client.post("/requests/new", data=request_form(faces=["PGK-03/A", "PGK-04/A"]))
    return db.session.scalar(db.select(Request))


def test_detail_shows_items_files_and_history(client, posted, reviewer):
    approve(posted.bookings[0], reviewer, agreement_number="PKS/017/BAKEUDA/2026")
    booking.reject(posted.bookings[1].id, reviewer, reason="Sisi sedang dipakai Dinas Kominfo")
    db.session.commit()
    text = text_of(client.get(f"/requests/{posted.id}"))
    assert "Partly approved" in text
    assert "PKS/017/BAKEUDA/2026" in text and "Sisi sedang dipakai Dinas Kominfo" in text
    assert f"/requests/{posted.id}/files/letter" in text
    assert f"/requests/{posted.id}/files/artwork" in text
    # The approved item links to its decision's letter; the rejected one's letter stands apart.
    approved, rejected = posted.bookings
    assert f"/requests/{posted.id}/letter#decision-{approved.decision_id}" in text
    assert f"/requests/{posted.id}/letter#decision-{rejected.decision_id}" not in text
    assert "Submitted → Approved" in text and "Submitted → Rejected" in text
    assert "reviewer" in text  # who decided


@pytest.mark.db
def test_withdraw(client, posted):
    response = client.post(f"/requests/{posted.id}/withdraw", data={"confirmed": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert {b.status for b in posted.bookings} == {BookingStatus.WITHDRAWN}
    text = text_of(client.get(f"/requests/{posted.id}"))
    assert "2 items withdrawn." in text and "Submitted → Withdrawn" in text
    assert "Withdraw the request" not in text


def test_withdraw_after_the_start_is_refused(client, logged_in):
    started = submitted(logged_in, ("PGK-05", "A", day(-5), day(5)), today=day(-10))
    before = counts()
    assert "Withdraw the request" not in text_of(client.get(f"/requests/{started.id}"))
    response = client.post(f"/requests/{started.id}/withdraw", data={"confirmed": "1"})
    assert response.status_code == 409
    assert "Nothing left to withdraw" in text_of(response)
    assert counts() == before
    db.session.expire_all()
    assert started.bookings[0].status == BookingStatus.SUBMITTED


def test_withdraw_one_item_asks_first_then_leaves_the_others(client, posted, reviewer):
    first, second = posted.bookings
    approve(first, reviewer)
    url = f"/requests/{posted.id}/bookings/{first.id}/withdraw"
    assert url in text_of(client.get(f"/requests/{posted.id}"))
    before = counts()
    question = client.post(url)
    assert question.status_code == 200
    assert f"Withdraw PGK-03/A, {long_date(day(10))} – {long_date(day(23))}?" in text_of(question)
    assert counts() == before

    response = client.post(url, data={"confirmed": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (first.status, second.status) == (BookingStatus.WITHDRAWN, BookingStatus.SUBMITTED)
    text = text_of(client.get(f"/requests/{posted.id}"))
    assert "PGK-03/A withdrawn." in text and "Approved → Withdrawn" in text
    assert url not in text
    assert f"/requests/{posted.id}/bookings/{second.id}/withdraw" in text


def test_withdraw_one_item_after_its_start_is_refused(client, logged_in, make_user):
    started = submitted(logged_in, ("PGK-05", "A", day(-5), day(5)), today=day(-10))
    item = started.bookings[0]
    assert "Withdraw this item" not in text_of(client.get(f"/requests/{started.id}"))
    before = counts()
    response = client.post(f"/requests/{started.id}/bookings/{item.id}/withdraw",
                           data={"confirmed": "1"})
    assert response.status_code == 409
    assert "This item has started" in text_of(response)
    assert counts() == before


def test_files_for_owner_reviewer_and_admin(client, auth, posted, reviewer, make_user):
    letter = client.get(f"/requests/{posted.id}/files/letter")
    assert letter.status_code == 200 and letter.data == PDF
    assert letter.mimetype == "application/pdf"
    assert letter.headers["Content-Disposition"].startswith("attachment")
    assert f"{posted.reference}-letter.pdf" in letter.headers["Content-Disposition"]
    assert letter.headers["X-Content-Type-Options"] == "nosniff"
    artwork = client.get(f"/requests/{posted.id}/files/artwork")
    assert artwork.mimetype == "image/png" and artwork.data == PNG
    assert artwork.headers["Content-Disposition"].startswith("inline")
    assert client.get(f"/requests/{posted.id}/files/photo").status_code == 404

    auth.login_as(reviewer)
    assert client.get(f"/requests/{posted.id}/files/letter").status_code == 200
    auth.login_as(make_user("admin@bakeuda.example", role="admin", org="Bakeuda"))
    assert client.get(f"/requests/{posted.id}/files/artwork").status_code == 200
    client.post("/logout")
    response = client.get(f"/requests/{posted.id}/files/letter")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_another_agency_gets_404_everywhere(client, auth, posted, reviewer, make_user):
    item = posted.bookings[0]
    approve(item, reviewer)
    item.installed_photo, item.installed_on = posted.artwork_file, day(0)
    db.session.commit()
    base = f"/requests/{posted.id}"
    gets = [base, f"{base}/files/letter", f"{base}/files/artwork",
            f"{base}/letter", f"{base}/agreement", f"{base}/bookings/{item.id}/photos/installed"]
    posts = [f"{base}/withdraw", f"{base}/bookings/{item.id}/photos"]
    for url in gets:
        assert client.get(url).status_code == 200, url

    auth.login_as(make_user("staf@bawaslu.example", org="Bawaslu Kota Pangkalpinang"))
    before = counts()
    for url in gets:
        response = client.get(url)
        assert response.status_code == 404, url
        assert posted.reference not in text_of(response)
    for url in posts:
        assert client.post(url, data={"which": "removed", "taken_on": day(0).isoformat(),
                                      "photo": (io.BytesIO(PNG), "foto.png")}
                           ).status_code == 404, url
    assert counts() == before
    assert posted.reference not in text_of(client.get("/requests"))


@pytest.mark.db
def test_approval_letter(client, auth, logged_in, reviewer):
    # PGK-03 rents at Rp 4.000.000 a month: 30 days forgo exactly one month.
    found = submitted(logged_in, ("PGK-03", "A", day(10), day(39)))
    item = approve(found.bookings[0], reviewer, agreement_number="PKS/017/BAKEUDA/2026",
                   approval_letter_number="500/231/BAKEUDA/2026")
    # The item's former letter is now its decision's (tests/test_documents.py).
    url = f"/requests/{found.id}/bookings/{item.id}/approval"
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200
    text = text_of(response)
    for expected in ("Pemerintah Kota Pangkalpinang", "Badan Keuangan Daerah",
                     "500/231/BAKEUDA/2026", "PKS/017/BAKEUDA/2026", "KPU Kota Pangkalpinang",
                     "002/KPU/2026", "Sosialisasi tahapan Pilkada", "PGK-03",
                     "Simpang Pahlawan 12", "Jl. Ahmad Yani dekat Simpang Pahlawan 12",
                     "4 × 6 m", "pinjam pakai, tanpa biaya", "Rp 4.000.000",
                     "nilai sewa yang tidak dipungut", "Pasal 60 ayat (3)"):
        assert expected in text, expected
    # The page around the letter follows the chosen language; the letter stays Indonesian.
    assert "Back to request" in text and "Bahasa Indonesia, the language of official" in text
    assert "free of charge" not in text

    auth.login_as(reviewer)
    assert client.get(url, follow_redirects=True).status_code == 200


def test_approval_letter_only_for_approved_items(client, posted):
    for item in posted.bookings:
        assert client.get(
            f"/requests/{posted.id}/bookings/{item.id}/approval").status_code == 404
    assert client.get(f"/requests/{posted.id}/bookings/999999/approval").status_code == 404


@pytest.fixture
def running(client, logged_in, reviewer):
    """An approved item that started five days ago."""
    found = submitted(logged_in, ("PGK-06", "A", day(-5), day(5)), today=day(-10))
    approve(found.bookings[0], reviewer)
    return found


def photo_form(taken_on=0, which="installed", content=PNG, name="foto.png"):
    return {"which": which, "taken_on": day(taken_on).isoformat(),
            "photo": (io.BytesIO(content), name)}


@pytest.mark.db
def test_installation_and_removal_photos(app, client, running):
    item = running.bookings[0]
    url = f"/requests/{running.id}/bookings/{item.id}/photos"
    response = client.post(url, data=photo_form(taken_on=-4))
    assert response.status_code == 302
    db.session.expire_all()
    assert item.installed_on == day(-4) and item.installed_photo in stored_files(app)
    photo = client.get(f"{url}/installed")
    assert photo.status_code == 200 and photo.data == PNG and photo.mimetype == "image/png"
    assert photo.headers["X-Content-Type-Options"] == "nosniff"

    # A second installation photo replaces the first, whose file goes.
    first = item.installed_photo
    assert client.post(url, data=photo_form(taken_on=-3)).status_code == 302
    db.session.expire_all()
    assert item.installed_photo != first and stored_files(app) == [item.installed_photo]

    assert client.post(url, data=photo_form(which="removed")).status_code == 302
    db.session.expire_all()
    assert item.removed_on == day(0)
    text = text_of(client.get(f"/requests/{running.id}"))
    assert "Installation photo added" in text and "Removal photo added" in text


@pytest.mark.parametrize(("form", "status", "message"), [
    (photo_form(content=PDF, name="foto.png"), 422, "The file must be JPEG / PNG"),
    (photo_form(content=EXE, name="foto.jpg"), 422, "judged by its content"),
    (photo_form(content=png_declaring(30_000, 30_000)), 422, "at most 50 megapixels"),
    (photo_form(taken_on=2), 422, "must not be in the future"),
    (photo_form(taken_on=-6), 422, "dated within the use"),
    (photo_form(which="lost"), 422, "Not a valid choice"),
    ({"which": "installed", "taken_on": day(0).isoformat()}, 422, "Attach the photo"),
])
def test_photo_refusals(app, client, running, form, status, message):
    item = running.bookings[0]
    before = counts()
    response = client.post(f"/requests/{running.id}/bookings/{item.id}/photos", data=form)
    assert response.status_code == status
    assert message in text_of(response)
    assert counts() == before and stored_files(app) == []
    db.session.expire_all()
    assert item.installed_photo is None


def test_photo_only_for_approved_items(app, client, posted):
    item = posted.bookings[0]
    response = client.post(f"/requests/{posted.id}/bookings/{item.id}/photos",
                           data=photo_form())
    assert response.status_code == 409
    assert "Photos belong to approved items only" in text_of(response)
    assert len(stored_files(app)) == 2  # the letter and the artwork, nothing more
