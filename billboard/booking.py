"""The booking rules of DESIGN §3: availability, conflicts, transitions, audit and outbox.

Plain functions over the models; nothing here knows about HTTP. Functions that change state
flush, write an audit event and queue email; the caller (a view, the API, the CLI) commits once.
Refusals raise :class:`BookingError` with a message meant for the person who asked.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, and_, cast, func, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from . import audit
from .extensions import db
from .i18n import long_date
from .models import (
    AuditEvent,
    Blackout,
    Booking,
    BookingKind,
    BookingStatus,
    Category,
    Election,
    Face,
    Organization,
    OrganizationKind,
    OutboxEmail,
    Request,
    Site,
    SiteStatus,
    User,
    utcnow,
)
from .sqlite import begin_write

log = logging.getLogger(__name__)

WIB = ZoneInfo("Asia/Jakarta")
OCCUPYING = BookingStatus.APPROVED
OPEN_STATES = (BookingStatus.SUBMITTED, BookingStatus.APPROVED)
MAX_ITEMS_PER_REQUEST = 100
# Organisations that may borrow a face free of charge (pinjam pakai).
BORROWER_KINDS = (OrganizationKind.GOVERNMENT, OrganizationKind.BAKEUDA)

CATEGORY_LABELS = {
    Category.VOTER_EDUCATION: _l("Voter education"),
    Category.PUBLIC_SERVICE: _l("Public service information"),
    Category.FACILITATED_CAMPAIGN: _l("Facilitated campaign props"),
    Category.COMMERCIAL: _l("Commercial"),
}
STATUS_LABELS = {
    BookingStatus.SUBMITTED: _l("Submitted"),
    BookingStatus.APPROVED: _l("Approved"),
    BookingStatus.REJECTED: _l("Rejected"),
    BookingStatus.WITHDRAWN: _l("Withdrawn"),
    BookingStatus.CANCELLED: _l("Cancelled"),
}
KIND_LABELS = {
    BookingKind.NON_COMMERCIAL: _l("Pinjam pakai"),
    BookingKind.COMMERCIAL: _l("Commercial rental"),
    BookingKind.MAINTENANCE: _l("Maintenance"),
}


# Audit actions that are not a change of state (those read "from → to").
ACTION_LABELS = {
    "booking.photo_installed": _l("Installation photo added"),
    "booking.photo_removed": _l("Removal photo added"),
    "request.letter_file": _l("Letter attached"),
    "request.artwork_file": _l("Artwork attached"),
}


def describe_change(event: AuditEvent) -> str:
    """What an audit event of a booking changed, in words for the request's history."""
    if not event.to_state:
        return str(ACTION_LABELS.get(event.action, event.action))
    after = str(STATUS_LABELS.get(event.to_state, event.to_state))
    if not event.from_state:
        return after
    return f"{STATUS_LABELS.get(event.from_state, event.from_state)} → {after}"


class BookingError(Exception):
    """A refusal. ``status`` follows HTTP: 400/422 bad input, 404 unknown, 409 clash or state."""

    def __init__(self, message: str, *, code: str = "invalid", status: int = 422,
                 problems: Sequence[str] = ()):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.problems = list(problems) or [message]


class Clash(BookingError):
    def __init__(self, message: str):
        super().__init__(message, code="clash", status=409)


class WrongState(BookingError):
    def __init__(self, message: str):
        super().__init__(message, code="wrong_state", status=409)


def today_wib() -> date:
    """Today's date in Pangkalpinang: every booking date is a WIB date."""
    return datetime.now(WIB).date()


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """Inclusive ranges: one ending on D and one starting on D overlap."""
    return a_start <= b_end and b_start <= a_end


def days_in(start: date, end: date) -> int:
    return (end - start).days + 1


def foregone_value(monthly_rate_idr: int, start: date, end: date) -> int:
    """Rent not collected for a free loan: monthly tariff × days / 30, rounded to whole Rupiah."""
    return (monthly_rate_idr * days_in(start, end) * 2 + 30) // 60


