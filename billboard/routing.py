"""URL converters shared by every blueprint."""
from werkzeug.routing import IntegerConverter

# Ids are 32-bit integers in PostgreSQL and SQLite alike (as SQLAlchemy creates them).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:…>`` that matches only ids a row can have: a larger number is a plain 404,
    never a database driver's overflow error (a 500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
