"""Organisations and users: the rules for creating and changing them, shared by the admin
pages and the CLI. Functions change the session and write audit events; callers commit."""
import re
from datetime import UTC, datetime

from flask_babel import gettext as _

from .. import audit
from ..audit import Action
from ..domain_errors import DomainError
from ..extensions import db
from ..labels import ORGANIZATION_KIND_NAMES, ROLE_NAMES
from ..models import ApiToken, Organization, OrganizationKind, Role, User, new_session_token
from .passwords import hash_password, password_problem, verify_password

# Which kind of organisation each role belongs to (DESIGN §2): agencies are government
# bodies, reviewers are Bakeuda staff; private parties rent faces but do not log in.
ROLE_KINDS = {
    Role.AGENCY: {OrganizationKind.GOVERNMENT, OrganizationKind.CITY_OFFICE},
    Role.REVIEWER: {OrganizationKind.BAKEUDA},
    Role.ADMIN: {OrganizationKind.BAKEUDA, OrganizationKind.GOVERNMENT},
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(DomainError):
    """A refused change of an account, with a message for the person who asked for it."""


def normalize_email(email: str) -> str:
    return email.strip().casefold()


def can_sign_in(user: User) -> bool:
    """Only active users of active organisations may use a session or a token."""
    return user.is_active and user.organization.is_active


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=normalize_email(email)))


def find_organization(name: str) -> Organization | None:
    return db.session.scalar(db.select(Organization).filter_by(name=name.strip()))


def attempt_login(email: str, password: str, address: str | None) -> User:
    """The user these credentials belong to, if they may sign in; every attempt is audited."""
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password):
        _record_failed_login(user, address, "wrong password" if user else "unknown account")
        raise AccountError(_("Wrong email or password."))
    if not can_sign_in(user):
        _record_failed_login(user, address, "account or organisation deactivated")
        raise AccountError(_("This account is deactivated. Please contact the administrator "
                             "at Bakeuda."))
    user.last_login_at = datetime.now(UTC)
    audit.record(user, Action.USER_LOG_IN, "user", user.id, detail=_address(address))
    return user


def set_password(user: User, password: str, actor: User | None, *, action: Action) -> None:
    """Store a new password and end every session of ``user`` (the caller re-logs the current
    one in when the user changed their own password)."""
    problem = password_problem(password, email=user.email)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    audit.record(actor, action, "user", user.id)
    end_access(user, actor, why=action)


def create_organization(name: str, kind: str, actor: User | None) -> Organization:
    name = " ".join(name.split())
    if not name:
        raise AccountError(_("The organisation needs a name."))
    if find_organization(name):
        raise AccountError(_("An organisation named %(name)s already exists.", name=name))
    org = Organization(name=name, kind=OrganizationKind(kind), is_active=True)
    db.session.add(org)
    db.session.flush()
    audit.record(actor, Action.ORGANIZATION_CREATE, "organization", org.id, to_state=org.kind)
    return org


def _check_role(role: Role, organization: Organization) -> None:
    if organization.kind not in ROLE_KINDS[role]:
        raise AccountError(
            _("The role %(role)s does not fit an organisation of kind %(kind)s.",
              role=ROLE_NAMES[role], kind=ORGANIZATION_KIND_NAMES[organization.kind])
        )


def create_user(email: str, name: str, role: str, organization: Organization, password: str,
                actor: User | None) -> User:
    email = normalize_email(email)
    name = " ".join(name.split())
    if not _EMAIL.match(email):
        raise AccountError(_("Enter a valid email address."))
    if not name:
        raise AccountError(_("The user needs a name."))
    if find_user(email):
        raise AccountError(_("A user with the email %(email)s already exists.", email=email))
    role = Role(role)
    _check_role(role, organization)
    problem = password_problem(password, email=email)
    if problem:
        raise AccountError(problem)
    user = User(email=email, name=name, role=role, organization=organization,
                password_hash=hash_password(password), is_active=True,
                session_token=new_session_token())
    db.session.add(user)
    db.session.flush()
    audit.record(actor, Action.USER_CREATE, "user", user.id, to_state=role)
    return user


def change_role(user: User, role: str, actor: User) -> None:
    role = Role(role)
    if role == user.role:
        return
    if user.id == actor.id:
        raise AccountError(_("You cannot change your own role."))
    _check_role(role, user.organization)
    audit.record(actor, Action.USER_CHANGE_ROLE, "user", user.id, from_state=user.role,
                 to_state=role)
    user.role = role


def set_user_active(user: User, active: bool, actor: User) -> None:
    _switch_active(user, "user", active, actor, own=user.id == actor.id,
                   refusal=_("You cannot deactivate yourself."),
                   actions=(Action.USER_ACTIVATE, Action.USER_DEACTIVATE), people=[user])


def set_organization_active(org: Organization, active: bool, actor: User) -> None:
    _switch_active(org, "organization", active, actor, own=org.id == actor.organization_id,
                   refusal=_("You cannot deactivate your own organisation."),
                   actions=(Action.ORGANIZATION_ACTIVATE, Action.ORGANIZATION_DEACTIVATE),
                   people=org.users)


def _switch_active(target: User | Organization, object_type: str, active: bool, actor: User, *,
                   own: bool, refusal: str, actions: tuple[Action, Action],
                   people: list[User]) -> None:
    """Activate or deactivate a user or an organisation; ``people`` lose their sessions and
    tokens now, not when they next fail a check, and what ends stays ended after a
    reactivation."""
    if target.is_active == active:
        return
    if own:
        raise AccountError(refusal)
    action = actions[0] if active else actions[1]
    audit.record(actor, action, object_type, target.id,
                 from_state=_state(target.is_active), to_state=_state(active))
    target.is_active = active
    for user in people:
        end_access(user, actor, why=action)


def end_sessions(user: User) -> None:
    """Every session cookie of ``user`` stops working, copies included: the cookie carries the
    session token (``User.get_id``), which changes here."""
    user.session_token = new_session_token()


def end_access(user: User, actor: User | None, *, why: str) -> None:
    """End every session and revoke every API token of ``user``: after a password change or
    reset, or a deactivation. A revoked token stays revoked, so reactivating an account brings
    none of its old tokens back (nor its old session cookies)."""
    end_sessions(user)
    revoked = db.session.execute(
        db.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
        .returning(ApiToken.id)
    ).scalars().all()
    for token_id in revoked:
        audit.record(actor, Action.TOKEN_REVOKE, "api_token", token_id, from_state="active",
                     to_state="revoked", reason=why, detail=f"user {user.id}")


def _record_failed_login(user: User | None, address: str | None, why: str) -> None:
    # What was typed is never recorded: a mistyped email is often the password.
    audit.record(None, Action.USER_FAIL_LOGIN, "user", user.id if user else None,
                 reason=why, detail=_address(address))


def _address(address: str | None) -> str:
    return f"from {address or 'unknown address'}"


def _state(active: bool) -> str:
    return "active" if active else "inactive"
