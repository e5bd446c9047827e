"""The authenticated JSON API (DESIGN §5): every transition and every refusal.

A refusal is a 4xx with ``{"error": {"code", "message", "problems"}}`` and leaves the database
exactly as it was. Messages are asserted in English (the API follows the session language).
"""
from datetime import timedelta

import pytest
from support import TODAY, Api, approval

from billboard import booking
from billboard.auth.tokens import issue_token, revoke_token
from billboard.extensions import db
from billboard.i18n import long_date
from billboard.models import (
    AuditEvent,
    Blackout,
    Booking,
    BookingKind,
    BookingStatus,
    OutboxEmail,
    Request,
    Site,
)

NONE = {"approved": [], "pending_elsewhere": 0}


def day(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


def item(site="PGK-01", face="A", start=10, end=20) -> dict:
    return {"site": site, "face": face, "start": day(start), "end": day(end)}


def body(*items, **fields) -> dict:
    return {"purpose": "Sosialisasi Pilkada", "category": "voter_education",
            "letter_number": "012/PP.01/KPU-Kota/2026", "letter_date": TODAY.isoformat(),
            "items": list(items) or [item()], **fields}


def assert_refused(response, status, code, snapshot_before, snapshot):
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert snapshot() == snapshot_before
    return error


def submitted(api, *items, **fields):
    response = api.post("/requests", body(*items, **fields))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# --- submitting -------------------------------------------------------------------------------

@pytest.mark.db
def test_submit_creates_request_with_items(api_as, kpu):
    response = api_as(kpu).post("/requests", body(item("PGK-01", "A"), item("pgk-02", "b")))
    assert response.status_code == 201
    data = response.get_json()
    assert data["reference"] == f"PJ-{TODAY.year}-0001"
    assert data["status"] == "submitted"
    assert data["organization"] == "KPU Kota Pangkalpinang"
    assert response.headers["Location"].endswith(f"/api/v1/requests/{data['id']}")
    assert [(i["site"], i["face"], i["start"], i["end"], i["status"], i["conflicts"])
            for i in data["items"]] == [("PGK-01", "A", day(10), day(20), "submitted", NONE),
                                        ("PGK-02", "B", day(10), day(20), "submitted", NONE)]
    saved = db.session.get(Request, data["id"])
    assert saved.organization.name == "KPU Kota Pangkalpinang"
    assert [b.status for b in saved.bookings] == [BookingStatus.SUBMITTED] * 2
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail)) == 2


def test_submit_counts_pending_rivals_without_their_owner_or_dates(api_as, kpu, bawaslu,
                                                                  reviewer):
    rival = submitted(api_as(bawaslu), item(start=15, end=25), purpose="Pengawasan partisipatif")
    response = api_as(kpu).post("/requests", body(item(start=10, end=20)))
    assert response.status_code == 201
    assert response.get_json()["items"][0]["conflicts"] == {"approved": [],
                                                            "pending_elsewhere": 1}
    text = response.get_data(as_text=True)
    for secret in ("Bawaslu", "Pengawasan partisipatif", rival["reference"], day(15), day(25)):
        assert secret not in text
    listed = api_as(kpu).get("/requests").get_data(as_text=True)
    assert "Bawaslu" not in listed and day(25) not in listed
    # The reviewer's queue keeps the full detail.
    queue = api_as(reviewer).get("/review/queue").get_json()["items"]
    mine = next(i for i in queue if i["request"]["organization"] == "KPU Kota Pangkalpinang")
    assert [(p["organization"], p["start"], p["end"]) for p in mine["pending"]] == [
        ("Bawaslu Kota Pangkalpinang", day(15), day(25))]


def test_conflicts_name_approved_use(api_as, kpu, bawaslu, reviewer):
    mine = submitted(api_as(kpu), item(start=10, end=20), item("PGK-02", "A", start=10, end=20))
    rival = submitted(api_as(bawaslu), item(start=15, end=25), purpose="Pengawasan partisipatif")
    assert api_as(reviewer).post(f"/bookings/{rival['items'][0]['id']}/approve",
                                 approval(iso=True)).status_code == 200
    block = api_as(reviewer).post("/occupancy", {"site": "PGK-02", "face": "A", "start": day(18),
                                                 "end": day(19), "kind": "maintenance",
                                                 "reason": "Perbaikan"})
    assert block.status_code == 201, block.get_json()
    items = api_as(kpu).get(f"/requests/{mine['id']}").get_json()["items"]
    assert [i["conflicts"] for i in items] == [
        {"approved": [{"start": day(15), "end": day(25), "kind": "non_commercial",
                       "organization": "Bawaslu Kota Pangkalpinang",
                       "purpose": "Pengawasan partisipatif"}], "pending_elsewhere": 0},
        {"approved": [{"start": day(18), "end": day(19), "kind": "maintenance",
                       "organization": None, "purpose": None}], "pending_elsewhere": 0}]


