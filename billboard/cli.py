"""``flask --app wsgi billboard ...`` commands (DESIGN §5)."""
import csv
import sys

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import force_locale

from . import clock, reminders
from .seed import seed_elections, seed_sites
from .sites import SiteImportError, parse_sites, save_sites
from .unit_of_work import unit_of_work

billboard_cli = AppGroup("billboard", help="Baliho Pangkalpinang administration.")


@billboard_cli.command("seed")
def seed_command() -> None:
    """Load the 10 sample sites and the election calendar (safe to run again)."""
    with unit_of_work():
        sites = seed_sites()
        elections = seed_elections()
    click.echo(f"Seeded {sites} new site(s) and {elections} election(s).")


@billboard_cli.command("import-sites")
@click.argument("csv_file", type=click.File("rb"))
def import_sites_command(csv_file) -> None:
    """Create or update sites by code from CSV_FILE; any bad row and nothing is written."""
    try:
        with force_locale("en"):
            rows = parse_sites(csv_file.read().decode("utf-8-sig"))
    except SiteImportError as refused:
        _refuse_import(refused.errors)
    except (UnicodeDecodeError, csv.Error) as unreadable:
        _refuse_import([_unreadable(unreadable)])
    with unit_of_work():
        created, updated = save_sites(rows)
    click.echo(f"Imported {len(rows)} site(s): {created} new, {updated} updated.")


@billboard_cli.command("remind")
def remind_command() -> None:
    """Queue the reminders due today (WIB) that were not sent yet; run it daily."""
    with unit_of_work():
        sent = reminders.send_due(clock.today_wib())
    click.echo(f"Queued {len(sent)} reminder(s).")


def _refuse_import(errors: list[str]) -> None:
    for message in errors:
        click.echo(message, err=True)
    click.echo("Nothing was imported.", err=True)
    sys.exit(1)


def _unreadable(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return f"the file is not UTF-8 text (byte {error.start + 1} cannot be read)"
    return f"the file is not readable CSV: {error}"


def init_app(app: Flask) -> None:
    # Modules that add their own commands to the group: importing them registers them.
    from . import mail  # noqa: F401
    from .auth import cli as auth_cli  # noqa: F401
    from .ops import cli as ops_cli  # noqa: F401

    app.cli.add_command(billboard_cli)
