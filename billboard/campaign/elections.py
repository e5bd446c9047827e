"""Contestants of an election, and what the public sees of its campaign slots."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func

from .. import audit
from ..audit import Action
from ..booking.reads import with_standing_allocation
from ..extensions import db
from ..models import (
    Booking,
    BookingStatus,
    Contestant,
    Election,
    Face,
    Organization,
    Request,
    Site,
    User,
    max_length,
)
from .errors import CampaignError

NAME_LENGTH = max_length(Contestant.name)
MAX_NUMBER = 999


def contestant_label(number: int, name: str) -> str:
    """``APK Paslon 02 — name``: how every public view names a contestant's face (the
    official term, in every language)."""
    return f"APK Paslon {number:02d} — {name}"


def add_contestant(actor: User, election: Election, *, number: int | None, name: str,
                   liaison: str | None = None, liaison_contact: str | None = None) -> Contestant:
    """Add a contestant with its nomor urut; the number is unique within the election."""
    name = (name or "").strip()
    liaison = (liaison or "").strip() or None
    liaison_contact = (liaison_contact or "").strip() or None
    problems = []
    if number is None or not 1 <= number <= MAX_NUMBER:
        problems.append(_("The nomor urut is a whole number from 1 to %(n)s.", n=MAX_NUMBER))
    if not name:
        problems.append(_("The contestant's name is required."))
    if any(len(text) > NAME_LENGTH for text in (name, liaison or "", liaison_contact or "")):
        problems.append(_("Names and contacts may be at most %(n)s characters long.",
                          n=NAME_LENGTH))
    if not problems and db.session.scalar(db.select(func.count(Contestant.id)).where(
            Contestant.election_id == election.id, Contestant.number == number)):
        problems.append(_("%(election)s already has a contestant number %(number)s.",
                          election=election.name, number=number))
    if problems:
        raise CampaignError(problems[0], problems=problems)
    contestant = Contestant(election=election, number=number, name=name, liaison=liaison,
                            liaison_contact=liaison_contact)
    db.session.add(contestant)
    db.session.flush()
    # The contact is personal data: the audit names the contestant, not how to reach its LO.
    audit.record(actor, Action.CONTESTANT_CREATE, "election", election.id,
                 detail=f"{number}: {name}")
    return contestant


@dataclass(frozen=True)
class ElectionSlot:
    """One facilitated face of an election as the public sees it."""

    site_code: str
    site_name: str
    face: str
    start_on: date
    end_on: date
    organization: str
    contestant: Contestant | None

    @property
    def label(self) -> str | None:
        return None if self.contestant is None else contestant_label(
            self.contestant.number, self.contestant.name)


def election_slots(election: Election) -> list[ElectionSlot]:
    """Every approved facilitated face of ``election``, with the contestant the standing draw
    gave it (None: not drawn yet, or kept for KPU's own voter education). One query."""
    rows = db.session.execute(with_standing_allocation(
        db.select(Booking, Site.code, Site.name, Face.label, Organization.name, Contestant)
        .join(Face, Booking.face_id == Face.id).join(Site, Face.site_id == Site.id)
        .join(Request, Booking.request_id == Request.id)
        .join(Organization, Request.organization_id == Organization.id))
        .where(Request.election_id == election.id, Booking.status == BookingStatus.APPROVED)
        .order_by(Site.code, Face.label, Booking.start_on))
    return [ElectionSlot(code, name, label, item.start_on, item.end_on, organization, contestant)
            for item, code, name, label, organization, contestant in rows]