@pytest.mark.parametrize("payload, problem", [
    ({"data": "{not json", "content_type": "application/json"}, "JSON object"),
    ({"json": ["a", "list"]}, "JSON object"),
    ({"data": "purpose=x", "content_type": "application/x-www-form-urlencoded"}, "JSON object"),
    ({"json": {}}, "purpose is required"),
    ({"json": body(purpose=7)}, "purpose must be a string"),
    ({"json": body(letter_number="x" * 101)}, "at most 100 characters"),
    ({"json": body(letter_date="28-02-2024")}, "letter_date must be an existing date"),
    ({"json": body(letter_date=20240228)}, "letter_date must be an existing date"),
    ({"json": body(items="PGK-01")}, "items must be a list"),
    ({"json": body("PGK-01")}, "items[0] must be a JSON object"),
    ({"json": body({"site": "PGK-01", "face": "A", "start": day(10)})}, "items[0].end is required"),
    ({"json": body({**item(), "start": "2027-02-30"})}, "items[0].start must be an existing date"),
    ({"json": body({**item(), "end": "2027-13-01"})}, "items[0].end must be an existing date"),
])
def test_unreadable_body_is_400(api_as, kpu, snapshot, payload, problem):
    api = api_as(kpu)
    before = snapshot()
    response = api.post("/requests", **payload)
    error = assert_refused(response, 400, "bad_request", before, snapshot)
    assert any(problem in p for p in error["problems"]), error["problems"]


def test_every_unreadable_field_is_listed_at_once(api_as, kpu):
    response = api_as(kpu).post("/requests", {"purpose": 1, "items": [{"site": "PGK-01"}]})
    problems = response.get_json()["error"]["problems"]
    assert response.status_code == 400
    assert len(problems) == 7, problems  # purpose, category, letter_*, face, start, end


@pytest.fixture
def blackout(app):
    site = db.session.scalar(db.select(Site).filter_by(code="PGK-02"))
    db.session.add(Blackout(name="Perbaikan rangka", site=site, start_on=TODAY + timedelta(40),
                            end_on=TODAY + timedelta(45)))
    db.session.commit()


def test_problems_are_in_indonesian_by_default(app, kpu):
    _token, raw = issue_token(kpu, "test", None)
    db.session.commit()
    response = Api(app.test_client(), raw).post("/requests", {"purpose": "x", "items": []})
    assert response.status_code == 400
    assert response.get_json()["error"]["problems"] == [
        "category wajib diisi.", "letter_number wajib diisi.", "letter_date wajib diisi."]


@pytest.mark.parametrize("payload, problem", [
    (body(item(start=20, end=10)), "end date is before the start date"),
    (body(item(start=-10, end=-5)), "the start must be on or after"),
    (body(item(start=2, end=10)), "the start must be on or after"),
    (body(item(start=10, end=100)), "at most 90 days"),
    (body(item(start=300, end=366)), "bookings can be made until"),
    (body(item(site="PGK-99")), "no such site or face"),
    (body(item(site="PGK-03", face="B")), "no such site or face"),
    (body(item(site="PGK-02", start=44, end=50)), "blackout “Perbaikan rangka”"),
    (body(category="commercial"), "Commercial use is not requested here"),
    (body(category="facilitated_campaign"), "names the election whose campaign"),
    (body(category="billboard"), "Unknown category"),
    (body(item(), item(start=20, end=30)), "overlaps another item of this request"),
    (body(purpose="   "), "purpose is required"),
    (body(letter_date=day(1)), "letter date must be a date not in the future"),
])
def test_rule_breaking_request_is_422(api_as, kpu, blackout, snapshot, payload, problem):
    api = api_as(kpu)
    before = snapshot()
    response = api.post("/requests", payload)
    error = assert_refused(response, 422, "invalid", before, snapshot)
    assert any(problem in p for p in error["problems"]), error["problems"]


