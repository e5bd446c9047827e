"""Agency pages: an organisation's own requests under /requests."""
from flask import Blueprint

bp = Blueprint("agency", __name__)

from . import bast, documents, draw, routes  # noqa: E402,F401