@dataclass(frozen=True)
class Rules:
    min_lead_days: int
    max_days: int
    horizon_days: int

    @classmethod
    def from_config(cls) -> Rules:
        config = current_app.config
        return cls(config["BOOKING_MIN_LEAD_DAYS"], config["BOOKING_MAX_DAYS"],
                   config["BOOKING_HORIZON_DAYS"])


# --- Reading occupancy ---------------------------------------------------------------------

@dataclass(frozen=True)
class Busy:
    """One approved occupancy of a face, as the public may see it."""

    booking_id: int
    face_id: int
    start_on: date
    end_on: date
    kind: BookingKind
    organization: str | None
    purpose: str | None


def _busy_query():
    return (
        db.select(Booking, Request.purpose, Organization.name)
        .outerjoin(Request, Booking.request_id == Request.id)
        .outerjoin(Organization, Request.organization_id == Organization.id)
        .where(Booking.status == OCCUPYING)
        .order_by(Booking.start_on)
    )


def _as_busy(row) -> Busy:
    booking, purpose, org_name = row
    holder = booking.tenant_name if booking.kind == BookingKind.COMMERCIAL else org_name
    return Busy(booking.id, booking.face_id, booking.start_on, booking.end_on, booking.kind,
                holder, purpose)


def occupancy(face_ids: Iterable[int], start: date, end: date) -> dict[int, list[Busy]]:
    """Approved occupancy overlapping [start, end] per face id, in one query."""
    ids = list(face_ids)
    result: dict[int, list[Busy]] = {face_id: [] for face_id in ids}
    if not ids:
        return result
    rows = db.session.execute(_busy_query().where(
        Booking.face_id.in_(ids), Booking.start_on <= end, Booking.end_on >= start))
    for row in rows:
        busy = _as_busy(row)
        result[busy.face_id].append(busy)
    return result


def availability(site: Site, start: date, end: date) -> dict[str, list[Busy]]:
    """Per face label of ``site``, the approved occupancy overlapping [start, end]."""
    busy = occupancy([f.id for f in site.faces], start, end)
    return {face.label: busy[face.id] for face in site.faces}


def current_occupants(on: date, face_ids: Iterable[int] | None = None) -> dict[int, Busy]:
    """For every face occupied on ``on`` (of ``face_ids``, or of all sites), who holds it."""
    query = _busy_query().where(Booking.start_on <= on, Booking.end_on >= on)
    if face_ids is not None:
        query = query.where(Booking.face_id.in_(list(face_ids)))
    rows = db.session.execute(query)
    return {busy.face_id: busy for busy in map(_as_busy, rows)}


# --- Checking a proposed item ----------------------------------------------------------------

@dataclass
class ItemInput:
    """One wished item as the agency states it: site code, face label, inclusive dates."""

    site: str
    face: str
    start: date
    end: date


@dataclass
class ItemCheck:
    """What the rules say about one wished item before anything is written."""

    item: ItemInput
    face: Face | None = None
    problems: list[str] = field(default_factory=list)
    clashes: list[Busy] = field(default_factory=list)
    pending: list[Booking] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _faces_by_key(items: Sequence[ItemInput]) -> dict[tuple[str, str], Face]:
    codes = {item.site.strip().upper() for item in items}
    faces = db.session.scalars(
        db.select(Face).join(Site).options(joinedload(Face.site)).where(Site.code.in_(codes)))
    return {(face.site.code, face.label): face for face in faces}


def _blackouts_overlapping(start: date, end: date) -> list[Blackout]:
    return list(db.session.scalars(
        db.select(Blackout).where(Blackout.start_on <= end, Blackout.end_on >= start)))


def _label(item: ItemInput) -> str:
    return f"{item.site.upper()}/{item.face.upper()} {_span(item.start, item.end)}"


