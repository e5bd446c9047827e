"""A request's draw (undian) and the contestants' designs for the faces it gave them.

The requesting agency runs the draw once Bakeuda has decided every item: the seed made at the
meeting and the witnesses present, no preview. One draw stands per request; another needs the
standing one annulled with a reason. Designs are uploaded per contestant after the draw, every
version kept, and frozen once KPU records their approval (who approved, who witnessed).
"""
from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import audit
from ..audit import Action
from ..domain_errors import ErrorCode
from ..extensions import db
from ..models import (
    Allocation,
    Booking,
    BookingStatus,
    CampaignLocation,
    Category,
    Contestant,
    Design,
    Draw,
    Face,
    Request,
    User,
    max_length,
    utcnow,
)
from ..uploads import Upload
from .draw import DrawItem, allocate, items_hash
from .errors import CampaignError

SEED_LENGTH = max_length(Draw.seed)
# A witness is a person, named as a user is.
NAME_LENGTH = max_length(User.name)
MAX_WITNESSES = 50


def standing_draw(request: Request) -> Draw | None:
    """The request's draw that is not annulled, with its allocations and designs."""
    return db.session.scalar(
        db.select(Draw).where(Draw.request_id == request.id, Draw.annulled_at.is_(None))
        .options(selectinload(Draw.allocations).joinedload(Allocation.booking)
                 .joinedload(Booking.face).joinedload(Face.site),
                 selectinload(Draw.allocations).joinedload(Allocation.contestant),
                 selectinload(Draw.designs)))


def _approved(request: Request) -> list[Booking]:
    return [b for b in request.bookings if b.status == BookingStatus.APPROVED]


def can_draw(request: Request) -> bool:
    """A facilitated campaign request whose items are all decided, some approved."""
    return (request.category == Category.FACILITATED_CAMPAIGN and request.election is not None
            and bool(_approved(request))
            and not any(b.status == BookingStatus.SUBMITTED for b in request.bookings))


def _names(witnesses) -> list[str]:
    return [name.strip() for name in witnesses if isinstance(name, str) and name.strip()]


def run_draw(request: Request, user: User, *, seed: str, witnesses: list[str]) -> Draw:
    """Draw the request's approved faces among its election's contestants (DESIGN §3)."""
    seed = (seed or "").strip()
    names = _names(witnesses or [])
    problems = []
    if not 1 <= len(seed) <= SEED_LENGTH:
        problems.append(_("The seed is 1 to %(n)s characters.", n=SEED_LENGTH))
    if not names:
        problems.append(_("Name at least one witness."))
    if len(names) > MAX_WITNESSES or any(len(name) > NAME_LENGTH for name in names):
        problems.append(_("At most %(n)s witnesses, each name at most %(length)s characters.",
                          n=MAX_WITNESSES, length=NAME_LENGTH))
    if problems:
        raise CampaignError(problems[0], problems=problems)
    if not can_draw(request):
        raise CampaignError(_("A draw needs a facilitated campaign request for an election "
                              "whose items Bakeuda has all decided, with at least one "
                              "approved."), code=ErrorCode.WRONG_STATE)
    if standing_draw(request) is not None:
        raise CampaignError(_("This request has been drawn already. A new draw needs the "
                              "standing one annulled, with the reason."),
                            code=ErrorCode.WRONG_STATE)
    contestants = list(request.election.contestants)
    approved = _approved(request)
    if not contestants:
        raise CampaignError(_("%(election)s has no contestants yet.",
                              election=request.election.name), code=ErrorCode.WRONG_STATE)
    if len(approved) < len(contestants):
        raise CampaignError(_("%(faces)s approved faces cannot be shared equally among "
                              "%(contestants)s contestants.", faces=len(approved),
                              contestants=len(contestants)), code=ErrorCode.WRONG_STATE)
    tiers = dict(db.session.execute(
        db.select(CampaignLocation.site_id, CampaignLocation.tier)).all())
    items = [DrawItem(b.face.site.code, b.face.label, b.start_on, b.end_on,
                      tiers.get(b.face.site_id)) for b in approved]
    by_line = {item.line: b for item, b in zip(items, approved, strict=True)}
    by_number = {c.number: c for c in contestants}
    draw = Draw(request=request, seed=seed, witnesses=names, items_sha256=items_hash(items),
                drawn_by=user)
    for position, drawn in enumerate(allocate(seed, items, list(by_number))):
        draw.allocations.append(Allocation(
            booking=by_line[drawn.item.line], position=position, tier=drawn.item.tier,
            contestant=None if drawn.contestant is None else by_number[drawn.contestant]))
    db.session.add(draw)
    try:
        db.session.flush()
    except IntegrityError:
        # Another draw of the same request committed a moment ago (the partial unique index);
        # the caller's unit of work rolls the change back.
        raise CampaignError(_("This request has been drawn already."),
                            code=ErrorCode.WRONG_STATE) from None
    audit.record(user, Action.DRAW_RUN, "request", request.id, to_state="drawn",
                 detail=f"draw {draw.id}; seed {seed!r}; items {draw.items_sha256}; "
                        f"witnesses {', '.join(names)}")
    return draw


