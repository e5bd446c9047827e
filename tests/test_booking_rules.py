"""The rules of DESIGN §3, through the service module that owns them."""
from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import TODAY, approval, day, submit

from billboard import booking
from billboard.booking import BookingError, Clash, WrongState
from billboard.errors import status_for
from billboard.extensions import db
from billboard.models import (
    AuditEvent,
    Blackout,
    Booking,
    BookingKind,
    BookingStatus,
    Category,
    Face,
    OutboxEmail,
    Request,
    Site,
    SiteStatus,
)


@pytest.fixture(autouse=True)
def english(app):
    """Messages are asserted in English; Indonesian is the UI default."""
    with force_locale("en"):
        yield


def approve(booking_id, reviewer, number=None):
    numbers = approval(on=TODAY)
    numbers["agreement_number"] = number or numbers["agreement_number"]
    result = booking.approve(booking_id, reviewer, **numbers, today=TODAY)
    db.session.commit()
    return result


# --- pure rules --------------------------------------------------------------------------------

dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 3, 31))


@st.composite
def ranges(draw):
    a, b = draw(dates), draw(dates)
    return min(a, b), max(a, b)


def days_of(start, end):
    return {start + timedelta(days=i) for i in range((end - start).days + 1)}


@given(ranges(), ranges())
def test_overlap_agrees_with_day_by_day_model(a, b):
    assert booking.overlaps(*a, *b) == bool(days_of(*a) & days_of(*b))


def test_overlap_boundaries():
    assert booking.overlaps(day(0), day(5), day(5), day(9))
    assert not booking.overlaps(day(0), day(5), day(6), day(9))


@pytest.mark.db
# Each example empties the bookings itself and rolls back, so sharing ``app`` is safe.
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(existing=st.lists(ranges(), max_size=4), window=ranges())
def test_availability_agrees_with_day_by_day_model(app, existing, window):
    site = db.session.scalar(db.select(Site).filter_by(code="PGK-03"))
    face = site.faces[0]
    db.session.execute(db.delete(Booking))
    placed = []
    for start, end in existing:
        if any(booking.overlaps(start, end, s, e) for s, e in placed):
            continue
        placed.append((start, end))
        db.session.add(Booking(face=face, start_on=start, end_on=end, kind=BookingKind.COMMERCIAL,
                               status=BookingStatus.APPROVED, tenant_name="PT Contoh"))
    db.session.flush()
    busy = booking.availability(site, *window)[face.label]
    busy_days = set().union(*(days_of(b.start_on, b.end_on) for b in busy)) if busy else set()
    expected = set().union(*(days_of(s, e) for s, e in placed)) if placed else set()
    assert busy_days & days_of(*window) == expected & days_of(*window)
    assert all(booking.overlaps(b.start_on, b.end_on, *window) for b in busy)
    db.session.rollback()


@pytest.mark.db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(existing=st.lists(st.tuples(st.integers(0, 2), ranges()), max_size=8), on=dates)
def test_todays_occupants_agree_with_day_by_day_model(app, existing, on):
    # Several faces, each with use ending after ``on``: the read finds each face's own.
    faces = db.session.scalars(db.select(Face).join(Face.site).order_by(Site.code, Face.label)
                               .limit(3)).all()
    db.session.execute(db.delete(Booking))
    placed = {}
    for index, (start, end) in existing:
        face = faces[index]
        if any(booking.overlaps(start, end, s, e) for s, e in placed.get(face.id, {}).values()):
            continue
        row = Booking(face=face, start_on=start, end_on=end, kind=BookingKind.MAINTENANCE,
                      status=BookingStatus.APPROVED)
        db.session.add(row)
        db.session.flush()
        placed.setdefault(face.id, {})[row.id] = (start, end)
    expected = {face_id: row_id for face_id, rows in placed.items()
                for row_id, (start, end) in rows.items() if start <= on <= end}
    found = booking.current_occupants(on)
    assert {face_id: busy.booking_id for face_id, busy in found.items()} == expected
    mine = booking.current_occupants(on, [faces[0].id])
    assert {face_id: busy.booking_id for face_id, busy in mine.items()} == {
        face_id: row_id for face_id, row_id in expected.items() if face_id == faces[0].id}
    db.session.rollback()


