"""Campaign slots (DESIGN §3 "Campaign slots"): designated APK locations, contestants, the
witnessed draw that shares KPU's approved faces among them, and the contestants' designs.

- ``draw``: the allocation as a pure function of the seed and the items,
- ``locations``: which sites are designated, on what basis, in which visibility tier,
- ``elections``: contestants, and what the public sees of an election's campaign slots,
- ``draws``: running and annulling a request's draw, and the designs per contestant.

Like ``booking``, nothing here knows about HTTP: functions flush and audit, the caller's unit
of work commits,
refusals are :class:`CampaignError` (a :class:`~billboard.domain_errors.DomainError`).
"""
from .draw import DrawItem, Drawn, allocate, items_hash
from .draws import (
    annul_draw,
    approve_design,
    can_draw,
    current_designs,
    run_draw,
    standing_draw,
    upload_design,
)
from .elections import ElectionSlot, add_contestant, contestant_label, election_slots
from .errors import CampaignError
from .locations import designate, designations, withdraw

__all__ = [
    "CampaignError", "DrawItem", "Drawn", "ElectionSlot", "add_contestant", "allocate",
    "annul_draw", "approve_design", "can_draw", "contestant_label", "current_designs",
    "designate", "designations", "election_slots", "items_hash", "run_draw", "standing_draw",
    "upload_design", "withdraw",
]