def test_private_organisation_cannot_borrow(api_as, make_user, snapshot):
    company = make_user("staf@pt.example", org="PT Reklame Maju", org_kind="private")
    api = api_as(company)
    before = snapshot()
    response = api.post("/requests", body())
    error = assert_refused(response, 422, "invalid", before, snapshot)
    assert "only for government organisations" in error["message"]


def test_taken_face_is_refused(api_as, kpu, reviewer, snapshot):
    first = submitted(api_as(kpu), item(start=10, end=20))
    assert api_as(reviewer).post(f"/bookings/{first['items'][0]['id']}/approve",
                                 approval(iso=True)).status_code == 200
    api = api_as(kpu)
    before = snapshot()
    response = api.post("/requests", body(item(start=20, end=25)))
    error = assert_refused(response, 422, "invalid", before, snapshot)
    assert "already taken" in error["message"]


# --- authentication and roles -----------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("post", "/requests"), ("get", "/requests"), ("get", "/requests/1"),
    ("post", "/requests/1/withdraw"), ("get", "/review/queue"), ("post", "/bookings/1/approve"),
    ("post", "/bookings/1/reject"), ("post", "/bookings/1/cancel"),
])
@pytest.mark.parametrize("token", [None, "bb_not-a-real-token", "revoked"])
def test_missing_or_bad_token_is_401(api_as, client, kpu, snapshot, method, path, token):
    if token == "revoked":
        api = api_as(kpu)
        revoke_token(kpu.tokens[0], None)
        db.session.commit()
    else:
        api = Api(client, token)
    before = snapshot()
    response = getattr(api, method)(path)
    assert_refused(response, 401, "unauthorized", before, snapshot)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("role, method, path", [
    ("reviewer", "post", "/requests"),
    ("reviewer", "get", "/requests"),
    ("admin", "post", "/requests/1/withdraw"),
    ("agency", "get", "/review/queue"),
    ("agency", "post", "/bookings/1/approve"),
    ("agency", "post", "/bookings/1/reject"),
    ("agency", "post", "/bookings/1/cancel"),
])
def test_wrong_role_is_403(api_as, kpu, make_user, snapshot, role, method, path):
    submitted(api_as(kpu))
    user = kpu if role == "agency" else make_user(f"{role}@bakeuda.example", role=role,
                                                   org="Bakeuda")
    api = api_as(user)
    before = snapshot()
    response = getattr(api, method)(path, **({"json": body()} if method == "post" else {}))
    assert_refused(response, 403, "forbidden", before, snapshot)


@pytest.mark.parametrize("role, path", [
    ("agency", "/requests"), ("agency", "/requests/1/withdraw"),
    ("reviewer", "/bookings/1/approve"), ("reviewer", "/bookings/1/reject"),
    ("reviewer", "/bookings/1/cancel"),
])
def test_bearer_requests_need_no_csrf_token(app, api_as, kpu, reviewer, role, path):
    app.config["WTF_CSRF_ENABLED"] = True
    api = api_as(kpu if role == "agency" else reviewer)
    response = api.post(path, body(item()) if path == "/requests" else {"reason": "x"})
    assert response.get_json().get("error", {}).get("code") != "csrf"
    assert response.status_code in (200, 201, 400, 404)


# --- reading ----------------------------------------------------------------------------------

def test_agency_lists_only_its_own_requests(api_as, kpu, bawaslu):
    own = submitted(api_as(kpu))
    submitted(api_as(bawaslu), item("PGK-04"))
    response = api_as(kpu).get("/requests")
    assert response.status_code == 200
    assert [r["id"] for r in response.get_json()["requests"]] == [own["id"]]


