"""Many reviewers approving clashing items at once: the database lets exactly one through.

The app is served by a real threaded HTTP server over the test database, and the approvals are
fired from parallel threads, so each runs in its own connection and transaction (DESIGN §3).
"""
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.error import HTTPError
from urllib.request import Request as HttpRequest
from urllib.request import urlopen

import pytest
from support import PNG, TODAY, approval

from billboard import booking
from billboard.auth.tokens import issue_token
from billboard.booking import ItemInput
from billboard.extensions import db
from billboard.models import AuditEvent, Booking, BookingStatus, Face, Site

RIVALS = 24


def post(url: str, token: str, payload: dict) -> tuple[int, dict | str]:
    """Status and JSON body (or the raw text, should a 5xx page come back)."""
    request = HttpRequest(url, data=json.dumps(payload).encode(), method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        response = urlopen(request, timeout=60)
    except HTTPError as error:
        response = error
    with response:
        status, text = response.status, response.read().decode()
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


@pytest.mark.db
def test_clashing_approvals_in_parallel_let_exactly_one_win(app, served, make_user):
    agencies = [make_user(f"staf{n}@opd.example", org=f"OPD {n}") for n in range(RIVALS)]
    reviewer = make_user("reviewer@bakeuda.example", role="reviewer", org="Bakeuda")
    start = TODAY + timedelta(days=10)
    # Every rival overlaps every other on one day at least; none is identical.
    ids = []
    for n, agency in enumerate(agencies):
        request = booking.submit_request(
            agency, purpose=f"Sosialisasi {n}", category="public_service",
            letter_number=f"{n}/2026", letter_date=TODAY,
            items=[ItemInput("PGK-01", "A", start + timedelta(days=n % 5),
                             start + timedelta(days=5 + n % 7))])
        ids.append(request.bookings[0].id)
    _token, raw = issue_token(reviewer, "race", None)
    db.session.commit()
    # The test's own connection must not hold a transaction while the server works.
    db.session.remove()

    barrier = threading.Barrier(RIVALS)

    def approve(booking_id: int) -> tuple[int, dict]:
        barrier.wait()
        return post(f"{served}/api/v1/bookings/{booking_id}/approve", raw,
                    approval(iso=True))

    with ThreadPoolExecutor(max_workers=RIVALS) as pool:
        results = list(pool.map(approve, ids))

    statuses = sorted(status for status, _body in results)
    assert statuses == [200] + [409] * (RIVALS - 1), results
    assert {body["error"]["code"] for status, body in results if status == 409} == {"clash"}
    winner = next(body["id"] for status, body in results if status == 200)
    approved = db.session.scalars(
        db.select(Booking.id).where(Booking.status == BookingStatus.APPROVED)).all()
    assert approved == [winner]
    still_submitted = db.session.scalar(db.select(db.func.count()).select_from(Booking).where(
        Booking.status == BookingStatus.SUBMITTED))
    assert still_submitted == RIVALS - 1


@pytest.mark.db
def test_parallel_submissions_all_succeed_with_distinct_references(app, served, make_user):
    """Writers that read before they write wait for each other instead of failing."""
    faces = db.session.execute(
        db.select(Site.code, Face.label).join(Face.site).order_by(Site.code, Face.label)).all()
    agencies = [make_user(f"staf{n}@opd.example", org=f"OPD {n}") for n in range(len(faces))]
    tokens = [issue_token(agency, "race", None)[1] for agency in agencies]
    db.session.commit()
    db.session.remove()
    start = (TODAY + timedelta(days=10)).isoformat()
    barrier = threading.Barrier(len(faces))

    def submit(n: int) -> tuple[int, dict]:
        site, face = faces[n]
        barrier.wait()
        return post(f"{served}/api/v1/requests", tokens[n], {
            "purpose": f"Sosialisasi {n}", "category": "public_service",
            "letter_number": f"{n}/2026", "letter_date": TODAY.isoformat(),
            "items": [{"site": site, "face": face, "start": start, "end": start}]})

    with ThreadPoolExecutor(max_workers=len(faces)) as pool:
        results = list(pool.map(submit, range(len(faces))))

    assert [status for status, _body in results] == [201] * len(faces), results
    assert len({body["reference"] for _status, body in results}) == len(faces)


ITEMS_RACED = 6


def _one_item_requests(make_user) -> tuple[str, str, list[tuple[int, int]]]:
    """A reviewer's and KPU's tokens and ITEMS_RACED requests of KPU, each of one item on its
    own face: (request id, item id) each; committed, for the served app's threads to race."""
    reviewer = make_user("reviewer@bakeuda.example", role="reviewer", org="Bakeuda")
    agency = make_user("staf@kpu.example")
    faces = db.session.execute(
        db.select(Site.code, Face.label).join(Face.site).order_by(Site.code, Face.label)
        .limit(ITEMS_RACED)).all()
    start = TODAY + timedelta(days=10)
    made = []
    for n, (site, face) in enumerate(faces):
        request = booking.submit_request(
            agency, purpose=f"Sosialisasi {n}", category="voter_education",
            letter_number=f"{n}/2026", letter_date=TODAY,
            items=[ItemInput(site, face, start, start + timedelta(days=5))])
        made.append((request.id, request.bookings[0].id))
    _token, reviewer_token = issue_token(reviewer, "race", None)
    _token, agency_token = issue_token(agency, "race", None)
    db.session.commit()
    return reviewer_token, agency_token, made


@pytest.mark.db
@pytest.mark.parametrize("withdraw", ["item", "request"])
def test_a_reject_racing_a_withdraw_lets_exactly_one_through(app, served, make_user, withdraw):
    """Both transitions lock the row and look at its state again: the loser gets 409, and the
    audit holds one transition per item, not both."""
    reviewer_token, agency_token, raced = _one_item_requests(make_user)
    races = [(item_id, f"bookings/{item_id}" if withdraw == "item" else f"requests/{request_id}")
             for request_id, item_id in raced]
    db.session.remove()

    calls = [(f"{served}/api/v1/bookings/{item_id}/reject", reviewer_token,
              {"reason": "Sisi dipakai"}) for item_id, _target in races]
    calls += [(f"{served}/api/v1/{target}/withdraw", agency_token, {})
              for _item_id, target in races]
    barrier = threading.Barrier(len(calls))

    def fire(call) -> tuple[int, dict]:
        barrier.wait()
        return post(*call)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        results = list(pool.map(fire, calls))

    for n, (item_id, _target) in enumerate(races):
        rejected, withdrawn = results[n], results[n + len(races)]
        assert sorted([rejected[0], withdrawn[0]]) == [200, 409], (rejected, withdrawn)
        loser = rejected if rejected[0] == 409 else withdrawn
        assert loser[1]["error"]["code"] == "wrong_state"
        transitions = db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.object_type == "booking", AuditEvent.object_id == item_id,
            AuditEvent.action.in_(["booking.rejected", "booking.withdrawn"]))).all()
        status = db.session.get(Booking, item_id).status
        assert transitions == [f"booking.{status.value}"], (transitions, status)


