"""Baliho Pangkalpinang: Bakeuda's billboard sites, their map and their bookings."""
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import CONFIGS, use_stand_ins
from .config import PROBLEMS as config_problems
from .extensions import csrf, db, limiter, login_manager, migrate
from .routing import IdConverter


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application; ``test_config`` starts from the testing config and overrides it."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates"),
    )
    if test_config is None:
        env = os.environ.get("BILLBOARD_ENV", "development")
        problems = list(config_problems)
        if env not in CONFIGS or env == "testing":
            # The strictest configuration until it is fixed: ``billboard check`` says why, and
            # the app refuses to serve (never a development app by a typo).
            problems.append(f"BILLBOARD_ENV must be development or production, not {env!r}.")
            env = "production"
        app.config.from_object(CONFIGS[env])
        app.config["CONFIG_PROBLEMS"] = problems
    else:
        app.config.from_object(CONFIGS["testing"])
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
            app.instance_path, "billboard.sqlite"
        )
    app.config["UPLOAD_FOLDER"] = app.config.get("UPLOAD_FOLDER") or os.path.join(
        app.instance_path, "uploads"
    )
    if test_config is None:
        use_stand_ins(app.config, app.config["CONFIG_PROBLEMS"])

    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    # Before any blueprint adds its rules: every <int:…> route uses the bounded converter.
    app.url_map.converters["int"] = IdConverter

    from . import request_log

    # First of all before_request functions: the line covers what the others spend or refuse.
    request_log.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    from . import i18n, sqlite, unit_of_work

    sqlite.init_app(app)
    unit_of_work.init_app(app)
    i18n.init_app(app)

    from . import caching, errors, guards, headers, versioning

    app.json = guards.JSONProvider(app)
    errors.init_app(app)
    guards.init_app(app)
    headers.init_app(app)
    versioning.init_app(app)
    caching.init_app(app)

    from . import admin, agency, api, auth, public, review

    for blueprint in (public.bp, auth.bp, agency.bp, review.bp, admin.bp, api.bp):
        app.register_blueprint(blueprint)

    from . import cli, labels, uploads
    from .campaign import contestant_label

    # The request pages of agencies and reviewers share the history table (_history.html).
    app.jinja_env.globals["describe_change"] = labels.describe_change
    app.jinja_env.globals["file_kind_labels"] = labels.FILE_KIND_LABELS
    app.jinja_env.globals["contestant_label"] = contestant_label
    app.jinja_env.filters["file_size"] = uploads.human_size
    cli.init_app(app)

    from .ops import checks

    checks.prepare_to_serve(app)
    return app