# --- submitting ---------------------------------------------------------------------------------

@pytest.mark.db
def test_submit_creates_request_items_audit_and_mail(app, kpu):
    request = submit(kpu, ("PGK-01", "A", day(10), day(20)), ("pgk-02", "b", day(10), day(20)))
    assert request.reference == f"PJ-{TODAY.year}-0001"
    assert [b.status for b in request.bookings] == [BookingStatus.SUBMITTED] * 2
    assert booking.request_status(request) == "submitted"
    events = db.session.scalars(db.select(AuditEvent).filter_by(action="booking.submit")).all()
    assert len(events) == 2 and events[0].actor_id == kpu.id
    mail = db.session.scalars(db.select(OutboxEmail)).all()
    assert {m.to_address for m in mail} == {"staf@kpu.example", app.config["BAKEUDA_EMAIL"]}
    assert submit(kpu, ("PGK-03", "A", day(10), day(12))).reference.endswith("-0002")


def test_references_count_past_9999(app, kpu):
    db.session.add(Request(reference=f"PJ-{TODAY.year}-9999", organization=kpu.organization,
                           created_by=kpu, purpose="x", category=Category.PUBLIC_SERVICE,
                           letter_number="1", letter_date=TODAY))
    db.session.commit()
    first = submit(kpu, ("PGK-01", "A", day(10), day(12))).reference
    second = submit(kpu, ("PGK-02", "A", day(10), day(12))).reference
    assert (first, second) == (f"PJ-{TODAY.year}-10000", f"PJ-{TODAY.year}-10001")


@pytest.mark.parametrize("item, message", [
    (("PGK-01", "A", day(20), day(10)), "end date is before"),
    (("PGK-01", "A", day(1), day(10)), "notice"),
    (("PGK-01", "A", day(10), day(100)), "at most 90 days"),
    (("PGK-01", "A", day(360), day(370)), "until"),
    (("PGK-99", "A", day(10), day(12)), "no such site"),
    (("PGK-03", "B", day(10), day(12)), "no such site or face"),
])
def test_refusals_write_nothing(app, kpu, item, message):
    with pytest.raises(BookingError) as refused:
        submit(kpu, item)
    db.session.rollback()
    assert message in " ".join(refused.value.problems)
    assert db.session.scalar(db.select(db.func.count(Request.id))) == 0
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 0


def test_retired_site_is_refused(app, kpu):
    db.session.scalar(db.select(Site).filter_by(code="PGK-01")).status = SiteStatus.RETIRED
    db.session.commit()
    with pytest.raises(BookingError, match="not available"):
        submit(kpu, ("PGK-01", "A", day(10), day(12)))


def test_private_organisation_may_not_borrow(app, make_user):
    tenant = make_user("iklan@pt.example", org="PT Iklan", org_kind="private")
    with pytest.raises(BookingError, match="government"):
        submit(tenant, ("PGK-01", "A", day(10), day(12)))


def test_commercial_category_is_not_pinjam_pakai(app, kpu):
    with pytest.raises(BookingError, match="Commercial"):
        submit(kpu, ("PGK-01", "A", day(10), day(12)), category=Category.COMMERCIAL)


def test_missing_letter_and_purpose(app, kpu):
    with pytest.raises(BookingError) as refused:
        submit(kpu, ("PGK-01", "A", day(10), day(12)), purpose=" ", letter_number="",
               letter_date=day(1))
    assert len(refused.value.problems) == 3


