from datetime import UTC, datetime
from math import ceil

from flask import (
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_time, ngettext
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from .. import audit
from ..audit import Action
from ..confirm import ask_first
from ..extensions import db, limiter
from ..models import ApiToken
from ..redirects import is_safe_path
from ..unit_of_work import unit_of_work
from . import bp
from .accounts import AccountError, attempt_login, end_sessions, normalize_email, set_password
from .forms import ChangePasswordForm, LoginForm, TokenForm
from .passwords import MIN_LENGTH, verify_password
from .permissions import acting_user, landing_path
from .tokens import issue_token, revoke_token


def _account_key() -> str:
    email = normalize_email(request.form.get("email", ""))
    # An empty key makes Flask-Limiter skip the limit; the address limit still applies.
    return f"login-account:{email}" if email else ""


def _address_key() -> str:
    return f"login-address:{get_remote_address()}"


def _failed_login(_response) -> bool:
    return g.get("login_failed", False)


def _window_end() -> tuple[int, str]:
    """When the breached limit lets go again: in how many minutes, and at what time (WIB)."""
    reset_at = datetime.fromtimestamp(limiter.current_limit.reset_at, UTC)
    minutes = max(1, ceil((reset_at - datetime.now(UTC)).total_seconds() / 60))
    return minutes, format_time(reset_at, "HH.mm")


def _retry_message() -> str:
    minutes, time = _window_end()
    return ngettext(
        "Too many failed login attempts. Please try again in %(num)d minute, after %(time)s WIB.",
        "Too many failed login attempts. Please try again in %(num)d minutes, after %(time)s WIB.",
        minutes, time=time,
    )


def _password_retry_message() -> str:
    minutes, time = _window_end()
    return ngettext(
        "Too many wrong passwords. Please try again in %(num)d minute, after %(time)s WIB.",
        "Too many wrong passwords. Please try again in %(num)d minutes, after %(time)s WIB.",
        minutes, time=time,
    )


def _user_key() -> str:
    # Anonymous visitors go to /login (login_required); an empty key skips the limit.
    return f"password-check:{current_user.id}" if current_user.is_authenticated else ""


def _wrong_password(_response) -> bool:
    return g.get("wrong_password", False)


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


# Only failed attempts count, per account (guessing one password) and per address (trying
# many accounts); the address limit is looser because a whole office may share one address.
per_account_limit = limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_account_key, methods=["POST"],
    deduct_when=_failed_login, error_message=_retry_message, scope="login-account",
)
per_address_limit = limiter.limit(
    _address_limit, key_func=_address_key, methods=["POST"],
    deduct_when=_failed_login, error_message=_retry_message, scope="login-address",
)
# Asking for the password again (to change it, to create a token) is guessing like a login:
# someone holding a session must not get an unlimited oracle. One budget for both pages.
password_check_limit = limiter.shared_limit(
    lambda: current_app.config["PASSWORD_CHECK_RATE_LIMIT"], "password-check",
    key_func=_user_key, methods=["POST"], deduct_when=_wrong_password,
    error_message=_password_retry_message,
)


@bp.errorhandler(429)
def _too_many_attempts(error):
    # The generic 429 page cannot know when the window ends; the limit's message does.
    return render_template("error.html", error=error, message=error.description), 429


def _start_session(user) -> None:
    # A fresh session at login: nothing from before it carries over except the language.
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
@per_account_limit
@per_address_limit
def login():
    if current_user.is_authenticated:
        return redirect(landing_path(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        with unit_of_work():
            try:
                user = attempt_login(form.email.data, form.password.data, get_remote_address())
            except AccountError as refused:
                # A refused login is a change too: its audit row is committed.
                g.login_failed = True
                user = None
                form.password.errors.append(str(refused))
        if user is not None:
            _start_session(user)
            target = request.args.get("next")
            return redirect(target if is_safe_path(target) else landing_path(user))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        user = acting_user()
        with unit_of_work():
            audit.record(user, Action.USER_LOG_OUT, "user", user.id)
            # Server-side: a copy of the cookie (another tab, a stolen one) is dead too.
            end_sessions(user)
        logout_user()
        flash(_("You are logged out."), "info")
    return redirect("/")


@bp.get("/account")
@login_required
def account():
    return render_template("auth/account.html")


def _password_confirmed(field) -> bool:
    """Whether ``field`` holds the logged-in user's password; a wrong one counts against
    PASSWORD_CHECK_RATE_LIMIT and says so on the field."""
    if verify_password(current_user.password_hash, field.data):
        return True
    g.wrong_password = True
    field.errors.append(_("The current password is wrong."))
    return False


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@password_check_limit
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = acting_user()
        if _password_confirmed(form.current_password):
            try:
                with unit_of_work():
                    set_password(user, form.new_password.data, user,
                                 action=Action.USER_CHANGE_PASSWORD)
            except AccountError as refused:
                form.new_password.errors.append(str(refused))
            else:
                # The new session token logged out every session; keep this one.
                _start_session(user)
                flash(_("Your password is changed. Every other session is logged out."),
                      "success")
                return redirect(url_for("auth.account"))
    return render_template("auth/password.html", form=form, min_length=MIN_LENGTH)


def _tokens_page(form: TokenForm, new_token: str | None = None):
    tokens = db.session.scalars(
        db.select(ApiToken).filter_by(user_id=current_user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
    ).all()
    response = make_response(render_template(
        "auth/tokens.html", form=form, tokens=tokens, new_token=new_token
    ))
    # The one page that shows a raw token must not linger in any cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
@password_check_limit
def tokens():
    form = TokenForm()
    # A token outlives the session: whoever found a browser left logged in must not get one.
    if form.validate_on_submit() and _password_confirmed(form.password):
        user = acting_user()
        try:
            with unit_of_work():
                _token, raw = issue_token(user, form.name.data, user)
        except AccountError as refused:
            form.name.errors.append(str(refused))
        else:
            return _tokens_page(TokenForm(formdata=None), new_token=raw)
    return _tokens_page(form)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if question := ask_first(
            _("Revoke the token %(name)s?", name=token.name), back=url_for("auth.tokens"),
            consequence=_("Programs that use it stop working at once. This cannot be undone."),
            button=_("Revoke")):
        return question
    with unit_of_work():
        revoke_token(token, acting_user())
    flash(_("The token %(name)s is revoked.", name=token.name), "success")
    return redirect(url_for("auth.tokens"))
