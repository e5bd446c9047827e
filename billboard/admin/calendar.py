"""The election calendar and blackout periods: list, add and remove blackouts, edit elections."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import SelectChoice

from .. import elections as rules
from ..auth.permissions import acting_user
from ..clock import today_wib
from ..confirm import ask_first
from ..extensions import db
from ..labels import CATEGORY_LABELS
from ..models import Blackout, Election, Site
from ..unit_of_work import unit_of_work
from . import bp
from .calendar_forms import BlackoutForm, ElectionForm
from .campaign_forms import ContestantForm

# How many overlapping bookings a warning names before it only counts the rest.
LISTED_OVERLAPS = 10


def _warn_overlaps(blackout: Blackout) -> None:
    lines = rules.approved_inside(blackout)
    if not lines:
        return
    listed = "; ".join(lines[:LISTED_OVERLAPS])
    if len(lines) > LISTED_OVERLAPS:
        listed += " " + _("and %(n)s more", n=len(lines) - LISTED_OVERLAPS)
    flash(ngettext(
        "%(num)d approved booking overlaps “%(name)s” and stays approved (a blackout refuses "
        "new requests only): %(items)s.",
        "%(num)d approved bookings overlap “%(name)s” and stay approved (a blackout refuses "
        "new requests only): %(items)s.",
        len(lines), name=blackout.name, items=listed), "warning")


@bp.get("/calendar")
def calendar():
    return render_template("admin/calendar.html", elections=rules.elections(),
                           blackouts=rules.blackouts(), today=today_wib(),
                           category_labels=CATEGORY_LABELS)


@bp.route("/blackouts/new", methods=["GET", "POST"])
def new_blackout():
    form = BlackoutForm()
    sites = db.session.scalars(
        db.select(Site).where(Site.is_listed).order_by(Site.code))
    form.site.choices = [SelectChoice("", _l("All sites")),
                         *(SelectChoice(site.id, f"{site.code} · {site.name}") for site in sites)]
    if form.validate_on_submit():
        try:
            with unit_of_work():
                blackout = rules.create_blackout(
                    acting_user(), name=form.name.data, site_id=form.site.data,
                    category=form.category.data, start_on=form.start_on.data,
                    end_on=form.end_on.data)
                _warn_overlaps(blackout)
        except rules.CalendarError as refused:
            form.form_errors.extend(refused.problems)
        else:
            flash(_("Blackout “%(name)s” added.", name=blackout.name), "success")
            return redirect(url_for("admin.calendar"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("admin/blackout_new.html", form=form), status


@bp.post("/blackouts/<int:blackout_id>/delete")
def delete_blackout(blackout_id: int):
    blackout = db.get_or_404(Blackout, blackout_id)
    name = blackout.name
    if question := ask_first(
            _("Remove the blackout “%(name)s”?", name=name), back=url_for("admin.calendar"),
            consequence=_("Requests for its dates will no longer be refused because of it. "
                          "This cannot be undone."), button=_("Remove")):
        return question
    try:
        with unit_of_work():
            rules.delete_blackout(acting_user(), blackout)
    except rules.CalendarError as refused:
        flash(refused.problems[0], "error")
    else:
        flash(_("Blackout “%(name)s” removed.", name=name), "success")
    return redirect(url_for("admin.calendar"), 303)


@bp.route("/elections/new", methods=["GET", "POST"], defaults={"election_id": None})
@bp.route("/elections/<int:election_id>", methods=["GET", "POST"])
def election(election_id: int | None):
    found = Election() if election_id is None else db.get_or_404(Election, election_id)
    form = ElectionForm(obj=found)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                blackout = rules.edit_election(acting_user(), found, **form.values())
                _warn_overlaps(blackout)
        except rules.CalendarError as refused:
            form.form_errors.extend(refused.problems)
        else:
            flash(_("Election %(name)s saved; its masa tenang is a blackout for campaign "
                    "props on every site.", name=found.name), "success")
            return redirect(url_for("admin.calendar"), 303)
    return election_page(found, form, status=422 if form.is_submitted() else 200)


def election_page(election: Election, form: ElectionForm, *,
                  contestant_form: ContestantForm | None = None, status: int = 200):
    """The election form and, for a saved election, its contestants."""
    contestant_form = contestant_form or ContestantForm(formdata=None, prefix="contestant")
    return render_template("admin/election.html", form=form, election_id=election.id,
                           election=election, contestant_form=contestant_form), status
