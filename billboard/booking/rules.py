"""The booking rules of DESIGN §3 as plain checks: no query, no session, no HTTP.

Each ``*_problem`` helper is one rule applied to one wished item; ``reads.check_items`` loads
what they need from the database and applies them all.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _

from .. import clock
from ..domain_errors import DomainError, ErrorCode
from ..i18n import long_date
from ..labels import SITE_STATUS_LABELS
from ..models import (
    Blackout,
    Booking,
    BookingKind,
    BookingStatus,
    Category,
    Election,
    Face,
    Handover,
    HandoverKind,
    OrganizationKind,
    Request,
    SiteStatus,
)

if TYPE_CHECKING:
    from .reads import Busy, Suggestion

OCCUPYING = BookingStatus.APPROVED
OPEN_STATES = (BookingStatus.SUBMITTED, BookingStatus.APPROVED)
# DESIGN §3: the removal photo may be dated up to this many days after the end of the use.
REMOVAL_GRACE_DAYS = 7
MAX_ITEMS_PER_REQUEST = 100
# What an organisation may request (form, API, the queue's filter): commercial use is rented
# by Bakeuda, never requested.
REQUEST_CATEGORIES = (Category.VOTER_EDUCATION, Category.PUBLIC_SERVICE,
                      Category.FACILITATED_CAMPAIGN)
# Organisations that may borrow a face free of charge (pinjam pakai).
BORROWER_KINDS = (OrganizationKind.GOVERNMENT, OrganizationKind.CITY_OFFICE,
                  OrganizationKind.BAKEUDA)
# The city itself: its approved use is internal use, without a perjanjian (DESIGN §3).
INTERNAL_USE_KINDS = (OrganizationKind.CITY_OFFICE, OrganizationKind.BAKEUDA)


class BookingError(DomainError):
    """A refusal by the booking rules (code ``invalid`` unless said otherwise)."""


class Clash(BookingError):
    code = ErrorCode.CLASH

    def __init__(self, message: str):
        super().__init__(message)


class WrongState(BookingError):
    code = ErrorCode.WRONG_STATE

    def __init__(self, message: str):
        super().__init__(message)


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """Inclusive ranges: one ending on D and one starting on D overlap."""
    return a_start <= b_end and b_start <= a_end


def days_in(start: date, end: date) -> int:
    return (end - start).days + 1


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
    # What the rules refuse, except clashes: those are worded only when asked for (a decision
    # needs none; a busy face over a long period has dozens).
    refusals: list[str] = field(default_factory=list)
    clashes: list[Busy] = field(default_factory=list)
    # Pending rivals are read when first asked for (for every item of the check at once): a
    # decision never asks, and saves the query. None until then; ``read_rivals`` fills them.
    rivals: list[Booking] | None = field(default_factory=list, repr=False)
    read_rivals: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    @property
    def pending(self) -> list[Booking]:
        """Other submitted items overlapping this one (allowed: they wait for a decision)."""
        if self.rivals is None:
            self.read_rivals()
        return self.rivals

    @property
    def ok(self) -> bool:
        return not self.refusals and not self.clashes

    @property
    def reasons(self) -> list[str]:
        """Every reason to refuse the item, without naming it (the live check names each item
        once, on its own line)."""
        return self.refusals + [taken_reason(busy) for busy in self.clashes]

    @property
    def problems(self) -> list[str]:
        """Every reason to refuse the item, each naming it, for the person who asked."""
        return [where_problem(self.item, reason) for reason in self.reasons]


# --- Words for the person who asked -----------------------------------------------------------

def span_text(start: date, end: date) -> str:
    return f"{long_date(start)} – {long_date(end)}"


def item_text(item: ItemInput) -> str:
    return f"{item.site.upper()}/{item.face.upper()} {span_text(item.start, item.end)}"


def where_problem(item: ItemInput, reason: str) -> str:
    return _("%(where)s: %(problem)s", where=item_text(item), problem=reason)


def taken_reason(busy: Busy) -> str:
    span = span_text(busy.start_on, busy.end_on)
    if busy.kind == BookingKind.MAINTENANCE:
        return _("the face is closed for maintenance %(span)s.", span=span)
    return _("the face is already taken %(span)s.", span=span)


def taken_problem(item: ItemInput, busy: Busy) -> str:
    return where_problem(item, taken_reason(busy))


def suggestion_text(suggestion: Suggestion) -> str | None:
    """What to ask for instead of a taken face, or None when nothing is free."""
    said = []
    if suggestion.later:
        said.append(_("Instead: this face is free %(span)s.", span=span_text(*suggestion.later)))
    if suggestion.faces:
        said.append(_("Free for the same dates: %(faces)s.", faces=", ".join(
            face.code for face in suggestion.faces)))
    return " ".join(said) or None


# --- One rule each ------------------------------------------------------------------------------

def site_problem(item: ItemInput, face: Face) -> str | None:
    if face.site.status != SiteStatus.ACTIVE:
        return _("the site is not available (%(status)s).",
                 status=SITE_STATUS_LABELS[face.site.status])
    if face.is_retired:
        return _("the face is retired and takes no new use.")
    return None


def order_problem(item: ItemInput) -> str | None:
    if item.start > item.end:
        return _("the end date is before the start date.")
    return None


def lead_time_problem(item: ItemInput, rules: Rules, today: date) -> str | None:
    earliest = today + timedelta(days=rules.min_lead_days)
    if item.start < earliest:
        return _("the start must be on or after %(day)s (%(n)s days' notice).",
                 day=long_date(earliest), n=rules.min_lead_days)
    return None


def length_problem(item: ItemInput, rules: Rules) -> str | None:
    if days_in(item.start, item.end) > rules.max_days:
        return _("one item may last at most %(n)s days.", n=rules.max_days)
    return None


def horizon_problem(item: ItemInput, rules: Rules, today: date) -> str | None:
    latest = today + timedelta(days=rules.horizon_days)
    if item.end > latest:
        return _("bookings can be made until %(day)s at most.", day=long_date(latest))
    return None


def blackout_applies(blackout: Blackout, face: Face, category: Category) -> bool:
    """A blackout of every site or of the face's, for every category or for this one."""
    return blackout.site_id in (None, face.site_id) and blackout.category in (None, category)


