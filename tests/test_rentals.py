"""Commercial rentals and maintenance blocks (DESIGN §3, §5): recorded with the tariff's fee
or an agreed one with its reason, re-dated, ended, paid; through the pages and the API."""

import pytest
from support import TODAY, count, csrf_token_in, day, face

from billboard import booking
from billboard.auth.tokens import issue_token
from billboard.extensions import db
from billboard.models import AuditEvent, Booking, BookingKind, BookingStatus, Payment, Site


def rental(code="PGK-03", label="A", start=10, end=19, tenant="PT Sinar Bangka", **fields):
    added = booking.add_occupancy(fields.pop("reviewer"), face(code, label), day(start),
                                  day(end), kind=BookingKind.COMMERCIAL, tenant_name=tenant,
                                  **fields)
    db.session.commit()
    return added


@pytest.fixture
def api(client, reviewer):
    _token, raw = issue_token(reviewer, "test", None)
    db.session.commit()
    headers = {"Authorization": f"Bearer {raw}"}

    def post(path, json):
        return client.post(path, json=json, headers=headers)

    return post


# --- The service --------------------------------------------------------------------------------

@pytest.mark.db
def test_the_fee_is_the_tariffs_value_unless_agreed_with_a_reason(app, reviewer):
    # PGK-03 rents at 4.000.000 a month: 10 days are 1.333.333,33 → 1.333.333.
    assert rental(reviewer=reviewer).fee_idr == 1_333_333
    with pytest.raises(booking.BookingError, match="needs a reason|memerlukan alasan"):
        rental("PGK-04", reviewer=reviewer, fee_idr=1_000_000)
    agreed = rental("PGK-04", reviewer=reviewer, fee_idr=1_000_000, fee_reason="Paket HUT Kota")
    assert (agreed.fee_idr, agreed.fee_reason) == (1_000_000, "Paket HUT Kota")


@pytest.mark.db
def test_horizon_applies_but_not_lead_time(app, reviewer):
    assert rental(start=0, end=1, reviewer=reviewer).start_on == TODAY
    with pytest.raises(booking.BookingError):
        rental("PGK-04", start=400, end=401, reviewer=reviewer)


@pytest.mark.db
def test_new_dates_are_checked_against_occupancy(app, reviewer):
    first = rental(start=10, end=19, reviewer=reviewer)
    rental(start=30, end=39, reviewer=reviewer, tenant="PT Lain")
    with pytest.raises(booking.Clash, match="PGK-03/A"):
        booking.change_dates(first.id, reviewer, day(10), day(30))
    db.session.rollback()
    moved = booking.change_dates(first.id, reviewer, day(12), day(29))
    db.session.commit()
    # The fee from the tariff follows the dates: 18 days at 4.000.000 / 30.
    assert (moved.start_on, moved.end_on, moved.fee_idr) == (day(12), day(29), 2_400_000)
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="booking.dates"))
    assert event.from_state == f"{day(10).isoformat()}/{day(19).isoformat()}"


@pytest.mark.db
def test_a_started_rental_keeps_its_first_day_and_ends_today(app, reviewer):
    started = rental(start=-5, end=20, reviewer=reviewer)
    with pytest.raises(booking.WrongState):
        booking.change_dates(started.id, reviewer, day(-4), day(20))
    db.session.rollback()
    ended = booking.end_or_cancel(started.id, reviewer, reason="Penyewa wanprestasi")
    db.session.commit()
    # The days used stay: the rental is still approved, ending today.
    assert (ended.status, ended.start_on, ended.end_on, ended.reason) == \
        (BookingStatus.APPROVED, day(-5), TODAY, "Penyewa wanprestasi")
    later = rental(start=1, end=3, reviewer=reviewer, tenant="PT Berikut")
    cancelled = booking.end_or_cancel(later.id, reviewer, reason="Batal")
    db.session.commit()
    assert cancelled.status == BookingStatus.CANCELLED
    with pytest.raises(booking.WrongState):
        booking.end_or_cancel(later.id, reviewer, reason="Lagi")


