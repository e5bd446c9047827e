"""Fixtures in the flaskr style: ``app``, ``client``, ``runner`` and factories.

Every test gets a fresh database built by the real migrations and seeded with the 10 sites.
On SQLite the migrated database is built once and copied per test; when TEST_DATABASE_URL is set,
tests marked ``db`` also run against that PostgreSQL database (tables emptied and re-seeded).
"""
import os
import shutil

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from billboard import create_app
from billboard.extensions import db
from billboard.seed import seed_elections, seed_sites

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


def _make_app(database_url: str, tmp_path, **overrides):
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        **overrides,
    }
    return create_app(config)


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


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


PASSWORD = "kata-sandi-yang-panjang-42"


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


@pytest.fixture
def make_user(app, make_org):
    """Create a user with password ``PASSWORD``; the organisation is created when missing."""
    from werkzeug.security import generate_password_hash

    from billboard.models import Organization, Role, User

    def make(email="staf@kpu.example", role="agency", org="KPU Kota Pangkalpinang",
             org_kind=None, **fields):
        organization = db.session.scalar(db.select(Organization).filter_by(name=org))
        if organization is None:
            kind = org_kind or {"agency": "government"}.get(role, "bakeuda")
            organization = make_org(org, kind=kind)
        user = User(email=email, name=fields.pop("name", email.split("@")[0]),
                    password_hash=generate_password_hash(PASSWORD), role=Role(role),
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


@pytest.fixture
def auth(client):
    return AuthActions(client)
