"""Money from days (DESIGN §3): the value of a use at the tariffs in force, and its share
inside a report period. Plain arithmetic on integers: no query, no rounding but the one stated.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# A tariff is a monthly rate; one day of use is worth a thirtieth of it, whatever the month.
DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class Rate:
    """A monthly rate in force from ``valid_from`` until the next rate of the same site."""

    valid_from: date
    monthly_rate_idr: int


def days_in(start: date, end: date) -> int:
    """Days of an inclusive range (0 when it is empty)."""
    return max((end - start).days + 1, 0)


def round_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` to the nearest whole number, halves up (both non-negative)."""
    return (2 * numerator + denominator) // (2 * denominator)


def rate_on(schedule: Sequence[Rate], day: date) -> int:
    """The monthly rate in force on ``day``; 0 before a site's first tariff."""
    in_force = [rate for rate in schedule if rate.valid_from <= day]
    return max(in_force, key=lambda rate: rate.valid_from).monthly_rate_idr if in_force else 0


def value_of_use(schedule: Sequence[Rate], start: date, end: date) -> int:
    """The sum over the days of ``[start, end]`` of (rate in force that day) / 30, rounded
    half up to whole Rupiah once, at the end: the foregone value of a free loan and the fee of
    a rental alike."""
    ordered = sorted(schedule, key=lambda rate: rate.valid_from)
    rupiah_days = 0
    for index, rate in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        last = following.valid_from - timedelta(days=1) if following else end
        rupiah_days += rate.monthly_rate_idr * days_in(max(start, rate.valid_from), min(end, last))
    return round_half_up(rupiah_days, DAYS_PER_MONTH)


def days_inside(start: date, end: date, period_start: date, period_end: date) -> int:
    """How many days of the use ``[start, end]`` fall inside the period."""
    return days_in(max(start, period_start), min(end, period_end))


def prorated(value: int, start: date, end: date, period_start: date, period_end: date) -> int:
    """The part of a use's value that falls inside a period: value × days inside / days of the
    use, rounded half up (once per use)."""
    return round_half_up(value * days_inside(start, end, period_start, period_end),
                         days_in(start, end))
