"""What the public sees of the sites: shared by the map page, the site page and the JSON API.

Occupancy comes from ``booking`` (approved use, rentals and maintenance; never pending requests).
Retired sites are not public.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy.orm import selectinload

from . import booking, finance
from .campaign import contestant_label
from .extensions import db
from .models import Blackout, BookingKind, Site, SiteStatus
from .routing import public_url_for


class SiteState(enum.StrEnum):
    """A site's state today, as the map colours it."""

    FREE = "free"  # at least one face can be used today
    TAKEN = "taken"  # every face is occupied today
    MAINTENANCE = "maintenance"  # the site is under maintenance, or every face is blocked for it


def public_sites() -> list[Site]:
    """Every site that is not retired, by code, with its faces (two queries)."""
    query = (db.select(Site).where(Site.is_listed)
             .options(selectinload(Site.faces)).order_by(Site.code))
    return list(db.session.scalars(query))


def public_site(code: str) -> Site | None:
    """The site with ``code`` if it is public, else None."""
    query = (db.select(Site).where(Site.code == code, Site.is_listed)
             .options(selectinload(Site.faces)))
    return db.session.scalar(query)


def public_site_or_404(code: str) -> Site:
    """The public site with ``code``; a 404 page for an unknown or retired one."""
    site = public_site(code)
    if site is None:
        abort(404)
    return site


def blackouts_of(site: Site, start: date, end: date) -> list[Blackout]:
    """The blackouts of ``site`` (its own and those of every site) between ``start`` and
    ``end``: requests touching them are refused, so a visitor should know them."""
    return list(db.session.scalars(
        db.select(Blackout)
        .where(db.or_(Blackout.site_id == site.id, Blackout.site_id.is_(None)),
               Blackout.start_on <= end, Blackout.end_on >= start)
        .order_by(Blackout.start_on, Blackout.id)))


@dataclass(frozen=True)
class FaceToday:
    label: str
    busy: booking.Busy | None


@dataclass(frozen=True)
class SiteToday:
    """A public site with its state and the use of each face today."""

    site: Site
    state: SiteState
    faces: list[FaceToday]
    monthly_rate_idr: int  # the tariff in force today


def site_state(site: Site, occupants: dict[int, booking.Busy]) -> SiteState:
    """Today's state of ``site`` given ``booking.current_occupants(today)``."""
    busy = [occupants.get(face.id) for face in site.faces_in_use]
    if site.status == SiteStatus.MAINTENANCE or (
        busy and all(b is not None and b.kind == BookingKind.MAINTENANCE for b in busy)
    ):
        return SiteState.MAINTENANCE
    if busy and all(b is not None for b in busy):
        return SiteState.TAKEN
    return SiteState.FREE


def site_today(site: Site, occupants: dict[int, booking.Busy],
               rates: dict[int, int]) -> SiteToday:
    """``site`` with today's use and tariff, given ``booking.current_occupants(today)`` and
    ``finance.rates_on(today)``."""
    return SiteToday(site, site_state(site, occupants),
                     [FaceToday(face.label, occupants.get(face.id)) for face in site.faces_in_use],
                     rates.get(site.id, 0))


def one_site_today(site: Site, today: date) -> SiteToday:
    """One site with its use and tariff on ``today``, asking for its own faces only."""
    faces = [face.id for face in site.faces_in_use]
    return site_today(site, booking.current_occupants(today, faces),
                      finance.rates_on(today, [site.id]))


def sites_today(today: date) -> list[SiteToday]:
    """Every public site with its use on ``today``.

    A constant number of queries, however many sites and bookings there are.
    """
    occupants, rates = booking.current_occupants(today), finance.rates_on(today)
    return [site_today(site, occupants, rates) for site in public_sites()]


def contestant_dict(busy: booking.Busy) -> dict | None:
    """The contestant whose campaign props a face carries, JSON-ready (None: no draw gave it)."""
    if busy.contestant_number is None:
        return None
    return {"number": busy.contestant_number, "name": busy.contestant_name,
            "label": contestant_label(busy.contestant_number, busy.contestant_name)}


def busy_dict(busy: booking.Busy) -> dict:
    """One occupancy as the public sees it: dates, kind, holder and purpose (JSON-ready)."""
    return {
        "start": busy.start_on.isoformat(),
        "end": busy.end_on.isoformat(),
        "kind": str(busy.kind),
        "organization": busy.organization,
        "purpose": busy.purpose,
        "contestant": contestant_dict(busy),
    }


def site_properties(entry: SiteToday) -> dict:
    """A site and today's use of each face, JSON-ready: the API's feature properties."""
    site = entry.site
    return {
        "code": site.code,
        "name": site.name,
        "address": site.address,
        "kelurahan": site.kelurahan,
        "kecamatan": site.kecamatan,
        "width_m": site.width_m,
        "height_m": site.height_m,
        "illuminated": site.illuminated,
        "status": str(site.status),
        "monthly_rate_idr": entry.monthly_rate_idr,
        "url": public_url_for("public.site", code=site.code),
        "state": str(entry.state),
        "faces": [
            {
                "label": face.label,
                "occupied_today": face.busy is not None,
                "kind": str(face.busy.kind) if face.busy else None,
                "occupant": face.busy.organization if face.busy else None,
                "purpose": face.busy.purpose if face.busy else None,
                "until": face.busy.end_on.isoformat() if face.busy else None,
                "contestant": contestant_dict(face.busy) if face.busy else None,
            }
            for face in entry.faces
        ],
    }
