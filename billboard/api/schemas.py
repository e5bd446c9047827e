"""The shapes of the authenticated API's JSON bodies (DESIGN §5), read by ``JsonBody``.

Each function turns one endpoint's body into the keyword arguments of the service it calls,
or raises ``UnreadableBody`` (400) with every problem at once; a readable body that breaks a
rule is the service's refusal (422). Texts are bounded by the columns they are stored in.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from ..booking import MAX_ITEMS_PER_REQUEST, ItemInput
from ..json_body import JsonBody
from ..models import (
    Booking,
    CampaignLocation,
    Contestant,
    Decision,
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


def _numbers(body: JsonBody, *, required: bool) -> dict[str, Any]:
    """The numbers and dates of a decision. When ``required`` (it approves), the letter's must
    be given and the agreement's must be present, null for a city office's internal use: whether
    a null is allowed is the booking service's rule (422), not the body's shape."""
    if required and body.data is not None:
        for key in ("agreement_number", "agreement_date"):
            if key not in body.data:
                body.problems.append(_("%(field)s is required.", field=body._name(key)))
    return {
        "agreement_number": body.text("agreement_number", Decision.agreement_number,
                                      required=False),
        "agreement_date": body.day("agreement_date", required=False),
        "approval_letter_number": body.text("approval_letter_number",
                                            Decision.approval_letter_number, required=required),
        "approval_letter_date": body.day("approval_letter_date", required=required),
    }


def approval(data: Any) -> dict[str, Any]:
    """Keyword arguments for ``booking.approve`` from a ``POST /bookings/<id>/approve`` body."""
    body = JsonBody(data)
    fields = _numbers(body, required=True)
    body.refuse_unless_clean()
    return fields


def decision(data: Any) -> dict[str, Any]:
    """Keyword arguments for ``booking.decide`` from a ``POST /requests/<id>/decision`` body:
    ``approve`` (ids), ``reject`` (``{id, reason}``), not both empty, and the numbers when it
    approves."""
    body = JsonBody(data)
    most = MAX_ITEMS_PER_REQUEST
    approve = []
    for index, value in enumerate(body.items("approve", most=most, required=False)):
        item = body.within({"id": value}, f"approve[{index}]").integer("id")
        if item is not None:
            approve.append(item)
    reject = []
    for index, raw in enumerate(body.items("reject", most=most, required=False)):
        item = body.within(raw, f"reject[{index}]")
        values = (item.integer("id"), item.text("reason", Booking.reason, multiline=True))
        if None not in values:
            reject.append(values)
    if body.data is not None and not body.data.get("approve") and not body.data.get("reject"):
        body.problems.append(_("approve or reject must name at least one item."))
    fields = _numbers(body, required=bool(body.data and body.data.get("approve")))
    body.refuse_unless_clean()
    return {"approve": approve, "reject": reject, **fields}


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
        "fee_reason": body.text("fee_reason", Booking.fee_reason, required=False,
                                multiline=True),
        "agreement_number": body.text("agreement_number", Booking.agreement_number,
                                      required=False),
        "reason": body.text("reason", Booking.reason, required=False, multiline=True),
    }
    body.refuse_unless_clean()
    return fields
