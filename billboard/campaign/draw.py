"""The draw (undian) as a pure function of the seed and the items: no database, no clock.

Anyone can re-run it from the minutes (``docs/undian.py`` does, with the standard library
only). The algorithm, also described in the README:

1. Each item is one line ``SITE|FACE|START|END|TIER`` (dates ``YYYY-MM-DD``, tier empty when
   the site has none). The *items hash* is the SHA-256 of the lines sorted and joined by ``\\n``.
2. An item's *rank* is the SHA-256 hex of ``seed + "\\n" + line``; a contestant's rank is the
   SHA-256 hex of ``seed + "\\n#" + number``. Seed and lines are UTF-8.
3. The items are put in order: by tier (1 first, no tier last), within a tier by rank.
4. The contestants are put in order by rank: the dealing order.
5. With ``n`` contestants and ``F`` items, the first ``n × ⌊F / n⌋`` items of that order are dealt
   in turn (item ``i`` to the ``(i mod n)``-th contestant of the dealing order); the rest stay
   with KPU (voter education). Each contestant gets ``⌊F / n⌋`` items, and since every tier is
   one run of the order, each contestant's share of every tier differs by at most one.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DrawItem:
    """One approved face of the request, as the minutes name it."""

    site: str
    face: str
    start: date
    end: date
    tier: int | None = None

    @property
    def line(self) -> str:
        tier = "" if self.tier is None else str(self.tier)
        return f"{self.site}|{self.face}|{self.start.isoformat()}|{self.end.isoformat()}|{tier}"


@dataclass(frozen=True)
class Drawn:
    """One item in the draw's order with the contestant number it went to (None: KPU's)."""

    item: DrawItem
    contestant: int | None


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def items_hash(items: Sequence[DrawItem]) -> str:
    """The SHA-256 of the items, whatever order they are given in."""
    return _sha256("\n".join(sorted(item.line for item in items)))


def allocate(seed: str, items: Sequence[DrawItem], contestants: Sequence[int]) -> list[Drawn]:
    """Share ``items`` among the ``contestants`` (their numbers) as the module describes."""
    if not contestants:
        raise ValueError("no contestants")
    ordered = sorted(items, key=lambda item: (item.tier is None, item.tier or 0,
                                              _sha256(f"{seed}\n{item.line}")))
    dealing = sorted(contestants, key=lambda number: _sha256(f"{seed}\n#{number}"))
    dealt = len(dealing) * (len(ordered) // len(dealing))
    return [Drawn(item, dealing[i % len(dealing)] if i < dealt else None)
            for i, item in enumerate(ordered)]
