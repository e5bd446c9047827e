"""URL converters shared by every blueprint."""
from flask import current_app, url_for
from werkzeug.routing import IntegerConverter

# Ids are 32-bit integers in PostgreSQL and SQLite alike (as SQLAlchemy creates them).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:…>`` that matches only ids a row can have: a larger number is a plain 404,
    never a database driver's overflow error (a 500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def public_url_for(endpoint: str, **values) -> str:
    """A link for readers elsewhere (API clients, emails): PUBLIC_URL followed by the path, or
    the path alone when PUBLIC_URL is unset; never built from the Host header a client sent."""
    return current_app.config["PUBLIC_URL"] + url_for(endpoint, **values)
