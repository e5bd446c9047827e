from flask import (
    abort,
    current_app,
    make_response,
    render_template,
    send_from_directory,
    url_for,
)

from .. import booking, caching, clock, headers, listing, mapping, settings
from ..labels import CATEGORY_LABELS
from . import bp, calendar
from .assets import xstatic_url

CALENDAR_MONTHS = 3


@bp.get("/healthz")
def healthz():
    """For load balancers: answers without touching the database."""
    return {"status": "ok"}


@bp.get("/")
@caching.public
def index():
    """The map of the sites coloured by today's state, and the same sites as a table."""
    sites = listing.sites_today(clock.today_wib())
    points = tuple(
        mapping.MapPoint(entry.site.code, entry.site.lat, entry.site.lon, str(entry.state),
                         url_for("public.site", code=entry.site.code))
        for entry in sites
    )
    site_map = mapping.render_map(
        points,
        current_app.config["MAP_TILES_URL"],
        current_app.config["MAP_TILES_ATTRIBUTION"],
        mapping.MapAssets(
            leaflet_js=xstatic_url("leaflet", "leaflet.js"),
            leaflet_css=xstatic_url("leaflet", "leaflet.css"),
            jquery_js=xstatic_url("jquery", "jquery.min.js"),
        ),
    )
    # Folium writes the map's script inline; the policy allows exactly that text.
    page = make_response(render_template("public/index.html", site_map=site_map, sites=sites))
    return headers.with_inline_scripts(page, site_map.script)


@bp.get("/sites/<code>")
@caching.public
def site(code: str):
    """A site's details and a three-month availability calendar per face."""
    found = listing.public_site_or_404(code)
    today = clock.today_wib()
    start, end = calendar.window(today, CALENDAR_MONTHS)
    busy = booking.availability(found, start, end)
    faces = [(label, items, calendar.month_grids(today, CALENDAR_MONTHS, items))
             for label, items in busy.items()]
    today_use = listing.one_site_today(found, today)
    return render_template("public/site.html", site=found, today_use=today_use, faces=faces,
                           start=start, end=end, weekdays=calendar.weekday_names(),
                           blackouts=listing.blackouts_of(found, start, end),
                           category_labels=CATEGORY_LABELS, contact=settings.group("contact"))


@bp.get("/sites/<code>/photo/small", defaults={"small": True})
@bp.get("/sites/<code>/photo", defaults={"small": False})
def site_photo(code: str, small: bool):
    """The site's photo (or its thumbnail), stored under the upload folder. Pages link it with
    ``v=`` naming the stored file, so a replaced photo is a new address for browsers' caches."""
    found = listing.public_site_or_404(code)
    name = found.thumbnail_photo if small else found.photo
    if not name:
        abort(404)
    return send_from_directory(current_app.config["UPLOAD_FOLDER"], name, max_age=3600)


@bp.get("/about")
def about():
    """For citizens: what the sites are, who may use them and how, and how to reach Bakeuda."""
    return render_template("public/about.html", contact=settings.group("contact"))