def test_another_organisations_request_is_404(api_as, kpu, bawaslu, reviewer):
    theirs = submitted(api_as(bawaslu))
    response = api_as(kpu).get(f"/requests/{theirs['id']}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert "Bawaslu" not in response.get_data(as_text=True)
    assert api_as(bawaslu).get(f"/requests/{theirs['id']}").get_json() == theirs
    assert api_as(reviewer).get(f"/requests/{theirs['id']}").status_code == 200
    assert api_as(kpu).get("/requests/9999").status_code == 404


def test_review_queue_shows_rivals_and_clashes(api_as, kpu, bawaslu, reviewer):
    first = submitted(api_as(kpu), item(start=10, end=20))
    second = submitted(api_as(bawaslu), item(start=18, end=30), item("PGK-05", "A"))
    queue = api_as(reviewer).get("/review/queue").get_json()["items"]
    assert [i["id"] for i in queue] == [first["items"][0]["id"]] + [
        i["id"] for i in second["items"]]
    assert queue[0]["request"]["reference"] == first["reference"]
    assert [(p["id"], p["organization"]) for p in queue[0]["pending"]] == [
        (second["items"][0]["id"], "Bawaslu Kota Pangkalpinang")]
    assert queue[2]["pending"] == [] and queue[2]["clashes"] == []

    api_as(reviewer).post(f"/bookings/{first['items'][0]['id']}/approve",
                          approval(iso=True))
    queue = api_as(reviewer).get("/review/queue").get_json()["items"]
    assert [(c["id"], c["organization"], c["purpose"]) for c in queue[0]["clashes"]] == [
        (first["items"][0]["id"], "KPU Kota Pangkalpinang", "Sosialisasi Pilkada")]


# --- transitions ------------------------------------------------------------------------------

@pytest.mark.db
def test_approve_then_rival_is_a_clash(api_as, kpu, bawaslu, reviewer, snapshot):
    first = submitted(api_as(kpu), item(start=10, end=20))["items"][0]["id"]
    rival = submitted(api_as(bawaslu), item(start=20, end=30))["items"][0]["id"]
    bakeuda = api_as(reviewer)
    response = bakeuda.post(f"/bookings/{first}/approve", {
        "agreement_number": "PKS-7/2026", "agreement_date": TODAY.isoformat(),
        "approval_letter_number": "030/12/Bakeuda", "approval_letter_date": TODAY.isoformat()})
    assert response.status_code == 200
    data = response.get_json()
    assert (data["id"], data["status"], data["agreement_number"],
            data["approval_letter_date"]) == (first, "approved", "PKS-7/2026", TODAY.isoformat())
    assert db.session.get(Booking, first).status == BookingStatus.APPROVED

    before = snapshot()
    clash = bakeuda.post(f"/bookings/{rival}/approve", approval(iso=True))
    assert "already taken" in assert_refused(clash, 409, "clash", before, snapshot)["message"]
    again = bakeuda.post(f"/bookings/{first}/approve", approval(iso=True))
    assert_refused(again, 409, "wrong_state", before, snapshot)


@pytest.mark.parametrize("action, payload, status, code", [
    ("approve", {}, 400, "bad_request"),
    ("approve", {"agreement_number": 12}, 400, "bad_request"),
    ("approve", {"agreement_number": "PKS-1", "approval_letter_date": "2026-02-29"}, 400,
     "bad_request"),
    ("approve", {**approval(iso=True), "agreement_number": "  "}, 422, "invalid"),
    ("reject", None, 400, "bad_request"),
    ("reject", {"reason": ""}, 422, "invalid"),
    ("cancel", {"reason": ["x"]}, 400, "bad_request"),
    ("cancel", {"reason": " "}, 422, "invalid"),
])
def test_bad_decision_body_changes_nothing(api_as, kpu, reviewer, snapshot, action, payload,
                                           status, code):
    target = submitted(api_as(kpu))["items"][0]["id"]
    api = api_as(reviewer)
    before = snapshot()
    response = api.post(f"/bookings/{target}/{action}", payload)
    assert_refused(response, status, code, before, snapshot)


@pytest.mark.parametrize("action, payload", [
    ("approve", approval(iso=True)), ("reject", {"reason": "x"}),
    ("cancel", {"reason": "x"}),
])
def test_unknown_booking_is_404(api_as, reviewer, snapshot, action, payload):
    api = api_as(reviewer)
    before = snapshot()
    response = api.post(f"/bookings/4242/{action}", payload)
    assert_refused(response, 404, "not_found", before, snapshot)


def test_reject_with_reason_then_no_second_decision(api_as, kpu, reviewer, snapshot):
    target = submitted(api_as(kpu))["items"][0]["id"]
    bakeuda = api_as(reviewer)
    response = bakeuda.post(f"/bookings/{target}/reject", {"reason": "Letter not signed"})
    assert response.status_code == 200
    assert (response.get_json()["status"], response.get_json()["reason"]) == (
        "rejected", "Letter not signed")
    before = snapshot()
    for action, payload in (("approve", approval(iso=True)),
                            ("reject", {"reason": "again"}), ("cancel", {"reason": "again"})):
        assert_refused(bakeuda.post(f"/bookings/{target}/{action}", payload), 409,
                       "wrong_state", before, snapshot)
    mine = api_as(kpu).get("/requests").get_json()["requests"][0]
    assert mine["status"] == "rejected"
    assert mine["items"][0]["reason"] == "Letter not signed"


def test_cancel_approved_item_frees_the_face(api_as, kpu, bawaslu, reviewer):
    first = submitted(api_as(kpu))["items"][0]["id"]
    rival = submitted(api_as(bawaslu))["items"][0]["id"]
    bakeuda = api_as(reviewer)
    bakeuda.post(f"/bookings/{first}/approve", approval(iso=True))
    response = bakeuda.post(f"/bookings/{first}/cancel", {"reason": "Road works"})
    assert (response.status_code, response.get_json()["status"]) == (200, "cancelled")
    assert bakeuda.post(f"/bookings/{rival}/approve",
                        approval(iso=True)).status_code == 200


def test_cancel_a_maintenance_block_ends_it_once_started(api_as, reviewer):
    site = db.session.scalar(db.select(Site).filter_by(code="PGK-06"))
    started = booking.add_occupancy(reviewer, site.faces[0], TODAY, TODAY + timedelta(3),
                                    kind=BookingKind.MAINTENANCE, reason="Repainting")
    later = booking.add_occupancy(reviewer, site.faces[0], TODAY + timedelta(10),
                                  TODAY + timedelta(12), kind=BookingKind.MAINTENANCE,
                                  reason="Repainting")
    db.session.commit()
    response = api_as(reviewer).post(f"/bookings/{started.id}/cancel", {"reason": "Done early"})
    assert response.status_code == 200
    found = response.get_json()
    # In use: it ends today, and today stays occupied.
    assert (found["kind"], found["status"], found["end"]) == (
        "maintenance", "approved", TODAY.isoformat())
    response = api_as(reviewer).post(f"/bookings/{later.id}/cancel", {"reason": "Not needed"})
    assert (response.status_code, response.get_json()["status"]) == (200, "cancelled")


def test_withdraw_own_request(api_as, kpu, reviewer, snapshot):
    created = submitted(api_as(kpu), item(start=10, end=20), item("PGK-05", "A"))
    api_as(reviewer).post(f"/bookings/{created['items'][0]['id']}/approve",
                          approval(iso=True))
    response = api_as(kpu).post(f"/requests/{created['id']}/withdraw")
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "withdrawn"
    assert [i["status"] for i in data["items"]] == ["withdrawn", "withdrawn"]
    api = api_as(kpu)
    before = snapshot()
    again = api.post(f"/requests/{created['id']}/withdraw")
    assert_refused(again, 409, "wrong_state", before, snapshot)


def test_cannot_withdraw_another_organisations_request(api_as, kpu, bawaslu, snapshot):
    theirs = submitted(api_as(bawaslu))
    api = api_as(kpu)
    before = snapshot()
    response = api.post(f"/requests/{theirs['id']}/withdraw")
    assert_refused(response, 404, "not_found", before, snapshot)


def test_withdraw_one_item(api_as, kpu, reviewer, bawaslu, snapshot):
    created = submitted(api_as(kpu), item(start=10, end=20), item("PGK-05", "A"))
    first, second = (i["id"] for i in created["items"])
    api_as(reviewer).post(f"/bookings/{first}/approve", approval(iso=True))
    api = api_as(kpu)
    response = api.post(f"/bookings/{first}/withdraw")
    assert response.status_code == 200
    assert (response.get_json()["id"], response.get_json()["status"]) == (first, "withdrawn")
    statuses = [i["status"] for i in api.get(f"/requests/{created['id']}").get_json()["items"]]
    assert statuses == ["withdrawn", "submitted"]
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(
        AuditEvent.action == "booking.withdrawn")) == 1

    other = api_as(bawaslu)
    before = snapshot()
    assert_refused(api.post(f"/bookings/{first}/withdraw"), 409, "wrong_state", before, snapshot)
    assert_refused(other.post(f"/bookings/{second}/withdraw"), 404, "not_found", before,
                   snapshot)
    assert_refused(api.post("/bookings/999999/withdraw"), 404, "not_found", before, snapshot)


