"""Bakeuda's own entries on a face (DESIGN §3, §5): commercial rentals (sewa) and maintenance
blocks, their dates, their end, and the payments of a rental's fee.

No request stands behind them: a reviewer records them directly. Lead time does not apply, the
horizon does; the face's other occupancy always does. Like ``changes``, these flush and audit;
the caller's unit of work, which took the write lock before anything here read, commits.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import audit, clock, finance
from ..audit import Action
from ..domain_errors import ErrorCode
from ..extensions import db
from ..finance import PaymentState
from ..i18n import long_date, rupiah
from ..models import (
    Booking,
    BookingKind,
    BookingStatus,
    Face,
    Payment,
    Site,
    User,
    utcnow,
)
from .changes import (
    _flush_or_clash,
    _lock_for_decision,
    _required_reason,
    cancel,
)
from .reads import occupancy
from .rules import (
    BookingError,
    Clash,
    ItemInput,
    Rules,
    WrongState,
    horizon_problem,
    span_text,
    where_problem,
)

BAKEUDA_KINDS = (BookingKind.COMMERCIAL, BookingKind.MAINTENANCE)


def is_rental(entry: Booking) -> bool:
    return entry.kind == BookingKind.COMMERCIAL


def owes_payment(entry: Booking) -> bool:
    """A rental in force: one whose payment state matters."""
    return is_rental(entry) and entry.status == BookingStatus.APPROVED


def payment_state(rental: Booking) -> PaymentState:
    """Whether a rental's fee has been paid, from the rent received so far."""
    return finance.payment_state(rental.fee_idr, rental.paid_idr)


def starts_unpaid(rental: Booking, today: date | None = None) -> bool:
    """A rental in use (or over) whose fee is not wholly paid: BMD rules want the rent paid
    before the agreement is signed, so Bakeuda must chase it."""
    today = today or clock.today_wib()
    return (owes_payment(rental) and rental.start_on <= today
            and payment_state(rental) != PaymentState.PAID)


def is_started(entry: Booking, today: date | None = None) -> bool:
    return entry.start_on <= (today or clock.today_wib())


def can_change(entry: Booking, today: date | None = None) -> bool:
    """Dates may change and the entry may end while it occupies the face and is not over."""
    return entry.status == BookingStatus.APPROVED and entry.end_on >= (today or clock.today_wib())


# --- Reading ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RentalFilter:
    kind: BookingKind | None = None
    site_id: int | None = None
    start: date | None = None  # overlapping [start, end]
    end: date | None = None
    payment: PaymentState | None = None


def entries(found: RentalFilter = RentalFilter()) -> list[Booking]:
    """Rentals and maintenance blocks, newest first, with their face and site."""
    query = (db.select(Booking).join(Booking.face)
             .where(Booking.request_id.is_(None), Booking.kind.in_(BAKEUDA_KINDS))
             .options(selectinload(Booking.face).joinedload(Face.site))
             .order_by(Booking.start_on.desc(), Booking.id.desc()))
    if found.kind is not None:
        query = query.where(Booking.kind == found.kind)
    if found.site_id is not None:
        query = query.where(Face.site_id == found.site_id)
    if found.start is not None:
        query = query.where(Booking.end_on >= found.start)
    if found.end is not None:
        query = query.where(Booking.start_on <= found.end)
    rows = list(db.session.scalars(query))
    if found.payment is not None:
        rows = [row for row in rows if owes_payment(row) and payment_state(row) == found.payment]
    return rows


def entry(booking_id: int) -> Booking | None:
    """One rental or maintenance block (None for a request's item or an unknown id)."""
    found = db.session.get(Booking, booking_id)
    return found if found is not None and found.request_id is None else None


# --- Recording ----------------------------------------------------------------------------------

def tariff_fee(face: Face, start: date, end: date) -> int:
    """What renting ``face`` over ``[start, end]`` costs at the tariffs in force."""
    return finance.use_value(face.site_id, start, end)


