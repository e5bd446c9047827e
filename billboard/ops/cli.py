"""``flask --app wsgi billboard check | backup DIR | restore DIR`` (DESIGN §5)."""
import sys

import click
from flask import current_app

from ..cli import billboard_cli
from . import checks


@billboard_cli.command("check")
def check_command() -> None:
    """Say whether this installation is fit to serve: errors (exit 1) apart from warnings."""
    report = checks.run(current_app)
    for line in report.lines():
        click.echo(line)
    if report.errors:
        click.echo("The application will not serve in production until the errors are fixed.")
        sys.exit(1)
    click.echo("All checks passed." if not report.warnings else "No errors.")
