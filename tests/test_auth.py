"""Logging in and out, sessions, passwords, CSRF, the login rate limit and the audit trail."""
import logging
import re
import subprocess
import sys
import time
import uuid

import pytest
from support import PASSWORD, csrf_token, csrf_token_in
from werkzeug.security import generate_password_hash

from billboard import audit, create_app
from billboard.audit import AuditTamperingError
from billboard.auth.passwords import password_problem
from billboard.extensions import db
from billboard.models import AuditEvent, User

CSRF_ON = [{"WTF_CSRF_ENABLED": True}]


NEW_PASSWORD = "tiga-baliho-di-bundaran-air-mancur"


def events(action):
    return db.session.scalars(db.select(AuditEvent).filter_by(action=action)).all()


def is_logged_in(client) -> bool:
    return client.get("/account").status_code == 200


@pytest.mark.db
@pytest.mark.parametrize(("role", "landing"), [
    ("agency", "/requests"), ("reviewer", "/review"), ("admin", "/admin/"),
])
def test_login_lands_on_the_role_page_and_is_audited(client, make_user, auth, role, landing):
    user = make_user(email=f"{role}@example.go.id", role=role)
    response = auth.login(f"  {role.upper()}@Example.go.id ")
    assert response.status_code == 302
    assert response.headers["Location"] == landing
    assert is_logged_in(client)
    [login] = events("user.login")
    assert login.actor_id == user.id and login.object_id == user.id
    assert db.session.get(User, user.id).last_login_at is not None


def test_login_page_is_in_indonesian_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Masuk" in page and 'name="email"' in page and 'name="password"' in page


@pytest.mark.parametrize("email", ["staf@kpu.example", "nobody@kpu.example"])
def test_wrong_credentials_are_refused_alike_and_audited_without_what_was_typed(
        client, make_user, auth, email):
    user = make_user()
    client.get("/language/en")
    response = auth.login(email, "wrong-but-long-password")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Wrong email or password." in page
    assert "wrong-but-long-password" not in page
    assert not is_logged_in(client)
    [failed] = events("user.login_failed")
    assert failed.actor_id is None
    assert failed.object_id == (user.id if email == user.email else None)
    assert "nobody" not in f"{failed.detail} {failed.reason}"
    assert "wrong-but-long-password" not in f"{failed.detail} {failed.reason}"


@pytest.mark.parametrize(("target", "landing"), [
    ("/account/tokens", "/account/tokens"),
    ("//evil.example/x", "/requests"),
    ("https://evil.example/", "/requests"),
    ("/\\evil.example", "/requests"),
])
def test_next_only_leads_to_this_site(client, make_user, target, landing):
    make_user()
    response = client.post("/login", query_string={"next": target},
                           data={"email": "staf@kpu.example", "password": PASSWORD})
    assert response.headers["Location"] == landing


def test_anonymous_visitor_is_sent_to_login_and_back(client, make_user, auth):
    make_user()
    response = client.get("/account/tokens")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    login = client.post(response.headers["Location"],
                        data={"email": "staf@kpu.example", "password": PASSWORD})
    assert login.headers["Location"] == "/account/tokens"


def test_logged_in_user_visiting_login_goes_to_landing(client, make_user, auth):
    make_user(role="reviewer", email="r@bakeuda.example")
    auth.login("r@bakeuda.example")
    assert client.get("/login").headers["Location"] == "/review"


def test_logout_ends_the_session_and_needs_post(client, make_user, auth):
    make_user()
    auth.login("staf@kpu.example")
    assert client.get("/logout").status_code == 405
    assert is_logged_in(client)
    assert auth.logout().status_code == 302
    assert not is_logged_in(client)
    assert len(events("user.logout")) == 1


def test_nav_shows_account_links_and_a_logout_form(client, make_user, auth):
    make_user(name="Rina")
    client.get("/language/en")
    assert "Log in" in client.get("/account", follow_redirects=True).get_data(as_text=True)
    auth.login("staf@kpu.example")
    page = client.get("/account").get_data(as_text=True)
    assert 'href="/requests"' in page and "Rina" in page
    assert re.search(r'<form method="post" action="/logout">\s*<input type="hidden" '
                     r'name="csrf_token"', page)


