"""The token-authenticated API (DESIGN §5): an agency's requests and Bakeuda's decisions.

Views parse the body, authorise and call ``booking`` in one unit of work; a refusal from the
service rolls it back and answers ``{"error": {"code", "message", "problems"}}`` with its
code's status (``errors.py``).
These views authenticate by bearer token only, never by the session cookie, so a forged
cross-site form gains nothing from them: they are exempt from CSRF.
"""
from __future__ import annotations

from collections.abc import Sequence

from flask import g, jsonify, request, url_for
from flask_babel import gettext as _

from .. import booking, paging, text, uploads
from ..auth.permissions import BAKEUDA_ROLES
from ..auth.tokens import token_required
from ..booking import Busy, QueueItem
from ..domain_errors import DomainError, ErrorCode
from ..errors import UnreadableBody
from ..extensions import csrf
from ..models import (
    Booking,
    BookingStatus,
    Face,
    FileKind,
    FileVersion,
    Request,
    Role,
    Site,
    max_length,
)
from ..routing import MAX_ID
from ..unit_of_work import unit_of_work
from . import bp, openapi, schemas

NO_CONFLICTS = {"approved": [], "pending_elsewhere": 0}
# A queue item lists its first rivals and counts them all: one answer stays bounded however
# many others ask for the same face (a page holds at most paging.MAX_PER_PAGE items).
MAX_RIVALS_LISTED = 10


# --- Serialising --------------------------------------------------------------------------------

def _span(start, end) -> dict:
    return {"start": start.isoformat(), "end": end.isoformat()}


def _item_json(item: Booking) -> dict:
    return {
        "id": item.id,
        "site": item.face.site.code,
        "face": item.face.label,
        **_span(item.start_on, item.end_on),
        "status": item.status.value,
        "kind": item.kind.value,
        "agreement_number": item.agreement_number,
        "approval_letter_number": item.approval_letter_number,
        "approval_letter_date": item.approval_letter_date and item.approval_letter_date.isoformat(),
        "reason": item.reason,
        "decided_at": item.decided_at and item.decided_at.isoformat(),
    }


def conflicts_json(clashes: Sequence[Busy], pending_elsewhere: int) -> dict:
    """What stands in the way of an item, as an agency may learn it (DESIGN §3): approved use
    is public and named; others' pending requests are counted, never whose, for what or when.
    Also the shape of the form's live check."""
    return {"approved": [{**_span(b.start_on, b.end_on), "kind": b.kind.value,
                          "organization": b.organization, "purpose": b.purpose}
                         for b in clashes],
            "pending_elsewhere": pending_elsewhere}


def _requests_json(requests: Sequence[Request]) -> list[dict]:
    """Requests with their items; conflicts for the undecided items, in one lookup."""
    submitted = [b for r in requests for b in r.bookings if b.status == BookingStatus.SUBMITTED]
    conflicts = {found.booking.id: conflicts_json(found.clashes, found.pending_requests)
                 for found in booking.conflicts_for(submitted)}
    return [{
        "id": r.id,
        "reference": r.reference,
        "status": booking.request_status(r),
        "organization": r.organization.name,
        "purpose": r.purpose,
        "category": r.category.value,
        "letter_number": r.letter_number,
        "letter_date": r.letter_date.isoformat(),
        "created_at": r.created_at.isoformat(),
        "items": [{**_item_json(b), "conflicts": conflicts.get(b.id, NO_CONFLICTS)}
                  for b in r.bookings],
    } for r in requests]


def _busy_json(busy: Busy) -> dict:
    return {"id": busy.booking_id, **_span(busy.start_on, busy.end_on), "kind": busy.kind.value,
            "organization": busy.organization, "purpose": busy.purpose}


def _rival_json(rival: Booking) -> dict:
    return {"id": rival.id, **_span(rival.start_on, rival.end_on),
            "reference": rival.request.reference, "organization": rival.request.organization.name}


def _basis_json(location) -> dict | None:
    if location is None:
        return None
    return {"basis": location.basis, "basis_number": location.basis_number,
            "basis_date": location.basis_date and location.basis_date.isoformat()}


