"""The changes of DESIGN §3: submitting, withdrawing, deciding, photos and occupancy.

Each change flushes, writes an audit event and queues its email; the caller (a view, the API,
the CLI) commits once, in its unit of work, which took the write lock before anything here
read. Refusals raise :class:`~.rules.BookingError` and its kin.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from .. import audit, clock, finance
from ..audit import Action
from ..domain_errors import ErrorCode
from ..extensions import db
from ..i18n import long_date
from ..labels import STATUS_LABELS
from ..models import (
    Booking,
    BookingKind,
    BookingStatus,
    Category,
    Election,
    FileKind,
    HandoverKind,
    Request,
    User,
    utcnow,
)
from ..uploads import Upload
from . import files, notify
from .locks import lock_items_of, locked
from .reads import FreedSpan, blocked_by, check_items
from .rules import (
    BORROWER_KINDS,
    MAX_ITEMS_PER_REQUEST,
    OPEN_STATES,
    REMOVAL_GRACE_DAYS,
    BookingError,
    Clash,
    ItemInput,
    WrongState,
    handover_of,
    is_withdrawable,
    shared_reasons,
    where_problem,
    withdrawable,
)

# Key of the PostgreSQL advisory lock under which references are numbered (any constant).
REFERENCE_LOCK = 7_2024


# --- Requests -------------------------------------------------------------------------------

def submit_request(user: User, *, purpose: str, category: Category | str, letter_number: str,
                   letter_date: date, items: Sequence[ItemInput],
                   letter: Upload | None = None, artwork: Upload | None = None,
                   election: int | None = None, today: date | None = None) -> Request:
    """Create a request with its items for ``user``'s organisation, or refuse it whole.

    A facilitated campaign request names its ``election`` (an id), and only such a request.
    """
    today = today or clock.today_wib()
    try:
        category = Category(category)
    except ValueError:
        raise BookingError(_("Unknown category.")) from None
    purpose = (purpose or "").strip()
    letter_number = (letter_number or "").strip()
    problems = _request_problems(user, category, purpose, letter_number, letter_date, items,
                                 today)
    named = _named_election(category, election, problems)
    checks = check_items(category, items, election=named, today=today) \
        if items and not problems else []
    # A reason every item shares is said once, not once per item (16 faces outside the
    # campaign period are one problem).
    shared = shared_reasons(checks)
    problems.extend(_("Every item: %(problem)s", problem=reason) for reason in shared)
    problems.extend(where_problem(check.item, reason) for check in checks
                    for reason in check.reasons if reason not in shared)
    if problems:
        raise BookingError(problems[0], problems=problems)

    request = Request(organization=user.organization, created_by=user, purpose=purpose,
                      category=category, letter_number=letter_number, letter_date=letter_date,
                      election=named)
    for check in checks:
        request.bookings.append(Booking(
            face=check.face, start_on=check.item.start, end_on=check.item.end,
            status=BookingStatus.SUBMITTED, kind=BookingKind.NON_COMMERCIAL, created_by=user))
    _insert_with_reference(request, today.year)
    for booking in request.bookings:
        audit.record(user, Action.BOOKING_SUBMIT, "booking", booking.id,
                     to_state=BookingStatus.SUBMITTED.value, detail=request.reference)
    for kind, upload in ((FileKind.LETTER, letter), (FileKind.ARTWORK, artwork)):
        if upload is not None:
            files.add_version(request, user, kind, upload)
    notify.request_changed(request, "submitted")
    return request


def _request_problems(user: User, category: Category, purpose: str, letter_number: str,
                      letter_date: date | None, items: Sequence[ItemInput],
                      today: date) -> list[str]:
    """What is wrong with a request as a whole, before its items are checked."""
    problems: list[str] = []
    if user.organization.kind not in BORROWER_KINDS:
        problems.append(_("Pinjam pakai is only for government organisations; commercial use "
                          "is rented through Bakeuda."))
    if category == Category.COMMERCIAL:
        problems.append(_("Commercial use is not requested here: Bakeuda rents faces "
                          "commercially at the tariff."))
    if not purpose:
        problems.append(_("The purpose is required."))
    if not letter_number:
        problems.append(_("The letter number is required."))
    if letter_date is None or letter_date > today:
        problems.append(_("The letter date must be a date not in the future."))
    if not items:
        problems.append(_("Add at least one site, face and date range."))
    if len(items) > MAX_ITEMS_PER_REQUEST:
        problems.append(_("At most %(n)s items per request.", n=MAX_ITEMS_PER_REQUEST))
    return problems


def _named_election(category: Category, election_id: int | None,
                    problems: list[str]) -> Election | None:
    """The election a request names, or None with the reason added to ``problems``."""
    if category != Category.FACILITATED_CAMPAIGN:
        if election_id is not None:
            problems.append(_("Only a facilitated campaign request names an election."))
        return None
    found = None if election_id is None else db.session.get(Election, election_id)
    if found is None:
        problems.append(_("A facilitated campaign request names the election whose campaign "
                          "it is for."))
    return found


def _next_reference(year: int) -> str:
    prefix = f"PJ-{year}-"
    # References are numbered here only, one at a time (see below), each before its row is
    # inserted: the newest request of the year holds its highest number. Read backwards by id,
    # that is the first row found; max() over the numbers read every request of the year.
    last = db.session.scalar(
        db.select(Request.reference).where(Request.reference.like(prefix + "%"))
        .order_by(Request.id.desc()).limit(1))
    return f"{prefix}{int(last.removeprefix(prefix)) + 1 if last else 1:04d}"


def _insert_with_reference(request: Request, year: int) -> None:
    """Give the request the next number of its year and insert it.

    Submissions number one at a time: on SQLite the unit of work already holds the write lock;
    on PostgreSQL a transaction-scoped advisory lock does, released at commit or rollback.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(db.text("SELECT pg_advisory_xact_lock(:key, :year)"),
                           {"key": REFERENCE_LOCK, "year": year})
    request.reference = _next_reference(year)
    db.session.add(request)
    db.session.flush()


