"""Leaflet and jQuery served by the app from their xstatic packages: no CDN, ever."""
import xstatic.pkg.jquery
import xstatic.pkg.leaflet
from flask import Response, abort, send_from_directory, url_for

from . import bp

PACKAGES = {"leaflet": xstatic.pkg.leaflet, "jquery": xstatic.pkg.jquery}
# The version is in the URL: a file never changes under its URL, so it may be cached for a year.
ONE_YEAR = 365 * 24 * 3600
# A billboard on its post, in the header's blue; browsers ask for /favicon.ico on every site.
FAVICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
           '<rect x="1" y="2" width="14" height="8" rx="1" fill="#0b5394"/>'
           '<rect x="7" y="10" width="2" height="5" fill="#5f6368"/></svg>')


@bp.get("/xstatic/<name>/<version>/<path:filename>")
def xstatic_file(name: str, version: str, filename: str):
    """A file of an xstatic package, cached for a year."""
    package = PACKAGES.get(name)
    if package is None or version != package.VERSION:
        abort(404)
    return send_from_directory(package.BASE_DIR, filename, max_age=ONE_YEAR)


def xstatic_url(name: str, filename: str) -> str:
    """The versioned URL of ``filename`` in xstatic package ``name``."""
    return url_for("public.xstatic_file", name=name, version=PACKAGES[name].VERSION,
                   filename=filename)


@bp.get("/favicon.ico")
def favicon():
    """The site's icon."""
    response = Response(FAVICON, mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 7 * 24 * 3600
    return response
