"""The OpenAPI description of the routes in ``billboard.api.occupancy``, merged by
``build_spec``."""
from ... import text
from ...booking.rentals import BAKEUDA_KINDS
from ...finance import PaymentState
from ...models import Booking, BookingStatus, Face, Site, max_length
from . import (
    DAY,
    NO_TOKEN,
    NULLABLE_TEXT,
    UNREADABLE,
    WRONG_ROLE,
    enum_of,
    json_content,
    path_id,
    ref,
    refusal,
)

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
        "requestBody": {"required": True, **json_content(ref("OccupancyInput"))},
        "responses": {
            "201": {"description": "Recorded; Location is its page",
                    **json_content(ref("Occupancy"))},
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
        "requestBody": {"required": True, **json_content(ref("ReasonInput"))},
        "responses": {
            "200": {"description": "The entry after cancelling or ending it",
                    **json_content(ref("Occupancy"))},
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

