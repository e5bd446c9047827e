"""The account commands of DESIGN §5: create-org, create-user, create-token, seed-demo."""
import os
import subprocess
import sys

import pytest
from support import PASSWORD

from billboard.auth.cli import DEMO_ACCOUNTS
from billboard.auth.tokens import hash_token
from billboard.extensions import db
from billboard.models import ApiToken, AuditEvent, Organization, Role, User

KPU = "KPU Kota Pangkalpinang"


def create_user(runner, password_lines, *, email="rina@kpu.example", role="agency", org=KPU):
    return runner.invoke(args=["billboard", "create-user", email, "--name", "Rina", "--role",
                               role, "--org", org], input=password_lines)


def test_create_org(runner):
    result = runner.invoke(args=["billboard", "create-org", KPU, "--kind", "government"])
    assert result.exit_code == 0, result.output
    org = db.session.scalar(db.select(Organization).filter_by(name=KPU))
    assert org.kind == "government"
    again = runner.invoke(args=["billboard", "create-org", KPU, "--kind", "government"])
    assert again.exit_code == 1 and "already exists" in again.output
    bad_kind = runner.invoke(args=["billboard", "create-org", "X", "--kind", "alien"])
    assert bad_kind.exit_code == 2
    assert db.session.scalar(db.select(db.func.count(Organization.id))) == 1


@pytest.mark.db
def test_create_user_reads_the_password_twice_and_never_shows_it(runner, client, make_org):
    make_org(KPU)
    result = create_user(runner, f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Created agency rina@kpu.example in KPU Kota Pangkalpinang." in result.output
    assert PASSWORD not in result.output
    user = db.session.scalar(db.select(User).filter_by(email="rina@kpu.example"))
    assert user.role == Role.AGENCY and PASSWORD not in user.password_hash
    assert client.post("/login", data={"email": user.email,
                                       "password": PASSWORD}).status_code == 302
    assert db.session.scalar(db.select(AuditEvent.actor_id).filter_by(action="user.created")) \
        is None


@pytest.mark.parametrize(("lines", "org", "role", "message"), [
    (f"{PASSWORD}\nsomething-else-entirely\n", KPU, "agency", "The two passwords differ"),
    ("short\nshort\n", KPU, "agency", "Use at least 12 characters."),
    (f"{PASSWORD}\n{PASSWORD}\n", "Dinas Tidak Ada", "agency", "No organisation named"),
    (f"{PASSWORD}\n{PASSWORD}\n", KPU, "reviewer", "does not fit"),
])
def test_refused_create_user_creates_nothing(runner, make_org, lines, org, role, message):
    make_org(KPU)
    result = create_user(runner, lines, org=org, role=role)
    assert result.exit_code == 1
    assert message in result.output
    assert PASSWORD not in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_create_user_from_a_real_pipe(app, make_org):
    """The CLI as an operator scripts it: two lines on stdin, no terminal."""
    make_org(KPU)
    env = {**os.environ, "BILLBOARD_ENV": "development", "SECRET_KEY": "pipe-test",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "billboard", "create-user",
         "pipe@kpu.example", "--name", "Pipa", "--role", "agency", "--org", KPU],
        input=f"{PASSWORD}\n{PASSWORD}\n", capture_output=True, text=True, timeout=60,
        cwd=os.path.dirname(os.path.dirname(__file__)), env=env)
    assert result.returncode == 0, result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    db.session.expire_all()
    assert db.session.scalar(db.select(User).filter_by(email="pipe@kpu.example")) is not None


def test_create_token_prints_a_working_token_once(runner, make_user):
    user = make_user()
    result = runner.invoke(args=["billboard", "create-token", user.email, "--name", "rekap"])
    assert result.exit_code == 0, result.output
    raw = result.output.strip()
    token = db.session.scalar(db.select(ApiToken))
    assert token.token_hash == hash_token(raw) and token.name == "rekap"
    assert token.user_id == user.id
    unknown = runner.invoke(args=["billboard", "create-token", "x@kpu.example", "--name", "r"])
    assert unknown.exit_code == 1
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 1


def test_create_token_refuses_a_user_of_a_deactivated_organisation(runner, make_user):
    user = make_user()
    user.organization.is_active = False
    db.session.commit()
    result = runner.invoke(args=["billboard", "create-token", user.email, "--name", "rekap"])
    assert result.exit_code == 1 and "No active user" in result.output
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_seed_demo_creates_one_account_per_role_once(runner, app):
    result = runner.invoke(args=["billboard", "seed-demo"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    for _org, _kind, email, _name, role, password in DEMO_ACCOUNTS:
        assert email in result.output and password in result.output
        user = db.session.scalar(db.select(User).filter_by(email=email))
        assert user.role == role
        assert client.post("/login", data={"email": email, "password": password}) \
            .status_code == 302
        client.post("/logout")
    again = runner.invoke(args=["billboard", "seed-demo"])
    assert again.exit_code == 0 and "no demo accounts created" in again.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == len(DEMO_ACCOUNTS)


@pytest.mark.parametrize("app_config", [{"ENV_NAME": "production", "SECRET_KEY": "k" * 32}])
def test_seed_demo_never_runs_in_production(runner):
    result = runner.invoke(args=["billboard", "seed-demo"])
    assert result.exit_code == 1 and "never" in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
