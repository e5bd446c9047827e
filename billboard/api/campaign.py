"""Elections, contestants, designated APK locations and the draw (DESIGN §5).

``GET /elections`` is public and never shows a liaison officer's contact; the rest needs a
token: administrators keep elections, contestants and designations, the requesting agency runs
its request's draw.
"""
from __future__ import annotations

from flask import g, jsonify, request, url_for
from flask_babel import gettext as _

from .. import caching, campaign
from .. import elections as election_rules
from ..auth.tokens import token_required
from ..booking import visible_request
from ..domain_errors import DomainError, ErrorCode
from ..extensions import csrf, db
from ..models import (
    Draw,
    Election,
    Role,
    Site,
)
from ..unit_of_work import unit_of_work
from . import bp, schemas


def _election_json(election: Election) -> dict:
    return {
        "id": election.id,
        "name": election.name,
        "campaign_start": election.campaign_start_on.isoformat(),
        "campaign_end": election.campaign_end_on.isoformat(),
        "quiet_start": election.quiet_start_on.isoformat(),
        "quiet_end": election.quiet_end_on.isoformat(),
        "polling_on": election.polling_on.isoformat(),
        "url": url_for("public.election", election_id=election.id, _external=True),
        # Public: the LO's contact stays out.
        "contestants": [{"number": c.number, "name": c.name, "liaison": c.liaison}
                        for c in election.contestants],
    }


def _draw_json(draw: Draw) -> dict:
    return {
        "id": draw.id,
        "seed": draw.seed,
        "items_sha256": draw.items_sha256,
        "witnesses": draw.witnesses,
        "drawn_at": draw.drawn_at.isoformat(),
        "allocation": [{"booking": a.booking_id, "site": a.booking.face.site.code,
                        "face": a.booking.face.label,
                        "contestant": a.contestant.number if a.contestant else None}
                       for a in draw.allocations],
    }


@bp.get("/elections")
@caching.public
def elections():
    """Every election on the calendar with its contestants (public)."""
    return jsonify({"elections": [_election_json(e) for e in election_rules.elections()]})


@bp.post("/elections")
@csrf.exempt
@token_required(Role.ADMIN)
def create_election():
    """Add an election; its masa tenang becomes a blackout for campaign props."""
    fields = schemas.election(request.get_json(silent=True))
    election = Election()
    with unit_of_work():
        election_rules.edit_election(g.api_user, election, **fields)
    return jsonify(_election_json(election)), 201


@bp.post("/elections/<int:election_id>/contestants")
@csrf.exempt
@token_required(Role.ADMIN)
def add_contestant(election_id: int):
    """Add a contestant (nomor urut, name, LO and the LO's contact) to an election."""
    election = db.session.get(Election, election_id)
    if election is None:
        raise DomainError(_("No such election."), code=ErrorCode.NOT_FOUND)
    fields = schemas.contestant(request.get_json(silent=True))
    with unit_of_work():
        added = campaign.add_contestant(g.api_user, election, **fields)
    return jsonify({"id": added.id, "election": election.id, "number": added.number,
                    "name": added.name, "liaison": added.liaison,
                    "liaison_contact": added.liaison_contact}), 201


@bp.put("/sites/<code>/campaign-location")
@csrf.exempt
@token_required(Role.ADMIN)
def campaign_location(code: str):
    """Designate a site (every face) for campaign props, or withdraw its designation."""
    site = db.session.scalar(db.select(Site).filter_by(code=code))
    if site is None:
        raise DomainError(_("No such site."), code=ErrorCode.NOT_FOUND)
    fields = schemas.campaign_location(request.get_json(silent=True))
    designated = fields.pop("designated")
    with unit_of_work():
        if designated:
            location = campaign.designate(g.api_user, site, **fields)
        else:
            campaign.withdraw(g.api_user, site)
    if not designated:
        return jsonify({"site": site.code, "designated": False})
    return jsonify({"site": site.code, "designated": True, "basis": location.basis,
                    "basis_number": location.basis_number,
                    "basis_date": location.basis_date and location.basis_date.isoformat(),
                    "tier": location.tier})


@bp.post("/requests/<int:request_id>/draw")
@csrf.exempt
@token_required(Role.AGENCY)
def draw(request_id: int):
    """Run the witnessed draw of the caller's organisation's request."""
    found = visible_request(g.api_user, request_id)
    if found is None:
        raise DomainError(_("No such request."), code=ErrorCode.NOT_FOUND)
    fields = schemas.draw(request.get_json(silent=True))
    with unit_of_work():
        drawn = campaign.run_draw(found, g.api_user, **fields)
    return jsonify(_draw_json(drawn))
