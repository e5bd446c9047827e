"""What a piece of text a person typed may contain: one rule for forms, the API and the import.

Control characters break things far from where they were typed: PostgreSQL refuses NUL in a
text column, a line break ends an HTTP header or an iCalendar line, and a lone surrogate (which
JSON can carry) cannot be encoded at all. Bidi overrides and isolates make a name read
differently from what it is ("Trojan Source"), so they are refused in every text. Multi-line
text (a purpose, a reason) keeps its line breaks and tabs; single-line text keeps neither.
"""
from __future__ import annotations

import unicodedata

from flask_babel import gettext as _
from wtforms.validators import ValidationError

# Unicode TR9 embeddings, overrides and isolates. The plain marks (LRM, RLM, ALM) stay allowed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\n\r\u2028\u2029\x0b\x0c\x85")
MULTILINE_ALLOWED = frozenset("\n\r\t")


def _refused(char: str, multiline: bool) -> bool:
    if char in BIDI_CONTROLS:
        return True
    if multiline and char in MULTILINE_ALLOWED:
        return False
    return char in LINE_BREAKS or unicodedata.category(char) in ("Cc", "Cs")


def schema_pattern(*, multiline: bool = False) -> str:
    """The same rule as a JSON Schema ``pattern`` (ECMA-262), for the OpenAPI description.

    Lone surrogates are left out: they are no Unicode characters, so no valid JSON Schema string
    holds one (and a surrogate range makes generators from patterns ignore the whole class).
    """
    refused = [(0x00, 0x1F), (0x7F, 0x9F), (0x2028, 0x2029),
               *((ord(c), ord(c)) for c in sorted(BIDI_CONTROLS))]
    if multiline:
        allowed = sorted(ord(c) for c in MULTILINE_ALLOWED)
        refused = [(0x00, allowed[0] - 1), (allowed[1] + 1, allowed[2] - 1),
                   (allowed[2] + 1, 0x1F), *refused[1:]]
    ranges = "".join(rf"\u{low:04x}" if low == high else rf"\u{low:04x}-\u{high:04x}"
                     for low, high in refused)
    return f"^[^{ranges}]*$"


def first_refused(value: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The position (from 1) and the first character that ``value`` may not hold, or None."""
    for index, char in enumerate(value):
        if _refused(char, multiline):
            return index + 1, char
    return None


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` is refused as text a person typed, or None when it is fine."""
    found = first_refused(value, multiline=multiline)
    if found is None:
        return None
    position, char = found
    if char in LINE_BREAKS and not multiline:
        return _("Must be a single line: remove the line break at character %(position)d.",
                 position=position)
    return _("Contains a character that is not allowed (U+%(code)04X at character "
             "%(position)d), such as a control character or a text-direction override; "
             "remove it.", code=ord(char), position=position)


class PlainText:
    """WTForms validator: ``StringField(validators=[PlainText()])``, or
    ``PlainText(multiline=True)`` on a text area."""

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str):
            problem = text_problem(field.data, multiline=self.multiline)
            if problem:
                raise ValidationError(problem)
