"""Occupancy written straight into the tables, for the public pages' tests.

The public side only reads occupancy; how it is approved is booking.py's business and tested
there. Writing rows directly lets a test put a booking on today, which the lead-time rule forbids
for a new request.
"""
from datetime import date

from support import face

from billboard.extensions import db
from billboard.models import (
    Booking,
    BookingKind,
    BookingStatus,
    Category,
    Request,
    User,
)


def occupy(code: str, label: str, start: date, end: date, *,
           kind: BookingKind = BookingKind.COMMERCIAL, tenant: str | None = "PT Maju Jaya",
           request: Request | None = None,
           status: BookingStatus = BookingStatus.APPROVED) -> Booking:
    """A booking of one face; commercial by default, pinjam pakai when ``request`` is given."""
    if request is not None:
        kind = BookingKind.NON_COMMERCIAL
    booking = Booking(face=face(code, label), start_on=start, end_on=end, status=status,
                      kind=kind, request=request,
                      tenant_name=tenant if kind == BookingKind.COMMERCIAL else None)
    db.session.add(booking)
    db.session.commit()
    return booking


def letter(user: User, purpose: str = "Sosialisasi Pilkada 2024", *,
           category: Category = Category.VOTER_EDUCATION) -> Request:
    """A request (permohonan) of ``user``'s organisation, with no items yet."""
    count = db.session.scalar(db.select(db.func.count(Request.id)))
    request = Request(reference=f"PJ-2024-{count + 1:04d}", organization=user.organization,
                      created_by=user, purpose=purpose, category=category,
                      letter_number=f"{count + 1}/KPU/2024", letter_date=date(2024, 9, 1))
    db.session.add(request)
    db.session.commit()
    return request

