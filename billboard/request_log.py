"""One structured log line per request, and a request id that ties it to what people see.

The line is JSON (``request_id``, ``method``, ``route``, ``path``, ``status``, ``ms``,
``user_id``): never the query string, a header, a form field or a body, so no password, token
or file content can reach the log. The id is answered in ``X-Request-Id`` and shown on the 500
page, so that a person's report leads to the log line and the traceback logged with it.
"""
import json
import logging
import re
import secrets
import time

from flask import Flask, Response, g, request

log = logging.getLogger("billboard.requests")

# nginx's $request_id (32 hex digits) is taken over; anything else a client sends is not.
_TRUSTED_ID = re.compile(r"[0-9a-f]{32}")


def request_id() -> str | None:
    return g.get("request_id")


def _start() -> None:
    offered = request.headers.get("X-Request-Id", "")
    g.request_id = offered if _TRUSTED_ID.fullmatch(offered) else secrets.token_hex(16)
    g.request_started = time.perf_counter()


def _user_id() -> int | None:
    # Only a user this request already loaded: logging must not cost a query of its own.
    user = g.get("api_user") or g.get("_login_user")
    return user.id if user is not None and user.is_authenticated else None


def _finish(response: Response) -> Response:
    if "request_id" not in g:
        return response
    response.headers["X-Request-Id"] = g.request_id
    log.info(json.dumps({
        "request_id": g.request_id,
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
        "path": request.path,
        "status": response.status_code,
        "ms": round((time.perf_counter() - g.request_started) * 1000, 1),
        "user_id": _user_id(),
    }))
    return response


def init_app(app: Flask) -> None:
    app.logger  # noqa: B018 — creates Flask's handler (to stderr) that these lines reach
    log.setLevel(logging.INFO)
    app.before_request(_start)
    app.after_request(_finish)
    app.jinja_env.globals["request_id"] = request_id
