"""Account commands of ``flask --app wsgi billboard`` (DESIGN §5)."""
import sys
from functools import wraps

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from ..extensions import db
from ..models import OrganizationKind, Role, User
from ..unit_of_work import unit_of_work
from .accounts import (
    AccountError,
    can_sign_in,
    create_organization,
    create_user,
    find_organization,
    find_user,
)
from .tokens import issue_token

# Registered under ``billboard`` by billboard/cli.py; this group is never a command of its own.
commands = AppGroup("accounts")

# Fixed, documented passwords: the demo exists so that a developer can log in as each role
# right after `make run`; random ones would scroll away with the server log.
DEMO_ACCOUNTS = (
    # organisation, kind, email, name, role, password
    ("KPU Kota Pangkalpinang", "government", "kpu@demo.example", "Staf KPU", "agency",
     "baliho-demo-kpu"),
    ("Bawaslu Kota Pangkalpinang", "government", "bawaslu@demo.example", "Staf Bawaslu",
     "agency", "baliho-demo-bawaslu"),
    ("Bakeuda Kota Pangkalpinang", "bakeuda", "bakeuda@demo.example", "Peninjau Bakeuda",
     "reviewer", "baliho-demo-bakeuda"),
    ("Bakeuda Kota Pangkalpinang", "bakeuda", "admin@demo.example", "Admin Sistem", "admin",
     "baliho-demo-admin"),
)


def _operator_command(command):
    """Messages in English for operators; refusals become a clean error and exit status 1."""

    @wraps(command)
    def wrapped(*args, **kwargs):
        with force_locale("en"):
            try:
                return command(*args, **kwargs)
            except AccountError as refused:
                raise click.ClickException(str(refused)) from None

    return wrapped


def _read_new_password() -> str:
    """Hidden prompt with confirmation on a terminal; from a pipe, the first two lines."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    first, second = (sys.stdin.readline().rstrip("\r\n") for _ in range(2))
    if first != second:
        raise click.ClickException("The two passwords differ; nothing was created.")
    return first


@commands.command("create-org")
@click.argument("name")
@click.option("--kind", required=True, type=click.Choice([k.value for k in OrganizationKind]))
@_operator_command
def create_org_command(name: str, kind: str) -> None:
    """Create the organisation NAME."""
    with unit_of_work():
        org = create_organization(name, kind, actor=None)
    click.echo(f"Created organisation {org.name} ({org.kind.value}).")


@commands.command("create-user")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--org", "org_name", required=True, help="Name of an existing organisation.")
@_operator_command
def create_user_command(email: str, name: str, role: str, org_name: str) -> None:
    """Create a user; the password is asked for (twice), never given as an argument."""
    org = find_organization(org_name)
    if org is None:
        raise click.ClickException(f"No organisation named {org_name!r}; see create-org.")
    # Asked before the write begins: the write lock is not held while someone types.
    password = _read_new_password()
    with unit_of_work():
        user = create_user(email, name, role, org, password, actor=None)
    click.echo(f"Created {user.role.value} {user.email} in {org.name}.")


@commands.command("create-token")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for.")
@_operator_command
def create_token_command(email: str, name: str) -> None:
    """Create an API token for EMAIL and print it (the only time it is shown)."""
    with unit_of_work():
        user = find_user(email)
        # The same test the API applies: a token for a user who cannot sign in would be dead.
        if user is None or not can_sign_in(user):
            raise click.ClickException(f"No active user {email!r}.")
        _token, raw = issue_token(user, name, actor=None)
    click.echo(raw)


@commands.command("seed-demo")
@_operator_command
def seed_demo_command() -> None:
    """Development only: demo accounts for every role when there are no users yet."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Demo accounts are never created in production.")
    with unit_of_work():
        if db.session.scalar(db.select(User.id).limit(1)) is not None:
            click.echo("Users exist already; no demo accounts created.")
            return
        for org_name, kind, email, name, role, password in DEMO_ACCOUNTS:
            org = find_organization(org_name) or create_organization(org_name, kind, actor=None)
            create_user(email, name, role, org, password, actor=None)
    click.echo("Demo accounts (development only):")
    for org_name, _kind, email, _name, role, password in DEMO_ACCOUNTS:
        click.echo(f"  {role:<9} {email:<22} {password:<20} {org_name}")
