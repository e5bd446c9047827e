"""Fixtures in the flaskr style: ``app``, ``client``, ``runner`` and factories.

Every test gets a fresh database built by the real migrations and seeded with the 10 sites.
On SQLite the migrated database is built once and copied per test; when TEST_DATABASE_URL is set,
tests marked ``db`` also run against that PostgreSQL database (tables emptied and re-seeded).
"""
import os
import shutil
import threading

import pytest
from flask import g, request_started
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import settings
from jinja2 import BytecodeCache
from sqlalchemy import text
from sqlalchemy.engine import make_url
from support import MIGRATIONS, PASSWORD, TODAY, Api, count
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from billboard import create_app
from billboard.extensions import db
from billboard.seed import seed_elections, seed_sites

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")

# `make test` is the gate every change must pass: the property and fuzz tests draw the same
# examples on every run there, so that it fails for a change, never by chance. To hunt for new
# examples, as the fuzz run once found a 500 that way: HYPOTHESIS_PROFILE=explore make test.
settings.register_profile("gate", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gate"))


class _SharedBytecodeCache(BytecodeCache):
    """Compiled templates shared by the many apps a test run creates (one per test)."""

    def __init__(self):
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket):
        self._store[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CACHE = _SharedBytecodeCache()


class ReadWholeClient(FlaskClient):
    """Reads each response whole and closes it, as a browser does: a streamed file (send_file)
    is not left open for the garbage collector to warn about (ResourceWarning)."""

    def open(self, *args, buffered=True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


def _make_app(database_url: str, tmp_path, **overrides):
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        **overrides,
    }
    application = create_app(config)
    application.jinja_env.bytecode_cache = _TEMPLATE_CACHE
    application.test_client_class = ReadWholeClient
    return application


def _migrate_and_seed(app) -> None:
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        seed_sites()
        seed_elections()
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    _migrate_and_seed(_make_app(f"sqlite:///{path}", path.parent))
    return path


@pytest.fixture(scope="session")
def postgres_migrated(tmp_path_factory):
    # The schema is dropped below: never on a database that is not meant for tests.
    if not make_url(POSTGRES_URL).database.endswith("test"):
        pytest.exit(f"TEST_DATABASE_URL must name a test database (…test), not {POSTGRES_URL}")
    app = _make_app(POSTGRES_URL, tmp_path_factory.mktemp("pg"))
    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
    _migrate_and_seed(app)
    return POSTGRES_URL


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        backends = ["sqlite"]
        if POSTGRES_URL and metafunc.definition.get_closest_marker("db"):
            backends.append("postgresql")
        metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
def backend(request):
    return request.param


@pytest.fixture
def app_config():
    """Override in a test module to change configuration."""
    return {}


@pytest.fixture
def app(backend, tmp_path, app_config, request):
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_migrated")
        application = _make_app(url, tmp_path, **app_config)
        with application.app_context():
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            seed_sites()
            seed_elections()
            db.session.commit()
    else:
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.sqlite"
        shutil.copyfile(template, path)
        application = _make_app(f"sqlite:///{path}", tmp_path, **app_config)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def same_day_all_run(monkeypatch):
    """The app's "today" is the run's ``support.TODAY``."""
    monkeypatch.setattr("billboard.clock.today_wib", lambda: TODAY)
    monkeypatch.setattr("billboard.booking.today_wib", lambda: TODAY)


def _clear_globals(sender, **_extra):
    g.__dict__.clear()


@pytest.fixture(autouse=True)
def fresh_g_per_request(request):
    """Each request starts with an empty ``g``, as in production where it has its own app
    context. The ``app`` fixture keeps one context open so that a test can read rows between
    requests; without this, what extensions cache in ``g`` (the locale, the CSRF token, the
    logged-in user) would leak from one request, or one client, into the next."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    request_started.connect(_clear_globals, app)
    yield
    request_started.disconnect(_clear_globals, app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def served(app):
    """The app on a free local port behind a real threaded server, one thread per request
    (each with its own connection and transaction); yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()



@pytest.fixture
def make_org(app):
    """Create an organisation: ``make_org("KPU Kota Pangkalpinang", kind="government")``."""
    from billboard.models import Organization, OrganizationKind

    def make(name="KPU Kota Pangkalpinang", kind="government", **fields):
        org = Organization(name=name, kind=OrganizationKind(kind), **fields)
        db.session.add(org)
        db.session.commit()
        return org

    return make


# Test users log in hundreds of times: a one-iteration hash that Werkzeug verifies the normal
# way. The real method (scrypt) is tested where passwords are set: CLI, admin and account pages.
_CHEAP_HASH = generate_password_hash(PASSWORD, "pbkdf2:sha256:1")


@pytest.fixture
def make_user(app, make_org):
    """Create a user with password ``PASSWORD``; the organisation is created when missing."""
    from billboard.models import Organization, Role, User

    def make(email="staf@kpu.example", role="agency", org="KPU Kota Pangkalpinang",
             org_kind=None, **fields):
        organization = db.session.scalar(db.select(Organization).filter_by(name=org))
        if organization is None:
            kind = org_kind or {"agency": "government"}.get(role, "bakeuda")
            organization = make_org(org, kind=kind)
        user = User(email=email, name=fields.pop("name", email.split("@")[0]),
                    password_hash=_CHEAP_HASH, role=Role(role),
                    organization=organization, **fields)
        db.session.add(user)
        db.session.commit()
        return user

    return make


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email, password=PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")

    def login_as(self, user):
        """``user`` alone logged in (whoever was before logs out), reading English."""
        self.logout()
        assert self.login(user.email).status_code == 302
        self._client.get("/language/en")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def kpu(make_user):
    """An agency user of KPU Kota Pangkalpinang."""
    return make_user("staf@kpu.example", org="KPU Kota Pangkalpinang")


@pytest.fixture
def logged_in(auth, kpu):
    """KPU's staff member, logged in, reading English."""
    auth.login_as(kpu)
    return kpu


@pytest.fixture
def bawaslu(make_user):
    """An agency user of another government organisation."""
    return make_user("staf@bawaslu.example", org="Bawaslu Kota Pangkalpinang")


@pytest.fixture
def reviewer(make_user):
    """A Bakeuda reviewer."""
    return make_user("reviewer@bakeuda.example", role="reviewer", org="Bakeuda")


@pytest.fixture
def as_reviewer(client, auth, reviewer):
    """``client`` with the reviewer logged in, reading English."""
    auth.login(reviewer.email)
    client.get("/language/en")
    return client


@pytest.fixture
def admin(client, make_user, auth):
    """An administrator, logged in on ``client``, reading English."""
    user = make_user(email="admin@bakeuda.example", role="admin",
                     org="Bakeuda Kota Pangkalpinang")
    auth.login(user.email)
    client.get("/language/en")
    return user


# --- The JSON API, as tests/test_api_requests.py and tests/test_decisions.py drive it ----

@pytest.fixture
def api_as(app, client):
    """``api_as(user)``: an API client holding a fresh token of ``user`` (None: no token)."""
    from billboard.auth.tokens import issue_token

    client.get("/language/en")

    def make(user):
        raw = None
        if user is not None:
            _token, raw = issue_token(user, "test", None)
            db.session.commit()
        return Api(client, raw)

    return make


@pytest.fixture
def snapshot(app):
    """Everything a refused call must leave untouched."""
    from billboard.models import AuditEvent, Booking, OutboxEmail, Request

    def take():
        db.session.expire_all()
        counts = tuple(count(model) for model in (Request, Booking, AuditEvent, OutboxEmail))
        states = db.session.execute(
            db.select(Booking.id, Booking.status, Booking.agreement_number, Booking.reason)
            .order_by(Booking.id)).all()
        return counts, states

    return take