def test_withdraw_one_item_refused_once_started(api_as, kpu, snapshot, monkeypatch):
    created = submitted(api_as(kpu), item(start=10, end=20))
    api = api_as(kpu)
    before = snapshot()
    monkeypatch.setattr("billboard.clock.today_wib", lambda: TODAY + timedelta(days=10))
    response = api.post(f"/bookings/{created['items'][0]['id']}/withdraw")
    error = assert_refused(response, 409, "wrong_state", before, snapshot)
    assert "has started" in error["message"]


# --- the waitlist -------------------------------------------------------------------------------

def _waitlist(api_as, kpu, bawaslu, reviewer, make_user):
    """Bawaslu's approved item blocks KPU's pending one on PGK-01/A; another office waits for
    another face. Returns (Bawaslu's item id, KPU's item id)."""
    waiting = submitted(api_as(kpu), item(start=10, end=20))
    holder = submitted(api_as(bawaslu), item(start=15, end=25), item("PGK-02", "A"))
    submitted(api_as(make_user("staf@dinas.example", org="Dinas Kominfo")), item("PGK-03", "A"))
    approved = holder["items"][0]["id"]
    assert api_as(reviewer).post(f"/bookings/{approved}/approve",
                                 approval(iso=True)).status_code == 200
    return approved, waiting["items"][0]["id"]


