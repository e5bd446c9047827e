"""Pages for everyone, no login: the map, the site list and the site pages."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from . import assets, elections, ical, routes  # noqa: E402,F401
