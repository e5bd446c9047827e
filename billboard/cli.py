"""``flask --app wsgi billboard ...`` commands (DESIGN §5)."""
import csv
import sys

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import force_locale

from . import clock, mail, reminders
from .auth import cli as account_cli
from .ops import cli as ops_cli
from .seed import seed_elections, seed_sites
from .sites import SiteImportError, parse_sites, save_sites
from .unit_of_work import unit_of_work

billboard_cli = AppGroup("billboard", help="Baliho Pangkalpinang administration.")
# Every area's commands join the one group here, so no area module imports this one.
for _area in (account_cli, ops_cli):
    for _command in _area.commands.commands.values():
        billboard_cli.add_command(_command)


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


@billboard_cli.command("send-mail")
@click.option("--max-attempts", type=click.IntRange(min=1), default=mail.MAX_ATTEMPTS,
              show_default=True, help="Stop retrying an email after this many failures.")
def send_mail_command(max_attempts: int) -> None:
    """Send the queued emails (run it from cron every minute); failures are retried."""
    result = mail.deliver_pending(max_attempts)
    click.echo(f"Sent {result.sent} email(s); {result.failed} failed and will be retried; "
               f"{result.given_up} given up.")
    if result.failed or result.given_up:
        sys.exit(1)


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
    app.cli.add_command(billboard_cli)
