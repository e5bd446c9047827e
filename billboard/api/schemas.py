"""The shapes of the authenticated API's JSON bodies (DESIGN §5), read by ``JsonBody``.

Each function turns one endpoint's body into the keyword arguments of the service it calls,
or raises ``UnreadableBody`` (400) with every problem at once; a readable body that breaks a
rule is the service's refusal (422). Texts are bounded by the columns they are stored in.
"""
from __future__ import annotations

from typing import Any

from ..booking import ItemInput
from ..json_body import JsonBody
from ..models import (
    Booking,
    CampaignLocation,
    Contestant,
    Draw,
    Election,
    Face,
    Request,
    Site,
    User,
)


def submission(data: Any) -> dict[str, Any]:
    """Keyword arguments for ``booking.submit_request`` from a ``POST /requests`` body."""
    body = JsonBody(data)
    fields = {
        "purpose": body.text("purpose", Request.purpose, multiline=True),
        "category": body.text("category", Request.category),
        "letter_number": body.text("letter_number", Request.letter_number),
        "letter_date": body.day("letter_date"),
        "election": body.integer("election", required=False),
    }
    items = []
    for index, raw in enumerate(body.items("items")):
        item = body.within(raw, f"items[{index}]")
        values = (item.text("site", Site.code), item.text("face", Face.label),
                  item.day("start"), item.day("end"))
        if None not in values:
            items.append(ItemInput(*values))
    body.refuse_unless_clean()
    return {**fields, "items": items}


def approval(data: Any) -> dict[str, Any]:
    """Keyword arguments for ``booking.approve`` from a ``POST /bookings/<id>/approve`` body."""
    body = JsonBody(data)
    fields = {
        "agreement_number": body.text("agreement_number", Booking.agreement_number),
        "approval_letter_number": body.text("approval_letter_number",
                                            Booking.approval_letter_number, required=False),
        "approval_letter_date": body.day("approval_letter_date", required=False),
    }
    body.refuse_unless_clean()
    return fields


def reason(data: Any) -> str:
    """The reason of a ``reject`` or ``cancel`` body."""
    body = JsonBody(data)
    value = body.text("reason", Booking.reason, multiline=True)
    body.refuse_unless_clean()
    return value


def election(data: Any) -> dict[str, Any]:
    """Keyword arguments for ``elections.edit_election`` from a ``POST /elections`` body."""
    body = JsonBody(data)
    fields = {"name": body.text("name", Election.name),
              **{f"{key}_on": body.day(key) for key in (
                  "campaign_start", "campaign_end", "quiet_start", "quiet_end")},
              "polling_on": body.day("polling_on")}
    body.refuse_unless_clean()
    return fields


def contestant(data: Any) -> dict[str, Any]:
    """Keyword arguments for ``campaign.add_contestant``."""
    body = JsonBody(data)
    fields = {"number": body.integer("number"), "name": body.text("name", Contestant.name),
              "liaison": body.text("liaison", Contestant.liaison, required=False),
              "liaison_contact": body.text("liaison_contact", Contestant.liaison_contact,
                                           required=False)}
    body.refuse_unless_clean()
    return fields


def campaign_location(data: Any) -> dict[str, Any]:
    """``designated`` and, to designate, the keyword arguments of ``campaign.designate``."""
    body = JsonBody(data)
    fields = {"designated": body.boolean("designated"),
              "basis": body.text("basis", CampaignLocation.basis, required=False),
              "basis_number": body.text("basis_number", CampaignLocation.basis_number,
                                        required=False),
              "basis_date": body.day("basis_date", required=False),
              "tier": body.integer("tier", required=False)}
    body.refuse_unless_clean()
    return fields


def draw(data: Any) -> dict[str, Any]:
    """Keyword arguments for ``campaign.run_draw``."""
    body = JsonBody(data)
    fields = {"seed": body.text("seed", Draw.seed),
              # A witness is a person, named as a user is.
              "witnesses": body.texts("witnesses", User.name)}
    body.refuse_unless_clean()
    return fields


def occupancy(data: Any) -> dict[str, Any]:
    """The fields of a ``POST /occupancy`` body: one face, its dates, the kind, and for a rental
    the tenant and perhaps a fee other than the tariff's."""
    body = JsonBody(data)
    fields = {
        "site": body.text("site", Site.code),
        "face": body.text("face", Face.label),
        "start": body.day("start"),
        "end": body.day("end"),
        "kind": body.text("kind", Booking.kind),
        "tenant_name": body.text("tenant", Booking.tenant_name, required=False),
        "fee_idr": body.whole("fee_idr", required=False),
        "fee_reason": body.text("fee_reason", Booking.fee_reason, required=False),
        "agreement_number": body.text("agreement_number", Booking.agreement_number,
                                      required=False),
        "reason": body.text("reason", Booking.reason, required=False),
    }
    body.refuse_unless_clean()
    return fields