def blackout_problems(item: ItemInput, face: Face, category: Category,
                      blackouts: Sequence[Blackout]) -> list[str]:
    return [
        _("falls in the blackout “%(name)s” (%(span)s).",
          name=blackout.name, span=span_text(blackout.start_on, blackout.end_on))
        for blackout in blackouts
        if blackout_applies(blackout, face, category)
        and overlaps(item.start, item.end, blackout.start_on, blackout.end_on)
    ]


def campaign_problems(item: ItemInput, face: Face, election: Election | None,
                      designated: Collection[int]) -> list[str]:
    """Facilitated campaign props (APK): only on a designated site, only inside the campaign
    period of the election the request names (masa tenang is a blackout of its own)."""
    problems = []
    if face.site_id not in designated:
        problems.append(_("campaign props are allowed only on a designated APK location (a "
                          "site designated by the Wali Kota's decision)."))
    if election is not None and not (
            election.campaign_start_on <= item.start and item.end <= election.campaign_end_on):
        problems.append(_("campaign props are allowed only inside the campaign period of "
                          "%(election)s (%(span)s).", election=election.name,
                          span=span_text(election.campaign_start_on, election.campaign_end_on)))
    return problems


def overlap_within_problems(checks: Sequence[ItemCheck]) -> None:
    """Two items of one request on the same face may not overlap: the later one is refused."""
    for i, first in enumerate(checks):
        for second in checks[i + 1:]:
            if (first.face is not None and first.face is second.face
                    and overlaps(first.item.start, first.item.end,
                                 second.item.start, second.item.end)):
                second.refusals.append(_("overlaps another item of this request."))


def shared_reasons(checks: Sequence[ItemCheck]) -> list[str]:
    """The reasons every one of several items is refused for (a campaign request outside the
    campaign period, a start inside the lead time): said once for the request, not per item."""
    if len(checks) < 2:
        return []
    others = [set(check.reasons) for check in checks[1:]]
    return [reason for reason in dict.fromkeys(checks[0].reasons)
            if all(reason in found for found in others)]


def first_free_window(closed: Sequence[tuple[date, date]], after: date, days: int,
                      latest: date) -> tuple[date, date] | None:
    """The first ``days`` consecutive days from ``after`` on that overlap none of the
    ``closed`` ranges (sorted by start) and end by ``latest``; None if there is none."""
    start = after
    for closed_start, closed_end in closed:
        if closed_end < start:
            continue
        if (closed_start - start).days >= days:
            break
        start = max(start, closed_end + timedelta(days=1))
    end = start + timedelta(days=days - 1)
    return (start, end) if end <= latest else None


def date_problems(item: ItemInput, rules: Rules, today: date) -> list[str]:
    """Lead time, length and horizon: what a request must meet when it is made."""
    found = (lead_time_problem(item, rules, today), length_problem(item, rules),
             horizon_problem(item, rules, today))
    return [problem for problem in found if problem]


# --- Derived states -----------------------------------------------------------------------------

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


def handover_of(item: Booking, kind: HandoverKind) -> Handover | None:
    """The item's BAST of ``kind`` (serah terima or pengembalian), if it is on record."""
    return next((h for h in item.handovers if h.kind == kind), None)


def files_frozen(request: Request) -> bool:
    """Once any item has been approved, the letter and artwork it was approved on are on record,
    even when that item is later withdrawn or cancelled: a decision's items that were not
    rejected were approved by it (a rejection is final)."""
    return any(b.decision_id is not None and b.status != BookingStatus.REJECTED
               for b in request.bookings)


def files_can_change(request: Request) -> bool:
    """The letter and artwork may change while an item waits for a decision and none is
    approved yet."""
    return not files_frozen(request) and any(
        b.status == BookingStatus.SUBMITTED for b in request.bookings)


def is_withdrawable(item: Booking, today: date) -> bool:
    """An agency may still withdraw the item: submitted or approved, not yet started."""
    return item.status in OPEN_STATES and item.start_on > today


def withdrawable(request: Request, today: date | None = None) -> list[Booking]:
    """The items of ``request`` an agency may still withdraw (``is_withdrawable``)."""
    today = today or clock.today_wib()
    return [b for b in request.bookings if is_withdrawable(b, today)]