def _mail_since(first_id: int) -> list[OutboxEmail]:
    return list(db.session.scalars(db.select(OutboxEmail).where(OutboxEmail.id > first_id)
                                   .order_by(OutboxEmail.id)))


def _last_mail_id() -> int:
    return db.session.scalar(db.select(db.func.max(OutboxEmail.id))) or 0


def _queue_entry(api_as, reviewer, booking_id: int) -> dict:
    queue = api_as(reviewer).get("/review/queue").get_json()["items"]
    return next(entry for entry in queue if entry["id"] == booking_id)


@pytest.mark.parametrize("how", ["withdraw", "cancel"])
def test_freeing_a_face_flags_and_tells_those_waiting(api_as, kpu, bawaslu, reviewer,
                                                     make_user, client, auth, how):
    approved, waiting = _waitlist(api_as, kpu, bawaslu, reviewer, make_user)
    assert _queue_entry(api_as, reviewer, waiting)["freed_on"] is None
    before = _last_mail_id()
    if how == "withdraw":
        response = api_as(bawaslu).post(f"/bookings/{approved}/withdraw")
    else:
        response = api_as(reviewer).post(f"/bookings/{approved}/cancel",
                                         {"reason": "Pemohon mundur"})
    assert response.status_code == 200
    told = [m for m in _mail_since(before) if "kosong kembali" in m.subject]
    assert [m.to_address for m in told] == [kpu.email]
    assert "PGK-01/A" in told[0].body and "PGK-03" not in told[0].body
    assert _queue_entry(api_as, reviewer, waiting)["freed_on"] == TODAY.isoformat()
    auth.login(reviewer.email)
    page = " ".join(client.get("/review").get_data(as_text=True).split())
    assert page.count(f"Face freed on {long_date(TODAY)}") == 1


def test_ending_a_use_early_frees_its_last_days(api_as, kpu, bawaslu, reviewer):
    def request_of(user, start, end):
        made = booking.submit_request(
            user, purpose="Sosialisasi", category="public_service", letter_number="1/2026",
            letter_date=TODAY - timedelta(days=10), today=TODAY - timedelta(days=10),
            items=[booking.ItemInput("PGK-01", "A", TODAY + timedelta(days=start),
                                     TODAY + timedelta(days=end))])
        db.session.commit()
        return made.bookings[0].id

    running = request_of(bawaslu, -2, 20)
    late, early = request_of(kpu, 10, 15), request_of(kpu, 2, 4)
    booking.approve(running, reviewer, **approval())
    db.session.commit()
    before = _last_mail_id()
    booking.cancel(running, reviewer, reason="Dipercepat", ends_on=TODAY + timedelta(days=5))
    db.session.commit()
    told = [m for m in _mail_since(before) if "kosong kembali" in m.subject]
    assert len(told) == 1 and f"{long_date(TODAY + timedelta(days=10))}" in told[0].body
    # Only the days given up are free: the item inside the days kept is not flagged.
    assert _queue_entry(api_as, reviewer, late)["freed_on"] == TODAY.isoformat()
    assert _queue_entry(api_as, reviewer, early)["freed_on"] is None


