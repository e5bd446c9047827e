"""What the booking rules read: occupancy, pending rivals, the queue, the timeline, lookups.

Nothing here changes the database. Each function answers in a constant number of queries,
whatever the number of items or bookings.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import Date, and_, bindparam, case, func, or_
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from .. import clock
from ..audit import Action
from ..extensions import db
from ..models import (
    Allocation,
    AuditEvent,
    Blackout,
    Booking,
    BookingKind,
    BookingStatus,
    CampaignLocation,
    Category,
    Contestant,
    Draw,
    Election,
    Face,
    Organization,
    OutboxEmail,
    Request,
    Role,
    Site,
    SiteStatus,
    User,
)
from ..routing import MAX_ID
from . import rules
from .rules import OCCUPYING, OPEN_STATES, ItemCheck, ItemInput, overlaps

# --- Occupancy ------------------------------------------------------------------------------


class Busy(NamedTuple):
    """One approved occupancy of a face, as the public may see it: a row of ``_busy_query``
    as it comes (a busy quarter of a site is a hundred of them; a dataclass each cost more
    than the query)."""

    booking_id: int
    face_id: int
    start_on: date
    end_on: date
    kind: BookingKind
    organization: str | None
    purpose: str | None
    # Campaign props: the contestant the standing draw gave this face to, if any.
    contestant_number: int | None = None
    contestant_name: str | None = None


def _busy_query():
    """The public columns of bookings, to narrow to approved ones (see ``_occupancy_query``)."""
    # Columns, not Booking objects: a busy week reads dozens of rows, and loading each into the
    # session (identity map, all 25 columns) cost more than the query.
    return with_standing_allocation(
        db.select(Booking.id, Booking.face_id, Booking.start_on, Booking.end_on, Booking.kind,
                  case((Booking.kind == BookingKind.COMMERCIAL, Booking.tenant_name),
                       else_=Organization.name),
                  Request.purpose, Contestant.number, Contestant.name)
        .outerjoin(Request, Booking.request_id == Request.id)
        .outerjoin(Organization, Request.organization_id == Organization.id)
    ).order_by(Booking.start_on)


def with_standing_allocation(select):
    """``select`` of bookings outer-joined to the allocation of each by its standing draw, if
    any, and to that allocation's contestant."""
    # Found through the booking's index: joined as a subquery (or a nested join), SQLite copied
    # every allocation of every election into a temporary index on each read.
    standing = db.select(Draw.id).where(Draw.id == Allocation.draw_id,
                                        Draw.annulled_at.is_(None)).exists()
    return (select.outerjoin(Allocation, and_(Allocation.booking_id == Booking.id, standing))
            .outerjoin(Contestant, Allocation.contestant_id == Contestant.id))


def _overlapping_ids(face_ids, start, end):
    """The ids of the approved rows overlapping [start, end] (of ``face_ids``, else of every
    face), read from index ranges that do not grow with history.

    Approved rows of one face never overlap (the database refuses it), so they follow each
    other in the same order by start as by end: those overlapping the window are the ones
    ending inside it, and at most one more, the first to end after it (it overlaps if it
    starts before the window ends; the caller checks). ``end_on >= start`` alone would read
    every row of the year ahead.
    """
    ending_inside = db.select(Booking.id).where(
        Booking.status == OCCUPYING, Booking.end_on >= start, Booking.end_on <= end)
    later = aliased(Booking)
    first_after = db.select(
        db.select(later.id)
        .where(later.face_id == Face.id, later.status == OCCUPYING, later.end_on > end)
        .order_by(later.end_on).limit(1).correlate(Face).scalar_subquery()).select_from(Face)
    if face_ids is not None:
        ending_inside = ending_inside.where(Booking.face_id.in_(face_ids))
        first_after = first_after.where(Face.id.in_(face_ids))
    return ending_inside.union_all(first_after)


def _occupancy_query(face_ids):
    start, end = bindparam("start", type_=Date), bindparam("end", type_=Date)
    # Only by id: a condition on the status here too lets SQLite read every approved row.
    return _busy_query().where(Booking.id.in_(_overlapping_ids(face_ids, start, end)),
                               Booking.start_on <= end)


# Built once: constructing these statements cost more than running them.
_OCCUPANCY_OF = _occupancy_query(bindparam("face_ids", expanding=True))
_OCCUPANCY_ALL = _occupancy_query(None)


def _rows(statement, **params) -> list:
    # On the session's connection, past the ORM's loading of each row: columns only; fetched
    # at once (a busy quarter is a hundred rows: one fetch each cost a fifth of the read).
    return db.session.connection().execute(statement, params).all()


