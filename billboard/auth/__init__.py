"""Accounts: login, logout, password, API tokens, and the account CLI commands."""
import secrets

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager
from ..labels import ROLE_NAMES
from ..models import User
from .accounts import can_sign_in
from .permissions import landing_label, landing_path

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"
# A session cookie replayed from another address or browser is dropped, not trusted.
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    ident, _, session_token = user_id.partition(":")
    user = db.session.get(User, int(ident)) if ident.isdigit() else None
    if user and can_sign_in(user) and secrets.compare_digest(user.session_token, session_token):
        return user
    return None


@bp.app_context_processor
def _account_links() -> dict:
    return {"role_names": ROLE_NAMES, "landing_path": landing_path, "landing_label": landing_label}


from . import cli, routes  # noqa: E402,F401