@pytest.mark.parametrize("what", ["user", "organization"])
def test_deactivated_accounts_cannot_log_in_and_lose_open_sessions(client, make_user, auth,
                                                                   what):
    user = make_user()
    auth.login("staf@kpu.example")
    assert is_logged_in(client)
    target = user if what == "user" else user.organization
    target.is_active = False
    db.session.commit()
    assert not is_logged_in(client)
    client.get("/language/en")
    response = auth.login("staf@kpu.example")
    assert response.status_code == 200
    assert "deactivated" in response.get_data(as_text=True)
    assert not is_logged_in(client)
    assert events("user.login_failed")[-1].object_id == user.id


@pytest.mark.db
def test_password_change_logs_out_every_other_session(app, client, make_user, auth):
    user = make_user()
    other_device = app.test_client()
    other_device.post("/login", data={"email": user.email, "password": PASSWORD})
    auth.login(user.email)
    old_token = user.session_token
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert is_logged_in(client)
    assert not is_logged_in(other_device)
    db.session.refresh(user)
    assert user.session_token != old_token
    assert auth.logout() and auth.login(user.email).status_code == 200
    assert auth.login(user.email, NEW_PASSWORD).status_code == 302
    [changed] = events("user.password_changed")
    assert changed.actor_id == user.id and NEW_PASSWORD not in str(changed.detail)


@pytest.mark.parametrize(("current", "new", "confirm", "message"), [
    ("not-the-password-at-all", NEW_PASSWORD, NEW_PASSWORD, "The current password is wrong."),
    (PASSWORD, "short-one", "short-one", "Use at least 12 characters."),
    (PASSWORD, "Password2024!", "Password2024!", "among the most common"),
    (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "The two passwords differ."),
])
def test_refused_password_change_changes_nothing(client, make_user, auth, current, new,
                                                  confirm, message):
    user = make_user()
    auth.login(user.email)
    client.get("/language/en")
    before = (user.password_hash, user.session_token)
    response = client.post("/account/password", data={
        "current_password": current, "new_password": new, "confirm": confirm})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.refresh(user)
    assert (user.password_hash, user.session_token) == before
    assert not events("user.password_changed")


@pytest.mark.parametrize(("password", "refused"), [
    ("kata-sandi-yang-panjang-42", False),
    ("kopi tubruk di pasar pagi", False),
    ("elevenchars", True),
    ("x" * 257, True),
    ("aaaaaaaaaaaaaaaa", True),
    ("abababababababab", True),
    ("passwordpassword", True),
    ("Password2024!!", True),
    ("pangkalpinang2024", True),
    ("Bismillah12345", True),
    ("1q2w3e4r5t6y", True),
    ("staf.pemilu@kpu.example", True),
])
def test_password_policy(app, password, refused):
    assert (password_problem(password, email="staf.pemilu@kpu.example") is not None) is refused


def test_passwords_are_hashed_with_werkzeugs_current_default(runner, make_org):
    make_org()
    runner.invoke(args=["billboard", "create-user", "a@kpu.example", "--name", "A", "--role",
                        "agency", "--org", "KPU Kota Pangkalpinang"],
                  input=f"{PASSWORD}\n{PASSWORD}\n")
    stored = db.session.scalar(db.select(User.password_hash))
    default_method = generate_password_hash("x").split("$")[0].split(":")[0]
    assert stored.split(":")[0] == default_method
    assert PASSWORD not in stored


# --- CSRF: a form without a valid token is refused with a friendly 400 and changes nothing.

@pytest.mark.parametrize("app_config", CSRF_ON)
def test_login_without_csrf_token_is_refused(client, make_user):
    make_user()
    client.get("/language/en")
    response = client.post("/login", data={"email": "staf@kpu.example", "password": PASSWORD})
    assert response.status_code == 400
    assert "Nothing was changed" in response.get_data(as_text=True)
    assert not is_logged_in(client)
    assert not events("user.login") and not events("user.login_failed")