def withdraw_request(request: Request, user: User, *, today: date | None = None) -> list[Booking]:
    """Withdraw every item still submitted or approved that has not started yet."""
    lock_items_of(request)
    items = withdrawable(request, today)
    if not items:
        raise WrongState(_("Nothing left to withdraw: items already decided or started."))
    _withdraw(items, user)
    notify.request_changed(request, "withdrawn")
    return items


def withdraw_item(booking_id: int, user: User, *, today: date | None = None) -> Booking:
    """Withdraw one item of ``user``'s organisation, still submitted or approved and not yet
    started; another organisation's item is not found."""
    item = _lock_for_decision(booking_id)
    if item.request is None or item.request.organization_id != user.organization_id:
        raise BookingError(_("No such booking."), code=ErrorCode.NOT_FOUND)
    if not is_withdrawable(item, today or clock.today_wib()):
        _require_state(item, *OPEN_STATES)
        raise WrongState(_("This item has started: it can no longer be withdrawn."))
    _withdraw([item], user)
    notify.item_changed(item, "item_withdrawn")
    return item


def _withdraw(items: Sequence[Booking], user: User) -> None:
    """The agency's side of a withdrawal, for one item or a whole request (rows locked)."""
    freed = [FreedSpan.of(item) for item in items if item.status == BookingStatus.APPROVED]
    for item in items:
        _transition(item, BookingStatus.WITHDRAWN, user)
    db.session.flush()
    _tell_waitlist(freed)


def _tell_waitlist(freed: Sequence[FreedSpan]) -> None:
    """Approved use withdrawn, cancelled or ended early frees days of its face: each request
    that waited for them is told once (the review queue flags its items, read from the audit
    trail)."""
    for request, items in blocked_by(freed).items():
        notify.face_freed(request, items)


PHOTO_ACTIONS = {"installed": Action.BOOKING_ADD_INSTALLED_PHOTO,
                 "removed": Action.BOOKING_ADD_REMOVED_PHOTO}


def record_photo(booking: Booking, user: User, *, which: str, filename: str,
                 taken_on: date) -> Booking:
    """Attach the handover photo proving installation or removal of an approved item.

    The installation photo is dated within the use (from the handover, when the face was handed
    over before the first day); the removal photo within the use or up to
    ``REMOVAL_GRACE_DAYS`` after its end. Neither is dated in the future, and neither changes
    once the return is on record: the return was recorded on the strength of them.
    """
    # Locked and re-read, like the return it may race: one of the two sees the other.
    booking = _lock_for_decision(booking.id)
    db.session.refresh(booking, ["handovers"])
    if booking.status != BookingStatus.APPROVED:
        raise WrongState(_("Photos belong to approved items only."))
    if which not in PHOTO_ACTIONS:
        raise BookingError(_("Unknown photo."))
    if handover_of(booking, HandoverKind.RETURN) is not None:
        raise WrongState(_("The return of this item is on record: its photos can no longer "
                           "change."))
    if problem := _photo_date_problem(booking, which, taken_on, clock.today_wib()):
        raise BookingError(problem)
    setattr(booking, f"{which}_photo", filename)
    setattr(booking, f"{which}_on", taken_on)
    audit.record(user, PHOTO_ACTIONS[which], "booking", booking.id,
                 detail=taken_on.isoformat())
    return booking


