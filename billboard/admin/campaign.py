"""Designated APK locations and the contestants of each election."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import campaign
from ..auth.permissions import acting_user
from ..domain_errors import DomainError
from ..extensions import db
from ..models import Election, Site
from ..unit_of_work import unit_of_work
from . import bp
from .calendar import election_page
from .calendar_forms import ElectionForm
from .campaign_forms import ContestantForm, DesignationForm


def _locations_page(form: DesignationForm | None = None, form_site: str | None = None,
                    status: int = 200):
    sites = db.session.scalars(db.select(Site).where(Site.is_listed)
                               .order_by(Site.code)).all()
    return render_template("admin/campaign_locations.html", sites=sites,
                           designations=campaign.designations(), form=form or DesignationForm(
                               formdata=None), form_site=form_site), status


@bp.get("/campaign-locations")
def campaign_locations():
    """Every site with its designation for campaign props (APK), if any."""
    return _locations_page()


@bp.post("/campaign-locations/<code>")
def designate(code: str):
    """Designate a site, or change the basis or tier of its designation."""
    site = db.first_or_404(db.select(Site).filter_by(code=code))
    form = DesignationForm()
    if not form.validate_on_submit():
        return _locations_page(form, site.code, 422)
    try:
        with unit_of_work():
            campaign.designate(acting_user(), site, basis=form.basis.data,
                               basis_number=form.basis_number.data,
                               basis_date=form.basis_date.data, tier=form.tier.data)
    except DomainError as refused:
        form.form_errors.extend(refused.problems)
        return _locations_page(form, site.code, 422)
    flash(_("%(code)s is a designated APK location: every face, every election.",
            code=site.code), "success")
    return redirect(url_for("admin.campaign_locations", _anchor=f"site-{site.code}"), 303)


@bp.post("/campaign-locations/<code>/withdraw")
def withdraw_designation(code: str):
    """Withdraw a site's designation; approved use stays approved."""
    site = db.first_or_404(db.select(Site).filter_by(code=code))
    try:
        with unit_of_work():
            campaign.withdraw(acting_user(), site)
    except DomainError as refused:
        flash(refused.message, "error")
    else:
        flash(_("The designation of %(code)s was withdrawn.", code=site.code), "success")
    return redirect(url_for("admin.campaign_locations"), 303)


@bp.post("/elections/<int:election_id>/contestants")
def add_contestant(election_id: int):
    """Add a contestant to an election; the page shows the refusal otherwise."""
    election = db.get_or_404(Election, election_id)
    form = ContestantForm(prefix="contestant")
    if form.validate_on_submit():
        try:
            with unit_of_work():
                added = campaign.add_contestant(
                    acting_user(), election, number=form.number.data, name=form.name.data,
                    liaison=form.liaison.data, liaison_contact=form.liaison_contact.data)
        except DomainError as refused:
            form.form_errors.extend(refused.problems)
        else:
            flash(_("Contestant %(number)s, %(name)s, added to %(election)s.",
                    number=added.number, name=added.name, election=election.name), "success")
            return redirect(url_for("admin.election", election_id=election.id,
                                    _anchor="contestants"), 303)
    return election_page(election, ElectionForm(obj=election, formdata=None),
                         contestant_form=form, status=422)