def test_items_of_one_request_may_not_overlap_each_other(app, kpu):
    with pytest.raises(BookingError, match="another item"):
        submit(kpu, ("PGK-01", "A", day(10), day(12)), ("PGK-01", "A", day(12), day(14)))


def test_blackout_on_one_site_names_itself(app, kpu):
    site = db.session.scalar(db.select(Site).filter_by(code="PGK-02"))
    db.session.add(Blackout(name="Renovasi Alun-Alun", site=site, start_on=day(15),
                            end_on=day(16)))
    db.session.commit()
    with pytest.raises(BookingError, match="Renovasi Alun-Alun"):
        submit(kpu, ("PGK-02", "A", day(10), day(15)))
    assert submit(kpu, ("PGK-01", "A", day(10), day(15))).id


# --- deciding ------------------------------------------------------------------------------------

@pytest.mark.db
def test_approve_stores_agreement_and_foregone_value(app, kpu, reviewer):
    request = submit(kpu, ("PGK-03", "A", day(10), day(39)))
    item = approve(request.bookings[0].id, reviewer, "PKS/010/2026")
    assert item.status == BookingStatus.APPROVED
    assert item.agreement_number == "PKS/010/2026"
    assert item.fee_idr == 0 and item.foregone_idr == 4_000_000
    assert item.decided_by_id == reviewer.id
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="booking.approved"))
    assert (event.from_state, event.to_state) == ("submitted", "approved")


@pytest.mark.db
def test_pending_may_overlap_but_approval_clashes(app, kpu, make_user, reviewer):
    bawaslu = make_user("staf@bawaslu.example", org="Bawaslu Kota Pangkalpinang")
    first = submit(kpu, ("PGK-01", "A", day(10), day(20)))
    second = submit(bawaslu, ("PGK-01", "A", day(20), day(25)))
    [queued_first, queued_second] = booking.review_queue()
    assert queued_first.booking.id == first.bookings[0].id
    assert [p.id for p in queued_first.pending] == [second.bookings[0].id]
    approve(first.bookings[0].id, reviewer)
    queued = booking.review_queue()
    assert [c.booking_id for c in queued[0].clashes] == [first.bookings[0].id]
    with pytest.raises(Clash):
        approve(second.bookings[0].id, reviewer)
    db.session.rollback()
    assert db.session.get(Booking, second.bookings[0].id).status == BookingStatus.SUBMITTED
    booking.reject(second.bookings[0].id, reviewer, reason="Sudah dipakai KPU")
    db.session.commit()
    assert db.session.get(Booking, second.bookings[0].id).reason == "Sudah dipakai KPU"


def test_new_request_clashing_with_approved_use_is_refused(app, kpu, reviewer):
    first = submit(kpu, ("PGK-01", "A", day(10), day(20)))
    approve(first.bookings[0].id, reviewer)
    with pytest.raises(BookingError, match="already taken"):
        submit(kpu, ("PGK-01", "A", day(20), day(22)))
    assert submit(kpu, ("PGK-01", "A", day(21), day(22))).id


@pytest.mark.db
def test_database_refuses_double_booking(app, kpu):
    """Even written past the service, two approved rows on one face cannot overlap."""
    if db.session.get_bind().dialect.name != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's; SQLite relies on BEGIN IMMEDIATE")
    from sqlalchemy.exc import IntegrityError

    face = db.session.scalar(db.select(Face).join(Site).where(Site.code == "PGK-01"))
    for start in (day(1), day(5)):
        db.session.add(Booking(face=face, start_on=start, end_on=start + timedelta(days=4),
                               kind=BookingKind.MAINTENANCE, status=BookingStatus.APPROVED))
    with pytest.raises(IntegrityError, match="booking_no_overlapping_occupancy"):
        db.session.flush()
    db.session.rollback()


