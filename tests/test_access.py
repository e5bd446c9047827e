"""Every route, every method, five people: each gets exactly the status its area expects.

Expectations live in ``tests/access/<area>.py`` (format: tests/access/README.md).
"""
import pytest
from access import ROLES, AccessContext, load_entries, spec_for
from support import PASSWORD

from billboard import create_app

SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def _routes() -> list[tuple[str, str]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        (str(rule), method)
        for rule in app.url_map.iter_rules() if rule.endpoint != "static"
        for method in rule.methods - SKIPPED_METHODS
    )


ROUTES = _routes()
ENTRIES = load_entries()


def test_every_entry_names_an_existing_route():
    existing = set(ROUTES)
    stale = [
        f"{method} {rule}"
        for rule, specs in ENTRIES.items()
        for spec in specs for method in spec.get("methods", ("GET",))
        if (rule, method) not in existing
    ]
    assert not stale, f"access entries for routes that do not exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("rule", "method"), ROUTES, ids=[f"{m} {r}" for r, m in ROUTES])
def test_access(app, client, rule, method, role):
    spec = spec_for(ENTRIES, rule, method)
    if spec is None:
        pytest.fail(f"no access entry for {method} {rule}: add one to tests/access/<area>.py")
    ctx = AccessContext(PASSWORD)
    url = ctx.resolve(spec.get("url", rule))
    assert "<" not in url, f"{rule} has parameters: its entry needs a 'url'"
    headers = {}
    if role != "anonymous":
        if spec.get("auth", "session") == "token":
            headers["Authorization"] = f"Bearer {ctx.token(role)}"
        else:
            login = client.post("/login", data={"email": ctx.user(role).email,
                                                "password": PASSWORD})
            assert login.status_code == 302, f"{role} could not log in"
    response = client.open(url, method=method, headers=headers,
                           data=ctx.resolve(spec.get("data")), json=ctx.resolve(spec.get("json")))
    expected = spec["expect"][role]
    assert response.status_code == expected, (
        f"{method} {url} as {role}: {response.status_code} "
        f"(Location: {response.headers.get('Location')}), expected {expected}"
    )
