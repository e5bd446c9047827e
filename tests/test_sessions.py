"""Sessions and tokens end when they should, server-side: a copied cookie dies at logout; a
password change, a reset or a deactivation ends every session and token for good (a
reactivation revives none); a token needs the password; password checks are rate limited;
"strong" session protection uses the address ProxyFix settled on."""
import re

import pytest
from support import PASSWORD

from billboard.auth.tokens import issue_token
from billboard.extensions import db
from billboard.models import ApiToken, AuditEvent

NEW_PASSWORD = "tiga-baliho-di-bundaran-air-mancur"
AGENT = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chromium/156"}


def is_logged_in(client, **kwargs) -> bool:
    return client.get("/account", **kwargs).status_code == 200


def copy_of(client, app):
    """Another client holding a copy of ``client``'s session cookie (a stolen cookie)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def api_status(client, raw: str) -> int:
    return client.get("/api/v1/requests", headers={"Authorization": f"Bearer {raw}"}).status_code


# --- Logout -------------------------------------------------------------------------------------

@pytest.mark.db
def test_a_copied_cookie_is_dead_after_logout(app, client, auth, kpu):
    auth.login(kpu.email)
    copied_at_login = copy_of(client, app)
    client.get("/requests")
    copied_later = copy_of(client, app)
    assert is_logged_in(copied_at_login) and is_logged_in(copied_later)
    auth.logout()
    assert not is_logged_in(client)
    assert not is_logged_in(copied_at_login) and not is_logged_in(copied_later)
    # Logging in again does not bring the old cookie back.
    auth.login(kpu.email)
    assert is_logged_in(client) and not is_logged_in(copied_at_login)


def test_logout_leaves_api_tokens_alone(app, client, auth, kpu):
    _token, raw = issue_token(kpu, "rekap", None)
    db.session.commit()
    auth.login(kpu.email)
    auth.logout()
    assert api_status(app.test_client(), raw) == 200


# --- Password change, reset, deactivation: every session and token ends ----------------------

@pytest.fixture
def admin_client(app, make_user):
    admin = make_user("admin@bakeuda.example", role="admin", org="Bakeuda Kota Pangkalpinang")
    browser = app.test_client()
    browser.post("/login", data={"email": admin.email, "password": PASSWORD})
    return browser


def change_own_password(app, user):
    browser = app.test_client()
    browser.post("/login", data={"email": user.email, "password": PASSWORD})
    assert browser.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD}).status_code == 302


def reset_by_admin(admin_client, user):
    assert admin_client.post(f"/admin/users/{user.id}/password", data={
        "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302


def user_deactivated_and_back(admin_client, user):
    admin_client.post(f"/admin/users/{user.id}/deactivate", data={"confirmed": "1"})
    admin_client.post(f"/admin/users/{user.id}/activate", data={"confirmed": "1"})


def organisation_deactivated_and_back(admin_client, user):
    admin_client.post(f"/admin/organizations/{user.organization_id}/deactivate",
                      data={"confirmed": "1"})
    admin_client.post(f"/admin/organizations/{user.organization_id}/activate",
                      data={"confirmed": "1"})


@pytest.mark.db
@pytest.mark.parametrize("event", [
    lambda app, admin_client, user: change_own_password(app, user),
    lambda app, admin_client, user: reset_by_admin(admin_client, user),
    lambda app, admin_client, user: user_deactivated_and_back(admin_client, user),
    lambda app, admin_client, user: organisation_deactivated_and_back(admin_client, user),
], ids=["own password change", "admin reset", "user reactivated", "organisation reactivated"])
def test_tokens_and_sessions_end_for_good(app, client, auth, admin_client, kpu, event):
    _token, raw = issue_token(kpu, "rekap", None)
    _second, second_raw = issue_token(kpu, "dasbor", None)
    db.session.commit()
    auth.login(kpu.email)
    assert api_status(client, raw) == 200 and is_logged_in(client)

    event(app, admin_client, kpu)

    assert api_status(app.test_client(), raw) == 401
    assert api_status(app.test_client(), second_raw) == 401
    assert not is_logged_in(client)
    db.session.expire_all()
    assert all(t.revoked_at is not None for t in db.session.scalars(db.select(ApiToken)))
    revocations = db.session.scalars(
        db.select(AuditEvent).filter_by(action="api_token.revoked")).all()
    assert len(revocations) == 2 and all(e.reason for e in revocations)


def test_another_users_tokens_survive(app, admin_client, kpu, bawaslu):
    _token, raw = issue_token(bawaslu, "rekap", None)
    db.session.commit()
    reset_by_admin(admin_client, kpu)
    user_deactivated_and_back(admin_client, kpu)
    assert api_status(app.test_client(), raw) == 200


# --- A token needs the password --------------------------------------------------------------

@pytest.mark.parametrize("password", [None, "", "wrong-password-guess", PASSWORD + " "])
def test_a_token_is_not_created_without_the_password(client, auth, kpu, password):
    auth.login(kpu.email)
    client.get("/language/en")
    data = {"name": "rekap"} if password is None else {"name": "rekap", "password": password}
    page = client.post("/account/tokens", data=data).get_data(as_text=True)
    assert "new-token" not in page
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_a_token_is_created_with_the_password(client, auth, kpu):
    auth.login(kpu.email)
    page = client.post("/account/tokens", data={"name": "rekap", "password": PASSWORD})
    raw = re.search(r'<code class="new-token">([^<]+)</code>', page.get_data(as_text=True))[1]
    assert api_status(client, raw) == 200


# --- Wrong passwords of a logged-in user are rate limited -------------------------------------

def wrong_change(client):
    return client.post("/account/password", data={
        "current_password": "not-the-password", "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})


def wrong_token(client):
    return client.post("/account/tokens", data={"name": "rekap", "password": "not-it"})


@pytest.mark.parametrize("attempts", [
    [wrong_change] * 5, [wrong_token] * 5, [wrong_change, wrong_token] * 2 + [wrong_change],
], ids=["password page", "token page", "both pages share one budget"])
def test_wrong_current_passwords_are_limited(client, auth, kpu, attempts):
    auth.login(kpu.email)
    client.get("/language/en")
    for attempt in attempts:
        assert attempt(client).status_code == 200
    refused = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert refused.status_code == 429
    assert "Too many wrong passwords. Please try again in" in refused.get_data(as_text=True)
    assert wrong_token(client).status_code == 429
    db.session.refresh(kpu)
    assert not kpu.tokens and db.session.scalar(db.select(db.func.count(AuditEvent.id)).filter_by(
        action="user.password_changed")) == 0


def test_right_passwords_do_not_count_and_users_have_their_own_budget(app, client, auth, kpu,
                                                                     bawaslu):
    auth.login(kpu.email)
    for _ in range(6):
        assert client.post("/account/tokens", data={
            "name": "rekap", "password": PASSWORD}).status_code == 200
    for _ in range(5):
        wrong_change(client)
    other = app.test_client()
    other.post("/login", data={"email": bawaslu.email, "password": PASSWORD})
    assert wrong_change(other).status_code == 200


# --- "Strong" session protection and the address ProxyFix settles on --------------------------

def login_from(client, user, address, forwarded=None):
    headers = {**AGENT, **({"X-Forwarded-For": forwarded} if forwarded else {})}
    return client.post("/login", data={"email": user.email, "password": PASSWORD},
                       headers=headers, environ_base={"REMOTE_ADDR": address})


def visit_from(client, address, forwarded=None) -> bool:
    headers = {**AGENT, **({"X-Forwarded-For": forwarded} if forwarded else {})}
    return is_logged_in(client, headers=headers, environ_base={"REMOTE_ADDR": address})


@pytest.mark.parametrize("address, forwarded, kept", [
    ("10.0.0.1", None, True),
    ("10.0.0.1", "203.0.113.9", True),   # no proxy is trusted: the header means nothing
    ("10.0.0.2", "198.51.100.7", False),  # another machine claiming the first's header
    ("10.0.0.2", None, False),
])
def test_without_a_proxy_the_socket_address_counts(client, kpu, address, forwarded, kept):
    login_from(client, kpu, "10.0.0.1", forwarded="198.51.100.7")
    assert visit_from(client, address, forwarded) is kept


@pytest.mark.parametrize("app_config", [{"PROXY_COUNT": 1}])
@pytest.mark.parametrize("forwarded, kept", [
    ("198.51.100.7", True),
    ("1.2.3.4, 198.51.100.7", True),     # what the client wrote itself comes first
    ("198.51.100.7, 203.0.113.5", False),  # the proxy saw another client
    ("203.0.113.5", False),
])
def test_behind_a_proxy_the_address_it_appended_counts(client, kpu, forwarded, kept):
    login_from(client, kpu, "127.0.0.1", forwarded="198.51.100.7")
    assert visit_from(client, "127.0.0.1", forwarded) is kept


def test_another_browser_with_the_cookie_is_dropped(client, kpu):
    login_from(client, kpu, "10.0.0.1")
    assert not is_logged_in(client, headers={"User-Agent": "curl/8.5"},
                            environ_base={"REMOTE_ADDR": "10.0.0.1"})
