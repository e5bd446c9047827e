"""Public, read-only JSON API: the sites as GeoJSON (RFC 7946) and each face's availability."""
from datetime import date, timedelta

from flask import jsonify, request

from .. import booking, caching, clock, listing
from ..errors import json_error
from ..json_body import parse_iso_date
from . import bp
from .openapi import build_spec

DEFAULT_WINDOW_DAYS = 90
MAX_WINDOW_DAYS = 366


class BadQuery(ValueError):
    """A query parameter the client must fix; the message says how."""


def _geojson(body: dict):
    response = jsonify(body)
    response.mimetype = "application/geo+json"
    return response


def _feature(entry: listing.SiteToday) -> dict:
    return {
        "type": "Feature",
        "id": entry.site.code,
        # RFC 7946: longitude first.
        "geometry": {"type": "Point", "coordinates": [entry.site.lon, entry.site.lat]},
        "properties": listing.site_properties(entry),
    }


def _not_found(code: str):
    return json_error(404, "not_found", f"There is no public site with code {code!r}.")


@bp.get("/sites")
@caching.public
def sites():
    """Every public site with today's use of each face, as a GeoJSON FeatureCollection."""
    entries = listing.sites_today(clock.today_wib())
    return _geojson({"type": "FeatureCollection", "features": [_feature(e) for e in entries]})


@bp.get("/sites/<code>")
@caching.public
def site(code: str):
    """One site as a GeoJSON Feature."""
    found = listing.public_site(code)
    if found is None:
        return _not_found(code)
    return _geojson(_feature(listing.one_site_today(found, clock.today_wib())))


def _date_arg(name: str, default: date) -> date:
    raw = request.args.get(name)
    if raw is None:
        return default
    parsed = parse_iso_date(raw)
    if parsed is None:
        raise BadQuery(f"{name} must be a date written YYYY-MM-DD, not {raw!r}.")
    return parsed


def _window() -> tuple[date, date]:
    start = _date_arg("start", clock.today_wib())
    # Cut short at 9999-12-31 rather than overflow (a 500) on a start in the year 9999.
    default_days = min(DEFAULT_WINDOW_DAYS, (date.max - start).days)
    end = _date_arg("end", start + timedelta(days=default_days))
    if end < start:
        raise BadQuery("end must not be before start.")
    if booking.days_in(start, end) > MAX_WINDOW_DAYS:
        raise BadQuery(f"The period may cover at most {MAX_WINDOW_DAYS} days.")
    return start, end


@bp.get("/sites/<code>/availability")
@caching.public
def availability(code: str):
    """Approved occupancy of each face of a site between start and end (inclusive)."""
    found = listing.public_site(code)
    if found is None:
        return _not_found(code)
    try:
        start, end = _window()
    except BadQuery as error:
        return json_error(400, "bad_query", str(error))
    busy = booking.availability(found, start, end)
    return jsonify({
        "site": found.code,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "faces": [{"label": label, "busy": [listing.busy_dict(b) for b in spans]}
                  for label, spans in busy.items()],
    })


@bp.get("/openapi.json")
def openapi_spec():
    """The OpenAPI 3.1 description of every /api/v1 endpoint."""
    return jsonify(build_spec())
