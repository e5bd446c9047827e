"""Where a ``next`` parameter may send the browser: only back to this site."""
from urllib.parse import urlsplit

from .text import first_refused


def is_safe_path(target: str | None) -> bool:
    """A path on this site (``/x``), never another host: no open redirect through ``next``, and
    nothing a ``Location`` header cannot hold (a line break would split the response)."""
    if not target or first_refused(target) is not None:
        return False
    parts = urlsplit(target)
    return (not parts.scheme and not parts.netloc and target.startswith("/")
            and not target.startswith("//") and "\\" not in target)