@pytest.mark.parametrize("app_config", CSRF_ON)
def test_login_with_csrf_token_works(client, make_user):
    make_user()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": "staf@kpu.example", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302 and is_logged_in(client)


@pytest.fixture
def logged_in_with_csrf(client, make_user):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": PASSWORD,
                                "csrf_token": csrf_token(client, "/login")})
    assert is_logged_in(client)
    return user


@pytest.mark.parametrize("app_config", CSRF_ON)
def test_forms_without_or_with_a_stale_csrf_token_change_nothing(app, client,
                                                                 logged_in_with_csrf):
    user = logged_in_with_csrf
    stranger = app.test_client()
    stale = csrf_token(stranger, "/login")  # valid, but bound to another session
    for token in (None, stale, "garbage"):
        data = {} if token is None else {"csrf_token": token}
        assert client.post("/logout", data=data).status_code == 400
        assert client.post("/account/password", data={
            **data, "current_password": PASSWORD, "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD}).status_code == 400
        assert client.post("/account/tokens", data={
            **data, "name": "x", "password": PASSWORD}).status_code == 400
    assert is_logged_in(client)
    db.session.refresh(user)
    assert not user.tokens and not events("user.password_changed")
    token = csrf_token(client, "/account/tokens")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert not is_logged_in(client)


# --- Rate limit: only failures count, per account and per address; 429 says when to retry.

@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "3 per 2 seconds",
                                         "LOGIN_ADDRESS_RATE_LIMIT": "5 per 2 seconds"}])
def test_failed_logins_per_account_are_limited_until_the_window_passes(client, make_user,
                                                                       auth):
    make_user()
    for _ in range(3):
        assert auth.login("staf@kpu.example", "wrong-but-long-password").status_code == 200
    client.get("/language/en")
    limited = auth.login("staf@kpu.example")  # even the right password, for now
    assert limited.status_code == 429
    assert "Please try again in 1 minute, after" in limited.get_data(as_text=True)
    assert 0 <= int(limited.headers["Retry-After"]) <= 2
    # Another address does not help an attacker guessing this account's password.
    elsewhere = client.post("/login", environ_base={"REMOTE_ADDR": "10.9.8.7"},
                            data={"email": "staf@kpu.example", "password": PASSWORD})
    assert elsewhere.status_code == 429
    assert not is_logged_in(client)
    time.sleep(2.1)
    assert auth.login("staf@kpu.example").status_code == 302


@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "3 per 1 minute",
                                         "LOGIN_ADDRESS_RATE_LIMIT": "4 per 1 minute"}])
def test_failed_logins_per_address_are_limited(client, make_user, auth):
    make_user()
    for n in range(4):
        assert auth.login(f"guess{n}@kpu.example", "wrong-but-long-password").status_code == 200
    assert auth.login("staf@kpu.example").status_code == 429
    other_office = client.post("/login", environ_base={"REMOTE_ADDR": "10.9.8.7"},
                               data={"email": "staf@kpu.example", "password": PASSWORD})
    assert other_office.status_code == 302


@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "2 per 1 minute"}])
def test_successful_logins_do_not_count(client, make_user, auth):
    make_user()
    for _ in range(4):
        assert auth.login("staf@kpu.example").status_code == 302
        auth.logout()


REDIS_URL = "redis://127.0.0.1:6379"
_FAIL_THREE_LOGINS = """
import sys
from billboard import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "RATELIMIT_STORAGE_URI": sys.argv[2],
                  "RATELIMIT_KEY_PREFIX": sys.argv[3], "LOGIN_RATE_LIMIT": "3 per 1 minute"})
client = app.test_client()
print(*(client.post("/login", data={"email": "staf@kpu.example", "password": "wrong-but-long"})
        .status_code for _ in range(3)))
"""


