"""Deciding a request as a whole (DESIGN §3, §5): one decision, one letter, one agreement.

A decision approves some pending items of one request and rejects others with a reason, all or
nothing; its numbers are required when it approves pinjam pakai and unique in the register.
"""
import pytest
from flask_migrate import downgrade, upgrade
from support import MIGRATIONS, approval, count, day, submit
from test_api_requests import assert_refused, item, submitted

from billboard import booking, finance
from billboard.extensions import db
from billboard.models import AuditEvent, Booking, BookingStatus, Decision, OutboxEmail


def four_faces(api):
    return submitted(api, item("PGK-01"), item("PGK-02"), item("PGK-03"), item("PGK-04"))


def statuses(request_id: int) -> list[str]:
    db.session.expire_all()
    return [b.status.value for b in db.session.scalars(
        db.select(Booking).filter_by(request_id=request_id).order_by(Booking.id))]


def mails_to(address: str) -> list[OutboxEmail]:
    return list(db.session.scalars(db.select(OutboxEmail).filter_by(to_address=address)))


@pytest.mark.db
def test_one_decision_approves_three_and_rejects_one(api_as, kpu, reviewer):
    request = four_faces(api_as(kpu))
    ids = [i["id"] for i in request["items"]]
    bakeuda = api_as(reviewer)
    audits, mails = count(AuditEvent), \
        len(mails_to("staf@kpu.example"))
    response = bakeuda.post(f"/requests/{request['id']}/decision", {
        "approve": ids[:3], "reject": [{"id": ids[3], "reason": "Titik dipakai acara HUT Kota"}],
        **approval(iso=True)})

    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["id"] == request["id"]
    assert [i["status"] for i in answer["items"]] == ["approved"] * 3 + ["rejected"]
    [decision] = db.session.scalars(db.select(Decision)).all()
    assert sorted(b.id for b in decision.approved) == ids[:3]
    assert [(b.id, b.reason) for b in decision.refused] == [
        (ids[3], "Titik dipakai acara HUT Kota")]
    assert decision.agreement_number.startswith("PKS/") and decision.decided_by_id == reviewer.id
    # One audit row per item transition and one for the decision; one email, not four.
    assert count(AuditEvent) == audits + 5
    new_mails = mails_to("staf@kpu.example")[mails:]
    assert len(new_mails) == 1
    assert "Disetujui (3)" in new_mails[0].body and "Ditolak (1)" in new_mails[0].body
    assert "alasan: Titik dipakai acara HUT Kota" in new_mails[0].body


@pytest.mark.db
def test_one_clash_and_nothing_is_written(api_as, kpu, bawaslu, reviewer, snapshot):
    request = four_faces(api_as(kpu))
    ids = [i["id"] for i in request["items"]]
    rival = submitted(api_as(bawaslu), item("PGK-03", start=15, end=25))
    bakeuda = api_as(reviewer)
    assert bakeuda.post(f"/bookings/{rival['items'][0]['id']}/approve",
                        approval(iso=True)).status_code == 200
    before, decisions = snapshot(), count(Decision)

    clash = bakeuda.post(f"/requests/{request['id']}/decision", {
        "approve": ids[:3], "reject": [{"id": ids[3], "reason": "Tidak sesuai"}],
        **approval(iso=True)})
    assert "already taken" in assert_refused(clash, 409, "clash", before, snapshot)["message"]
    assert count(Decision) == decisions
    assert statuses(request["id"]) == ["submitted"] * 4


def one_decided_one_pending(api_as, kpu, bawaslu, reviewer):
    """KPU's request approved with `numbers`; Bawaslu's still pending, for a second decision."""
    first = submitted(api_as(kpu))
    second = submitted(api_as(bawaslu), item("PGK-02"))
    bakeuda = api_as(reviewer)
    numbers = approval(iso=True)
    assert bakeuda.post(f"/requests/{first['id']}/decision", {
        "approve": [first["items"][0]["id"]], **numbers}).status_code == 200
    return first, second, bakeuda, numbers


@pytest.mark.db
def test_numbers_are_unique_in_the_register(api_as, kpu, bawaslu, reviewer, snapshot):
    first, second, bakeuda, numbers = one_decided_one_pending(api_as, kpu, bawaslu, reviewer)
    before = snapshot()
    for reused in ("agreement_number", "approval_letter_number"):
        again = bakeuda.post(f"/requests/{second['id']}/decision", {
            "approve": [second["items"][0]["id"]],
            **approval(iso=True), reused: numbers[reused]})
        error = assert_refused(again, 409, "clash", before, snapshot)
        assert numbers[reused] in error["message"] and first["reference"] in error["message"]


