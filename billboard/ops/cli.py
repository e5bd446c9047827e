"""``flask --app wsgi billboard check | backup DIR | restore DIR`` (DESIGN §5)."""
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from . import backup, checks

# Registered under ``billboard`` by billboard/cli.py; this group is never a command of its own.
commands = AppGroup("ops")


@commands.command("check")
def check_command() -> None:
    """Say whether this installation is fit to serve: errors (exit 1) apart from warnings."""
    report = checks.run(current_app)
    for line in report.lines():
        click.echo(line)
    if report.errors:
        click.echo("The application will not serve in production until the errors are fixed.")
        sys.exit(1)
    click.echo("All checks passed." if not report.warnings else "No errors.")


@commands.command("backup")
@click.argument("directory", type=click.Path(file_okay=False))
def backup_command(directory: str) -> None:
    """Copy the SQLite database and the uploads into DIRECTORY (created; must be new or empty)."""
    try:
        summary = backup.backup(directory)
    except backup.BackupError as refused:
        click.echo(str(refused), err=True)
        sys.exit(1)
    click.echo(f"Backed up the database (migration {summary.revision}) and {summary.files} "
               f"uploaded file(s) into {summary.directory}.")


@commands.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(directory: str, force: bool) -> None:
    """Restore a backup made by 'billboard backup' into the configured database and uploads."""
    try:
        summary = backup.restore(directory, force=force)
    except backup.BackupError as refused:
        click.echo(str(refused), err=True)
        sys.exit(1)
    click.echo(f"Restored the database (migration {summary.revision}) and {summary.files} "
               f"uploaded file(s) from {summary.directory}. Run 'flask --app wsgi db upgrade' "
               "if this code is newer than the backup.")
