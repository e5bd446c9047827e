"""Browser tests: the app served on a free localhost port, driven by Debian's headless Chromium.

``live_server`` gives each test its own migrated and seeded SQLite database, with CSRF on as in
production. Seed more data through ``live_server.app`` inside ``with live_server.app_context():``.
"""
import os
import shutil
import threading
from dataclasses import dataclass

import pytest
from flask import Flask
from werkzeug.serving import make_server

from billboard import create_app
from billboard.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at the system Chromium."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url():
    """No base URL: tests build theirs from ``live_server.url``.

    This also stands in for pytest-playwright's fallback ``base_url``, a fixture defined as an
    instance method, which pytest 9.2 warns about (and ``filterwarnings = error`` would fail).
    """
    return None


@dataclass
class LiveServer:
    url: str
    app: Flask

    def app_context(self):
        return self.app.app_context()


@pytest.fixture
def live_server_config():
    """Override in a module to change the served app's configuration."""
    return {}


@pytest.fixture
def live_server(sqlite_template, tmp_path, live_server_config):
    """The app on http://127.0.0.1:<free port>, on its own copy of the seeded database."""
    database = tmp_path / "live.sqlite"
    shutil.copyfile(sqlite_template, database)
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "WTF_CSRF_ENABLED": True,
        **live_server_config,
    })
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def browser_problems(page, live_server):
    """Failed requests, error responses, console errors and dialogs seen by ``page``."""
    problems: list[str] = []
    page.on("requestfailed", lambda request: problems.append(
        f"failed: {request.method} {request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400
            and problems.append(f"{response.status}: {response.url}"))
    page.on("console", lambda message: message.type == "error"
            and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_dialog(dialog):
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return problems
