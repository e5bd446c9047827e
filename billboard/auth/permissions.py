"""Role guards for HTML views. The JSON API uses ``tokens.token_required`` instead."""
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import login_manager
from ..models import Role, User

# Bakeuda's own staff: they review, decide and administer; agencies only request.
BAKEUDA_ROLES = (Role.REVIEWER, Role.ADMIN)
# Where each role lands after logging in; the pages belong to other blueprints, so plain
# paths (fixed by DESIGN §6) rather than endpoints that may not be registered yet.
LANDING = {
    Role.AGENCY: ("/requests", _l("My requests")),
    Role.REVIEWER: ("/review", _l("Review queue")),
    Role.ADMIN: ("/admin/", _l("Administration")),
}


def role_required(*roles: Role | str):
    """Only logged-in users with one of ``roles`` get through.

    Anonymous visitors are sent to /login (and back afterwards); a logged-in user with
    another role gets 403. Object-level checks (another organisation's request -> 404) stay
    in the view.
    """
    allowed = {Role(role) for role in roles}

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def landing_path(user: User) -> str:
    return LANDING[user.role][0]


def landing_label(user: User) -> str:
    return str(LANDING[user.role][1])


def acting_user() -> User:
    """The logged-in user as the object itself: the service stores it in relationships and
    audit rows, which need the object, not Flask-Login's proxy."""
    return current_user._get_current_object()
