"""Absolute links to the app's pages for what leaves it: printed plates, emails."""
from flask import current_app, has_request_context, url_for


def public_url(endpoint: str, **values) -> str:
    """The address of a page at PUBLIC_URL (what a printed sign or an email must carry, not
    whatever host name the current request named). Without PUBLIC_URL: the request's own host,
    or, outside a request (a cron job), the path alone."""
    base = current_app.config.get("PUBLIC_URL")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return (base or "").rstrip("/") + path
