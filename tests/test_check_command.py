"""``billboard check``: a readable list of what stops the app from serving, warnings apart,
never a traceback; and in production the app refuses to serve while the list has errors."""
import os
import shutil
import subprocess
import sys

import pytest
from flask_migrate import downgrade
from support import MIGRATIONS

from billboard.ops import checks

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOOD_KEY = "k" * 32


def _check(runner):
    result = runner.invoke(args=["billboard", "check"])
    assert "Traceback" not in result.output
    return result


def test_a_good_installation_passes_with_its_warnings_apart(runner):
    result = _check(runner)
    assert result.exit_code == 0, result.output
    assert "Errors" not in result.output
    assert "Warnings" in result.output and "MAIL_SERVER is not set" in result.output
    assert ("Settings still hold their placeholder (CONTOH): contact.address, contact.phone, "
            "contact.email, contact.hours, letterhead.address," in result.output)
    assert ("signatory.nip, tembusan.lines; an administrator sets them at /admin/settings."
            in result.output)
    assert result.output.rstrip().endswith("No errors.")


@pytest.fixture
def app_config(tmp_path, request):
    broken = getattr(request, "param", None)
    catalogs = tmp_path / "catalogs" / "id" / "LC_MESSAGES"
    catalogs.mkdir(parents=True)
    (catalogs / "messages.po").write_text('msgid ""\nmsgstr ""\n')
    not_a_folder = tmp_path / "uploads.txt"
    not_a_folder.write_text("")
    settings = {
        "catalogs": {"BABEL_TRANSLATION_DIRECTORIES": str(tmp_path / "catalogs")},
        "mail": {"MAIL_SERVER": "smtp.example", "MAIL_USERNAME": "baliho",
                 "MAIL_PASSWORD": None, "MAIL_SENDER": "nobody"},
        "rate limits": {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1"},
        "uploads": {"UPLOAD_FOLDER": str(not_a_folder)},
    }
    return settings.get(broken, {})


@pytest.mark.parametrize("app_config, expected", [
    ("catalogs", ["catalogs/id/LC_MESSAGES/messages.mo is not compiled"]),
    ("mail", ["MAIL_SENDER is not an email address: 'nobody'",
              "MAIL_USERNAME is set but MAIL_PASSWORD is not"]),
    ("rate limits", ["The rate-limit storage redis://127.0.0.1:1 cannot be reached"]),
    ("uploads", ["uploads.txt is a file, not a folder"]),
], indirect=["app_config"])
def test_each_broken_setting_is_one_readable_error(runner, expected):
    result = _check(runner)
    assert result.exit_code == 1
    errors = result.output.split("Errors (")[1].split("Warnings")[0]
    for message in expected:
        assert message in errors
    assert errors.startswith(f"{len(expected)}):")


def test_a_database_behind_the_code_says_to_upgrade(app, runner):
    downgrade(directory=MIGRATIONS, revision="-1")
    result = _check(runner)
    assert result.exit_code == 1
    assert "the code expects" in result.output and "db upgrade" in result.output


def test_a_check_that_breaks_unexpectedly_is_an_error_line(app, monkeypatch):
    def explode(_app, _report):
        raise OSError("disk on fire")

    monkeypatch.setattr(checks, "CHECKS", (("mail", explode),))
    assert checks.run(app).errors == ["The mail check failed: OSError: disk on fire"]


# --- The real command line, in production, with the configuration an operator might get wrong.

def _flask(*args, **env):
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("SECRET_KEY", "DATABASE_URL", "FLASK_RUN_FROM_CLI")}
    environment.update({"BILLBOARD_ENV": "production", **env})
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def production_database(sqlite_template, tmp_path):
    path = tmp_path / "production.sqlite"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


CHECK = ("-m", "flask", "--app", "wsgi", "billboard", "check")


@pytest.mark.parametrize("settings, expected", [
    ({"SECRET_KEY": "short", "DATABASE_URL": "sqlite:///{tmp}/nothing-here.sqlite"},
     ["SECRET_KEY has 5 characters",
      "The database file {tmp}/nothing-here.sqlite does not exist"]),
    ({"BILLBOARD_ENV": "staging", "PROXY_COUNT": "one", "MAIL_PORT": "587/tcp",
      "DATABASE_URL": "postgres//baliho:secret@db/baliho", "RATELIMIT_STORAGE_URI": "redis:6379"},
     ["BILLBOARD_ENV must be development or production, not 'staging'",
      "PROXY_COUNT='one' is not a whole number", "MAIL_PORT='587/tcp' is not a whole number",
      "DATABASE_URL cannot be used", "RATELIMIT_STORAGE_URI cannot be used",
      "SECRET_KEY is not set"]),
])
def test_in_production_a_bad_configuration_is_listed_not_a_traceback(tmp_path, settings,
                                                                      expected):
    settings = {key: value.format(tmp=tmp_path) for key, value in settings.items()}
    result = _flask(*CHECK, UPLOAD_FOLDER=str(tmp_path / "uploads"), **settings)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "secret@" not in output
    errors = output.split("Warnings (")[0]
    for message in expected:
        assert message.format(tmp=tmp_path) in errors
    assert errors.startswith(f"Errors ({len(expected)}):"), output
    assert not (tmp_path / "nothing-here.sqlite").exists()


def test_in_production_a_good_configuration_passes_and_serves(production_database, tmp_path):
    settings = {"DATABASE_URL": production_database, "SECRET_KEY": GOOD_KEY,
                "UPLOAD_FOLDER": str(tmp_path / "uploads")}
    result = _flask(*CHECK, **settings)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PUBLIC_URL is not set" in result.stdout  # a warning, not an error
    served = _flask("-c", "import wsgi; print(wsgi.app.name)", **settings)
    assert served.returncode == 0, served.stderr


@pytest.mark.parametrize("serve", [("-c", "import wsgi"),  # as gunicorn loads it
                                   ("-m", "flask", "--app", "wsgi", "run", "--port", "1")])
def test_in_production_the_app_refuses_to_serve_while_check_finds_errors(production_database,
                                                                         tmp_path, serve):
    served = _flask(*serve, DATABASE_URL=production_database, SECRET_KEY="short",
                    UPLOAD_FOLDER=str(tmp_path / "uploads"))
    assert served.returncode != 0
    assert "refuses to serve until these are fixed" in served.stderr
    assert "SECRET_KEY has 5 characters" in served.stderr


def test_check_settles_the_upload_folder_and_reports_what_is_missing(app, runner):
    from billboard.extensions import db
    from billboard.models import Site

    site = db.session.scalar(db.select(Site).filter_by(code="PGK-01"))
    site.photo = "a" * 32 + ".png"
    db.session.commit()
    folder = app.config["UPLOAD_FOLDER"]
    os.makedirs(folder)
    with open(os.path.join(folder, ".staged-" + "0" * 64 + "-" + "b" * 32 + ".pdf"), "wb"):
        pass  # staged by a change that died before its commit

    result = _check(runner)

    assert result.exit_code == 0, result.output
    assert "Removed 1 staged file(s) of changes that were never committed." in result.output
    assert f"The file of site.photo {site.id}: {site.photo} is missing" in result.output
    assert os.listdir(folder) == []