@pytest.mark.db
def test_the_register_refuses_a_number_taken_meanwhile(api_as, kpu, bawaslu, reviewer,
                                                       snapshot, monkeypatch):
    """The check before the insert misses a decision committed meanwhile: the unique
    constraint is the last guard, and its refusal is a clash too."""
    _, second, bakeuda, numbers = one_decided_one_pending(api_as, kpu, bawaslu, reviewer)
    monkeypatch.setattr("billboard.booking.decisions._refuse_used_numbers", lambda _n: None)
    before = snapshot()
    again = bakeuda.post(f"/requests/{second['id']}/decision", {
        "approve": [second["items"][0]["id"]], **numbers})
    assert "a moment ago" in assert_refused(again, 409, "clash", before, snapshot)["message"]


@pytest.mark.parametrize(("fields", "status", "code"), [
    ({}, 400, "bad_request"),
    ({"approve": [], "reject": []}, 400, "bad_request"),
    ({"approve": ["1"]}, 400, "bad_request"),
    ({"reject": [{"id": 1}]}, 400, "bad_request"),
    # Approving without the numbers: missing is unreadable, blank breaks the rule.
    ({"approve": "ITEM"}, 400, "bad_request"),
    ({"approve": "ITEM", "approval_letter_number": "500/1", "approval_letter_date": "2026-01-05"},
     400, "bad_request"),
    ({"approve": "ITEM", **approval(iso=True), "agreement_number": None}, 422, "invalid"),
    ({"approve": "ITEM", **approval(iso=True), "approval_letter_number": " "}, 422, "invalid"),
    ({"reject": [{"id": "ITEM", "reason": " "}]}, 422, "invalid"),
    ({"approve": "ITEM", "reject": [{"id": "ITEM", "reason": "x"}], **approval(iso=True)},
     422, "invalid"),
])
def test_a_bad_decision_changes_nothing(api_as, kpu, reviewer, snapshot, fields, status, code):
    request = submitted(api_as(kpu))
    target = request["items"][0]["id"]
    fields = {**fields}
    if fields.get("approve") == "ITEM":
        fields["approve"] = [target]
    for refusal in fields.get("reject", []):
        if refusal.get("id") == "ITEM":
            refusal["id"] = target
    bakeuda = api_as(reviewer)
    before = snapshot()
    response = bakeuda.post(f"/requests/{request['id']}/decision", fields)
    assert_refused(response, status, code, before, snapshot)


def test_an_item_of_another_request_is_wrong_state(api_as, kpu, bawaslu, reviewer, snapshot):
    mine = submitted(api_as(kpu))
    other = submitted(api_as(bawaslu), item("PGK-02"))
    bakeuda = api_as(reviewer)
    before = snapshot()
    response = bakeuda.post(f"/requests/{mine['id']}/decision", {
        "approve": [mine["items"][0]["id"], other["items"][0]["id"]], **approval(iso=True)})
    assert_refused(response, 409, "wrong_state", before, snapshot)


def test_nobody_decides_their_own_organisations_request(api_as, make_user, snapshot):
    """A reviewer seconded to a borrowing office (or an office's own reviewer account)."""
    agency = make_user("staf@kpu.example")
    insider = make_user("reviewer@kpu.example", role="reviewer", org="KPU Kota Pangkalpinang")
    request = submitted(api_as(agency))
    inside = api_as(insider)
    before = snapshot()
    response = inside.post(f"/requests/{request['id']}/decision", {
        "approve": [request["items"][0]["id"]], **approval(iso=True)})
    assert_refused(response, 403, "forbidden", before, snapshot)


def test_only_reviewers_decide(api_as, kpu, admin, snapshot):
    request = submitted(api_as(kpu))
    administrator = api_as(admin)
    before = snapshot()
    response = administrator.post(f"/requests/{request['id']}/decision", {
        "approve": [request["items"][0]["id"]], **approval(iso=True)})
    assert response.status_code == 403 and snapshot() == before


def test_a_city_office_is_approved_without_an_agreement(api_as, make_user, reviewer):
    office = make_user("staf@diskominfo.example", org="Dinas Kominfo Kota Pangkalpinang",
                       org_kind="city_office")
    request = submitted(api_as(office))
    numbers = {**approval(iso=True), "agreement_number": None, "agreement_date": None}
    response = api_as(reviewer).post(f"/requests/{request['id']}/decision", {
        "approve": [request["items"][0]["id"]], **numbers})
    assert response.status_code == 200, response.get_json()
    [decision] = db.session.scalars(db.select(Decision)).all()
    assert (decision.agreement_number, decision.agreement_date) == (None, None)
    assert decision.approval_letter_number == numbers["approval_letter_number"]
    # Its use counts as non-commercial in the reports, beside pinjam pakai.
    used = decision.approved[0]
    report = finance.usage_report(used.start_on, used.end_on, booking.today_wib())
    [row] = [r for r in report.faces if (r.site, r.face) == ("PGK-01", "A")]
    assert row.non_commercial_days == row.days == (used.end_on - used.start_on).days + 1