def _dates_problem(face: Face, start: date, end: date, today: date) -> str | None:
    if start > end:
        return _("The end date is before the start date.")
    if not face.site.is_listed:
        return _("The site is retired.")
    if face.is_retired:
        return _("The face is retired.")
    item = ItemInput(face.site.code, face.label, start, end)
    problem = horizon_problem(item, Rules.from_config(), today)
    return problem and where_problem(item, problem)


def _refuse_clashes(faces: Sequence[Face], start: date, end: date,
                    ignore: int | None = None) -> None:
    """A clash naming every face and period in the way (all faces are checked at once)."""
    busy = occupancy([face.id for face in faces], start, end)
    names = {face.id: face.code for face in faces}
    problems = [_("%(face)s is already taken %(span)s.", face=names[face_id],
                  span=span_text(other.start_on, other.end_on))
                for face_id, found in busy.items() for other in found
                if other.booking_id != ignore]
    if problems:
        clash = Clash(problems[0])
        clash.problems = problems
        raise clash


INSERT_ACTIONS = {BookingKind.COMMERCIAL: Action.RENTAL_CREATE,
                  BookingKind.MAINTENANCE: Action.MAINTENANCE_CREATE}


def _insert(reviewer: User, face: Face, start: date, end: date, kind: BookingKind, *,
            reason: str | None, tenant_name: str | None = None, fee: int = 0,
            fee_reason: str | None = None, agreement_number: str | None = None) -> Booking:
    entry = Booking(face=face, start_on=start, end_on=end, kind=kind,
                    status=BookingStatus.APPROVED, tenant_name=tenant_name, fee_idr=fee,
                    fee_reason=fee_reason, agreement_number=agreement_number, reason=reason,
                    created_by=reviewer, decided_by=reviewer, decided_at=utcnow())
    db.session.add(entry)
    _flush_or_clash()
    audit.record(reviewer, INSERT_ACTIONS[kind], "booking", entry.id,
                 to_state=BookingStatus.APPROVED.value, reason=fee_reason or reason,
                 detail=f"fee {fee}" if kind == BookingKind.COMMERCIAL else None)
    return entry


def add_occupancy(reviewer: User, face: Face, start: date, end: date, *, kind: BookingKind,
                  tenant_name: str | None = None, fee_idr: int | None = None,
                  fee_reason: str | None = None, agreement_number: str | None = None,
                  reason: str | None = None, today: date | None = None) -> Booking:
    """Record a commercial rental or a maintenance block on one face.

    A rental's fee is the tariff's value unless ``fee_idr`` says otherwise, which needs
    ``fee_reason``. Maintenance carries no fee.
    """
    today = today or clock.today_wib()
    if kind not in BAKEUDA_KINDS:
        raise BookingError(_("Pinjam pakai goes through a request."))
    tenant_name = (tenant_name or "").strip() or None
    fee_reason = (fee_reason or "").strip() or None
    if kind == BookingKind.COMMERCIAL and not tenant_name:
        raise BookingError(_("The tenant is required for a commercial rental."))
    if problem := _dates_problem(face, start, end, today):
        raise BookingError(problem)
    fee = _fee(face, start, end, fee_idr, fee_reason) if kind == BookingKind.COMMERCIAL else 0
    _refuse_clashes([face], start, end)
    return _insert(reviewer, face, start, end, kind, reason=(reason or "").strip() or None,
                   tenant_name=tenant_name, fee=fee,
                   fee_reason=fee_reason if fee_idr is not None else None,
                   agreement_number=(agreement_number or "").strip() or None)


def _fee(face: Face, start: date, end: date, fee_idr: int | None, fee_reason: str | None) -> int:
    tariff = tariff_fee(face, start, end)
    if fee_idr is None:
        return tariff
    if fee_idr < 0:
        raise BookingError(_("The fee cannot be negative."))
    if fee_idr != tariff and not fee_reason:
        raise BookingError(_("The tariff gives %(fee)s for these days: a different fee needs "
                             "a reason.", fee=rupiah(tariff)))
    return fee_idr


