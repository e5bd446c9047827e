"""Deciding a request as a whole (DESIGN §3): one decision approves some of its pending items,
rejects others with a reason and leaves the rest pending, as Bakeuda answers one letter with
one letter (and, when it approves pinjam pakai, one agreement).

A decision is all or nothing: every refusal is raised before anything is written, and the
caller's unit of work rolls back what a late refusal of the database (a clash, a number taken
meanwhile) leaves half done. The per-item ``approve`` and ``reject`` are decisions of one item.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError

from .. import audit, clock, finance
from ..domain_errors import ErrorCode
from ..extensions import db
from ..models import Booking, BookingStatus, Decision, Request, User
from . import notify
from .changes import (
    _flush_or_clash,
    _lock_for_decision,
    _require_state,
    _transition,
)
from .locks import locked
from .reads import check_items
from .rules import INTERNAL_USE_KINDS, BookingError, Clash, ItemInput, WrongState, taken_problem

# The register's unique numbers as the databases name them when they refuse a twin
# (PostgreSQL: the constraint; SQLite: the column).
_NUMBER_CONSTRAINTS = ("uq_decision_agreement_number", "uq_decision_approval_letter_number",
                       "decision.agreement_number", "decision.approval_letter_number")


def is_internal_use(request: Request) -> bool:
    """A city office's (or Bakeuda's) use is the city's own: approved without a perjanjian."""
    return request.organization.kind in INTERNAL_USE_KINDS


def decide(request_id: int, reviewer: User, *, approve: Sequence[int] = (),
           reject: Sequence[tuple[int, str]] = (), agreement_number: str | None = None,
           agreement_date: date | None = None, approval_letter_number: str | None = None,
           approval_letter_date: date | None = None, today: date | None = None) -> Decision:
    """Approve the items ``approve`` and reject ``reject`` (id, reason) of one request.

    Refusals: ``invalid`` (nothing chosen, a missing reason, number or date), ``not_found`` (no
    such request), ``forbidden`` (the reviewer's own organisation's request), ``wrong_state``
    (an id that is not a pending item of this request), ``clash`` (an approved item's face is
    taken, or a number is already in the register).
    """
    request = db.session.get(Request, request_id)
    if request is None:
        raise BookingError(_("No such request."), code=ErrorCode.NOT_FOUND)
    return _decide(request, reviewer, approve=approve, reject=reject,
                   agreement_number=agreement_number, agreement_date=agreement_date,
                   approval_letter_number=approval_letter_number,
                   approval_letter_date=approval_letter_date, today=today)


def _decide(request: Request, reviewer: User, *, approve: Sequence[int] = (),
            reject: Sequence[tuple[int, str]] = (), held: Sequence[Booking] = (),
            agreement_number: str | None = None, agreement_date: date | None = None,
            approval_letter_number: str | None = None, approval_letter_date: date | None = None,
            today: date | None = None) -> Decision:
    """``decide`` on a request already loaded; ``held``: items this transaction has locked
    already (the per-item endpoints lock theirs to find the request)."""
    today = today or clock.today_wib()
    approve = list(dict.fromkeys(approve))
    refusals = {item_id: (reason or "").strip() for item_id, reason in reject}
    if request.organization_id == reviewer.organization_id:
        raise BookingError(_("Nobody decides a request of their own organisation."),
                           code=ErrorCode.FORBIDDEN)
    _check_choice(approve, refusals)
    numbers = _numbers(request, bool(approve), agreement_number, agreement_date,
                       approval_letter_number, approval_letter_date)
    items = _lock_pending(request, [*approve, *refusals], held)
    _check_approvable(request, [items[item_id] for item_id in approve], today)
    _refuse_used_numbers(numbers)

    # Its items given whole, so that the letter and the mail read them without a query.
    decision = Decision(request=request, decided_by=reviewer, bookings=list(items.values()),
                        **numbers)
    db.session.add(decision)
    for item_id in approve:
        _approve_item(items[item_id], decision, reviewer)
    for item_id, reason in refusals.items():
        _transition(items[item_id], BookingStatus.REJECTED, reviewer, reason=reason)
    _flush_or_number_taken()
    audit.record(reviewer, audit.Action.DECISION_RECORD, "decision", decision.id,
                 detail=_decision_detail(request, decision, approve, refusals))
    notify.decided(decision)
    return decision


def _numbers(request: Request, approves: bool, agreement_number: str | None,
             agreement_date: date | None, letter_number: str | None,
             letter_date: date | None) -> dict:
    """The decision's numbers and dates, checked: a pinjam pakai approval needs all four,
    internal use the letter's, a refusal only may carry the reply letter's."""
    agreement_number = (agreement_number or "").strip() or None
    letter_number = (letter_number or "").strip() or None
    needs_agreement = approves and not is_internal_use(request)
    problems = []
    if approves and not letter_number:
        problems.append(_("The approval letter number is required."))
    if approves and letter_date is None:
        problems.append(_("The date of the approval letter is required."))
    if needs_agreement and not agreement_number:
        problems.append(_("The agreement number is required."))
    if needs_agreement and agreement_date is None:
        problems.append(_("The date of the agreement is required."))
    if not needs_agreement and (agreement_number or agreement_date):
        problems.append(
            _("Internal use of a city office has no agreement: leave its number and date empty.")
            if approves else
            _("A decision that only rejects has no agreement: leave its number and date empty."))
    if problems:
        raise BookingError(problems[0], problems=problems)
    return {"agreement_number": agreement_number, "agreement_date": agreement_date,
            "approval_letter_number": letter_number, "approval_letter_date": letter_date}


