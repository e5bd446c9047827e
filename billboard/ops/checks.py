"""``billboard check``: is this installation fit to serve? (DESIGN §5)

Each check adds readable lines to a :class:`Report`: errors (the app must not serve) apart from
warnings (worth attention); the upload folder is also reconciled with the rows (``files``). A
check that fails in an unforeseen way becomes an error line too, so that the command always ends
with a list, never a traceback. The app runs the same checks before it serves, and in
production refuses to start while any error stands.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parseaddr

import click
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from jinja2 import TemplateError
from sqlalchemy import text
from sqlalchemy.engine import make_url

from .. import settings
from ..extensions import db, limiter
from . import files

MIN_SECRET_KEY_LENGTH = 32
# Messages are written in English in the code: every other language needs a compiled catalog.
SOURCE_LANGUAGE = "en"


class ConfigurationError(RuntimeError):
    """The app refuses to serve; the message lists why."""


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Checks that read rows run only once the database is reachable and current.
    database_ready: bool = False

    def error(self, message: str) -> None:
        self.errors.append(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def lines(self) -> list[str]:
        lines = []
        for title, messages in (("Errors", self.errors), ("Warnings", self.warnings)):
            if messages:
                lines.append(f"{title} ({len(messages)}):")
                lines.extend(f"  - {message}" for message in messages)
        return lines


def _production(app: Flask) -> bool:
    return app.config.get("ENV_NAME") == "production"


def _settings(app: Flask, report: Report) -> None:
    for problem in app.config.get("CONFIG_PROBLEMS", ()):
        report.error(problem)


def _secret_key(app: Flask, report: Report) -> None:
    key = app.config.get("SECRET_KEY") or ""
    add = report.error if _production(app) else report.warn
    if not key:
        add("SECRET_KEY is not set.")
    elif len(key) < MIN_SECRET_KEY_LENGTH:
        add(f"SECRET_KEY has {len(key)} characters; at least {MIN_SECRET_KEY_LENGTH} are "
            "needed (for example: python3 -c 'import secrets; print(secrets.token_hex(32))').")


def _first_line(error: BaseException) -> str:
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__


def _database_url(app: Flask) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)


def _placeholder_settings(report: Report) -> None:
    waiting = settings.placeholders()
    if waiting:
        report.warn(f"Settings still hold their placeholder (CONTOH): {', '.join(waiting)}; "
                    "an administrator sets them at /admin/settings.")
    if settings.emblem() is None:
        report.warn("The documents print the placeholder emblem; an administrator uploads the "
                    "city's emblem at /admin/settings.")


def _database_and_migrations(app: Flask, report: Report) -> None:
    if app.config.get("DATABASE_STAND_IN"):
        return  # DATABASE_URL itself is the error (settings)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    file = url.database if url.get_backend_name() == "sqlite" else None
    # Connecting would create an empty file and hide the mistake.
    if file and file != ":memory:" and not os.path.exists(file):
        report.error(f"The database file {file} does not exist: run "
                     "'flask --app wsgi db upgrade'.")
        return
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:  # noqa: BLE001 — any failure to connect is the finding
        report.error(f"The database {_database_url(app)} cannot be reached: "
                     f"{_first_line(error)}")
        return
    directory = os.path.abspath(app.extensions["migrate"].directory)
    if not os.path.isdir(directory):
        report.error(f"The migrations folder {directory} was not found: run the command from "
                     "the project folder.")
        return
    heads = set(ScriptDirectory(directory).get_heads())
    if not current:
        report.error("The database has no tables yet: run 'flask --app wsgi db upgrade'.")
    elif current != heads:
        report.error(f"The database is at migration {', '.join(sorted(current))}, the code "
                     f"expects {', '.join(sorted(heads))}: run 'flask --app wsgi db upgrade'.")
    else:
        report.database_ready = True
        _placeholder_settings(report)


def _catalogs(app: Flask, report: Report) -> None:
    languages = [code for code in app.config["LANGUAGES"] if code != SOURCE_LANGUAGE]
    for folder in app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";"):
        folder = os.path.join(app.root_path, folder)
        for language in languages:
            catalog = os.path.join(folder, language, "LC_MESSAGES", "messages")
            shown = os.path.relpath(catalog, os.path.dirname(app.root_path))
            if not os.path.exists(catalog + ".mo"):
                report.error(f"The catalog {shown}.mo is not compiled: pages would show "
                             "English labels. Run 'make translations' (pybabel compile).")
            elif (os.path.exists(catalog + ".po")
                  and os.path.getmtime(catalog + ".po") > os.path.getmtime(catalog + ".mo")):
                report.warn(f"The catalog {shown}.mo is older than its .po: run "
                            "'make translations'.")


def _templates(app: Flask, report: Report) -> None:
    names = app.jinja_env.list_templates()
    for required in ("base.html", "error.html"):
        if required not in names:
            report.error(f"The template {required} was not found in {app.template_folder}.")
    for name in names:
        try:
            app.jinja_env.get_template(name)
        except TemplateError as error:
            report.error(f"The template {name} does not compile: {error}")


def _uploads(app: Flask, report: Report) -> None:
    folder = app.config["UPLOAD_FOLDER"]
    if os.path.exists(folder) and not os.path.isdir(folder):
        report.error(f"The upload folder {folder} is a file, not a folder.")
    elif os.path.isdir(folder):
        if not os.access(folder, os.W_OK | os.X_OK):
            report.error(f"The upload folder {folder} is not writable by this user.")
    else:
        parent = os.path.dirname(os.path.abspath(folder))
        if not (os.path.isdir(parent) and os.access(parent, os.W_OK | os.X_OK)):
            report.error(f"The upload folder {folder} does not exist and cannot be created.")


def _upload_files(app: Flask, report: Report) -> None:
    if not (report.database_ready and os.path.isdir(app.config["UPLOAD_FOLDER"])):
        return
    found = files.reconcile()
    for name in found.completed:
        report.warn(f"Moved {name} into place: its change was committed, but the server "
                    "stopped before the file was moved.")
    if found.removed:
        report.warn(f"Removed {len(found.removed)} staged file(s) of changes that were never "
                    "committed.")
    for row in found.missing:
        report.warn(f"The file of {row} is missing from the upload folder (restore it from "
                    "a backup).")
    if found.unnamed:
        shown = ", ".join(found.unnamed[:5]) + (" …" if len(found.unnamed) > 5 else "")
        report.warn(f"{len(found.unnamed)} file(s) in the upload folder are named by no row "
                    f"(left in place): {shown}")


def _address(value: str | None) -> bool:
    return bool(value) and "@" in parseaddr(value)[1]


def _mail(app: Flask, report: Report) -> None:
    config = app.config
    for name in ("MAIL_SENDER", "BAKEUDA_EMAIL"):
        if not _address(config.get(name)):
            report.error(f"{name} is not an email address: {config.get(name)!r}.")
    if not config.get("MAIL_SERVER"):
        report.warn("MAIL_SERVER is not set: emails are queued and only logged, never sent.")
        return
    if not 0 < int(config.get("MAIL_PORT") or 0) < 65536:
        report.error(f"MAIL_PORT {config.get('MAIL_PORT')!r} is not a port number.")
    if config.get("MAIL_USERNAME") and not config.get("MAIL_PASSWORD"):
        report.error("MAIL_USERNAME is set but MAIL_PASSWORD is not.")


def _rate_limits(app: Flask, report: Report) -> None:
    uri = app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    if uri.startswith("memory://"):
        if _production(app):
            report.warn("Rate limits are counted in memory, per worker process: set "
                        "RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 to share them.")
        return
    shown = make_url(uri).render_as_string(hide_password=True) if "://" in uri else uri
    if not limiter.storage.check():
        report.error(f"The rate-limit storage {shown} cannot be reached.")


def _deployment(app: Flask, report: Report) -> None:
    if not _production(app):
        return
    if not app.config.get("PUBLIC_URL"):
        report.warn("PUBLIC_URL is not set: emails and QR plates carry no absolute links.")
    if not app.config.get("PROXY_COUNT"):
        report.warn("PROXY_COUNT is 0: behind nginx set PROXY_COUNT=1, or rate limits see "
                    "the proxy instead of the client.")


CHECKS: tuple[tuple[str, Callable[[Flask, Report], None]], ...] = (
    ("settings", _settings),
    ("secret key", _secret_key),
    ("database", _database_and_migrations),
    ("catalogs", _catalogs),
    ("templates", _templates),
    ("uploads", _uploads),
    ("upload files", _upload_files),
    ("mail", _mail),
    ("rate limits", _rate_limits),
    ("deployment", _deployment),
)


def run(app: Flask) -> Report:
    """Every check, in an app context; an unforeseen failure of one is an error line."""
    report = Report()
    with app.app_context():
        for name, check in CHECKS:
            try:
                check(app, report)
            except Exception as error:  # noqa: BLE001 — reported, never a traceback
                report.error(f"The {name} check failed: {type(error).__name__}: "
                             f"{_first_line(error)}")
    return report


def prepare_to_serve(app: Flask) -> None:
    """Before the app serves: run the checks (which also settle the upload folder after a
    crash) and, in production, refuse to serve while they find errors.

    Under the ``flask`` command (which sets FLASK_RUN_FROM_CLI) only ``flask run`` serves:
    ``billboard check`` must still run to say why, and ``db upgrade`` to fix it. Not in tests.
    """
    if app.testing:
        return
    if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
        command = click.get_current_context(silent=True)
        if command is None or command.info_name != "run":
            return
    report = run(app)
    with app.app_context():
        # gunicorn preloads the app and then forks: no worker may inherit this connection.
        db.engine.dispose()
    if report.errors and _production(app):
        raise ConfigurationError("\n".join([
            "Baliho Pangkalpinang refuses to serve until these are fixed "
            "('flask --app wsgi billboard check' lists them):", *report.lines()]))
    for line in report.lines():
        app.logger.warning(line)
