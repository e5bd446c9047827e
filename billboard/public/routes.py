from flask import render_template

from ..extensions import db
from ..models import Site
from . import bp


@bp.get("/healthz")
def healthz():
    """For load balancers: answers without touching the database."""
    return {"status": "ok"}


@bp.get("/")
def index():
    sites = db.session.scalars(db.select(Site).order_by(Site.code)).all()
    return render_template("public/index.html", sites=sites)
