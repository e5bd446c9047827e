"""Access to the campaign slots: designations and contestants (admin), the draw, its minutes
and the designs (the requesting agency; Bakeuda reads), the election pages and the API."""
import os
from datetime import timedelta

from flask import current_app
from support import TODAY, approval

EVERYONE = dict.fromkeys(("anonymous", "agency", "other_agency", "reviewer", "admin"), 200)


def _admin_only(status: int) -> dict:
    return {"anonymous": 302, "agency": 403, "other_agency": 403, "reviewer": 403,
            "admin": status}


def _own(owner: int, bakeuda: int = 403) -> dict:
    return {"anonymous": 302, "agency": owner, "other_agency": 404, "reviewer": bakeuda,
            "admin": bakeuda}


def _token(agency: int, other_agency: int, bakeuda: int) -> dict:
    return {"anonymous": 401, "agency": agency, "other_agency": other_agency,
            "reviewer": bakeuda, "admin": bakeuda}


def _election_id() -> int:
    from billboard.extensions import db
    from billboard.models import Election

    return db.session.scalar(db.select(Election.id).limit(1))


def _drawn(ctx):
    """``ctx.request`` made campaign props of a new election, approved and drawn, with one
    uploaded design; returns the draw."""
    from billboard import booking, campaign
    from billboard.elections import save_election
    from billboard.extensions import db
    from billboard.models import CampaignLocation, Category, Contestant, Election
    from billboard.uploads import Upload

    today = TODAY
    election = Election(name="Pilkada akses", campaign_start_on=today,
                        campaign_end_on=today + timedelta(days=60),
                        quiet_start_on=today + timedelta(days=61),
                        quiet_end_on=today + timedelta(days=63),
                        polling_on=today + timedelta(days=64))
    save_election(election)
    contestant = Contestant(election=election, number=1, name="Paslon Satu")
    db.session.add(contestant)
    db.session.add(CampaignLocation(site=ctx.booking.face.site, basis="SK"))
    ctx.request.category, ctx.request.election = Category.FACILITATED_CAMPAIGN, election
    db.session.commit()
    booking.approve(ctx.booking.id, ctx.user("reviewer"), **approval())
    draw = campaign.run_draw(ctx.request, ctx.user("agency"), seed="1", witnesses=["Bawaslu"])
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "design.png"), "wb") as stream:
        stream.write(b"\x89PNG\r\n\x1a\n")
    campaign.upload_design(draw, ctx.user("agency"), contestant_id=contestant.id,
                           upload=Upload("design.png", "image/png", b"\x89PNG\r\n\x1a\n"))
    db.session.commit()
    return draw


def _draw_url(suffix: str = ""):
    return lambda ctx: f"/requests/{ctx.request.id}/draw{suffix}"


def _design_url(suffix: str = ""):
    def url(ctx) -> str:
        draw = _drawn(ctx)
        return f"/requests/{ctx.request.id}/draw/designs/{draw.designs[0].contestant_id}{suffix}"
    return url


def _design_file(ctx) -> str:
    draw = _drawn(ctx)
    return f"/requests/{ctx.request.id}/draw/designs/{draw.designs[0].id}/file"


ACCESS = {
    "/elections": {"expect": EVERYONE},
    "/elections/<int:election_id>": {"url": lambda ctx: f"/elections/{_election_id()}",
                                     "expect": EVERYONE},
    "/admin/campaign-locations": {"expect": _admin_only(200)},
    # An empty form is refused with its errors, which still means the guard let it in.
    "/admin/campaign-locations/<code>": {"methods": ["POST"],
                                         "url": "/admin/campaign-locations/PGK-01",
                                         "expect": _admin_only(422)},
    "/admin/campaign-locations/<code>/withdraw": {
        "methods": ["POST"], "url": "/admin/campaign-locations/PGK-01/withdraw",
        "expect": _admin_only(303)},
    "/admin/elections/<int:election_id>/contestants": {
        "methods": ["POST"], "url": lambda ctx: f"/admin/elections/{_election_id()}/contestants",
        "expect": _admin_only(422)},
    "/requests/<int:request_id>/draw": [
        {"url": _draw_url(), "expect": _own(200)},
        {"methods": ["POST"], "url": _draw_url(), "expect": _own(422)},
    ],
    "/requests/<int:request_id>/draw/annul": {"methods": ["POST"], "url": _draw_url("/annul"),
                                              "expect": _own(422)},
    "/requests/<int:request_id>/draw/minutes": {
        "url": lambda ctx: (_drawn(ctx), f"/requests/{ctx.request.id}/draw/minutes")[1],
        "expect": _own(200, bakeuda=200)},
    "/requests/<int:request_id>/draw/designs/<int:contestant_id>": {
        "methods": ["POST"], "url": _design_url(), "expect": _own(422)},
    "/requests/<int:request_id>/draw/designs/<int:contestant_id>/approve": {
        "methods": ["POST"], "url": _design_url("/approve"), "expect": _own(422)},
    "/requests/<int:request_id>/draw/designs/<int:design_id>/file": {
        "url": _design_file, "expect": _own(200, bakeuda=200)},
    "/api/v1/elections": [
        {"expect": EVERYONE},
        {"methods": ["POST"], "auth": "token", "json": {}, "expect": _token(403, 403, 403) | {
            "admin": 400}},
    ],
    "/api/v1/elections/<int:election_id>/contestants": {
        "methods": ["POST"], "auth": "token", "json": {},
        "url": lambda ctx: f"/api/v1/elections/{_election_id()}/contestants",
        "expect": _token(403, 403, 403) | {"admin": 400}},
    "/api/v1/sites/<code>/campaign-location": {
        "methods": ["PUT"], "auth": "token", "json": {},
        "url": "/api/v1/sites/PGK-01/campaign-location",
        "expect": _token(403, 403, 403) | {"admin": 400}},
    "/api/v1/requests/<int:request_id>/draw": {
        "methods": ["POST"], "auth": "token", "json": {},
        "url": lambda ctx: f"/api/v1/requests/{ctx.request.id}/draw",
        "expect": _token(400, 404, 403)},
}
