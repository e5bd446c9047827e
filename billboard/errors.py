"""Friendly error pages for people, JSON errors for ``/api/``; never a stack trace."""
from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
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


def _handle_csrf(error: CSRFError):
    message = _("The form had expired or was not sent from this site. Nothing was changed; "
                "please go back, reload the page and try again.")
    if wants_json():
        return json_error(400, "csrf", message)
    return render_template("error.html", error=error, message=message), 400


def _handle_unexpected(error: Exception):
    # Logged with its traceback for the operators; the user sees a plain page.
    from flask import current_app

    current_app.logger.exception("unhandled error")
    return _handle_http(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    if not app.config.get("TESTING"):
        app.register_error_handler(Exception, _handle_unexpected)