def _photo_date_problem(booking: Booking, which: str, taken_on: date,
                        today: date) -> str | None:
    if taken_on > today:
        return _("The photo date must not be in the future.")
    if which == "installed":
        handed_over = handover_of(booking, HandoverKind.HANDOVER)
        first = min(booking.start_on, handed_over.bast_date) if handed_over else booking.start_on
        if not first <= taken_on <= booking.end_on:
            return _("The installation photo is dated within the use, %(start)s to %(end)s.",
                     start=long_date(first), end=long_date(booking.end_on))
        return None
    last = booking.end_on + timedelta(days=REMOVAL_GRACE_DAYS)
    if not booking.start_on <= taken_on <= last:
        return _("The removal photo is dated within the use or up to %(n)s days after its "
                 "end: %(start)s to %(end)s.", n=REMOVAL_GRACE_DAYS,
                 start=long_date(booking.start_on), end=long_date(last))
    return None


# --- Decisions --------------------------------------------------------------------------------

def _lock_for_decision(booking_id: int) -> Booking:
    """Load one booking for a decision, locked (see :func:`.locks.locked`)."""
    found = locked(Booking.id == booking_id)
    if not found:
        raise BookingError(_("No such booking."), code=ErrorCode.NOT_FOUND)
    return found[0]


def cancel(booking_id: int, reviewer: User, *, reason: str, ends_on: date | None = None,
           today: date | None = None) -> Booking:
    """Cancel on Bakeuda's side: a request's item, a rental or a maintenance block.

    A submitted item, or an approved use that has not started, is cancelled whole. An approved
    use that has started ends early on ``ends_on`` (today unless given, within the use): the
    days used stay in the record and the reports, and the foregone value of a pinjam pakai is
    recomputed for them.
    """
    today = today or clock.today_wib()
    reason = _required_reason(reason)
    booking = _lock_for_decision(booking_id)
    _require_state(booking, *OPEN_STATES)
    if booking.status == BookingStatus.APPROVED and booking.start_on <= today:
        return _end_early(booking, reviewer, reason, ends_on or today, today)
    return _close(booking, reviewer, reason, BookingStatus.CANCELLED)


def _end_early(booking: Booking, reviewer: User, reason: str, ends_on: date,
               today: date) -> Booking:
    if booking.end_on < today:
        raise WrongState(_("This use is already over."))
    if not booking.start_on <= ends_on <= booking.end_on:
        raise BookingError(_("A use that has started ends on a day within it, %(start)s to "
                             "%(end)s.", start=long_date(booking.start_on),
                             end=long_date(booking.end_on)))
    before = booking.end_on.isoformat()
    freed = [FreedSpan.of(booking, ends_on + timedelta(days=1))] if ends_on < booking.end_on \
        else []
    booking.end_on = ends_on
    booking.reason = reason
    if booking.request_id is not None:
        booking.foregone_idr = finance.use_value(booking.face.site_id, booking.start_on, ends_on)
    db.session.flush()
    audit.record(reviewer, Action.BOOKING_END_EARLY, "booking", booking.id, from_state=before,
                 to_state=ends_on.isoformat(), reason=reason)
    if booking.request is not None:
        notify.item_changed(booking, "ended_early")
    _tell_waitlist(freed)
    return booking


def _close(booking: Booking, reviewer: User, reason: str, to: BookingStatus) -> Booking:
    """Close a locked, re-checked item for good: rejected, or cancelled before its use."""
    freed = [FreedSpan.of(booking)] if booking.status == BookingStatus.APPROVED else []
    _transition(booking, to, reviewer, reason=reason)
    db.session.flush()
    if booking.request is not None:
        notify.item_changed(booking, to.value)
    _tell_waitlist(freed)
    return booking


def _required_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise BookingError(_("A reason is required."))
    return reason


def _require_state(booking: Booking, *allowed: BookingStatus) -> None:
    if booking.status not in allowed:
        raise WrongState(_("This item is already %(state)s.",
                           state=str(STATUS_LABELS[booking.status]).lower()))


TRANSITION_ACTIONS = {
    BookingStatus.APPROVED: Action.BOOKING_APPROVE,
    BookingStatus.REJECTED: Action.BOOKING_REJECT,
    BookingStatus.WITHDRAWN: Action.BOOKING_WITHDRAW,
    BookingStatus.CANCELLED: Action.BOOKING_CANCEL,
}


def _transition(booking: Booking, to: BookingStatus, actor: User, *,
                reason: str | None = None) -> None:
    before = booking.status
    booking.status = to
    if to in (BookingStatus.APPROVED, BookingStatus.REJECTED, BookingStatus.CANCELLED):
        booking.decided_by = actor
        booking.decided_at = utcnow()
        booking.reason = reason
    audit.record(actor, TRANSITION_ACTIONS[to], "booking", booking.id,
                 from_state=before.value, to_state=to.value, reason=reason)


def _flush_or_clash() -> None:
    """Flush; the database's own refusal of a double booking becomes a :class:`Clash`."""
    try:
        db.session.flush()
    except IntegrityError as error:
        # The caller's unit of work rolls the whole change back.
        if "booking_no_overlapping_occupancy" in str(error.orig):
            raise Clash(_("The face was taken by another decision a moment ago.")) from None
        raise