def _taken(item: ItemInput, busy: Busy) -> str:
    return _("%(where)s: the face is already taken %(span)s.",
             where=_label(item), span=_span(busy.start_on, busy.end_on))


def _span(start: date, end: date) -> str:
    return f"{long_date(start)} – {long_date(end)}"


def check_items(category: Category, items: Sequence[ItemInput], *,
                today: date | None = None,
                enforce_dates: bool = True) -> list[ItemCheck]:
    """Apply every date, site, blackout, election and clash rule to each item.

    ``enforce_dates=False`` skips lead time, length and horizon: a decision re-checks only what
    may have changed since the request was made. A constant number of queries whatever the
    number of items or bookings in the database.
    """
    today = today or today_wib()
    rules = Rules.from_config()
    checks = [ItemCheck(item) for item in items]
    if not checks:
        return checks
    faces = _faces_by_key(items)
    window_start = min(i.start for i in items)
    window_end = max(i.end for i in items)
    blackouts = _blackouts_overlapping(window_start, window_end)
    campaigns = list(db.session.scalars(db.select(Election))) \
        if category == Category.FACILITATED_CAMPAIGN else []
    for check in checks:
        item = check.item
        where = _label(item)
        face = faces.get((item.site.strip().upper(), item.face.strip().upper()))
        if face is None:
            check.problems.append(_("%(where)s: no such site or face.", where=where))
            continue
        check.face = face
        if face.site.status != SiteStatus.ACTIVE:
            check.problems.append(_("%(where)s: the site is not available (%(status)s).",
                                    where=where, status=face.site.status.value))
        if item.start > item.end:
            check.problems.append(_("%(where)s: the end date is before the start date.",
                                    where=where))
            continue
        earliest = today + timedelta(days=rules.min_lead_days)
        if enforce_dates and item.start < earliest:
            check.problems.append(_(
                "%(where)s: the start must be on or after %(day)s (%(n)s days' notice).",
                where=where, day=long_date(earliest), n=rules.min_lead_days))
        if enforce_dates and days_in(item.start, item.end) > rules.max_days:
            check.problems.append(_("%(where)s: one item may last at most %(n)s days.",
                                    where=where, n=rules.max_days))
        latest = today + timedelta(days=rules.horizon_days)
        if enforce_dates and item.end > latest:
            check.problems.append(_("%(where)s: bookings can be made until %(day)s at most.",
                                    where=where, day=long_date(latest)))
        for blackout in blackouts:
            if (blackout.site_id in (None, face.site_id)
                    and blackout.category in (None, category)
                    and overlaps(item.start, item.end, blackout.start_on, blackout.end_on)):
                check.problems.append(_(
                    "%(where)s: falls in the blackout “%(name)s” (%(span)s).",
                    where=where, name=blackout.name,
                    span=_span(blackout.start_on, blackout.end_on)))
        if category == Category.FACILITATED_CAMPAIGN and not any(
            e.campaign_start_on <= item.start and item.end <= e.campaign_end_on
            for e in campaigns
        ):
            check.problems.append(_(
                "%(where)s: campaign props are allowed only inside an election's campaign "
                "period.", where=where))
    _attach_clashes([c for c in checks if c.face is not None and c.item.start <= c.item.end])
    for check in checks:
        check.problems.extend(_taken(check.item, busy) for busy in check.clashes)
    _refuse_overlaps_within(checks)
    return checks


def _pending(face_ids: Iterable[int], start: date, end: date) -> dict[int, list[Booking]]:
    """Submitted items overlapping [start, end] per face id, with their requests, in one query."""
    found: dict[int, list[Booking]] = defaultdict(list)
    for item in db.session.scalars(
        db.select(Booking).options(joinedload(Booking.request).joinedload(Request.organization))
        .where(Booking.face_id.in_(list(face_ids)), Booking.status == BookingStatus.SUBMITTED,
               Booking.start_on <= end, Booking.end_on >= start)):
        found[item.face_id].append(item)
    return found


