"""Logins, failed logins and token creations at once on SQLite: each waits for the write lock.

The app is served by a real threaded HTTP server, so that each request runs in its own thread,
connection and transaction. Before the unit of work took the write lock first, most of these
answered 500 ("database is locked"): they read, then tried to write after another had committed.
"""
import threading
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, build_opener

import pytest
from support import PASSWORD

from billboard.extensions import db
from billboard.models import ApiToken, AuditEvent

THREADS = 8
LOGINS = 6
TOKEN_THREADS = 4
TOKENS = 6


@pytest.fixture
def app_config():
    # The rate limits are tested elsewhere; here every attempt must reach the view.
    return {"LOGIN_RATE_LIMIT": "10000 per minute", "LOGIN_ADDRESS_RATE_LIMIT": "10000 per minute"}


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None


def _browser():
    """A client with its own cookies that reports redirects instead of following them."""
    return build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect)


def _post(opener, url: str, fields: dict) -> int:
    try:
        with opener.open(url, data=urlencode(fields).encode(), timeout=60) as response:
            response.read()
            return response.status
    except HTTPError as error:
        with error:
            error.read()
        return error.code


def _count(action: str) -> int:
    return db.session.scalar(db.select(db.func.count(AuditEvent.id))
                             .where(AuditEvent.action == action))


def test_parallel_logins_and_token_creations_never_fail(app, served, make_user):
    if db.session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's single writer is what this is about")
    users = [make_user(f"staf{n}@opd.example", org=f"OPD {n}") for n in range(THREADS)]
    token_users = [make_user(f"token{n}@opd.example", org=f"OPD T{n}")
                   for n in range(TOKEN_THREADS)]
    emails = [user.email for user in users]
    token_emails = [user.email for user in token_users]
    db.session.remove()
    barrier = threading.Barrier(THREADS + TOKEN_THREADS)

    def log_in_and_out(n: int) -> list[tuple[bool, int]]:
        barrier.wait()
        results = []
        for attempt in range(LOGINS):
            right = (n + attempt) % 2 == 0
            status = _post(_browser(), f"{served}/login", {
                "email": emails[n], "password": PASSWORD if right else "salah-sekali-123"})
            results.append((right, status))
        return results

    def create_tokens(n: int) -> list[int]:
        browser = _browser()
        barrier.wait()
        statuses = [_post(browser, f"{served}/login",
                          {"email": token_emails[n], "password": PASSWORD})]
        statuses += [_post(browser, f"{served}/account/tokens", {"name": f"token {i}",
                                                                "password": PASSWORD})
                     for i in range(TOKENS)]
        return statuses

    with ThreadPoolExecutor(max_workers=THREADS + TOKEN_THREADS) as pool:
        logins = [pool.submit(log_in_and_out, n) for n in range(THREADS)]
        tokens = [pool.submit(create_tokens, n) for n in range(TOKEN_THREADS)]
        login_results = [r for future in logins for r in future.result()]
        token_results = [s for future in tokens for s in future.result()]

    # A right password lands (302), a wrong one shows the form again (200); never a 5xx.
    assert sorted({(right, status) for right, status in login_results}) == [
        (False, 200), (True, 302)], login_results
    assert token_results == [302, *[200] * TOKENS] * TOKEN_THREADS, token_results
    failed = sum(1 for right, _status in login_results if not right)
    assert failed == THREADS * LOGINS // 2
    assert _count("user.login_failed") == failed
    assert _count("user.login") == THREADS * LOGINS - failed + TOKEN_THREADS
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == TOKEN_THREADS * TOKENS