def block_site(reviewer: User, site: Site, start: date, end: date, *, reason: str,
               today: date | None = None) -> list[Booking]:
    """Block every face of a site for maintenance at once: all faces or none."""
    today = today or clock.today_wib()
    reason = _required_reason(reason)
    faces = site.faces_in_use
    if not faces:
        raise BookingError(_("The site has no faces."))
    if problem := _dates_problem(faces[0], start, end, today):
        raise BookingError(problem)
    _refuse_clashes(faces, start, end)
    return [_insert(reviewer, face, start, end, BookingKind.MAINTENANCE, reason=reason)
            for face in faces]


def _locked_entry(booking_id: int) -> Booking:
    found = _lock_for_decision(booking_id)
    if found.request_id is not None:
        raise BookingError(_("No such rental or maintenance block."), code=ErrorCode.NOT_FOUND)
    return found


def change_dates(booking_id: int, reviewer: User, start: date, end: date, *,
                 today: date | None = None) -> Booking:
    """Move a rental or a maintenance block to new dates, re-checked against the face's other
    occupancy. Once it has started its first day stays; its end may not fall in the past.
    A fee from the tariff follows the new dates; an agreed fee stays."""
    today = today or clock.today_wib()
    rental = _locked_entry(booking_id)
    if not can_change(rental, today):
        raise WrongState(_("Only a rental or block that is not over can change its dates."))
    if is_started(rental, today) and start != rental.start_on:
        raise WrongState(_("It started on %(day)s: the first day cannot change any more.",
                           day=long_date(rental.start_on)))
    if end < today:
        raise BookingError(_("The last day cannot be in the past."))
    if problem := _dates_problem(rental.face, start, end, today):
        raise BookingError(problem)
    _refuse_clashes([rental.face], start, end, ignore=rental.id)
    before = f"{rental.start_on.isoformat()}/{rental.end_on.isoformat()}"
    rental.start_on, rental.end_on = start, end
    if rental.kind == BookingKind.COMMERCIAL and rental.fee_reason is None:
        rental.fee_idr = tariff_fee(rental.face, start, end)
    _flush_or_clash()
    audit.record(reviewer, Action.RENTAL_CHANGE_DATES, "booking", rental.id, from_state=before,
                 to_state=f"{start.isoformat()}/{end.isoformat()}")
    return rental


def end_or_cancel(booking_id: int, reviewer: User, *, reason: str,
                  today: date | None = None) -> Booking:
    """Cancel a rental or block that has not started; one in use ends today (``cancel``, the
    one path for every kind of use, kept to Bakeuda's own entries here)."""
    _locked_entry(booking_id)
    return cancel(booking_id, reviewer, reason=reason, today=today)


def record_payment(booking_id: int, reviewer: User, *, receipt_number: str, paid_on: date,
                   amount_idr: int, today: date | None = None) -> Payment:
    """Record a payment of a rental's fee with its receipt; never more than is still due."""
    today = today or clock.today_wib()
    receipt_number = (receipt_number or "").strip()
    rental = _locked_entry(booking_id)
    if not owes_payment(rental):
        raise WrongState(_("Payments belong to rentals in force."))
    problems = []
    if not receipt_number:
        problems.append(_("The receipt number is required."))
    if paid_on > today:
        problems.append(_("The payment date cannot be in the future."))
    due = rental.fee_idr - rental.paid_idr
    if amount_idr <= 0 or amount_idr > due:
        problems.append(_("The amount must be more than nothing and at most what is still "
                          "due, %(due)s.", due=rupiah(max(due, 0))))
    if problems:
        raise BookingError(problems[0], problems=problems)
    reused = BookingError(_("Receipt %(number)s is already recorded.", number=receipt_number),
                          code=ErrorCode.CLASH)
    if db.session.scalar(db.select(Payment.id).filter_by(receipt_number=receipt_number)):
        raise reused
    payment = Payment(booking=rental, receipt_number=receipt_number, paid_on=paid_on,
                      amount_idr=amount_idr, recorded_by=reviewer)
    db.session.add(payment)
    try:
        db.session.flush()
    except IntegrityError:
        # The same receipt recorded by someone else a moment ago: the unit of work rolls back.
        raise reused from None
    audit.record(reviewer, Action.RENTAL_RECORD_PAYMENT, "booking", rental.id,
                 to_state=payment_state(rental).value,
                 detail=f"{receipt_number} {paid_on.isoformat()} {amount_idr}")
    return payment
