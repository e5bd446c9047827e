"""Bakeuda's review pages: the queue, decisions, the request page, the timeline, rentals."""
import re
from datetime import date, timedelta

import pytest
from support import (
    PASSWORD,
    TODAY,
    approval,
    count,
    csrf_token_in,
    day,
    decide_item,
    face,
    kept,
    submit,
)

from billboard import booking
from billboard.extensions import db
from billboard.models import (
    AuditEvent,
    Booking,
    BookingKind,
    BookingStatus,
    CampaignLocation,
    Category,
    Election,
    OutboxEmail,
)


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def reviewer(make_user):
    return make_user("analis@bakeuda.example", role="reviewer", org="Bakeuda",
                     name="Analis Bakeuda")




def rental(code, label, start, end, tenant="PT Sinar Bangka", reviewer=None):
    block = booking.add_occupancy(reviewer, face(code, label), start, end,
                                  kind=BookingKind.COMMERCIAL, tenant_name=tenant)
    db.session.commit()
    return block


def fresh(item_id: int) -> Booking:
    db.session.expire_all()
    return db.session.get(Booking, item_id)


def item_html(html: str, item_id: int) -> str:
    return re.search(rf'<li class="queue-item[^"]*" id="item-{item_id}">(.*?)</li>\s*'
                     rf'(?=<li class="queue-item|</ul>)', html, re.S).group(1)


# --- the queue --------------------------------------------------------------------------------

def test_queue_is_indonesian_by_default(client, auth, reviewer):
    auth.login(reviewer.email)
    html = client.get("/review").get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Antrean pemeriksaan" in html and "Tidak ada yang menunggu keputusan." in html


def test_queue_lists_oldest_request_first(as_reviewer, kpu, bawaslu):
    first = submit(kpu, ("PGK-01", "A", day(10), day(20)))
    second = submit(bawaslu, ("PGK-02", "A", day(10), day(20)))
    # Submitted later but dated earlier (e.g. after a clock correction): the date decides.
    second.created_at = first.created_at - timedelta(hours=1)
    db.session.commit()
    html = as_reviewer.get("/review").get_data(as_text=True)
    assert html.index(second.reference) < html.index(first.reference)
    assert "Bawaslu Kota Pangkalpinang" in html and "Sosialisasi Pilkada" in html


def test_queue_shows_clashes_with_approved_use_and_pending_rivals(as_reviewer, kpu, bawaslu,
                                                                  reviewer):
    mine = submit(kpu, ("PGK-01", "A", day(10), day(20)), ("PGK-02", "A", day(10), day(12)))
    rival = submit(bawaslu, ("PGK-01", "A", day(15), day(25)))
    # The rental starts after the KPU request: a clash the reviewer must see.
    rental("PGK-02", "A", day(12), day(30), reviewer=reviewer)
    html = as_reviewer.get("/review").get_data(as_text=True)

    first, second = mine.bookings
    rivalled = item_html(html, first.id)
    assert "Overlaps other pending items" in rivalled
    assert rival.reference in rivalled and "Bawaslu Kota Pangkalpinang" in rivalled
    assert "Clashes with approved use" not in rivalled

    clashing = item_html(html, second.id)
    assert "Clashes with approved use" in clashing and "PT Sinar Bangka" in clashing
    assert "No clashes." not in clashing

    assert mine.reference in item_html(html, rival.bookings[0].id)


def test_queue_lists_three_clashes_and_leads_to_the_rest(as_reviewer, kpu, reviewer):
    mine = submit(kpu, ("PGK-01", "A", day(10), day(30)))
    for n, start in enumerate((10, 14, 18, 22, 26)):
        rental("PGK-01", "A", day(start), day(start + 2), tenant=f"PT Sewa {n}",
               reviewer=reviewer)
    # The only item in the queue: the whole page is its part.
    queued = as_reviewer.get("/review").get_data(as_text=True)
    assert [f"PT Sewa {n}" in queued for n in range(5)] == [True] * 3 + [False] * 2
    assert f'href="/review/requests/{mine.id}">and 2 more</a>' in queued
    detail = as_reviewer.get(f"/review/requests/{mine.id}").get_data(as_text=True)
    assert all(f"PT Sewa {n}" in detail for n in range(5)) and "more</a>" not in detail