def occupancy(face_ids: Iterable[int], start: date, end: date) -> dict[int, list[Busy]]:
    """Approved occupancy overlapping [start, end] per face id, in one query."""
    ids = list(face_ids)
    result: dict[int, list[Busy]] = {face_id: [] for face_id in ids}
    if not ids:
        return result
    for busy in map(Busy._make, _rows(_OCCUPANCY_OF, face_ids=ids, start=start, end=end)):
        result[busy.face_id].append(busy)
    return result


def availability(site: Site, start: date, end: date) -> dict[str, list[Busy]]:
    """Per face label of ``site`` still in use, the approved occupancy overlapping [start, end]."""
    busy = occupancy([f.id for f in site.faces_in_use], start, end)
    return {face.label: busy[face.id] for face in site.faces_in_use}


def current_occupants(on: date, face_ids: Iterable[int] | None = None) -> dict[int, Busy]:
    """For every face occupied on ``on`` (of ``face_ids``, or of all sites), who holds it."""
    if face_ids is None:
        rows = _rows(_OCCUPANCY_ALL, start=on, end=on)
    else:
        rows = _rows(_OCCUPANCY_OF, face_ids=list(face_ids), start=on, end=on)
    return {busy.face_id: busy for busy in map(Busy._make, rows)}


_PENDING = (
    db.select(Booking).options(joinedload(Booking.request).joinedload(Request.organization))
    .where(Booking.face_id.in_(bindparam("face_ids", expanding=True)),
           Booking.status == BookingStatus.SUBMITTED,
           Booking.start_on <= bindparam("end", type_=Date),
           Booking.end_on >= bindparam("start", type_=Date)))


def _pending(face_ids: Iterable[int], start: date, end: date) -> dict[int, list[Booking]]:
    """Submitted items overlapping [start, end] per face id, with their requests, in one query."""
    found: dict[int, list[Booking]] = defaultdict(list)
    for item in db.session.scalars(_PENDING, {"face_ids": list(face_ids), "start": start,
                                              "end": end}):
        found[item.face_id].append(item)
    return found


# --- Checking proposed items ------------------------------------------------------------------

_FACES_OF_SITES = (db.select(Face).join(Face.site).options(contains_eager(Face.site))
                   .where(Site.code.in_(bindparam("codes", expanding=True))))
_BLACKOUTS = db.select(Blackout).where(Blackout.start_on <= bindparam("end", type_=Date),
                                       Blackout.end_on >= bindparam("start", type_=Date))


def _faces_by_key(items: Sequence[ItemInput]) -> dict[tuple[str, str], Face]:
    codes = list({item.site.strip().upper() for item in items})
    faces = db.session.scalars(_FACES_OF_SITES, {"codes": codes})
    return {(face.site.code, face.label): face for face in faces}


def _blackouts_overlapping(start: date, end: date) -> list[Blackout]:
    return list(db.session.scalars(_BLACKOUTS, {"start": start, "end": end}))


def check_items(category: Category, items: Sequence[ItemInput], *,
                election: Election | None = None, today: date | None = None,
                enforce_dates: bool = True, faces: Sequence[Face] = ()) -> list[ItemCheck]:
    """Apply every date, site, blackout, election and clash rule to each item.

    ``election`` is the one a facilitated campaign request names. ``faces``: the items' faces
    with their sites, when the caller holds them already (a decision's items do).

    ``enforce_dates=False`` skips lead time, length and horizon: a decision re-checks only what
    may have changed since the request was made. A constant number of queries whatever the
    number of items or bookings in the database.
    """
    today = today or clock.today_wib()
    config = rules.Rules.from_config()
    checks = [ItemCheck(item) for item in items]
    if not checks:
        return checks
    by_key = {(face.site.code, face.label): face for face in faces} or _faces_by_key(items)
    blackouts = _blackouts_overlapping(min(i.start for i in items), max(i.end for i in items))
    campaign = category == Category.FACILITATED_CAMPAIGN
    designated = set(db.session.scalars(db.select(CampaignLocation.site_id))) if campaign \
        else set()
    for check in checks:
        item = check.item
        check.face = by_key.get((item.site.strip().upper(), item.face.strip().upper()))
        if check.face is None:
            check.refusals.append(_("no such site or face."))
            continue
        found = [rules.site_problem(item, check.face), rules.order_problem(item)]
        check.refusals.extend(problem for problem in found if problem)
        if found[1]:
            continue
        if enforce_dates:
            check.refusals.extend(rules.date_problems(item, config, today))
        check.refusals.extend(rules.blackout_problems(item, check.face, category, blackouts))
        if campaign:
            check.refusals.extend(rules.campaign_problems(item, check.face, election,
                                                          designated))
    _attach_clashes([c for c in checks if c.face is not None and c.item.start <= c.item.end])
    rules.overlap_within_problems(checks)
    return checks