def test_decisions_need_agreement_or_reason_and_right_state(app, kpu, reviewer):
    request = submit(kpu, ("PGK-01", "A", day(10), day(20)))
    item_id = request.bookings[0].id
    with pytest.raises(BookingError, match="agreement number"):
        booking.approve(item_id, reviewer, **{**approval(), "agreement_number": " "},
                        today=TODAY)
    with pytest.raises(BookingError, match="reason"):
        booking.reject(item_id, reviewer, reason="")
    booking.reject(item_id, reviewer, reason="Tidak sesuai")
    db.session.commit()
    with pytest.raises(WrongState):
        approve(item_id, reviewer)
    with pytest.raises(BookingError) as unknown:
        booking.approve(999_999, reviewer, **approval(), today=TODAY)
    assert (unknown.value.code, status_for(unknown.value)) == ("not_found", 404)


def test_withdraw_only_before_start(app, kpu, reviewer):
    request = submit(kpu, ("PGK-01", "A", day(10), day(20)), ("PGK-02", "A", day(10), day(20)))
    approve(request.bookings[0].id, reviewer)
    withdrawn = booking.withdraw_request(request, kpu, today=TODAY)
    db.session.commit()
    assert {b.status for b in withdrawn} == {BookingStatus.WITHDRAWN}
    assert booking.request_status(request) == "withdrawn"
    with pytest.raises(WrongState):
        booking.withdraw_request(request, kpu, today=TODAY)
    started = submit(kpu, ("PGK-03", "A", day(10), day(20)))
    with pytest.raises(WrongState):
        booking.withdraw_request(started, kpu, today=day(10))


def test_cancel_frees_the_face(app, kpu, reviewer):
    request = submit(kpu, ("PGK-01", "A", day(10), day(20)))
    approve(request.bookings[0].id, reviewer)
    booking.cancel(request.bookings[0].id, reviewer, reason="Struktur rusak", today=TODAY)
    db.session.commit()
    assert submit(kpu, ("PGK-01", "A", day(10), day(20))).id


def test_commercial_rental_and_maintenance_occupy(app, kpu, reviewer):
    face = db.session.scalar(db.select(Face).join(Site).where(Site.code == "PGK-05"))
    rental = booking.add_occupancy(reviewer, face, day(10), day(40),
                                   kind=BookingKind.COMMERCIAL, tenant_name="PT Timah Iklan",
                                   fee_idr=4_500_000, fee_reason="Harga paket",
                                   agreement_number="SEWA-1")
    db.session.commit()
    occupant = booking.current_occupants(day(12))[face.id]
    assert (occupant.organization, occupant.kind) == ("PT Timah Iklan", BookingKind.COMMERCIAL)
    with pytest.raises(Clash):
        booking.add_occupancy(reviewer, face, day(40), day(41), kind=BookingKind.MAINTENANCE,
                              reason="Cat ulang")
    with pytest.raises(BookingError, match="already taken"):
        submit(kpu, ("PGK-05", "A", day(30), day(45)))
    assert rental.fee_idr == 4_500_000


def test_public_occupancy_never_shows_pending(app, kpu):
    submit(kpu, ("PGK-01", "A", day(10), day(20)))
    site = db.session.scalar(db.select(Site).filter_by(code="PGK-01"))
    assert booking.availability(site, day(0), day(30)) == {"A": [], "B": []}
    assert booking.current_occupants(day(12)) == {}


def test_a_blackout_added_after_the_request_refuses_approval_without_calling_it_a_clash(
        app, kpu, reviewer):
    request = submit(kpu, ("PGK-02", "A", day(10), day(15)))
    db.session.add(Blackout(name="Renovasi Alun-Alun", start_on=day(12), end_on=day(13),
                            site=db.session.scalar(db.select(Site).filter_by(code="PGK-02"))))
    db.session.commit()
    with pytest.raises(BookingError) as refused:
        approve(request.bookings[0].id, reviewer)
    assert not isinstance(refused.value, Clash)
    assert (refused.value.code, status_for(refused.value)) == ("wrong_state", 409)
    assert "Renovasi Alun-Alun" in refused.value.message
