"""Security headers on every response; a view may set its own stricter ones first."""
from flask import Flask, Response

DEFAULTS = {
    "X-Content-Type-Options": "nosniff",
    # No page of ours belongs in someone else's frame (clickjacking a decision button).
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _add_defaults(response: Response) -> Response:
    for name, value in DEFAULTS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_defaults)
