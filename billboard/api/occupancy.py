"""Bakeuda's own entries through the API (DESIGN §5): a rental or a maintenance block on one
face, and its cancellation (a started one ends today)."""
from __future__ import annotations

from flask import g, jsonify, request, url_for
from flask_babel import gettext as _

from .. import booking
from ..auth.permissions import BAKEUDA_ROLES
from ..auth.tokens import token_required
from ..extensions import csrf, db
from ..models import Booking, BookingKind, Face, Site
from ..unit_of_work import unit_of_work
from . import bp, schemas


def entry_json(entry: Booking) -> dict:
    return {
        "id": entry.id,
        "site": entry.face.site.code,
        "face": entry.face.label,
        "start": entry.start_on.isoformat(),
        "end": entry.end_on.isoformat(),
        "kind": entry.kind.value,
        "status": entry.status.value,
        "tenant": entry.tenant_name,
        "fee_idr": entry.fee_idr,
        "fee_reason": entry.fee_reason,
        "agreement_number": entry.agreement_number,
        "reason": entry.reason,
        "paid_idr": entry.paid_idr,
        "payment": booking.payment_state(entry).value if booking.is_rental(entry) else None,
    }


def _face(code: str, label: str) -> Face:
    face = db.session.scalar(db.select(Face).join(Site).where(
        Site.code == code.strip().upper(), Face.label == label.strip().upper()))
    if face is None:
        raise booking.BookingError(_("No such site or face: %(site)s/%(face)s.", site=code,
                                     face=label))
    return face


@bp.post("/occupancy")
@csrf.exempt
@token_required(*BAKEUDA_ROLES)
def create_occupancy():
    """Record a rental or a maintenance block; the fee from the tariff unless given."""
    fields = schemas.occupancy(request.get_json(silent=True))
    try:
        kind = BookingKind(fields["kind"])
    except ValueError:
        raise booking.BookingError(_("kind must be commercial or maintenance.")) from None
    with unit_of_work():
        added = booking.add_occupancy(
            g.api_user, _face(fields["site"], fields["face"]), fields["start"], fields["end"],
            kind=kind, tenant_name=fields["tenant_name"], fee_idr=fields["fee_idr"],
            fee_reason=fields["fee_reason"] or fields["reason"],
            agreement_number=fields["agreement_number"], reason=fields["reason"])
    location = url_for("review.rental", booking_id=added.id)
    return jsonify(entry_json(added)), 201, {"Location": location}


@bp.post("/occupancy/<int:booking_id>/cancel")
@csrf.exempt
@token_required(*BAKEUDA_ROLES)
def cancel_occupancy(booking_id: int):
    """Cancel a rental or block not yet started; one that has started ends today."""
    reason = schemas.reason(request.get_json(silent=True))
    with unit_of_work():
        ended = booking.end_or_cancel(booking_id, g.api_user, reason=reason)
    return jsonify(entry_json(ended))