@pytest.mark.db
def test_payments_up_to_the_fee_and_the_unpaid_flag(app, reviewer):
    started = rental(start=-1, end=28, reviewer=reviewer)  # 30 days: 4.000.000
    assert booking.starts_unpaid(started)
    booking.record_payment(started.id, reviewer, receipt_number="KW-001", paid_on=TODAY,
                           amount_idr=1_500_000)
    db.session.commit()
    assert booking.payment_state(started) == booking.PaymentState.PARTLY_PAID
    for receipt, amount, paid_on in (("KW-002", 3_000_000, TODAY), ("KW-002", 0, TODAY),
                                     ("KW-003", 10, day(1)), ("", 10, TODAY)):
        with pytest.raises(booking.BookingError):
            booking.record_payment(started.id, reviewer, receipt_number=receipt,
                                   paid_on=paid_on, amount_idr=amount)
        db.session.rollback()
    with pytest.raises(booking.BookingError) as reused:
        booking.record_payment(started.id, reviewer, receipt_number="KW-001", paid_on=TODAY,
                               amount_idr=10)
    assert reused.value.code == "clash"
    db.session.rollback()
    booking.record_payment(started.id, reviewer, receipt_number="KW-004", paid_on=TODAY,
                           amount_idr=2_500_000)
    db.session.commit()
    assert booking.payment_state(started) == booking.PaymentState.PAID
    assert not booking.starts_unpaid(started)
    # A rental that has not started yet is not flagged.
    assert not booking.starts_unpaid(rental("PGK-04", reviewer=reviewer))


@pytest.mark.db
def test_maintenance_blocks_every_face_of_a_site_or_none(app, reviewer):
    site = db.session.scalar(db.select(Site).filter_by(code="PGK-01"))
    rental("PGK-01", "B", start=15, end=16, reviewer=reviewer)
    before = count(Booking)
    with pytest.raises(booking.Clash, match="PGK-01/B"):
        booking.block_site(reviewer, site, day(10), day(20), reason="Ganti rangka")
    db.session.rollback()
    assert count(Booking) == before
    blocks = booking.block_site(reviewer, site, day(20), day(25), reason="Ganti rangka")
    db.session.commit()
    assert sorted(b.face.label for b in blocks) == ["A", "B"]
    assert {b.kind for b in blocks} == {BookingKind.MAINTENANCE}


# --- The pages ----------------------------------------------------------------------------------

def test_the_fee_is_shown_before_saving(as_reviewer):
    form = as_reviewer.get("/review/occupancy/new").get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(form), "face": face("PGK-03").id, "kind": "commercial",
            "start": day(10).isoformat(), "end": day(19).isoformat(),
            "tenant_name": "PT Sinar Bangka"}
    shown = as_reviewer.post("/review/occupancy/new", data={**data, "preview": "1"})
    assert shown.status_code == 200
    assert "Rp 1.333.333" in shown.get_data(as_text=True)
    assert count(Booking) == 0
    saved = as_reviewer.post("/review/occupancy/new", data=data)
    assert saved.status_code == 303
    [added] = db.session.scalars(db.select(Booking)).all()
    assert saved.headers["Location"] == f"/review/rentals/{added.id}"
    assert added.fee_idr == 1_333_333


def test_a_clash_on_new_dates_is_refused_clearly(as_reviewer, reviewer):
    first = rental(start=10, end=19, reviewer=reviewer)
    rental(start=30, end=39, reviewer=reviewer, tenant="PT Lain")
    page = as_reviewer.get(f"/review/rentals/{first.id}").get_data(as_text=True)
    response = as_reviewer.post(f"/review/rentals/{first.id}/dates", data={
        "csrf_token": csrf_token_in(page), "start": day(10).isoformat(),
        "end": day(35).isoformat()})
    assert response.status_code == 422
    assert "PGK-03/A is already taken" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Booking, first.id).end_on == day(19)


