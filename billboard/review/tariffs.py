"""Tariffs kept by Bakeuda (DESIGN §3): each site's monthly rate from a day on, with history."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import clock, finance
from ..auth.permissions import BAKEUDA_ROLES, acting_user, role_required
from ..confirm import ask_first
from ..domain_errors import DomainError
from ..extensions import db
from ..i18n import long_date, rupiah
from ..models import Site, Tariff
from ..unit_of_work import unit_of_work
from . import bp
from .desk_forms import TariffForm


def _site_or_404(code: str) -> Site:
    site = db.session.scalar(db.select(Site).filter_by(code=code))
    if site is None:
        abort(404)
    return site


@bp.get("/tariffs")
@role_required(*BAKEUDA_ROLES)
def tariffs():
    """Every site with the rate in force today."""
    sites = db.session.scalars(db.select(Site).order_by(Site.code)).all()
    return render_template("review/tariffs.html", sites=sites,
                           rates=finance.rates_on(clock.today_wib()), today=clock.today_wib())


@bp.route("/tariffs/<code>", methods=["GET", "POST"])
@role_required(*BAKEUDA_ROLES)
def site_tariffs(code: str):
    """One site's tariffs, newest first, and a form to set a rate from a day on."""
    site = _site_or_404(code)
    form = TariffForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                tariff = finance.set_tariff(acting_user(), site, form.monthly_rate_idr.data,
                                            form.valid_from.data)
        except DomainError as refused:
            form.form_errors.append(refused.message)
        else:
            flash(_("From %(day)s the monthly rate of %(site)s is %(rate)s.",
                    day=long_date(tariff.valid_from), site=site.code,
                    rate=rupiah(tariff.monthly_rate_idr)), "success")
            return redirect(url_for(".site_tariffs", code=site.code), 303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("review/site_tariffs.html", site=site, form=form,
                           tariffs=finance.tariffs_of(site)), status


@bp.post("/tariffs/<code>/<int:tariff_id>/remove")
@role_required(*BAKEUDA_ROLES)
def remove_tariff(code: str, tariff_id: int):
    site = _site_or_404(code)
    tariff = db.session.get(Tariff, tariff_id)
    if tariff is None or tariff.site_id != site.id:
        abort(404)
    if question := ask_first(
            _("Remove the tariff of %(site)s from %(day)s?", site=site.code,
              day=long_date(tariff.valid_from)),
            back=url_for(".site_tariffs", code=site.code),
            consequence=_("Its days take the rate of the tariff before it. Values already "
                          "stored stay as they are."), button=_("Remove")):
        return question
    try:
        with unit_of_work():
            finance.remove_tariff(acting_user(), tariff)
    except DomainError as refused:
        flash(refused.message, "error")
    else:
        flash(_("Tariff removed."), "success")
    return redirect(url_for(".site_tariffs", code=site.code), 303)
