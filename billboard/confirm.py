"""Destructive actions ask first, and the question works without JavaScript.

The danger button (``danger_button`` in templates/_confirm.html) posts to the action as usual.
The view calls ``ask_first``: unless the post carries ``confirmed=1`` it answers with a page that
says what will happen, with the same fields and a second danger button that posts them again
with ``confirmed=1``, and a way back that changes nothing::

    if (question := ask_first(_("Remove this blackout?"), back=url_for(".calendar"))):
        return question
"""
from __future__ import annotations

from flask import render_template, request
from werkzeug.wrappers import Response

CONFIRMED = "confirmed"


def ask_first(question: str, *, back: str, consequence: str | None = None,
              button: str | None = None) -> Response | str | None:
    """None once the person has confirmed; else the confirmation page to return."""
    if request.form.get(CONFIRMED) == "1":
        return None
    carried = [(name, value) for name, value in request.form.items(multi=True)
               if name not in ("csrf_token", CONFIRMED)]
    return render_template("confirm.html", question=question, consequence=consequence,
                           button=button or question, back=back, action=request.path,
                           carried=carried)