def test_withdrawing_what_was_not_approved_frees_nothing(api_as, kpu, bawaslu, reviewer,
                                                        make_user):
    _approved, waiting = _waitlist(api_as, kpu, bawaslu, reviewer, make_user)
    rival = submitted(api_as(bawaslu), item("PGK-04", "A", start=10, end=20))
    mine = submitted(api_as(kpu), item("PGK-04", "A", start=15, end=16))
    before = _last_mail_id()
    assert api_as(bawaslu).post(f"/bookings/{rival['items'][0]['id']}/withdraw").status_code \
        == 200
    assert not [m for m in _mail_since(before) if "kosong kembali" in m.subject]
    assert _queue_entry(api_as, reviewer, mine["items"][0]["id"])["freed_on"] is None
    assert _queue_entry(api_as, reviewer, waiting)["freed_on"] is None


# --- the OpenAPI description matches what is answered ------------------------------------------

def flatten(spec, schema):
    """The schema and every schema it includes by $ref or allOf."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    yield schema
    for part in schema.get("allOf", ()):
        yield from flatten(spec, part)


def conforms(spec, schema, value, where="$"):
    """Objects carry every required key and only documented ones, recursively."""
    parts = list(flatten(spec, schema))
    properties = {}
    for part in parts:
        for key, sub in part.get("properties", {}).items():
            properties.setdefault(key, []).append(sub)
    required = {key for part in parts for key in part.get("required", ())}
    if isinstance(value, dict):
        assert required <= set(value) <= set(properties), (where, set(value) ^ set(properties))
        for key, item in value.items():
            conforms(spec, {"allOf": properties[key]}, item, f"{where}.{key}")
    elif isinstance(value, list):
        for part in parts:
            for index, item in enumerate(value if "items" in part else ()):
                conforms(spec, part["items"], item, f"{where}[{index}]")


def test_answers_match_the_openapi_description(client, api_as, kpu, bawaslu, reviewer):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]

    def check(response, path, method):
        schema = paths[path][method]["responses"][str(response.status_code)]["content"][
            "application/json"]["schema"]
        body = response.get_json()
        conforms(spec, schema, body)
        return body

    agency, bakeuda = api_as(kpu), api_as(reviewer)
    first = check(agency.post("/requests", body()), "/api/v1/requests", "post")
    submitted(api_as(bawaslu))
    check(agency.post("/requests", body(item(start=1))), "/api/v1/requests", "post")
    assert check(bakeuda.get("/review/queue"), "/api/v1/review/queue", "get")["items"][0][
        "pending"]
    approve_path = "/api/v1/bookings/{booking_id}/approve"
    item_id = first["items"][0]["id"]
    check(bakeuda.post(f"/bookings/{item_id}/approve", approval(iso=True)),
          approve_path, "post")
    assert check(bakeuda.get("/review/queue"), "/api/v1/review/queue", "get")["items"][0][
        "clashes"]
    check(bakeuda.post(f"/bookings/{item_id}/approve", {}), approve_path, "post")
    check(agency.get("/requests"), "/api/v1/requests", "get")
    check(agency.get(f"/requests/{first['id']}"), "/api/v1/requests/{request_id}", "get")
    check(agency.post(f"/requests/{first['id']}/withdraw"),
          "/api/v1/requests/{request_id}/withdraw", "post")
    one = check(agency.post("/requests", body(item("PGK-06", "A"))), "/api/v1/requests", "post")
    withdraw_path = "/api/v1/bookings/{booking_id}/withdraw"
    check(agency.post(f"/bookings/{one['items'][0]['id']}/withdraw"), withdraw_path, "post")
    check(agency.post(f"/bookings/{one['items'][0]['id']}/withdraw"), withdraw_path, "post")
