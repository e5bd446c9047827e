"""Tariffs with history (DESIGN §3): reading the rate in force, and keeping the tariffs.

A change here never touches a value already stored on a booking: foregone values and fees are
computed once (at approval, when a rental is recorded) and kept.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _

from .. import audit
from ..audit import Action
from ..domain_errors import DomainError
from ..extensions import db
from ..i18n import long_date, rupiah
from ..models import Site, Tariff, User
from .value import Rate, rate_on, value_of_use

# The range of days a tariff may start on: the first tariff of every site starts on the first.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
# Far above any billboard's rent, far below what a BIGINT holds even times 36,500 days.
MAX_RATE_IDR = 10_000_000_000


class TariffError(DomainError):
    """A tariff that cannot be kept (code ``invalid`` unless said otherwise)."""


def schedules(site_ids: Iterable[int] | None = None) -> dict[int, list[Rate]]:
    """Every site's rates (or those of ``site_ids``), oldest first, in one query."""
    query = db.select(Tariff).order_by(Tariff.site_id, Tariff.valid_from)
    if site_ids is not None:
        query = query.where(Tariff.site_id.in_(list(site_ids)))
    found: dict[int, list[Rate]] = {}
    for tariff in db.session.scalars(query):
        found.setdefault(tariff.site_id, []).append(Rate(tariff.valid_from,
                                                         tariff.monthly_rate_idr))
    return found


def rates_on(day: date, site_ids: Iterable[int] | None = None) -> dict[int, int]:
    """The monthly rate in force on ``day`` per site id (0 for a site without a tariff yet)."""
    return {site_id: rate_on(schedule, day) for site_id, schedule in schedules(site_ids).items()}


def use_value(site_id: int, start: date, end: date) -> int:
    """The value of using a face of the site over ``[start, end]`` at the tariffs in force."""
    # Asked in the middle of a decision: flushing its half-set booking first would cost the
    # decision a round trip (an UPDATE, then another one at its own flush); tariffs are
    # written only by set_tariff, which flushes.
    with db.session.no_autoflush:
        return value_of_use(schedules([site_id]).get(site_id, []), start, end)


def tariffs_of(site: Site) -> list[Tariff]:
    """A site's tariffs, newest first."""
    return list(db.session.scalars(
        db.select(Tariff).where(Tariff.site_id == site.id).order_by(Tariff.valid_from.desc())))


def set_tariff(user: User | None, site: Site, monthly_rate_idr: int | None,
               valid_from: date | None) -> Tariff:
    """Set the site's monthly rate from ``valid_from`` on (replacing the rate of that very day,
    if one was set). Flushes and audits; the caller commits."""
    if monthly_rate_idr is None or not 0 <= monthly_rate_idr <= MAX_RATE_IDR:
        raise TariffError(_("The monthly rate must be a whole number of Rupiah from 0 to "
                            "%(max)s.", max=rupiah(MAX_RATE_IDR)))
    if valid_from is None or not FIRST_DAY <= valid_from <= LAST_DAY:
        raise TariffError(_("The tariff must start between %(first)s and %(last)s.",
                            first=long_date(FIRST_DAY), last=long_date(LAST_DAY)))
    tariff = db.session.scalar(db.select(Tariff).filter_by(site_id=site.id,
                                                           valid_from=valid_from))
    before = None if tariff is None else str(tariff.monthly_rate_idr)
    if tariff is None:
        tariff = Tariff(site=site, valid_from=valid_from, created_by=user)
        db.session.add(tariff)
    tariff.monthly_rate_idr = monthly_rate_idr
    db.session.flush()
    audit.record(user, Action.TARIFF_SET, "tariff", tariff.id, from_state=before,
                 to_state=str(monthly_rate_idr),
                 detail=f"{site.code} {valid_from.isoformat()}")
    return tariff


def remove_tariff(user: User, tariff: Tariff) -> None:
    """Remove a tariff the site no longer needs; its first one stays, so that every day of
    every use has a rate."""
    earliest = db.session.scalar(db.select(db.func.min(Tariff.valid_from))
                                 .where(Tariff.site_id == tariff.site_id))
    if tariff.valid_from == earliest:
        raise TariffError(_("The site's first tariff cannot be removed; change its rate "
                            "instead."))
    audit.record(user, Action.TARIFF_REMOVE, "tariff", tariff.id,
                 from_state=str(tariff.monthly_rate_idr),
                 detail=f"{tariff.site.code} {tariff.valid_from.isoformat()}")
    db.session.delete(tariff)
    db.session.flush()