def test_queue_flags_campaign_props_for_legal_review(as_reviewer, kpu, today):
    election = Election(name="Pilkada ulang", campaign_start_on=today,
                        campaign_end_on=today + timedelta(days=60),
                        quiet_start_on=today + timedelta(days=61),
                        quiet_end_on=today + timedelta(days=63),
                        polling_on=today + timedelta(days=64))
    db.session.add(election)
    db.session.add(CampaignLocation(site=face("PGK-03", "A").site, basis="Keputusan Wali Kota",
                                    basis_number="188.45/77/2026"))
    db.session.commit()
    campaign = submit(kpu, ("PGK-03", "A", day(10), day(20)),
                      category=Category.FACILITATED_CAMPAIGN, purpose="APK pasangan calon",
                      election=election.id)
    plain = submit(kpu, ("PGK-04", "A", day(10), day(20)))
    html = as_reviewer.get("/review").get_data(as_text=True)
    sections = dict(re.findall(r'<section class="queue-request" id="request-(\d+)"(.*?)</section>',
                               html, re.S))
    assert "Legal review" in sections[str(campaign.id)]
    assert "Keputusan Wali Kota, No. 188.45/77/2026" in sections[str(campaign.id)]
    assert "Facilitated campaign props" in sections[str(campaign.id)]
    assert "Legal review" not in sections[str(plain.id)]


def test_queue_links_letter_and_artwork(as_reviewer, kpu):
    with_files = submit(kpu, ("PGK-01", "A", day(10), day(20)),
                        letter=kept("surat.pdf"), artwork=kept("desain.png"))
    html = as_reviewer.get("/review").get_data(as_text=True)
    assert f'href="/requests/{with_files.id}/files/letter"' in html
    assert f'href="/requests/{with_files.id}/files/artwork"' in html


# --- decisions --------------------------------------------------------------------------------

@pytest.mark.db
def test_approve_records_the_legal_record(as_reviewer, kpu, reviewer):
    item = submit(kpu, ("PGK-01", "A", day(10), day(39))).bookings[0]
    audits, mails = count(AuditEvent), count(OutboxEmail)
    response = decide_item(
        as_reviewer, item, agreement_number="PKS/001/BAKEUDA/2026",
        agreement_date=day(1).isoformat(), approval_letter_number="500/12/WK",
        approval_letter_date=day(1).isoformat(), next="/review")
    assert response.status_code == 303 and response.headers["Location"] == "/review"

    approved = fresh(item.id)
    assert approved.status == BookingStatus.APPROVED
    assert approved.agreement_number == "PKS/001/BAKEUDA/2026"
    assert (approved.approval_letter_number, approved.approval_letter_date) == \
        ("500/12/WK", day(1))
    assert approved.decided_by_id == reviewer.id and approved.fee_idr == 0
    assert approved.foregone_idr == 6_000_000  # PGK-01's tariff, 30 days
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="booking.approved"))
    assert (event.action, event.actor_id, event.object_id, event.from_state, event.to_state) == \
        ("booking.approved", reviewer.id, item.id, "submitted", "approved")
    # The item's transition and the decision itself.
    assert count(AuditEvent) == audits + 2 and count(OutboxEmail) > mails
    assert "Disetujui (1)" in db.session.scalar(
        db.select(OutboxEmail.body).order_by(OutboxEmail.id.desc()))

    html = as_reviewer.get("/review").get_data(as_text=True)
    assert "1 approved, 0 rejected" in html and "Nothing waiting for a decision." in html


def test_reject_keeps_the_reason(as_reviewer, kpu, reviewer):
    item = submit(kpu, ("PGK-01", "A", day(10), day(20))).bookings[0]
    mails = count(OutboxEmail)
    response = decide_item(as_reviewer, item, reject="Titik dipakai acara HUT Kota",
                           follow_redirects=True)
    assert "0 approved, 1 rejected" in response.get_data(as_text=True)
    rejected = fresh(item.id)
    assert (rejected.status, rejected.reason, rejected.decided_by_id) == \
        (BookingStatus.REJECTED, "Titik dipakai acara HUT Kota", reviewer.id)
    event = db.session.scalar(db.select(AuditEvent).filter_by(
        object_type="booking", object_id=item.id).order_by(AuditEvent.id.desc()))
    assert (event.action, event.reason) == ("booking.rejected", "Titik dipakai acara HUT Kota")
    assert count(OutboxEmail) > mails