def _attach_clashes(checks: Sequence[ItemCheck]) -> None:
    """Fill each check's approved clashes (one query) and let its pending overlaps be read
    when first asked for (one more query, for all of them)."""
    if not checks:
        return
    start = min(c.item.start for c in checks)
    end = max(c.item.end for c in checks)
    face_ids = {c.face.id for c in checks}
    busy = occupancy(face_ids, start, end)

    def read_rivals() -> None:
        pending = _pending(face_ids, start, end)
        for check in checks:
            item = check.item
            check.rivals = [b for b in pending[check.face.id]
                            if overlaps(item.start, item.end, b.start_on, b.end_on)]

    for check in checks:
        item = check.item
        check.clashes = [b for b in busy[check.face.id]
                         if overlaps(item.start, item.end, b.start_on, b.end_on)]
        check.rivals, check.read_rivals = None, read_rivals


@dataclass(frozen=True)
class Suggestion:
    """What to ask for instead of an item whose face is taken."""

    # The nearest free window of the same length on the same face, after the wished start.
    later: tuple[date, date] | None
    # Other faces free for the same dates (not already in the request).
    faces: list[Face]


SUGGESTED_FACES = 5


def suggestions(category: Category, checks: Sequence[ItemCheck], *,
                today: date | None = None) -> dict[int, Suggestion]:
    """For each checked item whose face is taken (by its index in ``checks``), the nearest free
    window of the same length on that face within the horizon, and other faces free for its
    dates; applicable blackouts count as taken. Four queries, whatever the number of items."""
    clashed = [(n, check) for n, check in enumerate(checks) if check.clashes]
    if not clashed:
        return {}
    today = today or clock.today_wib()
    config = rules.Rules.from_config()
    latest = today + timedelta(days=config.horizon_days)
    earliest = today + timedelta(days=config.min_lead_days)
    start = min(check.item.start for _n, check in clashed)
    faces = db.session.scalars(
        db.select(Face).join(Face.site).options(contains_eager(Face.site))
        .where(Site.status == SiteStatus.ACTIVE, Face.retired_on.is_(None))
        .order_by(Site.code, Face.label)).all()
    if category == Category.FACILITATED_CAMPAIGN:
        designated = set(db.session.scalars(db.select(CampaignLocation.site_id)))
        faces = [face for face in faces if face.site_id in designated]
    busy = occupancy([face.id for face in faces], start, latest)
    blackouts = _blackouts_overlapping(start, latest)
    wanted = {check.face.id for check in checks if check.face is not None}

    @cache  # each face's closed days serve every clashed item
    def closed(face: Face) -> list[tuple[date, date]]:
        return sorted([(b.start_on, b.end_on) for b in busy.get(face.id, ())]
                      + [(b.start_on, b.end_on) for b in blackouts
                         if rules.blackout_applies(b, face, category)])

    found = {}
    for n, check in clashed:
        item = check.item
        later = rules.first_free_window(
            closed(check.face), max(item.start + timedelta(days=1), earliest),
            rules.days_in(item.start, item.end), latest)
        free = [face for face in faces if face.id not in wanted and not any(
            overlaps(item.start, item.end, a, b) for a, b in closed(face))]
        found[n] = Suggestion(later, free[:SUGGESTED_FACES])
    return found


# --- The review queue ---------------------------------------------------------------------------

@dataclass
class QueueItem:
    booking: Booking
    clashes: list[Busy]
    # Other submitted items overlapping, earliest start first, and how many requests they
    # belong to (all an agency may learn of them).
    pending: list[Booking]
    pending_requests: int = 0
    # Waitlist: the day (WIB) approved use overlapping this item was last withdrawn or
    # cancelled after the item was submitted; the face may now be free for it.
    freed_on: date | None = None

    @property
    def needs_legal_review(self) -> bool:
        return self.booking.request.category == Category.FACILITATED_CAMPAIGN

    @property
    def legal_basis(self) -> CampaignLocation | None:
        """The designation a campaign item relies on, for the legal review."""
        return self.booking.face.site.campaign_location if self.needs_legal_review else None


@dataclass(frozen=True)
class QueueFilter:
    """What the reviewer narrowed the queue to; every field left None lets everything through.
    ``start``/``end``: items whose dates overlap that period."""

    organization_id: int | None = None
    site_id: int | None = None
    category: Category | None = None
    start: date | None = None
    end: date | None = None


