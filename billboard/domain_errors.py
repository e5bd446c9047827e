"""Refusals of the rules, as codes that say what went wrong, not how HTTP answers it.

Services raise these; ``errors.py`` turns a code into a status once, for the HTML pages and
the JSON API alike. The message is meant for the person who asked.
"""
from __future__ import annotations

import enum
from collections.abc import Sequence


class ErrorCode(enum.StrEnum):
    CLASH = "clash"  # the face (or the period) is taken by something else
    WRONG_STATE = "wrong_state"  # the object is not in a state that allows the change
    INVALID = "invalid"  # the input breaks a rule
    NOT_FOUND = "not_found"  # no such object, or not one the asker may see
    FORBIDDEN = "forbidden"  # the asker may see it but not change it


class DomainError(Exception):
    """A refusal with a ``code``; ``problems`` lists every reason when there are several."""

    code: ErrorCode = ErrorCode.INVALID

    def __init__(self, message: str, *, code: ErrorCode | None = None,
                 problems: Sequence[str] = ()):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.problems = list(problems) or [message]