def test_cancel_an_approved_item_from_the_request_page(as_reviewer, kpu):
    request = submit(kpu, ("PGK-01", "A", day(10), day(20)))
    item = request.bookings[0]
    decide_item(as_reviewer, item)
    page = f"/review/requests/{request.id}"
    data = {"reason": "Struktur rusak diterpa angin", "next": page}
    # Cancelling asks first, carrying the reason and the way back; nothing changes yet.
    question = as_reviewer.post(f"/review/bookings/{item.id}/cancel", data=data)
    text = question.get_data(as_text=True)
    assert question.status_code == 200 and "Struktur rusak diterpa angin" in text
    assert f'href="{page}"' in text and f'name="next" value="{page}"' in text
    assert fresh(item.id).status == BookingStatus.APPROVED
    response = as_reviewer.post(f"/review/bookings/{item.id}/cancel",
                                data={**data, "confirmed": "1"})
    assert response.status_code == 303 and response.headers["Location"] == page
    assert fresh(item.id).status == BookingStatus.CANCELLED
    html = as_reviewer.get(page).get_data(as_text=True)
    assert "Cancelled: " in html and "Struktur rusak diterpa angin" in html
    assert "Approved → Cancelled" in html


def test_decision_goes_back_only_to_a_local_page(as_reviewer, kpu):
    item = submit(kpu, ("PGK-01", "A", day(10), day(20))).bookings[0]
    response = decide_item(as_reviewer, item, reject="Tidak lengkap",
                           next="https://evil.example/review")
    assert response.headers["Location"] == f"/review/requests/{item.request_id}"


@pytest.mark.parametrize(("action", "data", "message"), [
    ("approve", {"agreement_number": "  "}, "The agreement number is required."),
    ("approve", {"agreement_number": "PKS-1", "approval_letter_date": "31/02/2026"},
     "Write the date like 27 November 2024 or 27-11-2024."),
    ("reject", {}, "A reason is required."),
    ("cancel", {}, "A reason is required."),
])
def test_incomplete_decision_changes_nothing(as_reviewer, kpu, action, data, message):
    item = submit(kpu, ("PGK-01", "A", day(10), day(20))).bookings[0]
    audits = count(AuditEvent)
    if action == "cancel":
        response = as_reviewer.post(f"/review/bookings/{item.id}/cancel", data=data,
                                    follow_redirects=True)
        assert response.status_code == 200
    else:
        # The decision form shows itself again, with the message, and writes nothing.
        response = decide_item(as_reviewer, item, reject="" if action == "reject" else None,
                               **data)
        assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert fresh(item.id).status == BookingStatus.SUBMITTED
    assert count(AuditEvent) == audits


@pytest.mark.db
def test_approving_a_clashing_item_is_a_clear_message(as_reviewer, kpu, bawaslu):
    first = submit(kpu, ("PGK-01", "A", day(10), day(20))).bookings[0]
    second = submit(bawaslu, ("PGK-01", "A", day(20), day(25))).bookings[0]
    decide_item(as_reviewer, first)
    audits, mails = count(AuditEvent), count(OutboxEmail)

    response = decide_item(as_reviewer, second)
    assert response.status_code == 422
    assert "the face is already taken" in response.get_data(as_text=True)
    unchanged = fresh(second.id)
    assert (unchanged.status, unchanged.agreement_number) == (BookingStatus.SUBMITTED, None)
    assert (count(AuditEvent), count(OutboxEmail)) == (audits, mails)


def _decide_or_cancel(client, item, action: str, reason: str):
    if action == "cancel":
        return client.post(f"/review/bookings/{item.id}/cancel",
                           data={"reason": reason, "confirmed": "1"}, follow_redirects=True)
    return decide_item(client, item, reject=reason if action == "reject" else None)


@pytest.mark.parametrize(("first", "then", "message"), [
    ("approve", "approve", "This item is already approved."),
    ("approve", "reject", "This item is already approved."),
    ("reject", "approve", "This item is already rejected."),
    ("reject", "cancel", "This item is already rejected."),
])
def test_deciding_twice_is_a_clear_message(as_reviewer, kpu, first, then, message):
    """A decision posted from a page opened before another reviewer's says what became of the
    item, and changes nothing."""
    item = submit(kpu, ("PGK-01", "A", day(10), day(20))).bookings[0]
    _decide_or_cancel(as_reviewer, item, first, "Alasan pertama")
    decided = fresh(item.id)
    before = (decided.status, decided.agreement_number, decided.reason, decided.decided_at)
    response = _decide_or_cancel(as_reviewer, item, then, "Terlambat")
    assert message in response.get_data(as_text=True)
    after = fresh(item.id)
    assert (after.status, after.agreement_number, after.reason, after.decided_at) == before