@pytest.mark.db
def test_an_attach_racing_an_approval_never_replaces_the_files_it_saw(app, served, make_user):
    """An attach locks the request's items before it looks at them: either it is kept before
    the approval, or it is refused (409); never a new version after the files were approved."""
    import requests as http

    from billboard.models import Decision, FileVersion

    reviewer_token, agency_token, races = _one_item_requests(make_user)
    db.session.remove()
    barrier = threading.Barrier(2 * len(races))

    def approve(item_id: int) -> int:
        barrier.wait()
        return post(f"{served}/api/v1/bookings/{item_id}/approve", reviewer_token,
                    approval(iso=True))[0]

    def attach(request_id: int) -> int:
        barrier.wait()
        with http.post(f"{served}/api/v1/requests/{request_id}/files", timeout=60,
                       headers={"Authorization": f"Bearer {agency_token}"},
                       files={"artwork": ("desain.png", PNG, "image/png")}) as response:
            return response.status_code

    with ThreadPoolExecutor(max_workers=2 * len(races)) as pool:
        approvals = [pool.submit(approve, item_id) for _request, item_id in races]
        attaches = [pool.submit(attach, request_id) for request_id, _item in races]
        statuses = [(a.result(), b.result()) for a, b in zip(approvals, attaches, strict=True)]

    for (request_id, _item), (approved, attached) in zip(races, statuses, strict=True):
        assert approved == 200 and attached in (200, 409), statuses
        decided_at = db.session.scalar(db.select(Decision.decided_at).where(
            Decision.request_id == request_id))
        kept = db.session.scalars(db.select(FileVersion.uploaded_at).where(
            FileVersion.request_id == request_id)).all()
        assert len(kept) == (attached == 200)
        assert all(at <= decided_at for at in kept), (kept, decided_at)
