"""Bakeuda's own entries through the API (DESIGN §5): a rental or a maintenance block on one
face, and its cancellation (a started one ends today)."""
from __future__ import annotations

from flask import g, jsonify, request, url_for
from flask_babel import gettext as _

from .. import booking, text
from ..auth.permissions import BAKEUDA_ROLES
from ..auth.tokens import token_required
from ..booking.rentals import BAKEUDA_KINDS
from ..extensions import csrf, db
from ..finance import PaymentState
from ..models import Booking, BookingKind, BookingStatus, Face, Site, max_length
from ..unit_of_work import unit_of_work
from . import bp, openapi, schemas
from .openapi import (
    DAY,
    NO_TOKEN,
    NULLABLE_TEXT,
    UNREADABLE,
    WRONG_ROLE,
    enum_of,
    json_content,
    path_id,
    refusal,
)


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
        "paid_idr": booking.paid_idr(entry),
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


# --- OpenAPI (merged by openapi.build_spec) -----------------------------------------------------


SCHEMAS = {
    "OccupancyInput": {
        "type": "object",
        "required": ["site", "face", "start", "end", "kind"],
        "properties": {
            "site": {"type": "string", "maxLength": max_length(Site.code),
                     "pattern": text.schema_pattern(), "examples": ["PGK-01"]},
            "face": {"type": "string", "maxLength": max_length(Face.label),
                     "pattern": text.schema_pattern(), "examples": ["A"]},
            "start": DAY,
            "end": {**DAY, "description": "Inclusive"},
            "kind": enum_of(BAKEUDA_KINDS),
            "tenant": {"type": "string", "maxLength": max_length(Booking.tenant_name),
                       "pattern": text.schema_pattern(),
                       "description": "The renting party; required for commercial"},
            "fee_idr": {"type": "integer", "minimum": 0, "description": (
                "Whole Rupiah; when left out, the tariff's value: each day at the rate in "
                "force that day / 30, rounded half up once. A fee other than that needs a "
                "reason (fee_reason, or reason)")},
            "fee_reason": {"type": "string", "maxLength": max_length(Booking.fee_reason),
                           "pattern": text.schema_pattern(multiline=True)},
            "agreement_number": {"type": "string",
                                 "maxLength": max_length(Booking.agreement_number),
                                 "pattern": text.schema_pattern()},
            "reason": {"type": "string", "maxLength": max_length(Booking.reason),
                       "pattern": text.schema_pattern(multiline=True),
                       "description": "A note, e.g. what the maintenance is"},
        },
    },
    "Occupancy": {
        "type": "object",
        "required": ["id", "site", "face", "start", "end", "kind", "status", "tenant",
                     "fee_idr", "fee_reason", "agreement_number", "reason", "paid_idr",
                     "payment"],
        "properties": {
            "id": {"type": "integer"},
            "site": {"type": "string"},
            "face": {"type": "string"},
            "start": DAY,
            "end": {**DAY, "description": "Inclusive; a started use that was ended early "
                                           "ends on the day it was ended"},
            "kind": enum_of(BAKEUDA_KINDS),
            "status": enum_of((BookingStatus.APPROVED, BookingStatus.CANCELLED)),
            "tenant": NULLABLE_TEXT,
            "fee_idr": {"type": "integer", "minimum": 0},
            "fee_reason": {**NULLABLE_TEXT, "description": "Why the fee is not the tariff's"},
            "agreement_number": NULLABLE_TEXT,
            "reason": NULLABLE_TEXT,
            "paid_idr": {"type": "integer", "minimum": 0},
            "payment": {"type": ["string", "null"], "enum": [*enum_of(PaymentState)["enum"], None],
                        "description": "Rentals only"},
        },
    },
}

PATHS = {
    "/api/v1/occupancy": {"post": {
        "operationId": "createOccupancy",
        "summary": "Record a commercial rental or a maintenance block on one face",
        "description": ("Reviewer tokens. Lead time does not apply to Bakeuda's entries; the "
                        "booking horizon does. The face must be free on every day."),
        "tags": ["review"],
        "security": [{"bearer": []}],
        "requestBody": {"required": True, **json_content(openapi.ref("OccupancyInput"))},
        "responses": {
            "201": {"description": "Recorded; Location is its page",
                    **json_content(openapi.ref("Occupancy"))},
            "400": UNREADABLE,
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
            "409": refusal("code clash: the face is occupied on some of these days"),
            "422": refusal("Refused: unknown site or face, kind, dates reversed or beyond the "
                            "horizon, no tenant for a rental, a fee other than the tariff's "
                            "without a reason"),
        },
    }},
    "/api/v1/occupancy/{booking_id}/cancel": {"post": {
        "operationId": "cancelOccupancy",
        "summary": "Cancel a rental or maintenance block; one that has started ends today",
        "tags": ["review"],
        "security": [{"bearer": []}],
        "parameters": [path_id("booking_id")],
        "requestBody": {"required": True, **json_content(openapi.ref("ReasonInput"))},
        "responses": {
            "200": {"description": "The entry after cancelling or ending it",
                    **json_content(openapi.ref("Occupancy"))},
            "400": UNREADABLE,
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
            "404": refusal("No such rental or maintenance block (a request's item is "
                            "cancelled through /bookings/{id}/cancel)"),
            "409": refusal("code wrong_state: already over or cancelled"),
            "422": refusal("The reason is blank"),
        },
    }},
}

