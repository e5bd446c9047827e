"""Reading the JSON bodies of the authenticated API (DESIGN §5).

Two kinds of refusal, kept apart on purpose: a body that cannot be read (not a JSON object, a
field missing or of the wrong type, a date that does not exist such as ``2024-02-30``) answers
400 here with every problem at once; a readable body whose content breaks a booking rule (dates
in the past, a taken face, a blackout…) is the booking service's call and answers 422.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import gettext as _

from ..booking import ItemInput
from ..errors import UnreadableBody
from ..routing import MAX_ID
from ..text import text_problem

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(value) -> date | None:
    """A ``YYYY-MM-DD`` string as a date; None for anything else, or a day that does not exist.

    ``date.fromisoformat`` alone would also take "20240101" or week dates.
    """
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return None
# Column sizes (models.py): longer text would be refused by PostgreSQL with a 500.
NUMBER_LENGTH = 100
NAME_LENGTH = 200
TEXT_LENGTH = 2000


class _Reader:
    """Reads fields of one JSON object, collecting a problem for each bad one."""

    def __init__(self, data: Any, problems: list[str], where: str = ""):
        self.problems = problems
        self.where = where
        # Not an object: one problem for it, none for each of its fields.
        self.data = data if isinstance(data, dict) else None
        if self.data is None:
            problems.append(_("%(field)s must be a JSON object.", field=where) if where
                            else _("The body must be a JSON object (Content-Type: "
                                   "application/json)."))

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _value(self, key: str, required: bool) -> Any:
        if self.data is None:
            return None
        value = self.data.get(key)
        if value is None and required:
            self.problems.append(_("%(field)s is required.", field=self._name(key)))
        return value

    def text(self, key: str, *, required: bool = True, max_length: int = TEXT_LENGTH,
             multiline: bool = False) -> str | None:
        value = self._value(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problems.append(_("%(field)s must be a string.", field=self._name(key)))
            return None
        if len(value) > max_length:
            self.problems.append(_("%(field)s may be at most %(n)s characters long.",
                                   field=self._name(key), n=max_length))
            return None
        problem = text_problem(value, multiline=multiline)
        if problem:
            self.problems.append(f"{self._name(key)}: {problem}")
            return None
        return value

    def day(self, key: str, *, required: bool = True) -> date | None:
        value = self._value(key, required)
        if value is None:
            return None
        parsed = parse_iso_date(value)
        if parsed is not None:
            return parsed
        self.problems.append(_("%(field)s must be an existing date written YYYY-MM-DD.",
                               field=self._name(key)))
        return None

    def integer(self, key: str, *, required: bool = True) -> int | None:
        value = self._value(key, required)
        if value is None:
            return None
        # JSON Schema counts 12.0 as an integer; bool is an int in Python, never in JSON.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
            self.problems.append(_("%(field)s must be a whole number from 1 to %(n)s.",
                                   field=self._name(key), n=MAX_ID))
            return None
        return value

    def boolean(self, key: str) -> bool | None:
        value = self._value(key, required=True)
        if value is not None and not isinstance(value, bool):
            self.problems.append(_("%(field)s must be true or false.", field=self._name(key)))
            return None
        return value

    def texts(self, key: str, *, max_length: int = TEXT_LENGTH) -> list[str]:
        values = self.items(key)
        if not all(isinstance(v, str) and len(v) <= max_length for v in values):
            self.problems.append(_("%(field)s must be a list of texts of at most %(n)s "
                                   "characters.", field=self._name(key), n=max_length))
            return []
        return values

    def whole(self, key: str, *, required: bool = True) -> int | None:
        """A whole number of Rupiah (``true`` is not one, nor is ``1.5``)."""
        value = self._value(key, required)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problems.append(_("%(field)s must be a whole number, 0 or more.",
                                   field=self._name(key)))
            return None
        return value

    def items(self, key: str) -> list:
        value = self._value(key, required=True)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.append(_("%(field)s must be a list.", field=self._name(key)))
            return []
        return value


def _refuse_unless_clean(problems: list[str]) -> None:
    if problems:
        raise UnreadableBody(problems)


def submission(data: Any) -> dict[str, Any]:
    """Keyword arguments for ``booking.submit_request`` from a ``POST /requests`` body."""
    problems: list[str] = []
    body = _Reader(data, problems)
    fields = {
        "purpose": body.text("purpose", multiline=True),
        "category": body.text("category", max_length=NUMBER_LENGTH),
        "letter_number": body.text("letter_number", max_length=NUMBER_LENGTH),
        "letter_date": body.day("letter_date"),
        "election": body.integer("election", required=False),
    }
    items = []
    for index, raw in enumerate(body.items("items")):
        item = _Reader(raw, problems, f"items[{index}]")
        values = (item.text("site", max_length=NUMBER_LENGTH),
                  item.text("face", max_length=NUMBER_LENGTH), item.day("start"), item.day("end"))
        if None not in values:
            items.append(ItemInput(*values))
    _refuse_unless_clean(problems)
    return {**fields, "items": items}


def approval(data: Any) -> dict[str, Any]:
    """Keyword arguments for ``booking.approve`` from a ``POST /bookings/<id>/approve`` body."""
    problems: list[str] = []
    body = _Reader(data, problems)
    fields = {
        "agreement_number": body.text("agreement_number", max_length=NUMBER_LENGTH),
        "approval_letter_number": body.text("approval_letter_number", required=False,
                                            max_length=NUMBER_LENGTH),
        "approval_letter_date": body.day("approval_letter_date", required=False),
    }
    _refuse_unless_clean(problems)
    return fields


def reason(data: Any) -> str:
    """The reason of a ``reject`` or ``cancel`` body."""
    problems: list[str] = []
    value = _Reader(data, problems).text("reason", multiline=True)
    _refuse_unless_clean(problems)
    return value


def election(data: Any) -> dict[str, Any]:
    """Keyword arguments for ``elections.edit_election`` from a ``POST /elections`` body."""
    problems: list[str] = []
    body = _Reader(data, problems)
    fields = {"name": body.text("name", max_length=NUMBER_LENGTH),
              **{f"{key}_on": body.day(key) for key in (
                  "campaign_start", "campaign_end", "quiet_start", "quiet_end")},
              "polling_on": body.day("polling_on")}
    _refuse_unless_clean(problems)
    return fields


def contestant(data: Any) -> dict[str, Any]:
    """Keyword arguments for ``campaign.add_contestant``."""
    problems: list[str] = []
    body = _Reader(data, problems)
    fields = {"number": body.integer("number"), "name": body.text("name", max_length=NAME_LENGTH),
              "liaison": body.text("liaison", required=False, max_length=NAME_LENGTH),
              "liaison_contact": body.text("liaison_contact", required=False,
                                           max_length=NAME_LENGTH)}
    _refuse_unless_clean(problems)
    return fields


def campaign_location(data: Any) -> dict[str, Any]:
    """``designated`` and, to designate, the keyword arguments of ``campaign.designate``."""
    problems: list[str] = []
    body = _Reader(data, problems)
    fields = {"designated": body.boolean("designated"),
              "basis": body.text("basis", required=False),
              "basis_number": body.text("basis_number", required=False,
                                        max_length=NUMBER_LENGTH),
              "basis_date": body.day("basis_date", required=False),
              "tier": body.integer("tier", required=False)}
    _refuse_unless_clean(problems)
    return fields


def draw(data: Any) -> dict[str, Any]:
    """Keyword arguments for ``campaign.run_draw``."""
    problems: list[str] = []
    body = _Reader(data, problems)
    fields = {"seed": body.text("seed", max_length=NAME_LENGTH),
              "witnesses": body.texts("witnesses", max_length=NAME_LENGTH)}
    _refuse_unless_clean(problems)
    return fields


def occupancy(data: Any) -> dict[str, Any]:
    """The fields of a ``POST /occupancy`` body: one face, its dates, the kind, and for a rental
    the tenant and perhaps a fee other than the tariff's."""
    problems: list[str] = []
    body = _Reader(data, problems)
    fields = {
        "site": body.text("site", max_length=NUMBER_LENGTH),
        "face": body.text("face", max_length=NUMBER_LENGTH),
        "start": body.day("start"),
        "end": body.day("end"),
        "kind": body.text("kind", max_length=NUMBER_LENGTH),
        "tenant_name": body.text("tenant", required=False, max_length=200),
        "fee_idr": body.whole("fee_idr", required=False),
        "fee_reason": body.text("fee_reason", required=False),
        "agreement_number": body.text("agreement_number", required=False,
                                      max_length=NUMBER_LENGTH),
        "reason": body.text("reason", required=False),
    }
    _refuse_unless_clean(problems)
    return fields
