"""Bakeuda records the handover and the return of approved items (DESIGN §3) and follows the
returns that are overdue."""
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import booking, clock, errors, labels
from ..auth.permissions import BAKEUDA_ROLES, acting_user, role_required
from ..domain_errors import DomainError
from ..extensions import db
from ..models import Booking, HandoverKind
from ..unit_of_work import unit_of_work
from . import bp, routes
from .forms import HandoverForm

RECORD = {HandoverKind.HANDOVER: booking.record_handover,
          HandoverKind.RETURN: booking.record_return}


@bp.app_context_processor
def _handover_context() -> dict:
    """The chain of an item for the request pages of Bakeuda and of the agency alike."""
    return {"handover_stage": booking.handover_stage, "is_overdue": booking.is_overdue,
            "handover_of": booking.handover_of, "can_hand_over": booking.can_hand_over,
            "can_record_return": booking.can_record_return,
            "handover_stage_labels": labels.HANDOVER_STAGE_LABELS,
            "handover_form": _handover_form}


def _handover_form(item: Booking, kind: str) -> HandoverForm:
    """The refused form again for the item it was sent for, an empty one otherwise."""
    refused = g.get("refused_handover")
    if refused and refused[:2] == (item.id, kind):
        return refused[2]
    return HandoverForm(formdata=None)


@bp.post("/bookings/<int:booking_id>/<any(handover, return):kind>")
@role_required(*BAKEUDA_ROLES)
def record_handover(booking_id: int, kind: str):
    """Record the BAST serah terima or pengembalian of an approved item; a refusal shows the
    request page again with the form as it was sent, and nothing is written."""
    item = db.session.get(Booking, booking_id)
    if item is None or item.request_id is None:
        abort(404)
    form = HandoverForm()
    status = 422
    if form.validate_on_submit():
        try:
            with unit_of_work():
                RECORD[HandoverKind(kind)](item.id, acting_user(), number=form.number.data,
                                           on=form.on.data, condition=form.condition.data)
        except DomainError as refused:
            flash(refused.message, "error")
            status = errors.status_for(refused)
        else:
            flash(_("The handover is on record.") if kind == HandoverKind.HANDOVER
                  else _("The return is on record."), "success")
            return redirect(url_for(".request_detail", request_id=item.request_id,
                                    _anchor=f"item-{item.id}"), 303)
    else:
        flash(_("Nothing was recorded: see the item below."), "error")
    g.refused_handover = (item.id, kind, form)
    return routes.request_detail(request_id=item.request_id), status


@bp.get("/overdue")
@role_required(*BAKEUDA_ROLES)
def overdue():
    """Approved items past their end with no return on record, longest overdue first."""
    today = clock.today_wib()
    return render_template("review/overdue.html", items=booking.overdue_returns(today),
                           today=today)