def _attach_clashes(checks: Sequence[ItemCheck]) -> None:
    """Fill each check's approved clashes and pending overlaps, in two queries."""
    if not checks:
        return
    start = min(c.item.start for c in checks)
    end = max(c.item.end for c in checks)
    face_ids = {c.face.id for c in checks}
    busy = occupancy(face_ids, start, end)
    pending = _pending(face_ids, start, end)
    for check in checks:
        item = check.item
        check.clashes = [b for b in busy[check.face.id]
                         if overlaps(item.start, item.end, b.start_on, b.end_on)]
        check.pending = [b for b in pending[check.face.id]
                         if overlaps(item.start, item.end, b.start_on, b.end_on)]


def _refuse_overlaps_within(checks: Sequence[ItemCheck]) -> None:
    for i, first in enumerate(checks):
        for second in checks[i + 1:]:
            if (first.face is not None and first.face is second.face
                    and overlaps(first.item.start, first.item.end,
                                 second.item.start, second.item.end)):
                second.problems.append(_("%(where)s: overlaps another item of this request.",
                                         where=_label(second.item)))


# --- Requests ---------------------------------------------------------------------------------

def request_status(request: Request) -> str:
    """A request's status, derived from its items (DESIGN §3)."""
    states = {b.status for b in request.bookings}
    if not states:
        return BookingStatus.WITHDRAWN.value
    if BookingStatus.SUBMITTED in states:
        return "partly_decided" if len(states) > 1 else BookingStatus.SUBMITTED.value
    if BookingStatus.APPROVED in states:
        return BookingStatus.APPROVED.value if states == {BookingStatus.APPROVED} \
            else "partly_approved"
    if len(states) == 1:
        return next(iter(states)).value
    return "closed"


REQUEST_STATUS_LABELS = {
    **{state.value: label for state, label in STATUS_LABELS.items()},
    "partly_decided": _l("Partly decided"),
    "partly_approved": _l("Partly approved"),
    "closed": _l("Closed"),
}


def _next_reference(year: int) -> str:
    prefix = f"PJ-{year}-"
    # The number as a number: as text, PJ-2026-10000 would sort before PJ-2026-9999.
    number = cast(func.substr(Request.reference, len(prefix) + 1), Integer)
    last = db.session.scalar(
        db.select(func.max(number)).where(Request.reference.like(prefix + "%")))
    return f"{prefix}{(last or 0) + 1:04d}"


def submit_request(user: User, *, purpose: str, category: Category | str, letter_number: str,
                   letter_date: date, items: Sequence[ItemInput],
                   letter_file: str | None = None, artwork_file: str | None = None,
                   today: date | None = None) -> Request:
    """Create a request with its items for ``user``'s organisation, or refuse it whole."""
    begin_write()
    today = today or today_wib()
    try:
        category = Category(category)
    except ValueError:
        raise BookingError(_("Unknown category.")) from None
    problems: list[str] = []
    if user.organization.kind not in BORROWER_KINDS:
        problems.append(_("Pinjam pakai is only for government organisations; commercial use "
                          "is rented through Bakeuda."))
    if category == Category.COMMERCIAL:
        problems.append(_("Commercial use is not requested here: Bakeuda rents faces "
                          "commercially at the tariff."))
    purpose = (purpose or "").strip()
    letter_number = (letter_number or "").strip()
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
    checks = check_items(category, items, today=today) if items and not problems else []
    problems.extend(p for check in checks for p in check.problems)
    if problems:
        raise BookingError(problems[0], problems=problems)

    request = Request(organization=user.organization, created_by=user, purpose=purpose,
                      category=category, letter_number=letter_number, letter_date=letter_date,
                      letter_file=letter_file, artwork_file=artwork_file)
    for check in checks:
        request.bookings.append(Booking(
            face=check.face, start_on=check.item.start, end_on=check.item.end,
            status=BookingStatus.SUBMITTED, kind=BookingKind.NON_COMMERCIAL, created_by=user))
    _insert_with_reference(request, today.year)
    for booking in request.bookings:
        audit.record(user, "booking.submit", "booking", booking.id,
                     to_state=BookingStatus.SUBMITTED.value, detail=request.reference)
    _notify(request, _subject("submitted", request), _body_for_request(request))
    return request