def _check_choice(approve: list[int], refusals: dict[int, str]) -> None:
    if not approve and not refusals:
        raise BookingError(_("Choose at least one item to approve or to reject."))
    if set(approve) & set(refusals):
        raise BookingError(_("An item is either approved or rejected, not both."))
    if not all(refusals.values()):
        raise BookingError(_("A reason is required."))


def _lock_pending(request: Request, item_ids: list[int],
                  held: Sequence[Booking]) -> dict[int, Booking]:
    """The chosen items, locked and re-read in one statement (``locks.locked``, in id
    order, so that two decisions lock in the same order) unless ``held`` already, each still
    pending and of this request."""
    found = {item.id: item for item in held if item.id in item_ids}
    if len(found) < len(item_ids):
        found = {item.id: item for item in locked(Booking.id.in_(item_ids))}
    for item_id in item_ids:
        item = found.get(item_id)
        if item is None or item.request_id != request.id:
            raise WrongState(_("Item %(id)s is not an item of request %(reference)s.",
                               id=item_id, reference=request.reference))
        _require_state(item, BookingStatus.SUBMITTED)
    return found


def _check_approvable(request: Request, items: list[Booking], today: date) -> None:
    """Every approved item may still be approved: not ended, its face free, no blackout or
    site out of service since the request was made."""
    if any(item.end_on < today for item in items):
        raise WrongState(_("This period has already ended."))
    checks = check_items(
        request.category,
        [ItemInput(b.face.site.code, b.face.label, b.start_on, b.end_on) for b in items],
        election=request.election, today=today, enforce_dates=False,
        faces=[b.face for b in items])
    for check in checks:
        if check.clashes:
            raise Clash(taken_problem(check.item, check.clashes[0]))
    problems = [problem for check in checks for problem in check.problems]
    if problems:
        # Not a clash: a blackout or a site out of service since the request was made.
        raise BookingError(problems[0], code=ErrorCode.WRONG_STATE, problems=problems)


def _refuse_used_numbers(numbers: dict) -> None:
    """A number already in the register is refused with what holds it (the unique constraints
    stay the last guard against a decision committed meanwhile)."""
    wanted = {numbers["approval_letter_number"]: _("approval letter"),
              numbers["agreement_number"]: _("agreement")}
    wanted.pop(None, None)
    if not wanted:
        return
    holder = db.session.execute(
        db.select(Decision.agreement_number, Decision.approval_letter_number, Request.reference)
        .join(Decision.request).where(or_(Decision.agreement_number.in_(wanted),
                                          Decision.approval_letter_number.in_(wanted)))
        .limit(1)).first()
    if holder is not None:
        number = next(n for n in wanted if n in holder[:2])
        raise Clash(_("The number %(number)s (%(what)s) is already in the register, "
                      "for request %(reference)s.", number=number, what=wanted[number],
                      reference=holder.reference))


def _approve_item(item: Booking, decision: Decision, reviewer: User) -> None:
    # Kept on the item too, as before decisions existed: the API's items carry them.
    item.agreement_number = decision.agreement_number
    item.approval_letter_number = decision.approval_letter_number
    item.approval_letter_date = decision.approval_letter_date
    item.fee_idr = 0
    # Stored once: a later change of tariff leaves the value of this decision as it was.
    item.foregone_idr = finance.use_value(item.face.site_id, item.start_on, item.end_on)
    _transition(item, BookingStatus.APPROVED, reviewer)


def _flush_or_number_taken() -> None:
    try:
        _flush_or_clash()
    except IntegrityError as error:
        if any(name in str(error.orig) for name in _NUMBER_CONSTRAINTS):
            raise Clash(_("A number of this decision was put in the register by another "
                          "decision a moment ago.")) from None
        raise


def _decision_detail(request: Request, decision: Decision, approved: list[int],
                     refused: dict[int, str]) -> str:
    return (f"{request.reference}: approved {approved or '-'}, rejected {list(refused) or '-'}; "
            f"letter {decision.approval_letter_number or '-'}, "
            f"agreement {decision.agreement_number or '-'}")


# --- Decisions of one item (the per-item endpoints) -------------------------------------------

def _item(booking_id: int) -> Booking:
    """An item, locked, with its request and organisation (``locks.locked``)."""
    item = _lock_for_decision(booking_id)
    if item.request_id is None:
        raise WrongState(_("Only a request's items are approved or rejected."))
    return item


def approve(booking_id: int, reviewer: User, *, agreement_number: str | None = None,
            agreement_date: date | None = None, approval_letter_number: str | None = None,
            approval_letter_date: date | None = None, today: date | None = None) -> Booking:
    """Approve one submitted item: a decision of one item."""
    item = _item(booking_id)
    _decide(item.request, reviewer, approve=[booking_id], held=[item],
            agreement_number=agreement_number, agreement_date=agreement_date,
            approval_letter_number=approval_letter_number,
            approval_letter_date=approval_letter_date, today=today)
    return item


def reject(booking_id: int, reviewer: User, *, reason: str) -> Booking:
    """Refuse one submitted item, with the reason the agency will read."""
    item = _item(booking_id)
    _decide(item.request, reviewer, reject=[(booking_id, reason)], held=[item])
    return item