@pytest.mark.parametrize("url", ["/review/requests/999/decision", "/review/bookings/999/cancel"])
def test_unknown_request_or_booking_is_404(as_reviewer, url):
    response = as_reviewer.post(url, data={"agreement_number": "PKS-1", "reason": "x"})
    assert response.status_code == 404


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_decision_without_token_changes_nothing(self, client, kpu, reviewer):
        item = submit(kpu, ("PGK-01", "A", day(10), day(20))).bookings[0]
        login = client.get("/login").get_data(as_text=True)
        token = csrf_token_in(login)
        client.post("/login", data={"email": reviewer.email, "password": PASSWORD,
                                    "csrf_token": token})
        refused = decide_item(client, item)
        assert refused.status_code == 400
        assert fresh(item.id).status == BookingStatus.SUBMITTED

        queue = client.get("/review").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', queue).group(1)
        accepted = decide_item(client, item, csrf_token=token)
        assert accepted.status_code == 303
        assert fresh(item.id).status == BookingStatus.APPROVED


# --- the request page -------------------------------------------------------------------------

def test_request_page_shows_items_history_and_files(as_reviewer, kpu, bawaslu):
    request = submit(kpu, ("PGK-01", "A", day(10), day(20)), ("PGK-02", "B", day(10), day(20)),
                     letter=kept("surat.pdf"))
    rival = submit(bawaslu, ("PGK-02", "B", day(18), day(22)))
    approved, pending = request.bookings
    decide_item(as_reviewer, approved, agreement_number="PKS/009")
    html = as_reviewer.get(f"/review/requests/{request.id}").get_data(as_text=True)
    assert request.reference in html and "Partly decided" in html
    assert "PKS/009" in html and "Analis Bakeuda" in html
    assert f'href="/requests/{request.id}/bookings/{approved.id}/approval"' in html
    assert f'href="/requests/{request.id}/files/letter"' in html and "no artwork uploaded" in html
    assert rival.reference in item_html(html, pending.id)
    assert "Submitted → Approved" in html


def test_unknown_request_is_404(as_reviewer):
    assert as_reviewer.get("/review/requests/999").status_code == 404


# --- the timeline -----------------------------------------------------------------------------

def test_timeline_shows_approved_use_and_pending_requests(as_reviewer, kpu, bawaslu, reviewer):
    taken = submit(kpu, ("PGK-01", "A", day(10), day(20)))
    decide_item(as_reviewer, taken.bookings[0])
    # Two pending items overlapping each other: one lane each.
    first = submit(bawaslu, ("PGK-01", "A", day(25), day(35)))
    second = submit(kpu, ("PGK-01", "A", day(30), day(32)))
    rental("PGK-02", "A", day(5), day(6), reviewer=reviewer)
    html = as_reviewer.get("/review/timeline").get_data(as_text=True)

    approved = re.findall(r'<td colspan="(\d+)" class="tl-item tl-non_commercial"', html)
    assert approved == ["11"]
    pending = re.findall(r'class="tl-item tl-pending"[^>]*>\s*<a class="tl-text" [^>]*>'
                         r'Pending: (PJ-\S+)', html)
    assert sorted(pending) == sorted([first.reference, second.reference])
    assert html.count('<tr class="tl-lane-pending">') == 2
    assert "PT Sinar Bangka" in html and 'class="tl-item tl-commercial"' in html
    # It opens on the week of the first use (the rental in five days), six weeks wide.
    monday = day(5) - timedelta(days=day(5).weekday())
    assert f"{monday:%-d %B %Y} –" in html
    assert html.count('<th scope="col" class="tl-day') == 6 * 7
    # Each bar leads to its request, or to the rental's own page.
    block = db.session.scalar(db.select(Booking).filter_by(tenant_name="PT Sinar Bangka"))
    assert f'href="/review/rentals/{block.id}"' in html
    assert f'href="/review/requests/{taken.id}"' in html
    assert "<h1>Usage schedule</h1>" in html


def test_timeline_opens_on_this_week_when_nothing_is_booked(as_reviewer):
    html = as_reviewer.get("/review/timeline").get_data(as_text=True)
    monday = day(0) - timedelta(days=day(0).weekday())
    assert f"{monday:%-d %B %Y} –" in html


