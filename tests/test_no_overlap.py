"""No face carries two occupancies on one day, refused by the database itself on both engines
(PostgreSQL: the exclusion constraint; SQLite: the triggers of migration c7d8e9f0a1b2): a script
or a future view that writes rows directly cannot double-book either."""
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from support import TODAY, approval

from billboard import booking
from billboard.auth.tokens import issue_token
from billboard.booking import ItemInput
from billboard.extensions import db
from billboard.models import Booking, BookingStatus, Face, Site

START = TODAY + timedelta(days=20)


def _face_id(code="PGK-01", label="A") -> int:
    return db.session.scalar(
        db.select(Face.id).join(Face.site).where(Site.code == code, Face.label == label))


def _insert(face_id: int, start, end, status="approved") -> int:
    row = db.session.execute(db.text(
        "INSERT INTO booking (face_id, start_on, end_on, status, kind, fee_idr, foregone_idr,"
        " created_at, updated_at) VALUES (:face, :start, :end, :status, 'maintenance', 0, 0,"
        " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id"),
        {"face": face_id, "start": start, "end": end, "status": status})
    booking_id = row.scalar_one()
    db.session.commit()
    return booking_id


def _refused(statement: str, **params) -> None:
    with pytest.raises(IntegrityError, match="booking_no_overlapping_occupancy"):
        db.session.execute(db.text(statement), params)
        db.session.commit()
    db.session.rollback()


@pytest.fixture
def taken(app) -> int:
    """PGK-01 A occupied for START … START+10 (inclusive)."""
    return _insert(_face_id(), START, START + timedelta(days=10))


@pytest.mark.db
@pytest.mark.parametrize("offset, length", [(0, 10), (-5, 5), (10, 3), (3, 2), (-3, 20)])
def test_a_raw_insert_of_an_overlapping_approved_row_is_refused(taken, offset, length):
    start = START + timedelta(days=offset)
    with pytest.raises(IntegrityError, match="booking_no_overlapping_occupancy"):
        _insert(_face_id(), start, start + timedelta(days=length))
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking)) == 1


@pytest.mark.db
def test_rows_that_do_not_occupy_the_same_day_and_face_are_accepted(taken):
    face = _face_id()
    _insert(face, START + timedelta(days=11), START + timedelta(days=12))  # the next day
    _insert(face, START - timedelta(days=3), START - timedelta(days=1))  # ends the day before
    _insert(_face_id("PGK-01", "B"), START, START + timedelta(days=10))  # another face
    for status in ("submitted", "rejected", "withdrawn", "cancelled"):
        _insert(face, START, START + timedelta(days=10), status=status)  # pending may overlap
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking)) == 8


@pytest.mark.db
def test_a_raw_update_into_an_overlap_is_refused(taken):
    face = _face_id()
    pending = _insert(face, START + timedelta(days=5), START + timedelta(days=6), "submitted")
    elsewhere = _insert(face, START + timedelta(days=30), START + timedelta(days=31))
    other_face = _insert(_face_id("PGK-01", "B"), START, START + timedelta(days=1))
    _refused("UPDATE booking SET status = 'approved' WHERE id = :id", id=pending)
    _refused("UPDATE booking SET start_on = :day WHERE id = :id",
             id=elsewhere, day=START + timedelta(days=10))
    _refused("UPDATE booking SET face_id = :face WHERE id = :id", id=other_face, face=face)
    # Changing a row in place (its own range) is no clash with itself.
    db.session.execute(db.text("UPDATE booking SET end_on = :day WHERE id = :id"),
                       {"id": taken, "day": START + timedelta(days=9)})
    db.session.commit()
    statuses = db.session.scalars(db.select(Booking.status).order_by(Booking.id)).all()
    assert statuses == ["approved", "submitted", "approved", "approved"]


@pytest.mark.db
def test_a_clash_only_the_database_sees_is_still_a_clear_409(app, client, make_user,
                                                            monkeypatch):
    """The service re-checks before it writes; should that check ever miss (a code path that
    skips it, a race), the database's refusal still reaches the client as a clash."""
    agency = make_user("staf@kpu.example")
    reviewer = make_user("reviewer@bakeuda.example", role="reviewer", org="Bakeuda")
    request = booking.submit_request(
        agency, purpose="Sosialisasi", category="public_service", letter_number="1/2026",
        letter_date=TODAY, items=[ItemInput("PGK-01", "A", START, START)])
    _token, raw = issue_token(reviewer, "test", None)
    db.session.commit()
    item = request.bookings[0].id
    _insert(_face_id(), START, START)
    monkeypatch.setattr("billboard.booking.reads._attach_clashes", lambda checks: None)

    response = client.post(f"/api/v1/bookings/{item}/approve",
                           headers={"Authorization": f"Bearer {raw}"},
                           json=approval(iso=True))

    assert response.status_code == 409
    assert response.json["error"]["code"] == "clash"
    # The database's refusal, worded for people (the service's own check was skipped).
    assert response.json["error"]["message"] == "Sisi ini baru saja terpakai oleh keputusan lain."
    assert db.session.get(Booking, item).status == BookingStatus.SUBMITTED
