"""JSON API under /api/v1 (DESIGN §5): public reads and token-authenticated writes."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import campaign, occupancy, public, reports, requests  # noqa: E402,F401
