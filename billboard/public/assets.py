"""Leaflet and jQuery served by the app from their xstatic packages: no CDN, ever."""
import xstatic.pkg.jquery
import xstatic.pkg.leaflet
from flask import abort, send_from_directory, url_for

from . import bp

PACKAGES = {"leaflet": xstatic.pkg.leaflet, "jquery": xstatic.pkg.jquery}
# The version is in the URL: a file never changes under its URL, so it may be cached for a year.
ONE_YEAR = 365 * 24 * 3600


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
