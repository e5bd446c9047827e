"""What every benchmark starts from: the app on a migrated, seeded SQLite file."""
import os

from flask import Flask
from flask_migrate import upgrade

from billboard import create_app
from billboard.extensions import db
from billboard.seed import seed_elections, seed_sites

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "migrations")


def seeded_app(folder: str) -> Flask:
    """The app on ``folder``/bench.sqlite with the 10 sites and the election calendar."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                      "UPLOAD_FOLDER": folder})
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        seed_sites()
        seed_elections()
        db.session.commit()
    return app
