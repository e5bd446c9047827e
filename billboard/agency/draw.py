"""The draw (undian) of a facilitated campaign request: run it, annul it, print its minutes,
and keep each contestant's design with its approval.

The requesting agency acts; Bakeuda's staff may read the minutes and the designs. The minutes
are an official document and always in Bahasa Indonesia.
"""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from .. import campaign, errors, uploads
from ..auth.permissions import acting_user, role_required
from ..domain_errors import DomainError
from ..models import BookingStatus, Draw, Request
from ..unit_of_work import unit_of_work
from . import bp
from .draw_forms import AnnulForm, DesignApprovalForm, DesignForm, DrawForm
from .routes import _visible_request


def _standing_or_404(found: Request) -> Draw:
    draw = campaign.standing_draw(found)
    if draw is None:
        abort(404)
    return draw


def _draw_page(found: Request, *, draw_form=None, annul_form=None, problems=(), status=200):
    draw = campaign.standing_draw(found)
    designs = campaign.current_designs(draw) if draw else {}
    drawn = sorted({a.contestant for a in draw.allocations if a.contestant},
                   key=lambda c: c.number) if draw else []
    return render_template(
        "agency/draw.html", req=found, draw=draw, can_draw=campaign.can_draw(found),
        draw_form=draw_form or DrawForm(formdata=None),
        annul_form=annul_form or AnnulForm(formdata=None), problems=problems,
        drawn=drawn, designs=designs, design_form=DesignForm(formdata=None),
        approved_faces=sum(b.status == BookingStatus.APPROVED for b in found.bookings),
        approval_form=DesignApprovalForm(formdata=None)), status


@bp.get("/requests/<int:request_id>/draw")
@role_required("agency")
def draw(request_id: int):
    """The draw form, or the standing draw with its designs."""
    return _draw_page(_visible_request(request_id))


@bp.post("/requests/<int:request_id>/draw")
@role_required("agency")
def run_draw(request_id: int):
    """Run the draw with the seed and witnesses of the meeting; no preview."""
    found = _visible_request(request_id)
    form = DrawForm()
    if not form.validate_on_submit():
        return _draw_page(found, draw_form=form, status=422)
    try:
        with unit_of_work():
            campaign.run_draw(found, acting_user(), seed=form.seed.data,
                              witnesses=form.witness_names())
    except DomainError as error:
        return _draw_page(found, draw_form=form, problems=error.problems,
                          status=errors.status_for(error))
    flash(_("The draw was run; print its minutes for the signatures."), "success")
    return redirect(url_for(".draw_minutes", request_id=found.id))


@bp.post("/requests/<int:request_id>/draw/annul")
@role_required("agency")
def annul_draw(request_id: int):
    """Annul the standing draw with the reason; a new witnessed draw may follow."""
    found = _visible_request(request_id)
    form = AnnulForm()
    if not form.validate_on_submit():
        return _draw_page(found, annul_form=form, status=422)
    try:
        with unit_of_work():
            campaign.annul_draw(found, acting_user(), reason=form.reason.data)
    except DomainError as error:
        return _draw_page(found, annul_form=form, problems=error.problems,
                          status=errors.status_for(error))
    flash(_("The draw was annulled; the reason is on record."), "success")
    return redirect(url_for(".draw", request_id=found.id))


@bp.get("/requests/<int:request_id>/draw/minutes")
@role_required("agency", "reviewer", "admin")
def draw_minutes(request_id: int):
    """The berita acara undian of the standing draw, printable on A4."""
    found = _visible_request(request_id)
    draw = _standing_or_404(found)
    counts = {}
    for allocation in draw.allocations:
        counts[allocation.contestant] = counts.get(allocation.contestant, 0) + 1
    with force_locale("id"):
        minutes = render_template("agency/_draw_minutes.html", req=found, draw=draw,
                                  counts=counts)
    # Markup: our own template's output, already escaped.
    return render_template("agency/draw_minutes.html", req=found, minutes=Markup(minutes))


@bp.post("/requests/<int:request_id>/draw/designs/<int:contestant_id>")
@role_required("agency")
def upload_design(request_id: int, contestant_id: int):
    """Keep a new version of one contestant's design (checked by its content)."""
    found = _visible_request(request_id)
    draw = _standing_or_404(found)
    form = DesignForm()
    if not form.validate_on_submit():
        return _draw_page(found, problems=form.design.errors, status=422)
    try:
        with unit_of_work(form.design.upload):
            campaign.upload_design(draw, acting_user(), contestant_id=contestant_id,
                                   upload=form.design.upload)
    except DomainError as error:
        return _draw_page(found, problems=error.problems, status=errors.status_for(error))
    flash(_("The design was saved."), "success")
    return redirect(url_for(".draw", request_id=found.id, _anchor=f"contestant-{contestant_id}"))


@bp.post("/requests/<int:request_id>/draw/designs/<int:contestant_id>/approve")
@role_required("agency")
def approve_design(request_id: int, contestant_id: int):
    """Record KPU's approval of a contestant's design; it is frozen from then on."""
    found = _visible_request(request_id)
    draw = _standing_or_404(found)
    form = DesignApprovalForm()
    if not form.validate_on_submit():
        return _draw_page(found, problems=[e for f in form for e in f.errors], status=422)
    try:
        with unit_of_work():
            campaign.approve_design(draw, acting_user(), contestant_id=contestant_id,
                                    approved_by=form.approved_by.data,
                                    witnesses=form.witnesses.data)
    except DomainError as error:
        return _draw_page(found, problems=error.problems, status=errors.status_for(error))
    flash(_("The approval of the design was recorded."), "success")
    return redirect(url_for(".draw", request_id=found.id, _anchor=f"contestant-{contestant_id}"))


@bp.get("/requests/<int:request_id>/draw/designs/<int:design_id>/file")
@role_required("agency", "reviewer", "admin")
def design_file(request_id: int, design_id: int):
    """One stored version of a design."""
    found = _visible_request(request_id)
    design = next((d for d in _standing_or_404(found).designs if d.id == design_id), None)
    if design is None:
        abort(404)
    return uploads.send_upload(
        design.file, f"{found.reference}-paslon-{design.contestant.number:02d}-{design.id}")