# Key of the PostgreSQL advisory lock under which references are numbered (any constant).
REFERENCE_LOCK = 7_2024


def _insert_with_reference(request: Request, year: int) -> None:
    """Give the request the next number of its year and insert it.

    Submissions number one at a time: on SQLite ``begin_write`` already holds the write lock;
    on PostgreSQL a transaction-scoped advisory lock does, released at commit or rollback.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(db.text("SELECT pg_advisory_xact_lock(:key, :year)"),
                           {"key": REFERENCE_LOCK, "year": year})
    request.reference = _next_reference(year)
    db.session.add(request)
    db.session.flush()


def files_can_change(request: Request) -> bool:
    """The letter and artwork may change while any item still waits for a decision."""
    return any(b.status == BookingStatus.SUBMITTED for b in request.bookings)


def attach_files(request: Request, user: User, *, letter_file: str | None = None,
                 artwork_file: str | None = None) -> list[str | None]:
    """Attach (or replace) the letter and the artwork of a request still under review, e.g.
    one made through the API. Returns the file names they replace, for the caller to discard."""
    begin_write()
    if not files_can_change(request):
        raise WrongState(_("Files can be changed only while items wait for a decision."))
    replaced = []
    for field_name, name in (("letter_file", letter_file), ("artwork_file", artwork_file)):
        if name:
            replaced.append(getattr(request, field_name))
            setattr(request, field_name, name)
            audit.record(user, f"request.{field_name}", "request", request.id, detail=name)
    return replaced


def withdrawable(request: Request, today: date | None = None) -> list[Booking]:
    """The items an agency may still withdraw: submitted or approved, not yet started."""
    today = today or today_wib()
    return [b for b in request.bookings if b.status in OPEN_STATES and b.start_on > today]


def withdraw_request(request: Request, user: User, *, today: date | None = None) -> list[Booking]:
    """Withdraw every item still submitted or approved that has not started yet."""
    begin_write()
    items = withdrawable(request, today)
    if not items:
        raise WrongState(_("Nothing left to withdraw: items already decided or started."))
    for booking in items:
        _transition(booking, BookingStatus.WITHDRAWN, user)
    _notify(request, _subject("withdrawn", request), _body_for_request(request))
    return items


def record_photo(booking: Booking, user: User, *, which: str, filename: str,
                 taken_on: date) -> Booking:
    """Attach the handover photo proving installation or removal of an approved item."""
    begin_write()
    if booking.status != BookingStatus.APPROVED:
        raise WrongState(_("Photos belong to approved items only."))
    if which not in ("installed", "removed"):
        raise BookingError(_("Unknown photo."))
    if taken_on > today_wib() or taken_on < booking.start_on - timedelta(days=7):
        raise BookingError(_("The photo date must be around the booked period and not in "
                             "the future."))
    setattr(booking, f"{which}_photo", filename)
    setattr(booking, f"{which}_on", taken_on)
    audit.record(user, f"booking.photo_{which}", "booking", booking.id,
                 detail=taken_on.isoformat())
    return booking


def history(request: Request) -> list[AuditEvent]:
    """The audit trail of a request and its items, oldest first."""
    ids = [b.id for b in request.bookings]
    return list(db.session.scalars(
        db.select(AuditEvent).options(joinedload(AuditEvent.actor))
        .where(or_(and_(AuditEvent.object_type == "booking", AuditEvent.object_id.in_(ids)),
                   and_(AuditEvent.object_type == "request",
                        AuditEvent.object_id == request.id)))
        .order_by(AuditEvent.at, AuditEvent.id)))


# --- Decisions --------------------------------------------------------------------------------

def _lock_for_decision(booking_id: int) -> Booking:
    """Load a booking inside a write-locked transaction, so a re-check holds until commit.

    SQLite: ``BEGIN IMMEDIATE`` (see ``begin_write``). PostgreSQL: ``SELECT … FOR UPDATE`` on
    the row; the exclusion constraint guards the rest.
    """
    begin_write()
    booking = db.session.scalar(
        db.select(Booking).where(Booking.id == booking_id).with_for_update()
        .execution_options(populate_existing=True))
    if booking is None:
        raise BookingError(_("No such booking."), code="not_found", status=404)
    return booking


def approve(booking_id: int, reviewer: User, *, agreement_number: str,
            approval_letter_number: str | None = None, approval_letter_date: date | None = None,
            today: date | None = None) -> Booking:
    """Approve a submitted item; refuse with :class:`Clash` if the face is taken meanwhile."""
    today = today or today_wib()
    agreement_number = (agreement_number or "").strip()
    if not agreement_number:
        raise BookingError(_("The agreement number is required."))
    booking = _lock_for_decision(booking_id)
    _require_state(booking, BookingStatus.SUBMITTED)
    if booking.end_on < today:
        raise WrongState(_("This period has already ended."))
    request = booking.request
    [check] = check_items(
        request.category,
        [ItemInput(booking.face.site.code, booking.face.label, booking.start_on, booking.end_on)],
        today=today, enforce_dates=False)
    if check.clashes:
        raise Clash(_taken(check.item, check.clashes[0]))
    if check.problems:
        # Not a clash: a blackout or a site out of service since the request was made.
        raise BookingError(check.problems[0], code="refused", status=409,
                           problems=check.problems)
    booking.agreement_number = agreement_number
    booking.approval_letter_number = (approval_letter_number or "").strip() or None
    booking.approval_letter_date = approval_letter_date
    booking.fee_idr = 0
    booking.foregone_idr = foregone_value(booking.face.site.monthly_rate_idr, booking.start_on,
                                          booking.end_on)
    _transition(booking, BookingStatus.APPROVED, reviewer)
    _flush_or_clash()
    _notify(request, _subject("approved", request), _body_for_booking(booking))
    return booking


def reject(booking_id: int, reviewer: User, *, reason: str) -> Booking:
    """Refuse a submitted item, with the reason the agency will read."""
    return _close(booking_id, reviewer, reason, BookingStatus.REJECTED,
                  (BookingStatus.SUBMITTED,))


def cancel(booking_id: int, reviewer: User, *, reason: str) -> Booking:
    """End a submitted or approved item (or a rental or maintenance block) on Bakeuda's side."""
    return _close(booking_id, reviewer, reason, BookingStatus.CANCELLED, OPEN_STATES)