def test_ending_a_rental_asks_first(as_reviewer, reviewer):
    started = rental(start=-3, end=10, reviewer=reviewer)
    page = as_reviewer.get(f"/review/rentals/{started.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(page), "reason": "Papan roboh"}
    asked = as_reviewer.post(f"/review/rentals/{started.id}/end", data=data)
    assert asked.status_code == 200 and "End PGK-03/A today?" in asked.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Booking, started.id).end_on == day(10)
    done = as_reviewer.post(f"/review/rentals/{started.id}/end", data={**data, "confirmed": "1"})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Booking, started.id).end_on == TODAY


def test_a_payment_typed_the_indonesian_way_and_the_flag(as_reviewer, reviewer):
    started = rental(start=-1, end=28, reviewer=reviewer)
    listing = as_reviewer.get("/review/rentals?payment=unpaid").get_data(as_text=True)
    assert "Started unpaid" in listing and f"/review/rentals/{started.id}" in listing
    page = as_reviewer.get(f"/review/rentals/{started.id}").get_data(as_text=True)
    response = as_reviewer.post(f"/review/rentals/{started.id}/payments", data={
        "csrf_token": csrf_token_in(page), "receipt_number": "KW/2026/17",
        "paid_on": TODAY.isoformat(), "amount_idr": "4.000.000"})
    assert response.status_code == 303
    payment = db.session.scalar(db.select(Payment))
    assert (payment.receipt_number, payment.amount_idr) == ("KW/2026/17", 4_000_000)
    assert f"/review/rentals/{started.id}" not in as_reviewer.get(
        "/review/rentals?payment=unpaid").get_data(as_text=True)
    assert f"/review/rentals/{started.id}" in as_reviewer.get(
        "/review/rentals?payment=paid").get_data(as_text=True)


def test_the_list_filters_by_kind_site_and_dates(as_reviewer, reviewer):
    rent = rental("PGK-03", start=10, end=19, reviewer=reviewer)
    block = booking.add_occupancy(reviewer, face("PGK-05"), day(40), day(45),
                                  kind=BookingKind.MAINTENANCE, reason="Cat ulang")
    db.session.commit()

    def shown(query):
        html = as_reviewer.get(f"/review/rentals?{query}").get_data(as_text=True)
        return {b.id for b in (rent, block) if f'href="/review/rentals/{b.id}"' in html}

    assert shown("") == {rent.id, block.id}
    assert shown("kind=maintenance") == {block.id}
    assert shown("site=PGK-03") == {rent.id}
    assert shown(f"start={day(20).isoformat()}") == {block.id}
    assert shown(f"end={day(10).isoformat()}") == {rent.id}
    # A filter that cannot be read is ignored with its message, never a 500.
    response = as_reviewer.get("/review/rentals?start=kemarin")
    assert response.status_code == 200 and "Write the date like" in response.get_data(as_text=True)
    for query in ("kind=sewa", "payment=lunas", "site=PGK-99"):
        response = as_reviewer.get(f"/review/rentals?{query}")
        assert response.status_code == 200 and "Not a valid choice" in response.get_data(
            as_text=True)
        assert shown(query) == {rent.id, block.id}


def test_the_agreement_prints_in_indonesian_with_the_tenant_escaped(as_reviewer, reviewer):
    agreed = rental(reviewer=reviewer, tenant="<script>alert(1)</script> PT X",
                    agreement_number="SEWA/07/2026")
    html = as_reviewer.get(f"/review/rentals/{agreed.id}/agreement").get_data(as_text=True)
    assert "Perjanjian Sewa" in html and "PIHAK KEDUA" in html and "SEWA/07/2026" in html
    assert "Rp 1.333.333" in html and "Belum ada pembayaran" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_a_maintenance_block_has_no_agreement_and_request_items_no_rental_page(
        as_reviewer, reviewer, kpu):
    block = booking.add_occupancy(reviewer, face("PGK-05"), day(40), day(45),
                                  kind=BookingKind.MAINTENANCE, reason="Cat ulang")
    request = booking.submit_request(
        kpu, purpose="Sosialisasi", category="voter_education", letter_number="1/KPU",
        letter_date=TODAY, items=[booking.ItemInput("PGK-01", "A", day(10), day(12))])
    db.session.commit()
    assert as_reviewer.get(f"/review/rentals/{block.id}/agreement").status_code == 404
    assert as_reviewer.get(f"/review/rentals/{request.bookings[0].id}").status_code == 404


