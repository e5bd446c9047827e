"""Designated APK locations: an administrator marks a site, with the Wali Kota's decision as
its basis; the designation covers every face and every election until it is withdrawn."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from .. import audit
from ..audit import Action
from ..extensions import db
from ..models import CampaignLocation, Site, User, max_length
from .errors import CampaignError

TIERS = range(1, 10)
BASIS_LENGTH = max_length(CampaignLocation.basis)
NUMBER_LENGTH = max_length(CampaignLocation.basis_number)


def designations() -> dict[int, CampaignLocation]:
    """Every designation by site id."""
    rows = db.session.scalars(db.select(CampaignLocation)
                              .options(joinedload(CampaignLocation.site)))
    return {row.site_id: row for row in rows}


def _describe(location: CampaignLocation) -> str:
    parts = [location.basis, location.basis_number or "",
             location.basis_date.isoformat() if location.basis_date else "",
             f"tier {location.tier}" if location.tier else ""]
    return " | ".join(parts)


def designate(actor: User, site: Site, *, basis: str, basis_number: str | None = None,
              basis_date: date | None = None, tier: int | None = None) -> CampaignLocation:
    """Designate ``site`` (or change its designation's basis or tier)."""
    basis = (basis or "").strip()
    basis_number = (basis_number or "").strip() or None
    problems = []
    if not basis:
        problems.append(_("The basis (the Wali Kota's decision) is required."))
    elif len(basis) > BASIS_LENGTH:
        problems.append(_("The basis may be at most %(n)s characters long.", n=BASIS_LENGTH))
    if basis_number and len(basis_number) > NUMBER_LENGTH:
        problems.append(_("The decision number may be at most %(n)s characters long.",
                          n=NUMBER_LENGTH))
    if tier is not None and tier not in TIERS:
        problems.append(_("The tier is a whole number from 1 (most visible) to 9."))
    if problems:
        raise CampaignError(problems[0], problems=problems)
    location = db.session.scalar(db.select(CampaignLocation).filter_by(site_id=site.id))
    before = None if location is None else _describe(location)
    if location is None:
        location = CampaignLocation(site=site)
        db.session.add(location)
    location.basis, location.basis_number = basis, basis_number
    location.basis_date, location.tier = basis_date, tier
    location.designated_by_id = actor.id
    db.session.flush()
    audit.record(actor, Action.CAMPAIGN_LOCATION_DESIGNATE, "site", site.id,
                 from_state=None if before is None else "designated", to_state="designated",
                 detail=_describe(location) if before is None
                 else f"{before} -> {_describe(location)}")
    return location


def withdraw(actor: User, site: Site) -> None:
    """Withdraw the designation of ``site``; approved use stays as it was approved."""
    location = db.session.scalar(db.select(CampaignLocation).filter_by(site_id=site.id))
    if location is None:
        raise CampaignError(_("%(code)s is not a designated APK location.", code=site.code))
    audit.record(actor, Action.CAMPAIGN_LOCATION_WITHDRAW, "site", site.id,
                 from_state="designated", to_state="withdrawn", detail=_describe(location))
    db.session.delete(location)
    db.session.flush()
