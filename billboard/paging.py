"""Long lists come in pages (DESIGN §5): ``?page=`` and ``?per_page=`` (default 50, at most 100);
the API tells the rest with ``Link: <…>; rel="next"`` and ``X-Total-Count``.

Page numbers are read as plain ASCII digits and bounded, so that no number a client sends
turns into an offset the database cannot hold (a 500).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from .routing import MAX_ID, public_url_for

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
# With at most MAX_PER_PAGE a page, the offset stays far inside 64 bits.
MAX_PAGE = MAX_ID


@dataclass(frozen=True)
class Page:
    """Which slice of a list a request asks for."""

    number: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page


def whole_number(raw: str | None, largest: int) -> int | None:
    """``raw`` as a number from 1 to ``largest``; None for anything else ("²" and "1e3" too)."""
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= len(str(largest)):
        value = int(raw)
        if 1 <= value <= largest:
            return value
    return None


def requested_page(args) -> tuple[Page | None, list[str]]:
    """The page the query string asks for, or None with the problems to report (a misspelt
    parameter among them: silently ignored, it would look like a filter that found all)."""
    problems = []
    unknown = sorted(set(args) - {"page", "per_page"})
    if unknown:
        problems.append(_("Unknown query parameter: %(names)s. Only page and per_page are "
                          "read here.", names=", ".join(repr(name) for name in unknown)))
    number = whole_number(args.get("page", "1"), MAX_PAGE)
    if number is None:
        problems.append(_("page must be a whole number from 1 to %(n)s.", n=MAX_PAGE))
    per_page = whole_number(args.get("per_page", str(DEFAULT_PER_PAGE)), MAX_PER_PAGE)
    if per_page is None:
        problems.append(_("per_page must be a whole number from 1 to %(n)s.", n=MAX_PER_PAGE))
    return (None if problems else Page(number, per_page)), problems


def page_headers(page: Page, total: int, endpoint: str, **values) -> dict[str, str]:
    """``X-Total-Count`` and the ``Link`` header (next, prev, first, last) of ``page``."""
    last = max(1, -(-total // page.per_page))

    def link(number: int, rel: str) -> str:
        url = public_url_for(endpoint, page=number, per_page=page.per_page, **values)
        return f'<{url}>; rel="{rel}"'

    links = [link(1, "first")]
    if page.number > 1:
        links.append(link(min(page.number - 1, last), "prev"))
    if page.number < last:
        links.append(link(page.number + 1, "next"))
    links.append(link(last, "last"))
    return {"X-Total-Count": str(total), "Link": ", ".join(links)}