def test_a_whole_site_blocked_from_the_form(as_reviewer):
    form = as_reviewer.get("/review/occupancy/new").get_data(as_text=True)
    response = as_reviewer.post("/review/occupancy/new", data={
        "csrf_token": csrf_token_in(form), "face": face("PGK-01").id, "kind": "maintenance",
        "whole_site": "y", "start": day(5).isoformat(), "end": day(6).isoformat(),
        "reason": "Ganti rangka"})
    assert response.status_code == 303
    assert {b.face.label for b in db.session.scalars(db.select(Booking))} == {"A", "B"}


# --- The API ------------------------------------------------------------------------------------

@pytest.mark.db
def test_api_records_a_rental_with_the_tariffs_fee(app, api):
    response = api("/api/v1/occupancy", {
        "site": "PGK-03", "face": "A", "start": day(10).isoformat(), "end": day(19).isoformat(),
        "kind": "commercial", "tenant": "PT Sinar Bangka"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert {k: body[k] for k in ("site", "face", "start", "end", "kind", "tenant", "fee_idr")} \
        == {"site": "PGK-03", "face": "A", "start": day(10).isoformat(),
            "end": day(19).isoformat(), "kind": "commercial", "tenant": "PT Sinar Bangka",
            "fee_idr": 1_333_333}
    assert body["payment"] == "unpaid"
    clash = api("/api/v1/occupancy", {
        "site": "PGK-03", "face": "A", "start": day(19).isoformat(), "end": day(25).isoformat(),
        "kind": "maintenance", "reason": "Cat"})
    assert clash.status_code == 409 and clash.get_json()["error"]["code"] == "clash"


@pytest.mark.parametrize(("fields", "status"), [
    ({"kind": "commercial"}, 422),  # no tenant
    ({"kind": "commercial", "tenant": "PT X", "fee_idr": 5}, 422),  # a fee without a reason
    ({"kind": "non_commercial"}, 422),
    ({"kind": "maintenance", "face": "Z"}, 422),
    ({"kind": "maintenance", "fee_idr": "lima juta"}, 400),
    ({"kind": "maintenance", "start": "2026-02-30"}, 400),
])
def test_api_refuses_bad_entries_writing_nothing(app, api, fields, status):
    response = api("/api/v1/occupancy", {"site": "PGK-03", "face": "A",
                                         "start": day(10).isoformat(),
                                         "end": day(19).isoformat(), **fields})
    assert response.status_code == status, response.get_json()
    assert count(Booking) == 0


def test_api_agreed_fee_with_a_reason(app, api):
    response = api("/api/v1/occupancy", {
        "site": "PGK-03", "face": "A", "start": day(10).isoformat(), "end": day(19).isoformat(),
        "kind": "commercial", "tenant": "PT X", "fee_idr": 5_000_000, "reason": "Paket"})
    assert response.status_code == 201
    assert (response.get_json()["fee_idr"], response.get_json()["fee_reason"]) == \
        (5_000_000, "Paket")


@pytest.mark.db
def test_api_cancel_ends_a_started_use_today(app, api, reviewer, kpu):
    started = rental(start=-3, end=10, reviewer=reviewer)
    response = api(f"/api/v1/occupancy/{started.id}/cancel", {"reason": "Papan rusak"})
    assert response.status_code == 200
    assert (response.get_json()["status"], response.get_json()["end"]) == \
        ("approved", TODAY.isoformat())
    assert api(f"/api/v1/occupancy/{started.id}/cancel", {"reason": "x"}).status_code == 200
    assert api("/api/v1/occupancy/999999/cancel", {"reason": "x"}).status_code == 404
    assert api(f"/api/v1/occupancy/{started.id}/cancel", {}).status_code == 400


def test_openapi_describes_the_occupancy_paths(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"/api/v1/occupancy", "/api/v1/occupancy/{booking_id}/cancel"} <= set(spec["paths"])
    assert "fee_idr" in spec["components"]["schemas"]["OccupancyInput"]["properties"]