def _close(booking_id: int, reviewer: User, reason: str, to: BookingStatus,
           allowed: Sequence[BookingStatus]) -> Booking:
    reason = _required_reason(reason)
    booking = _lock_for_decision(booking_id)
    _require_state(booking, *allowed)
    _transition(booking, to, reviewer, reason=reason)
    db.session.flush()
    if booking.request is not None:
        _notify(booking.request, _subject(to.value, booking.request), _body_for_booking(booking))
    return booking


def add_occupancy(reviewer: User, face: Face, start: date, end: date, *, kind: BookingKind,
                  tenant_name: str | None = None, fee_idr: int = 0,
                  agreement_number: str | None = None, reason: str | None = None) -> Booking:
    """Record a commercial rental or a maintenance block: occupancy without a request."""
    if kind == BookingKind.NON_COMMERCIAL:
        raise BookingError(_("Pinjam pakai goes through a request."))
    if start > end:
        raise BookingError(_("The end date is before the start date."))
    if kind == BookingKind.COMMERCIAL and not (tenant_name or "").strip():
        raise BookingError(_("The tenant is required for a commercial rental."))
    if fee_idr < 0:
        raise BookingError(_("The fee cannot be negative."))
    begin_write()
    clashes = occupancy([face.id], start, end)[face.id]
    if clashes:
        raise Clash(_("The face is already taken %(span)s.",
                      span=_span(clashes[0].start_on, clashes[0].end_on)))
    booking = Booking(face=face, start_on=start, end_on=end, kind=kind,
                      status=BookingStatus.APPROVED,
                      tenant_name=(tenant_name or "").strip() or None,
                      fee_idr=fee_idr if kind == BookingKind.COMMERCIAL else 0,
                      agreement_number=agreement_number, reason=reason, created_by=reviewer,
                      decided_by=reviewer, decided_at=utcnow())
    db.session.add(booking)
    _flush_or_clash()
    audit.record(reviewer, f"booking.{kind.value}", "booking", booking.id,
                 to_state=BookingStatus.APPROVED.value, reason=reason)
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


