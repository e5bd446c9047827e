"""Accounts: login, logout, password, API tokens, and the account CLI commands."""
import hashlib
import secrets

from flask import Blueprint, request
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


def _session_identifier() -> str:
    """What "strong" protection ties a session to: the browser and the client's address as
    ProxyFix settled it (PROXY_COUNT). Flask-Login's own takes the first X-Forwarded-For entry,
    which the client writes itself; it has no public setting for this, hence the attribute."""
    base = f"{request.remote_addr}|{request.headers.get('User-Agent', '')}"
    return hashlib.sha512(base.encode()).hexdigest()


login_manager._session_identifier_generator = _session_identifier


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
