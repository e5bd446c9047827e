"""The handover of an approved item (DESIGN §3, §6a): the BAST serah terima when Bakeuda hands
the face over for installation, and the BAST pengembalian when it is handed back.

The chain of an item, derived and never stored: approved → handed over (BAST serah terima) →
installed (the agency's dated photo) → returned (BAST pengembalian, after the removal photo).
An item past its end with no return on record is *overdue*.

Like ``changes``, these lock the row, re-check its state, flush, audit and queue mail; the
caller's unit of work commits.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import audit, clock
from ..audit import Action
from ..domain_errors import ErrorCode
from ..extensions import db
from ..i18n import long_date
from ..models import (
    Booking,
    BookingKind,
    BookingStatus,
    Face,
    Handover,
    HandoverKind,
    Request,
    User,
    max_length,
)
from . import notify
from .changes import _lock_for_decision
from .rules import BookingError, WrongState, handover_of

AUDIT_ACTIONS = {HandoverKind.HANDOVER: Action.BOOKING_HAND_OVER,
                 HandoverKind.RETURN: Action.BOOKING_RECORD_RETURN}
MAX_NUMBER = max_length(Handover.bast_number)
MAX_TEXT = max_length(Handover.condition)

# The derived steps of an approved item's handover, in order (labels.HANDOVER_STAGE_LABELS).
APPROVED, HANDED_OVER, INSTALLED, RETURNED = "approved", "handed_over", "installed", "returned"


def _is_borrowed(item: Booking) -> bool:
    """An approved pinjam pakai or internal-use item of a request: what a BAST is made for."""
    return (item.request_id is not None and item.kind == BookingKind.NON_COMMERCIAL
            and item.status == BookingStatus.APPROVED)


def can_hand_over(item: Booking) -> bool:
    return _is_borrowed(item) and handover_of(item, HandoverKind.HANDOVER) is None


def can_record_return(item: Booking) -> bool:
    """The return follows the agency's removal photo, once."""
    return (_is_borrowed(item) and item.removed_photo is not None
            and handover_of(item, HandoverKind.RETURN) is None)


def handover_stage(item: Booking) -> str | None:
    """Where an approved item stands in its handover; None for anything else."""
    if not _is_borrowed(item):
        return None
    if handover_of(item, HandoverKind.RETURN) is not None:
        return RETURNED
    if item.installed_photo is not None:
        return INSTALLED
    if handover_of(item, HandoverKind.HANDOVER) is not None:
        return HANDED_OVER
    return APPROVED


def is_overdue(item: Booking, today: date | None = None) -> bool:
    """Past its end with no return on record: the asset is not back in the city's hands."""
    return (_is_borrowed(item) and item.end_on < (today or clock.today_wib())
            and item.returned_on is None)


def overdue_condition(today: date):
    """``is_overdue`` in SQL, for counting and listing without loading every item: from the
    index of uses not yet back (``ix_booking_awaiting_return``)."""
    return db.and_(Booking.kind == BookingKind.NON_COMMERCIAL,
                   Booking.status == BookingStatus.APPROVED, Booking.returned_on.is_(None),
                   Booking.end_on < today, Booking.request_id.is_not(None))


def overdue_returns(today: date | None = None) -> list[Booking]:
    """Items past their end with no return recorded, longest overdue first."""
    today = today or clock.today_wib()
    return list(db.session.scalars(
        db.select(Booking).where(overdue_condition(today))
        .options(joinedload(Booking.face).joinedload(Face.site),
                 joinedload(Booking.request).joinedload(Request.organization))
        .order_by(Booking.end_on, Booking.id)))


def record_handover(booking_id: int, reviewer: User, *, number: str, on: date | None,
                    condition: str, note: str | None = None,
                    today: date | None = None) -> Handover:
    """Record the BAST serah terima of an approved item: dated at or before its first day
    (the face is handed over so that the borrower can install), and not in the future."""
    today = today or clock.today_wib()

    def dates(item: Booking) -> str | None:
        if on > item.start_on:
            return _("The handover is dated at or before the first day of the use, "
                     "%(day)s.", day=long_date(item.start_on))
        return None

    return _record(HandoverKind.HANDOVER, booking_id, reviewer, number, on, condition, note,
                   today, dates)


def record_return(booking_id: int, reviewer: User, *, number: str, on: date | None,
                  condition: str, note: str | None = None,
                  today: date | None = None) -> Handover:
    """Record the BAST pengembalian of an approved item, once the agency's removal photo is
    there: dated on or after the photo, and not in the future."""
    today = today or clock.today_wib()

    def dates(item: Booking) -> str | None:
        if item.removed_photo is None:
            return _("The return is recorded after the removal photo: the organisation has "
                     "not sent it yet.")
        if on < item.removed_on:
            return _("The return is dated on or after the removal photo, %(day)s.",
                     day=long_date(item.removed_on))
        return None

    return _record(HandoverKind.RETURN, booking_id, reviewer, number, on, condition, note,
                   today, dates)


def _record(kind: HandoverKind, booking_id: int, reviewer: User, number: str,
            on: date | None, condition: str, note: str | None, today: date,
            dates) -> Handover:
    number = (number or "").strip()
    condition = (condition or "").strip()
    note = (note or "").strip() or None
    problems = []
    if not number or len(number) > MAX_NUMBER:
        problems.append(_("The BAST number is required (at most %(n)s characters).",
                          n=MAX_NUMBER))
    if on is None or on > today:
        problems.append(_("The BAST date is required and cannot be in the future."))
    if not condition or len(condition) > MAX_TEXT or len(note or "") > MAX_TEXT:
        problems.append(_("The condition of the face is required (at most %(n)s characters).",
                          n=MAX_TEXT))
    if problems:
        raise BookingError(problems[0], problems=problems)
    # Locked, then re-checked: of two reviewers recording at once, the second sees the first.
    item = _lock_for_decision(booking_id)
    if not _is_borrowed(item):
        raise WrongState(_("A BAST is made for an approved pinjam pakai or internal use only."))
    db.session.refresh(item, ["handovers"])
    if handover_of(item, kind) is not None:
        raise WrongState(_("The handover of this item is already on record.")
                         if kind == HandoverKind.HANDOVER else
                         _("The return of this item is already on record."))
    if problem := dates(item):
        raise BookingError(problem)
    reused = BookingError(_("BAST number %(number)s is already in the register.",
                            number=number), code=ErrorCode.CLASH)
    if db.session.scalar(db.select(Handover.id).filter_by(bast_number=number)):
        raise reused
    record = Handover(booking=item, kind=kind, bast_number=number, bast_date=on,
                      condition=condition, note=note, recorded_by=reviewer)
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:
        # The same number, or this item's BAST, recorded by someone else a moment ago.
        raise reused from None
    audit.record(reviewer, AUDIT_ACTIONS[kind], "booking", item.id,
                 detail=f"{number} {on.isoformat()}")
    notify.handover_recorded(record)
    return record