def _queue_json(found: QueueItem) -> dict:
    item, req = found.booking, found.booking.request
    return {
        **_item_json(item),
        "request": {"id": req.id, "reference": req.reference, "organization": req.organization.name,
                    "purpose": req.purpose, "category": req.category.value,
                    "letter_number": req.letter_number, "letter_date": req.letter_date.isoformat(),
                    "created_at": req.created_at.isoformat()},
        "needs_legal_review": found.needs_legal_review,
        "legal_basis": _basis_json(found.legal_basis),
        "clashes": [_busy_json(b) for b in found.clashes],
        "pending": [_rival_json(b) for b in found.pending[:MAX_RIVALS_LISTED]],
        "pending_count": len(found.pending),
        "freed_on": found.freed_on and found.freed_on.isoformat(),
    }


# --- An agency's requests -----------------------------------------------------------------------

def _own_request(request_id: int) -> Request:
    """The request if the caller may see it: its own organisation's, or any for Bakeuda."""
    found = booking.visible_request(g.api_user, request_id)
    if found is None:
        raise DomainError(_("No such request."), code=ErrorCode.NOT_FOUND)
    return found


@bp.post("/requests")
@csrf.exempt
@token_required(Role.AGENCY)
def create_request():
    """Submit a request with its items for the caller's organisation."""
    fields = schemas.submission(request.get_json(silent=True))
    with unit_of_work():
        created = booking.submit_request(g.api_user, **fields)
    # Loaded again with its items, faces and sites in a few queries, whatever its size.
    created = _own_request(created.id)
    location = url_for(".get_request", request_id=created.id)
    return jsonify(_requests_json([created])[0]), 201, {"Location": location}


def _page() -> paging.Page:
    page, problems = paging.requested_page(request.args)
    if page is None:
        # Unreadable like a malformed body: 400 with every problem.
        raise UnreadableBody(problems)
    return page


@bp.get("/requests")
@token_required(Role.AGENCY)
def list_requests():
    """The caller's organisation's requests, newest first, a page at a time."""
    page = _page()
    found = booking.requests_page(g.api_user.organization_id, page.number, page.per_page)
    return (jsonify({"requests": _requests_json(found.items)}),
            paging.page_headers(page, found.total, ".list_requests"))


@bp.get("/requests/<int:request_id>")
@token_required(Role.AGENCY, *BAKEUDA_ROLES)
def get_request(request_id: int):
    """One request; another organisation's answers 404 to an agency."""
    return jsonify(_requests_json([_own_request(request_id)])[0])


@bp.post("/requests/<int:request_id>/withdraw")
@csrf.exempt
@token_required(Role.AGENCY)
def withdraw_request(request_id: int):
    """Withdraw every item of the request that is still open and not yet started."""
    with unit_of_work():
        booking.withdraw_request(_own_request(request_id), g.api_user)
    return jsonify(_requests_json([_own_request(request_id)])[0])


def _version_json(version: FileVersion) -> dict:
    return {"id": version.id, "kind": version.kind.value, "sha256": version.sha256,
            "filename": version.original_filename,
            "booking": version.booking_id, "uploaded_at": version.uploaded_at.isoformat(),
            "url": url_for("agency.file_version", request_id=version.request_id,
                           version_id=version.id)}


# The multipart fields of the files endpoint and what each may be.
FILE_FIELDS = {"letter": uploads.LETTER_TYPES, "artwork": uploads.ARTWORK_TYPES}


@bp.post("/requests/<int:request_id>/files")
@csrf.exempt
@token_required(Role.AGENCY)
def attach_files(request_id: int):
    """Attach the letter and/or the artwork (multipart), each a new kept version; refused
    once an item is approved."""
    found = _own_request(request_id)
    given = {field: request.files[field] for field in FILE_FIELDS if request.files.get(field)}
    if not given:
        raise DomainError(_("Send the letter, the artwork or both as multipart/form-data "
                            "fields named letter and artwork."))
    try:
        checked = {field: uploads.check(storage, FILE_FIELDS[field])
                   for field, storage in given.items()}
    except uploads.UploadError as error:
        raise DomainError(str(error)) from None
    with unit_of_work(*checked.values()):
        booking.attach_files(found, g.api_user, **checked)
    return jsonify({"files": [_version_json(v) for v in booking.versions(found)]})


@bp.post("/bookings/<int:booking_id>/withdraw")
@csrf.exempt
@token_required(Role.AGENCY)
def withdraw_item(booking_id: int):
    """Withdraw one item of the caller's organisation, still open and not yet started."""
    with unit_of_work():
        withdrawn = booking.withdraw_item(booking_id, g.api_user)
    return jsonify(_item_json(withdrawn))


# --- Bakeuda's decisions ------------------------------------------------------------------------

