"""Bakeuda uploads back the signed scans of the approval letter, the agreement and each BAST
(DESIGN §6a); they are kept with the request as file versions, for its agency and Bakeuda."""
from flask import abort, flash, g, redirect, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from .. import booking, errors, labels
from ..auth.permissions import BAKEUDA_ROLES, acting_user, role_required
from ..domain_errors import DomainError
from ..models import Request
from ..unit_of_work import unit_of_work
from . import bp, routes
from .forms import ScanForm


def scan_form(found: Request) -> ScanForm:
    """The refused form again, or an empty one; its items are the request's approved ones."""
    form = g.get("refused_scan") or ScanForm(formdata=None)
    form.kind.choices = [SelectChoice(kind.value, labels.FILE_KIND_LABELS[kind])
                         for kind in booking.SIGNED_SCANS]
    form.item.choices = [SelectChoice("", _("— none —"))] + [
        SelectChoice(item.id, item.face.code)
        for item in found.bookings if item.is_approved]
    return form


@bp.post("/requests/<int:request_id>/scans")
@role_required(*BAKEUDA_ROLES)
def upload_scan(request_id: int):
    """Keep a signed scan; a refusal shows the request page again, nothing written."""
    found = booking.request_for(None, request_id)
    if found is None:
        abort(404)
    form = ScanForm()
    status = 422
    if form.validate_on_submit():
        try:
            with unit_of_work(form.scan.upload):
                booking.add_scan(found, acting_user(), form.kind.data, form.scan.upload,
                                 booking_id=form.item.data)
        except DomainError as refused:
            flash(refused.message, "error")
            status = errors.status_for(refused)
        else:
            flash(_("The signed scan is kept with the request."), "success")
            return redirect(url_for(".request_detail", request_id=found.id,
                                    _anchor="files"), 303)
    else:
        flash(_("The scan was not saved: %(problems)s",
                problems=" ".join(str(e) for e in form.scan.errors + form.kind.errors)),
              "error")
    g.refused_scan = form
    return routes.request_detail(request_id=found.id), status
