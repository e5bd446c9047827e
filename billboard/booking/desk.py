"""The figures at the top of Bakeuda's desk: what needs attention today."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func

from .. import clock
from ..extensions import db
from ..models import Booking, BookingKind, BookingStatus
from .handover import overdue_condition
from .reads import pending_count


@dataclass(frozen=True)
class DeskCounts:
    waiting: int
    approved_this_month: int
    overdue_returns: int
    unpaid_rentals: int


def desk_counts(today: date) -> DeskCounts:
    """Items waiting; request items approved this WIB month; approved items past their end
    with no return on record (``handover.is_overdue``); rentals in use or over whose rent is
    not wholly paid."""
    month_start = datetime.combine(today.replace(day=1), time.min, tzinfo=clock.WIB)
    approved = db.session.scalar(db.select(func.count(Booking.id)).where(
        Booking.request_id.is_not(None), Booking.status == BookingStatus.APPROVED,
        Booking.decided_at >= month_start))
    overdue = db.session.scalar(db.select(func.count(Booking.id)).where(
        overdue_condition(today)))
    # starts_unpaid() in SQL, from the index of rentals still owed (``ix_booking_owing``).
    unpaid = db.session.scalar(db.select(func.count(Booking.id)).where(
        Booking.kind == BookingKind.COMMERCIAL, Booking.status == BookingStatus.APPROVED,
        Booking.start_on <= today, Booking.fee_idr > Booking.paid_idr,
        Booking.request_id.is_(None)))
    return DeskCounts(waiting=pending_count(), approved_this_month=approved,
                      overdue_returns=overdue, unpaid_rentals=unpaid)
