"""Every form POST of the app refuses a missing CSRF token and changes nothing.

Walks the same table as ``test_access.py``: each POST route that some role may use (its expected
status is not a refusal) is sent by that role, logged in for real, without a token.
Token-authenticated API routes carry no cookie and so no CSRF risk: they are left out.
"""

import pytest
from access import ROLES, AccessContext, load_entries, spec_for
from support import PASSWORD, csrf_token_in
from test_access import ROUTES

from billboard.extensions import db
from billboard.models import AuditEvent, Booking, Request

REFUSALS = {401, 403, 404, 405}
ENTRIES = load_entries()


def _form_posts():
    for rule, method in ROUTES:
        spec = spec_for(ENTRIES, rule, method)
        if method != "POST" or spec is None or spec.get("auth") == "token":
            continue
        # A role may use the route unless it is refused; for anonymous a 302 is the way to /login.
        allowed = [role for role in ROLES if spec["expect"][role] not in REFUSALS
                   and not (role == "anonymous" and spec["expect"][role] == 302)]
        if allowed:
            yield pytest.param(rule, spec, allowed[0], id=f"{rule} as {allowed[0]}")


def _snapshot():
    return [db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (AuditEvent, Booking, Request)]


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.mark.parametrize(("rule", "spec", "role"), list(_form_posts()))
def test_form_post_without_csrf_token_is_refused(client, rule, spec, role):
    ctx = AccessContext(PASSWORD)
    url = ctx.resolve(spec.get("url", rule))
    if role != "anonymous":
        page = client.get("/login").get_data(as_text=True)
        token = csrf_token_in(page)
        login = client.post("/login", data={"email": ctx.user(role).email,
                                            "password": PASSWORD, "csrf_token": token})
        assert login.status_code == 302
    before = _snapshot()
    response = client.post(url, data=ctx.resolve(spec.get("data")))
    assert response.status_code == 400, f"POST {url} as {role}: {response.status_code}"
    assert _snapshot() == before
