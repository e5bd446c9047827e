"""The election calendar and blackout periods (DESIGN §3), as the administrator keeps them.

``booking.check_items`` applies them to requests; this module keeps them consistent: every
election has exactly one masa tenang blackout (facilitated campaign props, every site) that
moves with the election whenever it is saved. Functions flush and write audit events; the
caller commits. Refusals raise :class:`CalendarError` and leave nothing to commit.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.orm import contains_eager, joinedload

from . import audit, booking
from .audit import Action
from .domain_errors import DomainError
from .extensions import db
from .i18n import long_date
from .models import Blackout, Booking, Category, Election, Face, Request, Site, User

ELECTION_FIELDS = ("name", "campaign_start_on", "campaign_end_on", "quiet_start_on",
                   "quiet_end_on", "polling_on")


class CalendarError(DomainError):
    """A refusal; ``problems`` holds every message meant for the administrator."""

    def __init__(self, problems: Sequence[str]):
        super().__init__(problems[0], problems=problems)


def elections() -> list[Election]:
    """Every election, in calendar order."""
    return list(db.session.scalars(db.select(Election).order_by(Election.polling_on)))


def blackouts() -> list[Blackout]:
    """Every blackout with its site, in calendar order."""
    return list(db.session.scalars(
        db.select(Blackout).options(joinedload(Blackout.site))
        .order_by(Blackout.start_on, Blackout.id)))


# --- Elections --------------------------------------------------------------------------------

def _election_problems(election: Election) -> list[str]:
    problems = []
    if not election.name:
        problems.append(_("The name is required."))
    days = [getattr(election, key) for key in ELECTION_FIELDS[1:]]
    if None in days:
        problems.append(_("Every date is required."))
        return problems
    campaign_start, campaign_end, quiet_start, quiet_end, polling = days
    if campaign_start > campaign_end:
        problems.append(_("The campaign ends before it starts."))
    if quiet_start <= campaign_end:
        problems.append(_("The masa tenang must start after the campaign has ended."))
    if quiet_start > quiet_end:
        problems.append(_("The masa tenang ends before it starts."))
    if polling <= quiet_end:
        problems.append(_("Polling day must come after the masa tenang."))
    # The election may hold unsaved edits: look for a namesake without flushing them.
    query = db.select(Election.id).where(func.lower(Election.name) == election.name.lower())
    if election.id is not None:
        query = query.where(Election.id != election.id)
    with db.session.no_autoflush:
        namesake = db.session.scalar(query)
    if namesake is not None:
        problems.append(_("An election named %(name)s already exists.", name=election.name))
    return problems


def quiet_blackout(election: Election) -> Blackout | None:
    """The masa tenang blackout of a saved election."""
    if election.id is None:
        return None
    return db.session.scalar(db.select(Blackout).where(Blackout.election_id == election.id))


def save_election(election: Election) -> Blackout:
    """Check and add ``election`` and keep its masa tenang blackout in step (flush, no audit).

    The seed calls this directly; administrators go through :func:`edit_election`.
    """
    election.name = (election.name or "").strip()
    problems = _election_problems(election)
    if problems:
        raise CalendarError(problems)
    db.session.add(election)
    blackout = quiet_blackout(election)
    if blackout is None:
        blackout = Blackout(election=election)
        db.session.add(blackout)
    blackout.name = f"Masa tenang {election.name}"
    blackout.site = None
    blackout.category = Category.FACILITATED_CAMPAIGN
    blackout.start_on = election.quiet_start_on
    blackout.end_on = election.quiet_end_on
    db.session.flush()
    return blackout


def _describe_election(election: Election) -> str:
    return (f"{election.name}: campaign {election.campaign_start_on}..{election.campaign_end_on}"
            f", masa tenang {election.quiet_start_on}..{election.quiet_end_on}"
            f", polling {election.polling_on}")


def edit_election(actor: User, election: Election, **fields) -> Blackout:
    """Set ``fields`` (of :data:`ELECTION_FIELDS`) on a new or saved election and save it.

    Returns its masa tenang blackout. Audited as ``election.create`` or ``election.update``.
    """
    unknown = set(fields) - set(ELECTION_FIELDS)
    if unknown:
        raise TypeError(f"not election fields: {sorted(unknown)}")
    before = None if election.id is None else _describe_election(election)
    for key, value in fields.items():
        setattr(election, key, value)
    blackout = save_election(election)
    after = _describe_election(election)
    action = Action.ELECTION_CREATE if before is None else Action.ELECTION_UPDATE
    audit.record(actor, action, "election", election.id,
                 detail=after if before is None else f"{before} -> {after}")
    return blackout


# --- Blackouts --------------------------------------------------------------------------------

def _describe_blackout(blackout: Blackout) -> str:
    where = blackout.site.code if blackout.site else "all sites"
    what = blackout.category.value if blackout.category else "all categories"
    return f"{blackout.name}: {where}, {what}, {blackout.start_on}..{blackout.end_on}"


def create_blackout(actor: User, *, name: str, site_id: int | None,
                    category: Category | None, start_on: date | None,
                    end_on: date | None) -> Blackout:
    """Add a blackout on one site (or all, ``site_id=None``), optionally for one category."""
    name = (name or "").strip()
    problems = []
    if not name:
        problems.append(_("The name is required."))
    if start_on is None or end_on is None:
        problems.append(_("The start and end dates are required."))
    elif start_on > end_on:
        problems.append(_("The end date is before the start date."))
    site = None if site_id is None else db.session.get(Site, site_id)
    if site_id is not None and site is None:
        problems.append(_("No such site."))
    if problems:
        raise CalendarError(problems)
    blackout = Blackout(name=name, site=site, category=category, start_on=start_on,
                        end_on=end_on)
    db.session.add(blackout)
    db.session.flush()
    audit.record(actor, Action.BLACKOUT_CREATE, "blackout", blackout.id,
                 detail=_describe_blackout(blackout))
    return blackout


def delete_blackout(actor: User, blackout: Blackout) -> None:
    """Remove a blackout; a masa tenang moves with its election and is never removed here."""
    if blackout.election_id is not None:
        raise CalendarError([_(
            "“%(name)s” is the masa tenang of %(election)s: change it on the election's page.",
            name=blackout.name, election=blackout.election.name)])
    audit.record(actor, Action.BLACKOUT_DELETE, "blackout", blackout.id,
                 detail=_describe_blackout(blackout))
    db.session.delete(blackout)
    db.session.flush()


def approved_inside(blackout: Blackout) -> list[str]:
    """Approved use overlapping a blackout that the blackout would refuse if requested now.

    It stays approved: a blackout refuses new requests, it cancels nothing. One line each,
    e.g. ``PGK-01/A 1 March 2026 – 5 March 2026 (KPU Kota Pangkalpinang)``.
    """
    query = (db.select(Face).join(Face.site).options(contains_eager(Face.site))
             .order_by(Site.code, Face.label))
    if blackout.site_id is not None:
        query = query.where(Face.site_id == blackout.site_id)
    faces = {face.id: face for face in db.session.scalars(query)}
    busy = [b for rows in booking.occupancy(faces, blackout.start_on, blackout.end_on).values()
            for b in rows]
    if blackout.category is not None and busy:
        # A category blackout concerns requests of that category only, not rentals or repairs.
        same_category = set(db.session.scalars(
            db.select(Booking.id).join(Request, Booking.request_id == Request.id)
            .where(Booking.id.in_([b.booking_id for b in busy]),
                   Request.category == blackout.category)))
        busy = [b for b in busy if b.booking_id in same_category]
    lines = []
    for b in busy:
        face = faces[b.face_id]
        line = f"{face.code} {long_date(b.start_on)} – {long_date(b.end_on)}"
        lines.append(f"{line} ({b.organization})" if b.organization else line)
    return lines
