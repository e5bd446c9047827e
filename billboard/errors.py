"""Friendly error pages for people, JSON errors for ``/api/``; never a stack trace.

The one place where a refusal's code becomes an HTTP status (``STATUS``), for pages and JSON.
"""
from collections.abc import Sequence

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

from . import request_log
from .domain_errors import DomainError, ErrorCode

STATUS = {
    ErrorCode.INVALID: 422,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.CLASH: 409,
    ErrorCode.WRONG_STATE: 409,
}


class UnreadableBody(Exception):
    """A JSON body that cannot be read at all (not an object, a field missing or of the wrong
    type, a date that does not exist): 400, every problem listed. Apart from a readable body
    that breaks a rule, which is a :class:`DomainError`."""

    code = "bad_request"

    def __init__(self, problems: Sequence[str]):
        super().__init__(problems[0])
        self.message = problems[0]
        self.problems = list(problems)


def status_for(error: DomainError) -> int:
    return STATUS[error.code]


def answers_json(view):
    """Mark a view outside ``/api/`` that speaks JSON (the form's live check): its refusals are
    JSON too, in the API's shape."""
    view.answers_json = True
    return view


def wants_json() -> bool:
    view = current_app.view_functions.get(request.endpoint)
    return request.path.startswith("/api/") or getattr(view, "answers_json", False)


def json_error(status: int, code: str, message: str, problems: Sequence[str] | None = None):
    body = {"code": code, "message": message}
    if problems is not None:
        body["problems"] = list(problems)
    response = jsonify({"error": body})
    response.status_code = status
    return response


def _handle_http(error: HTTPException):
    if wants_json():
        code = (error.name or "error").lower().replace(" ", "_")
        response = json_error(error.code or 500, code, error.description or error.name)
    else:
        response = make_response(render_template("error.html", error=error), error.code)
    # Keep what the error says beyond its body: Allow on a 405, Retry-After on a 429.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _refusal(status: int, code: str, message: str, problems: Sequence[str]):
    if wants_json():
        return json_error(status, code, message, problems)
    page = default_exceptions[status]()
    return render_template("error.html", error=page, message=message), status


def _handle_domain(error: DomainError):
    return _refusal(status_for(error), error.code.value, error.message, error.problems)


def _handle_unreadable(error: UnreadableBody):
    return _refusal(400, error.code, error.message, error.problems)


def _handle_csrf(error: CSRFError):
    message = _("The form had expired or was not sent from this site. Nothing was changed; "
                "please go back, reload the page and try again.")
    if wants_json():
        return json_error(400, "csrf", message)
    return render_template("error.html", error=error, message=message), 400


def _handle_unexpected(error: Exception):
    # Logged with its traceback for the operators; the user sees a plain page.
    current_app.logger.exception("unhandled error in request %s", request_log.request_id())
    return _handle_http(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(DomainError, _handle_domain)
    app.register_error_handler(UnreadableBody, _handle_unreadable)
    if not app.config.get("TESTING"):
        app.register_error_handler(Exception, _handle_unexpected)
