"""Reading JSON bodies: the one reader of the API and of the request form's live check.

Two kinds of refusal, kept apart on purpose: a body that cannot be read (not a JSON object, a
field missing or of the wrong type, a text longer than its column, a date that does not exist
such as ``2024-02-30``) raises :class:`~billboard.errors.UnreadableBody` (400) with every
problem at once; a readable body whose content breaks a booking rule (dates in the past, a
taken face, a blackout…) is the booking service's call (a ``DomainError``).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from flask_babel import gettext as _

from .errors import UnreadableBody
from .models import max_length
from .routing import MAX_ID
from .text import text_problem

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


class JsonBody:
    """Reads fields of one JSON object, collecting a problem for each bad one.

    Texts are bounded by the model column they are stored in (``max_length``). Dates are
    ``YYYY-MM-DD``; a reader of what people typed into a form passes its own ``dates`` parser
    and the ``date_hint`` that says what it accepts.
    """

    def __init__(self, data: Any, problems: list[str] | None = None, where: str = "", *,
                 dates: Callable[[str], date | None] = parse_iso_date,
                 date_hint: str | None = None):
        self.problems = [] if problems is None else problems
        self.where = where
        self.dates = dates
        self.date_hint = date_hint
        # Not an object: one problem for it, none for each of its fields.
        self.data = data if isinstance(data, dict) else None
        if self.data is None:
            self.problems.append(_("%(field)s must be a JSON object.", field=where) if where
                            else _("The body must be a JSON object (Content-Type: "
                                   "application/json)."))

    def within(self, value: Any, where: str) -> JsonBody:
        """A reader of a nested object, adding its problems to this one's."""
        return JsonBody(value, self.problems, where, dates=self.dates, date_hint=self.date_hint)

    def refuse_unless_clean(self) -> None:
        """Raise :class:`UnreadableBody` listing every problem found so far, if any."""
        if self.problems:
            raise UnreadableBody(self.problems)

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _value(self, key: str, required: bool) -> Any:
        if self.data is None:
            return None
        value = self.data.get(key)
        if value is None and required:
            self.problems.append(_("%(field)s is required.", field=self._name(key)))
        return value

    def text(self, key: str, column, *, required: bool = True,
             multiline: bool = False) -> str | None:
        """A string no longer than ``column`` (a model attribute) stores."""
        value = self._value(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problems.append(_("%(field)s must be a string.", field=self._name(key)))
            return None
        if len(value) > (limit := max_length(column)):
            self.problems.append(_("%(field)s may be at most %(n)s characters long.",
                                   field=self._name(key), n=limit))
            return None
        problem = text_problem(value, multiline=multiline)
        if problem:
            self.problems.append(f"{self._name(key)}: {problem}")
            return None
        return value

    def choice(self, key: str, choices: Collection[str]) -> str | None:
        """One of ``choices`` (the values of a StrEnum, say)."""
        value = self._value(key, required=True)
        if value is not None and value not in choices:
            self.problems.append(_("%(field)s must be one of %(choices)s.", field=self._name(key),
                                   choices=", ".join(choices)))
            return None
        return value

    def day(self, key: str, *, required: bool = True) -> date | None:
        value = self._value(key, required)
        if value is None:
            return None
        parsed = self.dates(value) if isinstance(value, str) else None
        if parsed is not None:
            return parsed
        if self.date_hint:
            self.problems.append(f"{self._name(key)}: {self.date_hint}")
        else:
            self.problems.append(_("%(field)s must be an existing date written YYYY-MM-DD.",
                                   field=self._name(key)))
        return None

    def _whole(self, key: str, required: bool, low: int, high: int | None,
               message: str) -> int | None:
        value = self._value(key, required)
        if value is None:
            return None
        # JSON Schema counts 12.0 as an integer; bool is an int in Python, never in JSON.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < low \
                or (high is not None and value > high):
            self.problems.append(message)
            return None
        return value

    def integer(self, key: str, *, required: bool = True) -> int | None:
        """An id or a count: a whole number from 1 to ``MAX_ID``."""
        return self._whole(key, required, 1, MAX_ID, _(
            "%(field)s must be a whole number from 1 to %(n)s.", field=self._name(key), n=MAX_ID))

    def whole(self, key: str, *, required: bool = True) -> int | None:
        """A whole number of Rupiah (``true`` is not one, nor is ``1.5``)."""
        return self._whole(key, required, 0, None, _(
            "%(field)s must be a whole number, 0 or more.", field=self._name(key)))

    def boolean(self, key: str) -> bool | None:
        value = self._value(key, required=True)
        if value is not None and not isinstance(value, bool):
            self.problems.append(_("%(field)s must be true or false.", field=self._name(key)))
            return None
        return value

    def texts(self, key: str, column) -> list[str]:
        """A list of strings, each no longer than ``column`` stores."""
        values = self.items(key)
        limit = max_length(column)
        if not all(isinstance(v, str) and len(v) <= limit for v in values):
            self.problems.append(_("%(field)s must be a list of texts of at most %(n)s "
                                   "characters.", field=self._name(key), n=limit))
            return []
        return values

    def items(self, key: str, *, most: int | None = None, required: bool = True) -> list:
        """A list (of at most ``most`` entries)."""
        value = self._value(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.append(_("%(field)s must be a list.", field=self._name(key)))
            return []
        if most is not None and len(value) > most:
            self.problems.append(_("%(field)s may hold at most %(n)s entries.",
                                   field=self._name(key), n=most))
            return []
        return value
