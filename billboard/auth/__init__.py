"""Accounts: login, logout, password and API tokens."""
import secrets

from flask import Blueprint

from ..extensions import db, login_manager
from ..models import User

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    ident, _, session_token = user_id.partition(":")
    user = db.session.get(User, int(ident)) if ident.isdigit() else None
    if user and user.is_active and secrets.compare_digest(user.session_token, session_token):
        return user
    return None
