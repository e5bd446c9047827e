"""The draw as a pure function (billboard.campaign.draw) and the independent script that
re-runs it from the minutes (docs/undian.py)."""
import os
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta

import pytest

from billboard.campaign.draw import DrawItem, allocate, items_hash

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "docs", "undian.py")
START = date(2027, 3, 1)


def items(count: int, tiers: int | None = None) -> list[DrawItem]:
    """``count`` faces on sites PGK-T01…, two faces a site; tiers 1…``tiers`` in turn."""
    return [DrawItem(f"PGK-T{n // 2 + 1:02d}", "AB"[n % 2], START, START + timedelta(days=40),
                     None if tiers is None else n % tiers + 1) for n in range(count)]


@pytest.mark.parametrize("tiers", [None, 2, 3])
@pytest.mark.parametrize("faces", range(10, 17))
@pytest.mark.parametrize("contestants", [2, 3, 4, 5])
def test_equal_shares_and_every_tier_within_one(contestants, faces, tiers):
    numbers = list(range(1, contestants + 1))
    drawn = allocate("7-3-9", items(faces, tiers), numbers)
    assert sorted(d.item.line for d in drawn) == sorted(f.line for f in items(faces, tiers))
    counts = Counter(d.contestant for d in drawn)
    assert [counts[n] for n in numbers] == [faces // contestants] * contestants
    assert counts[None] == faces % contestants
    for tier in {d.item.tier for d in drawn}:
        in_tier = Counter(d.contestant for d in drawn if d.item.tier == tier)
        shares = [in_tier[n] for n in numbers]
        assert max(shares) - min(shares) <= 1, (tier, shares)


def test_same_seed_same_allocation_another_seed_another():
    faces = items(12, tiers=2)
    first = allocate("4-8-15", faces, [1, 2, 3])
    assert allocate("4-8-15", list(reversed(faces)), [3, 1, 2]) == first
    assert allocate("4-8-16", faces, [1, 2, 3]) != first


def test_the_seed_decides_who_gets_more_of_the_top_tier():
    # 3 contestants, 4 faces of tier 1: one contestant gets two of them; not always the same.
    faces = items(12, tiers=3)
    lucky = set()
    for seed in range(20):
        top = Counter(d.contestant for d in allocate(str(seed), faces, [1, 2, 3])
                      if d.item.tier == 1)
        lucky.add(top.most_common(1)[0][0])
    assert lucky == {1, 2, 3}


def test_items_hash_ignores_order_and_sees_every_field():
    faces = items(10, tiers=2)
    assert items_hash(faces) == items_hash(list(reversed(faces)))
    moved = [DrawItem(f.site, f.face, f.start, f.end + timedelta(days=1), f.tier) for f in faces]
    assert items_hash(moved) != items_hash(faces)
    assert len(items_hash(faces)) == 64


@pytest.mark.parametrize("tiers", [None, 3])
def test_the_independent_script_gives_the_same_allocation(tiers):
    faces = items(14, tiers)
    seed = "12-05-33 (Kantor KPU)"
    lines = "\n".join(f.line for f in faces[::-1]) + "\n"
    run = subprocess.run([sys.executable, SCRIPT, seed, "1,2,3,4"], input=lines,
                         capture_output=True, text=True, check=True)
    printed = run.stdout.splitlines()
    assert printed[0] == f"items sha256 {items_hash(faces)}"
    expected = [f"{d.item.line} {'KPU' if d.contestant is None else d.contestant}"
                for d in allocate(seed, faces, [1, 2, 3, 4])]
    assert printed[1:] == expected
