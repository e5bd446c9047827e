"""Refusals at the door, before any view runs: what no page or API call of ours can take.

A control character in the address or in a form value would otherwise travel on to a database
that refuses it (PostgreSQL and NUL), to a header that cannot hold it (a redirect), or to a
page; the rule is the one of ``text.py``. Form values are held to the multi-line rule (line
breaks are fine in a text area); each field's own validator holds single-line fields to theirs.
"""
from __future__ import annotations

import json
from typing import Any

from flask import Flask, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from .errors import json_error, wants_json
from .text import first_refused


def _refusal(message: str):
    if wants_json():
        return json_error(400, "invalid", message)
    return render_template("error.html", error=BadRequest(), message=message), 400


def _refused_character(values, *, multiline: bool) -> str | None:
    for value in values:
        if value is None:
            # Werkzeug's name for a multipart field whose name it cannot read (``name="\r"``).
            continue
        found = first_refused(value, multiline=multiline)
        if found is not None:
            return f"U+{ord(found[1]):04X}"
    return None


def refuse_control_characters():
    """Answer 400 when the path, the query string or a form value holds a refused character.

    A path that matches no route is left to be the 404 it is."""
    path = [request.path] if request.url_rule is not None else []
    in_address = _refused_character(
        [*path, *request.args.keys(), *request.args.values()], multiline=False)
    if in_address:
        return _refusal(_("The address contains a character that is not allowed (%(code)s). "
                          "Nothing was changed.", code=in_address))
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        in_form = _refused_character([*request.form.keys(), *request.form.values()],
                                     multiline=True)
        if in_form:
            return _refusal(_("The form contains a character that is not allowed (%(code)s). "
                              "Nothing was changed; remove it and send the form again.",
                              code=in_form))
    return None


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a document nested too deeply to parse is malformed JSON (a 400,
    like any other), not a RecursionError (a 500)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def init_app(app: Flask) -> None:
    app.before_request(refuse_control_characters)