def test_timeline_opens_on_the_next_use_rather_than_empty_weeks(as_reviewer, kpu):
    submit(kpu, ("PGK-03", "A", day(120), day(130)))
    html = as_reviewer.get("/review/timeline").get_data(as_text=True)
    monday = day(120) - timedelta(days=day(120).weekday())
    assert f"{monday:%-d %B %Y} –" in html and 'class="tl-item tl-pending"' in html
    # "This week" still leads back to today.
    assert f'href="/review/timeline?start={day(0).isoformat()}&amp;weeks=6"' in html


def test_timeline_window_is_chosen_by_week(as_reviewer):
    html = as_reviewer.get("/review/timeline?start=2026-03-04&weeks=2").get_data(as_text=True)
    assert "2 March 2026 – 15 March 2026" in html
    assert html.count('<th scope="col" class="tl-day') == 14
    assert 'href="/review/timeline?start=2026-02-16&amp;weeks=2"' in html
    assert 'href="/review/timeline?start=2026-03-16&amp;weeks=2"' in html
    typed = as_reviewer.get("/review/timeline?start=4+Maret+2026&weeks=2").get_data(as_text=True)
    assert "2 March 2026 – 15 March 2026" in typed and 'value="2 March 2026"' in typed


@pytest.mark.parametrize(("query", "message"), [
    ("start=kemarin", "The start must be a date written like 2 March 2026 or 02-03-2026."),
    ("start=2026-02-30", "The start must be a date written like 2 March 2026 or 02-03-2026."),
    ("start=9999-12-31", "The start must be a date between"),
    ("weeks=0", "The number of weeks must be a whole number from 1 to 26."),
    ("weeks=27", "The number of weeks must be a whole number from 1 to 26."),
    ("weeks=-1", "The number of weeks must be a whole number from 1 to 26."),
    ("weeks=2.5", "The number of weeks must be a whole number from 1 to 26."),
    ("weeks=%C2%B2", "The number of weeks must be a whole number from 1 to 26."),
])
def test_timeline_refuses_bad_windows(as_reviewer, query, message):
    response = as_reviewer.get(f"/review/timeline?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_timeline_cancels_a_maintenance_block(as_reviewer, reviewer):
    block = booking.add_occupancy(reviewer, face("PGK-03", "A"), day(2), day(4),
                                  kind=BookingKind.MAINTENANCE, reason="Ganti lampu")
    db.session.commit()
    page = "/review/timeline?start=" + day(2).isoformat()
    html = as_reviewer.get(page).get_data(as_text=True)
    assert "Ganti lampu" in item_html(html, block.id)
    response = as_reviewer.post(f"/review/bookings/{block.id}/cancel",
                                data={"reason": "Selesai lebih cepat", "next": page,
                                      "confirmed": "1"})
    assert response.headers["Location"] == page
    assert fresh(block.id).status == BookingStatus.CANCELLED


# --- rentals and maintenance ------------------------------------------------------------------

def test_record_a_commercial_rental(as_reviewer, reviewer):
    target = face("PGK-04", "B")
    response = as_reviewer.post("/review/occupancy/new", data={
        "face": target.id, "kind": "commercial", "start": day(3).isoformat(),
        "end": day(33).isoformat(), "tenant_name": "PT Timah Jaya", "fee_idr": "4.500.000",
        "fee_reason": "Harga paket", "agreement_number": "SEWA/2026/04"})
    assert response.status_code == 303
    added = db.session.scalar(db.select(Booking).where(Booking.face_id == target.id))
    assert (added.kind, added.status, added.tenant_name, added.fee_idr, added.decided_by_id) == \
        (BookingKind.COMMERCIAL, BookingStatus.APPROVED, "PT Timah Jaya", 4_500_000, reviewer.id)
    assert "PT Timah Jaya" in as_reviewer.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(("fields", "message"), [
    ({"tenant_name": ""}, "The tenant is required for a commercial rental."),
    ({"start": "", "end": ""}, "The start date is required."),
    ({"end": "2020-01-01"}, "The end date is before the start date."),
    ({"fee_idr": "-5"}, "Write whole Rupiah with dots between thousands"),
    ({"fee_idr": "4.50"}, "Write whole Rupiah"),  # a misplaced dot is not guessed at
    ({"fee_idr": "1.000"}, "a different fee needs a reason"),
    ({"start": "2026-05-01", "end": "2026-05-01", "tenant_name": "PT Kedua"},
     "PGK-04/B is already taken"),
])
def test_refused_occupancy_is_shown_again(as_reviewer, reviewer, fields, message):
    target = face("PGK-04", "B")
    rental("PGK-04", "B", date(2026, 4, 20), date(2026, 5, 10), reviewer=reviewer)
    before = count(Booking)
    data = {"face": target.id, "kind": "commercial", "start": day(3).isoformat(),
            "end": day(5).isoformat(), "tenant_name": "PT Timah Jaya", **fields}
    response = as_reviewer.post("/review/occupancy/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Booking) == before


# --- The desk: counts and the queue's filters -----------------------------------------------------

def _queued_references(html):
    return re.findall(r'<h2 id="request-\d+-title"><a [^>]*>(PJ-[\d-]+)</a>', html)


@pytest.fixture
def two_requests(kpu, bawaslu):
    education = submit(kpu, ("PGK-01", "A", day(10), day(20)))
    campaign_free = submit(bawaslu, ("PGK-02", "A", day(40), day(50)),
                           category=Category.PUBLIC_SERVICE)
    return education, campaign_free


@pytest.mark.parametrize(("query", "expected"), [
    ("", [0, 1]),
    ("?category=public_service", [1]),
    ("?site={site_pgk01}", [0]),
    ("?organization={bawaslu_org}", [1]),
    ("?start={day30}", [1]),
    ("?end={day30}", [0]),
    ("?start={day15}&end={day45}", [0, 1]),
])
def test_the_queue_filters_by_organisation_site_category_and_dates(
        as_reviewer, two_requests, bawaslu, query, expected):
    values = {"site_pgk01": face("PGK-01", "A").site_id,
              "bawaslu_org": bawaslu.organization_id,
              "day30": f"{day(30):%d-%m-%Y}", "day15": day(15).isoformat(),
              "day45": day(45).isoformat()}
    html = as_reviewer.get("/review" + query.format(**values)).get_data(as_text=True)
    assert _queued_references(html) == [two_requests[i].reference for i in expected]


def test_a_bad_queue_filter_is_a_message(as_reviewer, two_requests):
    response = as_reviewer.get("/review?start=31+Februari+2026&site=999")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Write the date like 27 November 2024" in html and "Not a valid choice" in html


def test_the_desk_counts_what_needs_attention(as_reviewer, kpu, reviewer):
    waiting = submit(kpu, ("PGK-01", "A", day(10), day(20)), ("PGK-02", "A", day(10), day(20)))
    booking.approve(waiting.bookings[0].id, reviewer, **approval())
    # An approved use that ends today: not yet overdue.
    ended = Booking(face=face("PGK-03", "A"), start_on=day(-30), end_on=day(0),
                    status=BookingStatus.APPROVED, kind=BookingKind.NON_COMMERCIAL,
                    request=waiting, created_by=kpu)
    db.session.add(ended)
    db.session.commit()
    counts = booking.desk_counts(TODAY)
    assert (counts.waiting, counts.approved_this_month, counts.overdue_returns) == (1, 1, 0)
    # Past its end with no return on record: overdue, removal photo or not.
    ended.end_on = day(-1)
    ended.removed_photo, ended.removed_on = "turun.jpg", day(-1)
    db.session.commit()
    counts = booking.desk_counts(TODAY)
    assert counts.overdue_returns == 1
    html = as_reviewer.get("/review").get_data(as_text=True)
    assert re.search(r'class="desk-alert"><a href="/review/overdue"><span class="desk-number">'
                     r'1</span>', html)
    booking.record_return(ended.id, reviewer, number="BAST/PG/9", on=day(0), condition="Baik")
    db.session.commit()
    assert booking.desk_counts(TODAY).overdue_returns == 0


def test_the_desk_counts_rentals_in_use_not_wholly_paid(as_reviewer, reviewer):
    started = rental("PGK-04", "A", day(0), day(29), reviewer=reviewer)
    rental("PGK-05", "A", day(10), day(20), reviewer=reviewer)  # not started: not yet due
    assert booking.desk_counts(day(0)).unpaid_rentals == 1
    booking.record_payment(started.id, reviewer, receipt_number="KW-1", paid_on=day(0),
                           amount_idr=started.fee_idr - 1)
    db.session.commit()
    assert booking.desk_counts(day(0)).unpaid_rentals == 1  # partly paid is not paid
    booking.record_payment(started.id, reviewer, receipt_number="KW-2", paid_on=day(0),
                           amount_idr=1)
    db.session.commit()
    assert booking.desk_counts(day(0)).unpaid_rentals == 0
