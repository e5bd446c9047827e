"""Bakeuda's review: the queue, decisions, the timeline."""
from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from . import handover, plates, rentals, reports, routes, scans, tariffs  # noqa: E402,F401