def test_rate_limit_is_shared_between_processes_through_redis(app, make_user):
    redis = pytest.importorskip("redis")
    try:
        server = redis.Redis.from_url(REDIS_URL, socket_timeout=1)
        server.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    make_user()
    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "RATELIMIT_STORAGE_URI": REDIS_URL,
                "RATELIMIT_KEY_PREFIX": f"billboard-test-{uuid.uuid4().hex}",
                "LOGIN_RATE_LIMIT": "3 per 1 minute"}
    try:
        # Another process serving the app, as a second gunicorn worker or host would...
        other_worker = subprocess.run(
            [sys.executable, "-c", _FAIL_THREE_LOGINS, *list(settings.values())[:3]],
            capture_output=True, text=True, check=True, timeout=60)
        assert other_worker.stdout.split() == ["200", "200", "200"]
        # ...has used up the attempts for this one too.
        this_worker = create_app(settings)
        response = this_worker.test_client().post(
            "/login", data={"email": "staf@kpu.example", "password": PASSWORD})
        assert response.status_code == 429
    finally:
        for key in server.scan_iter(f"*{settings['RATELIMIT_KEY_PREFIX']}*"):
            server.delete(key)


# --- Cookies, secrets in pages and logs, the audit trail itself.

def test_production_session_cookie_is_secure_httponly_lax(app, make_user, monkeypatch):
    make_user()
    monkeypatch.setenv("BILLBOARD_ENV", "production")
    monkeypatch.setattr("billboard.config.ProductionConfig.SECRET_KEY",
                        "prod-secret-for-test-of-32-chars")
    monkeypatch.setattr("billboard.config.ProductionConfig.SQLALCHEMY_DATABASE_URI",
                        app.config["SQLALCHEMY_DATABASE_URI"])
    production = create_app()
    with production.app_context():
        client = production.test_client()
        # Over HTTPS Flask-WTF also checks that the form came from this site.
        https = {"base_url": "https://localhost",
                 "headers": {"Referer": "https://localhost/login"}}
        page = client.get("/login", **https).get_data(as_text=True)
        token = csrf_token_in(page)
        response = client.post("/login", **https, data={
            "email": "staf@kpu.example", "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302
        cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        db.session.remove()


def test_no_page_log_line_or_audit_row_contains_a_password_or_token(client, make_user, auth,
                                                                     caplog):
    caplog.set_level(logging.DEBUG)
    user = make_user()
    bodies = [
        auth.login(user.email, "my-secret-wrong-guess").get_data(as_text=True),
        auth.login(user.email).get_data(as_text=True),
        client.post("/account/password", data={
            "current_password": PASSWORD, "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD}, follow_redirects=True).get_data(as_text=True),
    ]
    created = client.post("/account/tokens", data={"name": "skrip rekap",
                                                   "password": NEW_PASSWORD})
    raw = re.search(r'<code class="new-token">([^<]+)</code>', created.get_data(as_text=True))[1]
    assert created.headers["Cache-Control"] == "no-store"
    bodies.append(client.get("/account/tokens").get_data(as_text=True))
    bodies.append(client.get("/api/v1/requests", headers={"Authorization": f"Bearer {raw}"})
                  .get_data(as_text=True))
    audit_text = " ".join(f"{e.reason} {e.detail} {e.from_state} {e.to_state}"
                          for e in db.session.scalars(db.select(AuditEvent)))
    logged = " ".join(record.getMessage() for record in caplog.records)
    for secret in (PASSWORD, NEW_PASSWORD, "my-secret-wrong-guess", raw):
        assert all(secret not in body for body in bodies)
        assert secret not in logged and secret not in audit_text


@pytest.mark.db
def test_audit_events_are_append_only(app, make_user):
    user = make_user()
    row = audit.record(user, "user.login", "user", user.id, detail="from 127.0.0.1")
    db.session.commit()
    row.detail = "rewritten"
    with pytest.raises(AuditTamperingError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(row)
    with pytest.raises(AuditTamperingError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditTamperingError):
        db.session.execute(db.update(AuditEvent).values(detail="x"))
    with pytest.raises(AuditTamperingError):
        db.session.execute(db.delete(AuditEvent))
    db.session.rollback()
    assert db.session.get(AuditEvent, row.id).detail == "from 127.0.0.1"
