"""The token-authenticated API (DESIGN §5): an agency's requests and Bakeuda's decisions.

Views parse the body, authorise, call ``booking`` and commit once; a refusal from the service
rolls back and answers ``{"error": {"code", "message", "problems"}}`` with its status.
These views authenticate by bearer token only, never by the session cookie, so a forged
cross-site form gains nothing from them: they are exempt from CSRF.
"""
from __future__ import annotations

from collections.abc import Sequence

from flask import g, jsonify, request, url_for
from flask_babel import gettext as _

from .. import booking
from ..auth.tokens import token_required
from ..booking import BookingError, Busy, QueueItem
from ..extensions import csrf, db
from ..models import Booking, BookingStatus, Request, Role
from . import bp, schemas

DECIDERS = (Role.REVIEWER, Role.ADMIN)


@bp.errorhandler(BookingError)
def _refused(error: BookingError):
    db.session.rollback()
    response = jsonify({"error": {"code": error.code, "message": error.message,
                                  "problems": error.problems}})
    response.status_code = error.status
    return response


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


def _conflicts(found: QueueItem) -> list[dict]:
    # What stands in the way of approving this item, without other organisations' details.
    taken = [{"status": BookingStatus.APPROVED.value, **_span(b.start_on, b.end_on)}
             for b in found.clashes if b.booking_id != found.booking.id]
    rivals = [{"status": BookingStatus.SUBMITTED.value, **_span(b.start_on, b.end_on)}
              for b in found.pending]
    return taken + rivals


def _requests_json(requests: Sequence[Request]) -> list[dict]:
    """Requests with their items; conflicts for the undecided items, in one lookup."""
    submitted = [b for r in requests for b in r.bookings if b.status == BookingStatus.SUBMITTED]
    conflicts = {found.booking.id: _conflicts(found) for found in booking.conflicts_for(submitted)}
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
        "items": [{**_item_json(b), "conflicts": conflicts.get(b.id, [])} for b in r.bookings],
    } for r in requests]


def _busy_json(busy: Busy) -> dict:
    return {"id": busy.booking_id, **_span(busy.start_on, busy.end_on), "kind": busy.kind.value,
            "organization": busy.organization, "purpose": busy.purpose}


def _rival_json(rival: Booking) -> dict:
    return {"id": rival.id, **_span(rival.start_on, rival.end_on),
            "reference": rival.request.reference, "organization": rival.request.organization.name}


def _queue_json(found: QueueItem) -> dict:
    item, req = found.booking, found.booking.request
    return {
        **_item_json(item),
        "request": {"id": req.id, "reference": req.reference, "organization": req.organization.name,
                    "purpose": req.purpose, "category": req.category.value,
                    "letter_number": req.letter_number, "letter_date": req.letter_date.isoformat(),
                    "created_at": req.created_at.isoformat()},
        "needs_legal_review": found.needs_legal_review,
        "clashes": [_busy_json(b) for b in found.clashes],
        "pending": [_rival_json(b) for b in found.pending],
    }


# --- An agency's requests -----------------------------------------------------------------------

def _own_request(request_id: int) -> Request:
    """The request if the caller may see it: its own organisation's, or any for Bakeuda."""
    user = g.api_user
    scope = None if user.role in DECIDERS else user.organization_id
    found = booking.request_for(scope, request_id)
    if found is None:
        raise BookingError(_("No such request."), code="not_found", status=404)
    return found


@bp.post("/requests")
@csrf.exempt
@token_required(Role.AGENCY)
def create_request():
    """Submit a request with its items for the caller's organisation."""
    fields = schemas.submission(request.get_json(silent=True))
    created = booking.submit_request(g.api_user, **fields)
    db.session.commit()
    location = url_for(".get_request", request_id=created.id)
    return jsonify(_requests_json([created])[0]), 201, {"Location": location}


@bp.get("/requests")
@token_required(Role.AGENCY)
def list_requests():
    """The caller's organisation's requests, newest first."""
    return jsonify({"requests": _requests_json(booking.requests_of(g.api_user.organization_id))})


@bp.get("/requests/<int:request_id>")
@token_required(Role.AGENCY, *DECIDERS)
def get_request(request_id: int):
    """One request; another organisation's answers 404 to an agency."""
    return jsonify(_requests_json([_own_request(request_id)])[0])


@bp.post("/requests/<int:request_id>/withdraw")
@csrf.exempt
@token_required(Role.AGENCY)
def withdraw_request(request_id: int):
    """Withdraw every item of the request that is still open and not yet started."""
    found = _own_request(request_id)
    booking.withdraw_request(found, g.api_user)
    db.session.commit()
    return jsonify(_requests_json([found])[0])


# --- Bakeuda's decisions ------------------------------------------------------------------------

@bp.get("/review/queue")
@token_required(*DECIDERS)
def review_queue():
    """Submitted items, oldest request first, each with its clashes and pending rivals."""
    return jsonify({"items": [_queue_json(found) for found in booking.review_queue()]})


@bp.post("/bookings/<int:booking_id>/approve")
@csrf.exempt
@token_required(*DECIDERS)
def approve(booking_id: int):
    """Approve a submitted item; 409 if the face was taken meanwhile."""
    fields = schemas.approval(request.get_json(silent=True))
    decided = booking.approve(booking_id, g.api_user, **fields)
    db.session.commit()
    return jsonify(_item_json(decided))


@bp.post("/bookings/<int:booking_id>/reject")
@csrf.exempt
@token_required(*DECIDERS)
def reject(booking_id: int):
    """Refuse a submitted item with a reason."""
    reason = schemas.reason(request.get_json(silent=True))
    decided = booking.reject(booking_id, g.api_user, reason=reason)
    db.session.commit()
    return jsonify(_item_json(decided))


@bp.post("/bookings/<int:booking_id>/cancel")
@csrf.exempt
@token_required(*DECIDERS)
def cancel(booking_id: int):
    """End a submitted or approved item, a rental or a maintenance block, with a reason."""
    reason = schemas.reason(request.get_json(silent=True))
    decided = booking.cancel(booking_id, g.api_user, reason=reason)
    db.session.commit()
    return jsonify(_item_json(decided))