def _transition(booking: Booking, to: BookingStatus, actor: User, *,
                reason: str | None = None) -> None:
    before = booking.status
    booking.status = to
    if to in (BookingStatus.APPROVED, BookingStatus.REJECTED, BookingStatus.CANCELLED):
        booking.decided_by = actor
        booking.decided_at = utcnow()
        booking.reason = reason
    audit.record(actor, f"booking.{to.value}", "booking", booking.id,
                 from_state=before.value, to_state=to.value, reason=reason)


def _flush_or_clash() -> None:
    """Flush; the database's own refusal of a double booking becomes a :class:`Clash`."""
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        if "booking_no_overlapping_occupancy" in str(error.orig):
            raise Clash(_("The face was taken by another decision a moment ago.")) from None
        raise


# --- The review queue --------------------------------------------------------------------------

@dataclass
class QueueItem:
    booking: Booking
    clashes: list[Busy]
    pending: list[Booking]

    @property
    def needs_legal_review(self) -> bool:
        return self.booking.request.category == Category.FACILITATED_CAMPAIGN


def review_queue(limit: int | None = None) -> list[QueueItem]:
    """Submitted items, oldest request first (at most ``limit``), each with its approved
    clashes and pending rivals."""
    query = (
        db.select(Booking)
        .join(Request, Booking.request_id == Request.id)
        .options(joinedload(Booking.face).joinedload(Face.site),
                 joinedload(Booking.request).joinedload(Request.organization),
                 joinedload(Booking.request).joinedload(Request.created_by))
        .where(Booking.status == BookingStatus.SUBMITTED)
        .order_by(Request.created_at, Booking.id)
        .limit(limit))
    return conflicts_for(db.session.scalars(query).all())


def pending_count() -> int:
    """How many items wait for a decision."""
    return db.session.scalar(db.select(func.count(Booking.id)).where(
        Booking.status == BookingStatus.SUBMITTED, Booking.request_id.is_not(None)))


def conflicts_for(bookings: Sequence[Booking]) -> list[QueueItem]:
    """Attach to each booking what overlaps it: approved occupancy and other pending items."""
    if not bookings:
        return []
    start = min(b.start_on for b in bookings)
    end = max(b.end_on for b in bookings)
    face_ids = {b.face_id for b in bookings}
    busy = occupancy(face_ids, start, end)
    by_face = _pending(face_ids, start, end)
    return [
        QueueItem(
            booking=b,
            clashes=[x for x in busy[b.face_id] if overlaps(b.start_on, b.end_on,
                                                            x.start_on, x.end_on)],
            pending=[x for x in by_face[b.face_id] if x.id != b.id
                     and overlaps(b.start_on, b.end_on, x.start_on, x.end_on)],
        )
        for b in bookings
    ]


def _requests_of(organization_id: int):
    return (db.select(Request).where(Request.organization_id == organization_id)
            .options(selectinload(Request.bookings).joinedload(Booking.face)
                     .joinedload(Face.site))
            .order_by(Request.created_at.desc(), Request.id.desc()))


def requests_of(organization_id: int) -> list[Request]:
    """An organisation's requests, newest first, with their items loaded."""
    return list(db.session.scalars(_requests_of(organization_id)))


