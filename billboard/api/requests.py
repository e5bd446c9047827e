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

from .. import booking, paging, uploads
from ..auth.permissions import BAKEUDA_ROLES
from ..auth.tokens import token_required
from ..booking import Busy, QueueItem
from ..domain_errors import DomainError, ErrorCode
from ..errors import UnreadableBody
from ..extensions import csrf
from ..models import (
    Booking,
    BookingStatus,
    FileVersion,
    Request,
    Role,
)
from ..unit_of_work import unit_of_work
from . import bp, schemas

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


@bp.post("/requests/<int:request_id>/decision")
@csrf.exempt
@token_required(Role.REVIEWER)
def decide(request_id: int):
    """Decide a request as a whole: approve some items, reject others with a reason; all or
    nothing (409 on a clash, an item not pending, a number already in the register)."""
    _own_request(request_id)
    fields = schemas.decision(request.get_json(silent=True))
    with unit_of_work():
        booking.decide(request_id, g.api_user, **fields)
    return jsonify(_requests_json([_own_request(request_id)])[0])


@bp.post("/bookings/<int:booking_id>/approve")
@csrf.exempt
@token_required(Role.REVIEWER)
def approve(booking_id: int):
    """Approve a submitted item, a decision of one item; 409 if the face was taken meanwhile."""
    fields = schemas.approval(request.get_json(silent=True))
    with unit_of_work():
        decided = booking.approve(booking_id, g.api_user, **fields)
    return jsonify(_item_json(decided))


@bp.post("/bookings/<int:booking_id>/reject")
@csrf.exempt
@token_required(Role.REVIEWER)
def reject(booking_id: int):
    """Refuse a submitted item with a reason, a decision of one item."""
    reason = schemas.reason(request.get_json(silent=True))
    with unit_of_work():
        decided = booking.reject(booking_id, g.api_user, reason=reason)
    return jsonify(_item_json(decided))


@bp.post("/bookings/<int:booking_id>/cancel")
@csrf.exempt
@token_required(*BAKEUDA_ROLES)
def cancel(booking_id: int):
    """Cancel a submitted or approved item, a rental or a maintenance block, with a reason; a
    use that has started ends today (booking.cancel)."""
    reason = schemas.reason(request.get_json(silent=True))
    with unit_of_work():
        decided = booking.cancel(booking_id, g.api_user, reason=reason)
    return jsonify(_item_json(decided))