@bp.get("/review/queue")
@token_required(*BAKEUDA_ROLES)
def review_queue():
    """Submitted items, oldest request first, each with its clashes and pending rivals, a page
    at a time."""
    page = _page()
    found = booking.review_queue(limit=page.per_page, offset=page.offset)
    return (jsonify({"items": [_queue_json(item) for item in found]}),
            paging.page_headers(page, booking.pending_count(), ".review_queue"))


@bp.post("/bookings/<int:booking_id>/approve")
@csrf.exempt
@token_required(*BAKEUDA_ROLES)
def approve(booking_id: int):
    """Approve a submitted item; 409 if the face was taken meanwhile."""
    fields = schemas.approval(request.get_json(silent=True))
    with unit_of_work():
        decided = booking.approve(booking_id, g.api_user, **fields)
    return jsonify(_item_json(decided))


@bp.post("/bookings/<int:booking_id>/reject")
@csrf.exempt
@token_required(*BAKEUDA_ROLES)
def reject(booking_id: int):
    """Refuse a submitted item with a reason."""
    reason = schemas.reason(request.get_json(silent=True))
    with unit_of_work():
        decided = booking.reject(booking_id, g.api_user, reason=reason)
    return jsonify(_item_json(decided))


@bp.post("/bookings/<int:booking_id>/cancel")
@csrf.exempt
@token_required(*BAKEUDA_ROLES)
def cancel(booking_id: int):
    """End a submitted or approved item, a rental or a maintenance block, with a reason."""
    reason = schemas.reason(request.get_json(silent=True))
    with unit_of_work():
        decided = booking.cancel(booking_id, g.api_user, reason=reason)
    return jsonify(_item_json(decided))


# --- OpenAPI (merged by openapi.build_spec) -----------------------------------------------------

def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _refusal(description: str) -> dict:
    return {"description": description, **_json(openapi.ref("Refusal"))}


def _path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


DATE = {**openapi.DATE, "description": "YYYY-MM-DD, a WIB calendar day"}
NULLABLE_DATE = {**DATE, "type": ["string", "null"]}
NULLABLE_TEXT = {"type": ["string", "null"]}
# What a person typed (text.py): one line (a number, a code) or several (a purpose, a reason).
LINE = {"type": "string", "maxLength": max_length(Request.letter_number),
        "pattern": text.schema_pattern(), "description": "One line, no control characters"}
TEXT = {"type": "string", "pattern": text.schema_pattern(multiline=True)}
UNREADABLE = _refusal("The body cannot be read: not a JSON object, a field missing or of the "
                      "wrong type, or a date that does not exist (2024-02-30); every problem "
                      "is listed")
NO_TOKEN = openapi.error_response("No token, or a revoked or unknown one")
WRONG_ROLE = openapi.error_response("The token's user may not do this")
ITEM_STATES = [state.value for state in BookingStatus]
PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": paging.MAX_PAGE, "default": 1}},
    {"name": "per_page", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": paging.MAX_PER_PAGE,
                "default": paging.DEFAULT_PER_PAGE}},
]
PAGE_HEADERS = {
    "X-Total-Count": {"description": "How many there are in all pages",
                      "schema": {"type": "integer", "minimum": 0}},
    "Link": {"description": 'RFC 8288 links to the first, prev, next and last pages '
                            '(rel="next" is missing on the last page)',
             "schema": {"type": "string"}},
}
BAD_PAGE = _refusal("page or per_page is not a whole number in its range")