def test_a_refusal_only_decision_needs_no_numbers(api_as, kpu, reviewer):
    request = submitted(api_as(kpu), item("PGK-01"), item("PGK-02"))
    first, second = (i["id"] for i in request["items"])
    response = api_as(reviewer).post(f"/requests/{request['id']}/decision", {
        "reject": [{"id": first, "reason": "Masa tenang"}]})
    assert response.status_code == 200
    assert [i["status"] for i in response.get_json()["items"]] == ["rejected", "submitted"]
    # The item left pending gets its own decision later.
    later = api_as(reviewer).post(f"/requests/{request['id']}/decision", {
        "approve": [second], **approval(iso=True)})
    assert later.status_code == 200
    assert count(Decision) == 2
    assert db.session.get(Booking, second).status == BookingStatus.APPROVED


# --- the HTML decision form -------------------------------------------------------------------

def test_the_queue_decides_a_request_in_one_form(as_reviewer, api_as, kpu):
    request = four_faces(api_as(kpu))
    ids = [i["id"] for i in request["items"]]
    html = as_reviewer.get("/review").get_data(as_text=True)
    assert html.count(f'action="/review/requests/{request["id"]}/decision"') == 1
    assert html.count('name="agreement_number"') == 1 and f'name="choice-{ids[3]}"' in html
    assert "Reject refuses a pending item for good" in html

    response = as_reviewer.post(f"/review/requests/{request['id']}/decision", data={
        **{f"choice-{i}": "approve" for i in ids[:3]}, f"choice-{ids[3]}": "reject",
        f"reason-{ids[3]}": "Titik dipakai acara HUT Kota", **approval(iso=True)},
        follow_redirects=True)
    assert "3 approved, 1 rejected" in response.get_data(as_text=True)
    assert statuses(request["id"]) == ["approved"] * 3 + ["rejected"]
    assert count(Decision) == 1


@pytest.mark.parametrize(("fields", "message"), [
    ({"choice": "approve"}, "The approval letter number is required."),
    ({"choice": "reject"}, "A reason is required."),
    ({"choice": "pending", **approval(iso=True)}, "Choose at least one item"),
])
def test_a_bad_decision_form_shows_the_page_again(as_reviewer, api_as, kpu, fields, message):
    request = submitted(api_as(kpu), item("PGK-01"), item("PGK-02"))
    first, second = (i["id"] for i in request["items"])
    data = {**fields, f"choice-{first}": fields["choice"], f"choice-{second}": "pending"}
    response = as_reviewer.post(f"/review/requests/{request['id']}/decision", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    # The choices made are shown again.
    assert f'name="choice-{first}" value="{fields["choice"]}" checked' in html
    assert statuses(request["id"]) == ["submitted", "submitted"]
    assert count(Decision) == 0


# --- the migration ----------------------------------------------------------------------------

@pytest.mark.db
def test_the_migration_gives_old_decided_items_their_decisions(app, kpu, bawaslu, reviewer):
    """Items decided before decisions existed get one decision per request and numbers, so
    that their letters still print; a number two old requests shared stays with the first."""
    old = submit(kpu, ("PGK-01", "A", day(10), day(20)), ("PGK-02", "A", day(10), day(20)),
                 ("PGK-03", "A", day(10), day(20)))
    twin = submit(bawaslu, ("PGK-04", "A", day(10), day(20)))
    ids = [b.id for b in old.bookings] + [twin.bookings[0].id]
    old_id, twin_id, reviewer_id = old.id, twin.id, reviewer.id
    db.session.remove()
    downgrade(directory=MIGRATIONS, revision="9aaac62151e8-1")
    decided = [(ids[0], "approved", "2026-01-05 01:00:00", None),
               (ids[1], "approved", "2026-01-05 01:00:00", None),
               (ids[2], "rejected", "2026-01-05 02:00:00", "Tidak sesuai"),
               (ids[3], "approved", "2026-01-06 01:00:00", None)]
    for item_id, status, at, reason in decided:
        numbers = ("PKS/LAMA/1", "SP/LAMA/1") if status == "approved" else (None, None)
        db.session.execute(db.text(
            "UPDATE booking SET status = :status, agreement_number = :agreement, "
            "approval_letter_number = :letter, decided_at = :at, decided_by_id = :by, "
            "reason = :reason WHERE id = :id"),
            {"status": status, "agreement": numbers[0], "letter": numbers[1], "at": at,
             "by": reviewer_id, "reason": reason, "id": item_id})
    db.session.commit()
    upgrade(directory=MIGRATIONS)

    found = [(d.request_id, d.approval_letter_number, d.agreement_number,
              sorted(b.id for b in d.bookings))
             for d in db.session.scalars(db.select(Decision).order_by(Decision.id))]
    assert found == [(old_id, "SP/LAMA/1", "PKS/LAMA/1", ids[:2]),
                     (old_id, None, None, [ids[2]]),
                     (twin_id, None, None, [ids[3]])]
    # The twin's item keeps the numbers it was approved with.
    assert db.session.get(Booking, ids[3]).agreement_number == "PKS/LAMA/1"