def annul_draw(request: Request, user: User, *, reason: str) -> Draw:
    """Annul the standing draw with the reason, so that a new witnessed draw may be run."""
    reason = (reason or "").strip()
    if not reason:
        raise CampaignError(_("A reason is required to annul a draw."))
    draw = standing_draw(request)
    if draw is None:
        raise CampaignError(_("This request has no standing draw."), code=ErrorCode.WRONG_STATE)
    draw.annulled_at, draw.annulled_by, draw.annul_reason = utcnow(), user, reason
    db.session.flush()
    audit.record(user, Action.DRAW_ANNUL, "request", request.id, from_state="drawn",
                 to_state="annulled", reason=reason, detail=f"draw {draw.id}")
    return draw


def current_designs(draw: Draw) -> dict[int, Design]:
    """The latest design of each contestant of the draw, by contestant id."""
    latest: dict[int, Design] = {}
    for design in draw.designs:
        latest[design.contestant_id] = design
    return latest


def _drawn_contestant(draw: Draw, contestant_id: int) -> Contestant:
    for allocation in draw.allocations:
        if allocation.contestant_id == contestant_id:
            return allocation.contestant
    raise CampaignError(_("No faces of this draw went to that contestant."),
                        code=ErrorCode.NOT_FOUND)


def upload_design(draw: Draw, user: User, *, contestant_id: int, upload: Upload) -> Design:
    """Keep a new version of a contestant's design, unless its design is approved already."""
    contestant = _drawn_contestant(draw, contestant_id)
    current = current_designs(draw).get(contestant_id)
    if current is not None and current.approved_at is not None:
        raise CampaignError(_("The design of %(name)s is approved and can no longer change.",
                              name=contestant.name), code=ErrorCode.WRONG_STATE)
    design = Design(draw=draw, contestant=contestant, file=upload.name,
                    sha256=hashlib.sha256(upload.data).hexdigest(), uploaded_by_id=user.id)
    db.session.add(design)
    db.session.flush()
    audit.record(user, Action.DESIGN_UPLOAD, "request", draw.request_id,
                 detail=f"{contestant.number}: {contestant.name}; {upload.name}; "
                        f"sha256 {design.sha256}")
    return design


def approve_design(draw: Draw, user: User, *, contestant_id: int, approved_by: str,
                   witnesses: str) -> Design:
    """Record that KPU approved a contestant's current design, and who witnessed it."""
    contestant = _drawn_contestant(draw, contestant_id)
    approved_by = (approved_by or "").strip()
    witnesses = (witnesses or "").strip()
    problems = []
    if not approved_by:
        problems.append(_("Name who approved the design."))
    if not witnesses:
        problems.append(_("Name who witnessed the approval."))
    if len(approved_by) > max_length(Design.approved_by) \
            or len(witnesses) > max_length(Design.approval_witnesses):
        problems.append(_("The names are too long."))
    if problems:
        raise CampaignError(problems[0], problems=problems)
    design = current_designs(draw).get(contestant_id)
    if design is None:
        raise CampaignError(_("Upload the design of %(name)s first.", name=contestant.name),
                            code=ErrorCode.WRONG_STATE)
    if design.approved_at is not None:
        raise CampaignError(_("The design of %(name)s is approved already.",
                              name=contestant.name), code=ErrorCode.WRONG_STATE)
    design.approved_at, design.approved_by = utcnow(), approved_by
    design.approval_witnesses, design.recorded_by_id = witnesses, user.id
    db.session.flush()
    audit.record(user, Action.DESIGN_APPROVE, "request", draw.request_id, to_state="approved",
                 detail=f"{contestant.number}: {contestant.name}; sha256 {design.sha256}; "
                        f"approved by {approved_by}; witnessed by {witnesses}")
    return design