def review_queue(limit: int | None = None, offset: int = 0,
                 only: QueueFilter = QueueFilter()) -> list[QueueItem]:
    """Submitted items, oldest request first (at most ``limit`` after the first ``offset``,
    narrowed by ``only``), each with its approved clashes and pending rivals."""
    query = (
        db.select(Booking)
        .join(Request, Booking.request_id == Request.id)
        .options(joinedload(Booking.face).joinedload(Face.site)
                 .joinedload(Site.campaign_location),
                 joinedload(Booking.request).joinedload(Request.organization),
                 joinedload(Booking.request).joinedload(Request.created_by))
        .where(Booking.status == BookingStatus.SUBMITTED)
        .order_by(Request.created_at, Booking.id)
        .limit(limit).offset(offset))
    if only.organization_id is not None:
        query = query.where(Request.organization_id == only.organization_id)
    if only.site_id is not None:
        query = query.where(Booking.face.has(Face.site_id == only.site_id))
    if only.category is not None:
        query = query.where(Request.category == only.category)
    if only.start is not None:
        query = query.where(Booking.end_on >= only.start)
    if only.end is not None:
        query = query.where(Booking.start_on <= only.end)
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
    # Many items may wait for one face: their spans are read once, sorted by start, so that
    # each booking only scans the rivals that start before it ends.
    rivals = {face_id: sorted((x.start_on, x.id, x.end_on, x.request_id, x) for x in items)
              for face_id, items in _pending(face_ids, start, end).items()}
    freed = _freed(face_ids, start, end)
    found = []
    for b in bookings:
        b_start, b_end, b_id = b.start_on, b.end_on, b.id
        freed_at = [at for f_start, f_end, at in freed.get(b.face_id, ())
                    if at > b.created_at and overlaps(b_start, b_end, f_start, f_end)]
        on_face = rivals.get(b.face_id, [])
        before_end = bisect_right(on_face, (b_end, MAX_ID + 1))
        matched = [r for r in on_face[:before_end] if r[2] >= b_start and r[1] != b_id]
        found.append(QueueItem(
            booking=b,
            clashes=[x for x in busy[b.face_id] if overlaps(b_start, b_end,
                                                            x.start_on, x.end_on)],
            pending=[r[4] for r in matched],
            pending_requests=len({r[3] for r in matched}),
            freed_on=max(freed_at).astimezone(clock.WIB).date() if freed_at else None,
        ))
    return found


# The waitlist is derived from the audit trail, which already says when approved use ended
# early and how: nothing to store or keep in step with the bookings.
FREEING_ACTIONS = (Action.BOOKING_WITHDRAW, Action.BOOKING_CANCEL)


class FreedSpan(NamedTuple):
    """Days of a face that approved use no longer holds (withdrawn, cancelled, ended early)."""

    face_id: int
    start_on: date
    end_on: date
    request_id: int | None

    @classmethod
    def of(cls, use: Booking, start: date | None = None) -> FreedSpan:
        """All of ``use``, or its days from ``start`` on (a use ended early)."""
        return cls(use.face_id, start or use.start_on, use.end_on, use.request_id)


def _freed(face_ids: Iterable[int], start: date,
           end: date) -> dict[int, list[tuple[date, date, datetime]]]:
    """Per face id, the days approved use overlapping [start, end] gave up (withdrawn,
    cancelled, or ended early: then the audit holds the old and the new last day):
    (start, end, when), in two queries."""
    ids = list(face_ids)
    found: dict[int, list[tuple[date, date, datetime]]] = defaultdict(list)
    joined = (db.select(Booking.face_id, Booking.start_on, Booking.end_on, AuditEvent.at,
                        AuditEvent.from_state, AuditEvent.to_state)
              .join(AuditEvent, and_(AuditEvent.object_type == "booking",
                                     AuditEvent.object_id == Booking.id))
              .where(Booking.face_id.in_(ids), Booking.start_on <= end))
    for face_id, start_on, end_on, at, _before, _after in db.session.execute(joined.where(
            Booking.end_on >= start, AuditEvent.action.in_(FREEING_ACTIONS),
            AuditEvent.from_state == BookingStatus.APPROVED.value)):
        found[face_id].append((start_on, end_on, at))
    for face_id, _start, _end, at, before, after in db.session.execute(joined.where(
            AuditEvent.action == Action.BOOKING_END_EARLY)):
        gave_up = (date.fromisoformat(after) + timedelta(days=1), date.fromisoformat(before))
        if overlaps(start, end, *gave_up):
            found[face_id].append((*gave_up, at))
    return found


