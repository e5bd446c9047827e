"""Administration: organisations, users, sites and the election calendar."""
from flask import Blueprint

from ..auth.permissions import role_required
from ..models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@role_required(Role.ADMIN)
def _administrators_only() -> None:
    """Every page under /admin/, whoever adds it, is for administrators only."""


from . import calendar, campaign, records, routes, settings, sites, sites_import  # noqa: E402,F401
