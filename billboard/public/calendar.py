"""Month grids of a face's occupancy for the site page."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import get_locale

from ..booking import Busy


@dataclass(frozen=True)
class Day:
    on: date
    busy: Busy | None
    is_past: bool


@dataclass(frozen=True)
class Month:
    first: date
    # Weeks from Monday; None pads the days of the neighbouring months.
    weeks: list[list[Day | None]]


def add_months(first: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``first``."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def window(today: date, months: int) -> tuple[date, date]:
    """From the first day of this month to the last day of the ``months``-th month."""
    first = today.replace(day=1)
    return first, add_months(first, months) - timedelta(days=1)


def month_grids(today: date, months: int, busy: list[Busy]) -> list[Month]:
    """``months`` month grids from this month on, each day with the occupancy covering it."""
    weeks_of = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar
    grids = []
    for offset in range(months):
        first = add_months(today.replace(day=1), offset)
        weeks = [
            [Day(day, _covering(busy, day), day < today) if day.month == first.month else None
             for day in week]
            for week in weeks_of(first.year, first.month)
        ]
        grids.append(Month(first, weeks))
    return grids


def _covering(busy: list[Busy], day: date) -> Busy | None:
    # A face carries at most one occupancy a day (the database enforces it).
    return next((b for b in busy if b.start_on <= day <= b.end_on), None)


def weekday_names() -> list[tuple[str, str]]:
    """(short, full) names of the days from Monday, in the UI language."""
    names = get_locale().days["format"]
    return [(names["abbreviated"][day], names["wide"][day]) for day in range(7)]
