"""API tokens for /api/v1: ``Authorization: Bearer <token>``.

A token is 256 random bits; only its SHA-256 is stored. A slow password hash buys nothing
against guessing a 256-bit secret, and a plain digest lets us find the row by an index.
"""
import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from functools import wraps

from flask import g, request
from flask_babel import gettext as _

from .. import audit
from ..audit import Action
from ..errors import json_error
from ..extensions import db
from ..models import ApiToken, Role, User
from ..unit_of_work import unit_of_work
from .accounts import AccountError, can_sign_in

PREFIX = "bb_"
# last_used_at is informational; writing it at most once a minute spares a write per call.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, name: str, actor: User | None) -> tuple[ApiToken, str]:
    """A new token for ``user``; the raw value is returned once and never stored."""
    name = " ".join(name.split())
    if not name:
        raise AccountError(_("The token needs a name."))
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=hash_token(raw))
    db.session.add(token)
    db.session.flush()
    audit.record(actor, Action.TOKEN_CREATE, "api_token", token.id, to_state="active",
                 detail=f"user {user.id}, {name}")
    return token, raw


def revoke_token(token: ApiToken, actor: User | None) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = datetime.now(UTC)
    audit.record(actor, Action.TOKEN_REVOKE, "api_token", token.id, from_state="active",
                 to_state="revoked", detail=f"user {token.user_id}, {token.name}")


def user_for_token(raw: str) -> tuple[User, ApiToken] | None:
    """The user behind a usable token: not revoked, user and organisation active."""
    token = db.session.scalar(db.select(ApiToken).filter_by(token_hash=hash_token(raw)))
    if token is None or token.revoked_at is not None or not can_sign_in(token.user):
        return None
    now = datetime.now(UTC)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        _touch(token.id, now)
    return token.user, token


def _touch(token_id: int, now: datetime) -> None:
    # Its own small unit of work, also on a GET. Many calls with one token may arrive at once:
    # each waits for the write lock in turn, and the condition makes all but the first no-ops.
    with unit_of_work():
        db.session.execute(
            db.update(ApiToken)
            .where(ApiToken.id == token_id,
                   db.or_(ApiToken.last_used_at.is_(None),
                          ApiToken.last_used_at < now - LAST_USED_PRECISION))
            .values(last_used_at=now)
        )


def token_required(*roles: Role | str):
    """Decorator for API views: a valid bearer token whose user has one of ``roles`` (any
    role when none are given). Sets ``g.api_user`` and ``g.api_token``; otherwise answers
    401 (no or bad token) or 403 (wrong role) as JSON."""
    allowed = {Role(role) for role in roles}

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
            found = user_for_token(raw.strip()) if scheme.lower() == "bearer" and raw else None
            if found is None:
                response = json_error(401, "unauthorized",
                                      _("A valid API token is required (Authorization: Bearer)."))
                response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
                return response
            user, token = found
            if allowed and user.role not in allowed:
                return json_error(403, "forbidden", _("Your role may not do this."))
            g.api_user, g.api_token = user, token
            return view(*args, **kwargs)

        return wrapped

    return decorator