SCHEMAS = {
    "Refusal": {
        "description": "An error; problems lists every reason when there are several",
        "allOf": [openapi.ref("Error"), {"properties": {"error": {"properties": {
            "problems": {"type": "array", "items": {"type": "string"}}}}}}],
    },
    "ItemInput": {
        "type": "object",
        "required": ["site", "face", "start", "end"],
        "properties": {"site": {**LINE, "maxLength": max_length(Site.code),
                                "examples": ["PGK-01"]},
                       "face": {**LINE, "maxLength": max_length(Face.label), "examples": ["A"]},
                       "start": DATE, "end": {**DATE, "description": "Inclusive"}},
    },
    "RequestInput": {
        "type": "object",
        "required": ["purpose", "category", "letter_number", "letter_date", "items"],
        "properties": {
            "purpose": {**TEXT, "maxLength": max_length(Request.purpose)},
            "category": {"type": "string", "enum": ["voter_education", "public_service",
                                                    "facilitated_campaign"],
                         "description": "facilitated_campaign only on designated APK "
                                        "locations inside the named election's campaign "
                                        "period; commercial use is not requested here"},
            "letter_number": LINE,
            "letter_date": {**DATE, "description": "Date of the official letter, not in the "
                                                   "future"},
            "election": {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                         "description": "The election (id from GET "
                         "/api/v1/elections) a facilitated_campaign request is for; required "
                         "for that category and only for it"},
            "items": {"type": "array", "minItems": 1, "maxItems": booking.MAX_ITEMS_PER_REQUEST,
                      "items": openapi.ref("ItemInput")},
        },
    },
    "ApprovalInput": {
        "type": "object",
        "required": ["agreement_number"],
        "properties": {
            "agreement_number": LINE,
            "approval_letter_number": {**LINE, "type": ["string", "null"]},
            "approval_letter_date": NULLABLE_DATE,
        },
    },
    "ReasonInput": {
        "type": "object",
        "required": ["reason"],
        "properties": {"reason": {**TEXT, "maxLength": max_length(Booking.reason)}},
    },
    "FileVersion": {
        "type": "object",
        "description": "One kept version of a request's file; never overwritten or deleted",
        "required": ["id", "kind", "sha256", "filename", "booking", "uploaded_at", "url"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": [kind.value for kind in FileKind]},
            "sha256": {"type": ["string", "null"],
                       "description": "null only for a file named before versions existed "
                                      "whose content was already gone"},
            "filename": {"type": ["string", "null"],
                         "description": "The name it had on the sender's computer"},
            "booking": {"type": ["integer", "null"],
                        "description": "The item a signed BAST belongs to"},
            "uploaded_at": {"type": "string", "format": "date-time"},
            "url": {"type": "string", "description": "Where to download it (web session)"},
        },
    },
    "Item": {
        "type": "object",
        "required": ["id", "site", "face", "start", "end", "status", "kind", "agreement_number",
                     "approval_letter_number", "approval_letter_date", "reason", "decided_at"],
        "properties": {
            "id": {"type": "integer"},
            "site": {"type": "string"},
            "face": {"type": "string"},
            "start": DATE,
            "end": {**DATE, "description": "Inclusive"},
            "status": {"type": "string", "enum": ITEM_STATES},
            "kind": {"type": "string", "enum": ["non_commercial", "commercial", "maintenance"]},
            "agreement_number": NULLABLE_TEXT,
            "approval_letter_number": NULLABLE_TEXT,
            "approval_letter_date": NULLABLE_DATE,
            "reason": {**NULLABLE_TEXT, "description": "Why it was rejected or cancelled"},
            "decided_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "Conflicts": {
        "type": "object",
        "description": "What overlaps a submitted item (empty for the others): approved use of "
                       "the face, named, and how many other requests wait for it, never whose",
        "required": ["approved", "pending_elsewhere"],
        "properties": {
            "approved": {"type": "array", "items": {
                "type": "object", "required": ["start", "end", "kind"],
                "properties": {
                    "start": DATE, "end": {**DATE, "description": "Inclusive"},
                    "kind": {"type": "string",
                             "enum": ["non_commercial", "commercial", "maintenance"]},
                    "organization": {**NULLABLE_TEXT,
                                     "description": "Who holds it; null for maintenance"},
                    "purpose": NULLABLE_TEXT}}},
            "pending_elsewhere": {"type": "integer", "minimum": 0, "description": (
                "How many other requests wait for a decision on this face for dates "
                "overlapping the item's")},
        },
    },
    "Request": {
        "type": "object",
        "required": ["id", "reference", "status", "organization", "purpose", "category",
                     "letter_number", "letter_date", "created_at", "items"],
        "properties": {
            "id": {"type": "integer"},
            "reference": {"type": "string", "examples": ["PJ-2026-0007"]},
            "status": {"type": "string", "description": "Derived from the items",
                       "enum": [*ITEM_STATES, "partly_decided", "partly_approved", "closed"]},
            "organization": {"type": "string"},
            "purpose": {"type": "string"},
            "category": {"type": "string"},
            "letter_number": {"type": "string"},
            "letter_date": DATE,
            "created_at": {"type": "string", "format": "date-time"},
            "items": {"type": "array", "items": {"allOf": [openapi.ref("Item"), {
                "required": ["conflicts"],
                "properties": {"conflicts": openapi.ref("Conflicts")},
            }]}},
        },
    },
    "QueueItem": {
        "allOf": [openapi.ref("Item"), {
            "type": "object",
            "required": ["request", "needs_legal_review", "legal_basis", "clashes", "pending",
                         "pending_count", "freed_on"],
            "properties": {
                "request": {
                    "type": "object",
                    "required": ["id", "reference", "organization", "purpose", "category",
                                 "letter_number", "letter_date", "created_at"],
                    "properties": {
                        "id": {"type": "integer"}, "reference": {"type": "string"},
                        "organization": {"type": "string"}, "purpose": {"type": "string"},
                        "category": {"type": "string"}, "letter_number": {"type": "string"},
                        "letter_date": DATE,
                        "created_at": {"type": "string", "format": "date-time"},
                    },
                },
                "needs_legal_review": {"type": "boolean", "description": (
                    "Campaign props on government facilities: check the law before approving")},
                "legal_basis": {"type": ["object", "null"], "description": (
                    "For campaign props: the Wali Kota's decision designating the site"),
                    "properties": {"basis": {"type": "string"},
                                   "basis_number": NULLABLE_TEXT,
                                   "basis_date": NULLABLE_DATE}},
                "clashes": {"type": "array", "description": "Approved occupancy in the way",
                            "items": {"allOf": [openapi.ref("Busy"), {
                                "required": ["id"], "properties": {"id": {"type": "integer"}}}]}},
                "freed_on": {**NULLABLE_DATE, "description": (
                    "Waitlist: the day approved use overlapping this item was last withdrawn "
                    "or cancelled after the item was submitted (the face may be free now)")},
                "pending_count": {"type": "integer", "minimum": 0,
                                  "description": "How many other submitted items overlap"},
                "pending": {"type": "array", "maxItems": MAX_RIVALS_LISTED,
                            "description": "The first of the other submitted items overlapping",
                            "items": {"type": "object",
                                      "required": ["id", "start", "end", "reference",
                                                   "organization"],
                                      "properties": {"id": {"type": "integer"}, "start": DATE,
                                                     "end": DATE,
                                                     "reference": {"type": "string"},
                                                     "organization": {"type": "string"}}}},
            },
        }],
    },
}


def _decision(action: str, summary: str, body: str, extra: dict) -> dict:
    return {"post": {
        "operationId": f"{action}Booking",
        "summary": summary,
        "tags": ["review"],
        "security": [{"bearer": []}],
        "parameters": [_path_id("booking_id")],
        "requestBody": {"required": True, **_json(openapi.ref(body))},
        "responses": {
            "200": {"description": "The item after the decision", **_json(openapi.ref("Item"))},
            "400": UNREADABLE,
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
            "404": _refusal("No such item"),
            "422": _refusal("A required text is blank"),
            **extra,
        },
    }}


PATHS = {
    "/api/v1/requests": {
        "post": {
            "operationId": "createRequest",
            "summary": "Submit a request (pinjam pakai) for the caller's organisation",
            "description": ("Agency tokens only. Every item is checked against the booking "
                            "rules; any problem refuses the whole request and nothing is "
                            "written. The letter and artwork are attached through the web form."),
            "tags": ["requests"],
            "security": [{"bearer": []}],
            "requestBody": {"required": True, **_json(openapi.ref("RequestInput"))},
            "responses": {
                "201": {"description": "Created; Location is the request's URL",
                        **_json(openapi.ref("Request"))},
                "400": UNREADABLE,
                "401": NO_TOKEN,
                "403": WRONG_ROLE,
                "422": _refusal(
                    "Refused by the booking rules (dates reversed, in the past, inside the lead "
                    "time, too long or beyond the horizon; unknown site or face; a blackout; a "
                    "face already taken; a category or organisation not allowed); every "
                    "problem is listed"),
            },
        },
        "get": {
            "operationId": "listRequests",
            "summary": "The caller's organisation's requests, newest first, a page at a time",
            "tags": ["requests"],
            "security": [{"bearer": []}],
            "parameters": PAGE_PARAMETERS,
            "responses": {
                "200": {"description": "One page of the requests", "headers": PAGE_HEADERS,
                        **_json({"type": "object", "required": ["requests"],
                                 "properties": {"requests": {
                                     "type": "array", "items": openapi.ref("Request")}}})},
                "400": BAD_PAGE,
                "401": NO_TOKEN,
                "403": WRONG_ROLE,
            },
        },
    },
    "/api/v1/requests/{request_id}": {"get": {
        "operationId": "getRequest",
        "summary": "One request with its items",
        "description": "Agencies see their own organisation's only; reviewers see every one.",
        "tags": ["requests"],
        "security": [{"bearer": []}],
        "parameters": [_path_id("request_id")],
        "responses": {
            "200": {"description": "The request", **_json(openapi.ref("Request"))},
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
            "404": _refusal("No such request, or another organisation's"),
        },
    }},
    "/api/v1/requests/{request_id}/withdraw": {"post": {
        "operationId": "withdrawRequest",
        "summary": "Withdraw every item still submitted or approved that has not started",
        "tags": ["requests"],
        "security": [{"bearer": []}],
        "parameters": [_path_id("request_id")],
        "responses": {
            "200": {"description": "The request after withdrawal", **_json(openapi.ref("Request"))},
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
            "404": _refusal("No such request, or another organisation's"),
            "409": _refusal("Nothing left to withdraw"),
        },
    }},
    "/api/v1/requests/{request_id}/files": {"post": {
        "operationId": "attachRequestFiles",
        "summary": "Attach the letter and/or the artwork of a request still waiting",
        "description": ("Agency tokens only; multipart/form-data. Each file is checked by its "
                        "content (the letter a PDF; the artwork JPEG, PNG or PDF) and kept as "
                        "a new version with its SHA-256; earlier versions stay. Once any item "
                        "is approved the files are frozen (409): send a new request."),
        "tags": ["requests"],
        "security": [{"bearer": []}],
        "parameters": [_path_id("request_id")],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "properties": {"letter": {"type": "string", "format": "binary",
                                      "contentMediaType": "application/pdf"},
                           "artwork": {"type": "string", "format": "binary",
                                       "contentMediaType": "application/octet-stream"}},
            "additionalProperties": False,
        }}}},
        "responses": {
            "200": {"description": "Every kept file of the request, oldest first",
                    **_json({"type": "object", "required": ["files"], "properties": {
                        "files": {"type": "array", "items": openapi.ref("FileVersion")}}})},
            "400": UNREADABLE,
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
            "404": _refusal("No such request, or another organisation's"),
            "409": _refusal("An item is approved (the files are frozen), or no item waits "
                            "for a decision"),
            "413": openapi.error_response("The body is larger than the upload limit"),
            "422": _refusal("Neither a letter nor an artwork was sent, or a file is empty, "
                            "too large, or not of an accepted type (judged by its content)"),
        },
    }},
    "/api/v1/bookings/{booking_id}/withdraw": {"post": {
        "operationId": "withdrawBooking",
        "summary": "Withdraw one item, still submitted or approved, before its start day",
        "description": "No body. The request's other items stay as they are.",
        "tags": ["requests"],
        "security": [{"bearer": []}],
        "parameters": [_path_id("booking_id")],
        "responses": {
            "200": {"description": "The item after withdrawal", **_json(openapi.ref("Item"))},
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
            "404": _refusal("No such item, or another organisation's"),
            "409": _refusal("The item has started, or is already decided otherwise "
                            "(rejected, withdrawn, cancelled)"),
        },
    }},
    "/api/v1/review/queue": {"get": {
        "operationId": "reviewQueue",
        "summary": "Submitted items, oldest request first, with what overlaps them, a page at "
                   "a time",
        "tags": ["review"],
        "security": [{"bearer": []}],
        "parameters": PAGE_PARAMETERS,
        "responses": {
            "200": {"description": "One page of the queue", "headers": PAGE_HEADERS, **_json({
                "type": "object", "required": ["items"],
                "properties": {"items": {"type": "array", "items": openapi.ref("QueueItem")}}})},
            "400": BAD_PAGE,
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
        },
    }},
    "/api/v1/bookings/{booking_id}/approve": _decision(
        "approve", "Approve a submitted item with the agreement number", "ApprovalInput",
        {"409": _refusal("code clash: the face is taken for part of the period (another "
                         "approval may have just won); code wrong_state: the item is not "
                         "submitted or its period has ended, or a blackout or the site's "
                         "status now forbids it")}),
    "/api/v1/bookings/{booking_id}/reject": _decision(
        "reject", "Reject a submitted item with a reason", "ReasonInput",
        {"409": _refusal("The item is not submitted")}),
    "/api/v1/bookings/{booking_id}/cancel": _decision(
        "cancel", "Cancel a submitted or approved item, a rental or a maintenance block",
        "ReasonInput", {"409": _refusal("The item is already closed")}),
}