def requests_page(organization_id: int, page: int, per_page: int):
    """One page of an organisation's requests, newest first (a Flask-SQLAlchemy Pagination)."""
    return db.paginate(_requests_of(organization_id), page=page, per_page=per_page,
                       error_out=False)


def request_for(organization_id: int | None, request_id: int) -> Request | None:
    """A request by id; with ``organization_id``, only that organisation's (else None)."""
    query = db.select(Request).where(Request.id == request_id).options(
        selectinload(Request.bookings).joinedload(Booking.face).joinedload(Face.site))
    if organization_id is not None:
        query = query.where(Request.organization_id == organization_id)
    return db.session.scalar(query)


def timeline(start: date, weeks: int) -> tuple[list[Face], dict[int, list[Booking]]]:
    """Faces of active sites and, per face, approved and submitted bookings in the window."""
    end = start + timedelta(weeks=weeks) - timedelta(days=1)
    faces = db.session.scalars(
        db.select(Face).join(Site).options(joinedload(Face.site))
        .where(Site.status != SiteStatus.RETIRED).order_by(Site.code, Face.label)).all()
    rows = db.session.scalars(
        db.select(Booking).options(joinedload(Booking.request).joinedload(Request.organization))
        .where(Booking.status.in_(OPEN_STATES),
               and_(Booking.start_on <= end, Booking.end_on >= start))
        .order_by(Booking.start_on)).all()
    by_face: dict[int, list[Booking]] = defaultdict(list)
    for booking in rows:
        by_face[booking.face_id].append(booking)
    return faces, by_face


# --- Outbox -----------------------------------------------------------------------------------

_SUBJECTS = {
    "submitted": "Permohonan {ref} diterima",
    "withdrawn": "Permohonan {ref} ditarik",
    "approved": "Permohonan {ref}: item disetujui",
    "rejected": "Permohonan {ref}: item ditolak",
    "cancelled": "Permohonan {ref}: item dibatalkan",
}


def _subject(event: str, request: Request) -> str:
    # Mail goes to Indonesian offices: its text is Indonesian whatever the UI language.
    return "[Baliho Pangkalpinang] " + _SUBJECTS[event].format(ref=request.reference)


def _email_date(day: date) -> str:
    return format_date(day, "d MMMM y", locale="id")


def _item_line(booking: Booking) -> str:
    line = (f"- {booking.face.site.code}/{booking.face.label} {booking.face.site.name}: "
            f"{_email_date(booking.start_on)} s.d. {_email_date(booking.end_on)} "
            f"[{booking.status.value}]")
    if booking.agreement_number:
        line += f" perjanjian {booking.agreement_number}"
    if booking.reason:
        line += f" alasan: {booking.reason}"
    return line


def _body_for_request(request: Request) -> str:
    lines = [f"Permohonan {request.reference} dari {request.organization.name}",
             f"Tujuan: {request.purpose}", "", *map(_item_line, request.bookings)]
    return "\n".join(lines)


def _body_for_booking(booking: Booking) -> str:
    request = booking.request
    return "\n".join([f"Permohonan {request.reference} dari {request.organization.name}",
                      f"Tujuan: {request.purpose}", "", _item_line(booking)])


def _notify(request: Request, subject: str, body: str) -> None:
    """Queue one email to the requesting organisation and one to Bakeuda."""
    recipients = [request.organization.email or request.created_by.email,
                  current_app.config["BAKEUDA_EMAIL"]]
    for address in dict.fromkeys(a for a in recipients if a):
        db.session.add(OutboxEmail(to_address=address, subject=subject, body=body))


def pending_mail(max_attempts: int) -> list[OutboxEmail]:
    return list(db.session.scalars(
        db.select(OutboxEmail)
        .where(OutboxEmail.sent_at.is_(None), OutboxEmail.attempts < max_attempts)
        .order_by(OutboxEmail.id)))