def blocked_by(freed: Sequence[FreedSpan]) -> dict[Request, list[Booking]]:
    """The pending items of other requests that the ``freed`` days were blocking: same face,
    overlapping dates; per request, in one query."""
    if not freed:
        return {}
    pending = _pending({b.face_id for b in freed}, min(b.start_on for b in freed),
                       max(b.end_on for b in freed))
    blocked: dict[Request, list[Booking]] = {}
    for item in sorted({p for items in pending.values() for p in items}, key=lambda p: p.id):
        if any(b.face_id == item.face_id and b.request_id != item.request_id
               and overlaps(b.start_on, b.end_on, item.start_on, item.end_on) for b in freed):
            blocked.setdefault(item.request, []).append(item)
    return blocked


# --- Requests -----------------------------------------------------------------------------------

def _requests_of(organization_id: int):
    return (db.select(Request).where(Request.organization_id == organization_id)
            .options(selectinload(Request.bookings).joinedload(Booking.face)
                     .joinedload(Face.site))
            .order_by(Request.created_at.desc(), Request.id.desc()))


def requests_page(organization_id: int, page: int, per_page: int):
    """One page of an organisation's requests, newest first (a Flask-SQLAlchemy Pagination)."""
    return db.paginate(_requests_of(organization_id), page=page, per_page=per_page,
                       error_out=False)


def request_for(organization_id: int | None, request_id: int) -> Request | None:
    """A request by id; with ``organization_id``, only that organisation's (else None)."""
    # The handovers too: both request pages show each item's chain (one query, not one a row).
    query = db.select(Request).where(Request.id == request_id).options(
        selectinload(Request.bookings).joinedload(Booking.face).joinedload(Face.site),
        selectinload(Request.bookings).selectinload(Booking.handovers))
    if organization_id is not None:
        query = query.where(Request.organization_id == organization_id)
    return db.session.scalar(query)


def visible_request(user: User, request_id: int) -> Request | None:
    """The request if ``user`` may see it: agency staff their organisation's only, Bakeuda's
    staff any; else None (the caller answers 404: another's request is not there for them)."""
    return request_for(user.organization_id if user.role == Role.AGENCY else None, request_id)


def history(request: Request) -> list[AuditEvent]:
    """The audit trail of a request and its items, oldest first."""
    ids = [b.id for b in request.bookings]
    return list(db.session.scalars(
        db.select(AuditEvent).options(joinedload(AuditEvent.actor))
        .where(or_(and_(AuditEvent.object_type == "booking", AuditEvent.object_id.in_(ids)),
                   and_(AuditEvent.object_type == "request",
                        AuditEvent.object_id == request.id)))
        .order_by(AuditEvent.at, AuditEvent.id)))


def nearest_use(day: date) -> date | None:
    """The day of use (approved or pending) nearest ``day``: ``day`` itself when something runs
    then, else the first day of the next use, else the first day of the last one before it;
    None when nothing was ever booked."""
    open_use = db.select(func.min(Booking.start_on)).where(Booking.status.in_(OPEN_STATES))
    upcoming = db.session.scalar(open_use.where(Booking.end_on >= day))
    if upcoming is not None:
        return max(upcoming, day)
    return db.session.scalar(
        db.select(func.max(Booking.start_on)).where(Booking.status.in_(OPEN_STATES)))


def timeline(start: date, weeks: int) -> tuple[list[Face], dict[int, list[Booking]]]:
    """Faces of active sites and, per face, approved and submitted bookings in the window."""
    end = start + timedelta(weeks=weeks) - timedelta(days=1)
    faces = db.session.scalars(
        db.select(Face).join(Site).options(joinedload(Face.site))
        .where(Site.is_listed, Face.in_use_on(start)).order_by(Site.code, Face.label)).all()
    rows = db.session.scalars(
        db.select(Booking).options(joinedload(Booking.request).joinedload(Request.organization))
        .where(Booking.status.in_(OPEN_STATES),
               and_(Booking.start_on <= end, Booking.end_on >= start))
        .order_by(Booking.start_on)).all()
    by_face: dict[int, list[Booking]] = defaultdict(list)
    for booking in rows:
        by_face[booking.face_id].append(booking)
    return faces, by_face


def pending_mail(max_attempts: int) -> list[OutboxEmail]:
    """Queued emails not yet sent and not given up, oldest first."""
    return list(db.session.scalars(
        db.select(OutboxEmail)
        .where(OutboxEmail.sent_at.is_(None), OutboxEmail.attempts < max_attempts)
        .order_by(OutboxEmail.id)))
