"""The timeline as a table: one row per face and lane, one column per day.

Approved use of a face never overlaps, so it fits one lane; pending items may overlap each other
and that lane, so they are packed into as many further lanes as needed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..models import Booking, BookingStatus, Face


@dataclass
class Cell:
    day: date
    span: int = 1
    booking: Booking | None = None


@dataclass
class Lane:
    pending: bool
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Row:
    face: Face
    lanes: list[Lane]


def days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(count)]


def _lane(bookings: Sequence[Booking], start: date, end: date, *, pending: bool) -> Lane:
    lane = Lane(pending)
    day = start
    for booking in bookings:
        first = max(booking.start_on, start)
        last = min(booking.end_on, end)
        while day < first:
            lane.cells.append(Cell(day))
            day += timedelta(days=1)
        lane.cells.append(Cell(first, (last - first).days + 1, booking))
        day = last + timedelta(days=1)
    while day <= end:
        lane.cells.append(Cell(day))
        day += timedelta(days=1)
    return lane


def _pack(bookings: Sequence[Booking]) -> list[list[Booking]]:
    """Greedy interval packing: each booking goes to the first lane where it fits."""
    lanes: list[list[Booking]] = []
    for booking in sorted(bookings, key=lambda b: (b.start_on, b.id)):
        for lane in lanes:
            if lane[-1].end_on < booking.start_on:
                lane.append(booking)
                break
        else:
            lanes.append([booking])
    return lanes


def rows(faces: Sequence[Face], by_face: dict[int, list[Booking]], start: date,
         end: date) -> list[Row]:
    """Each face's approved lane first, then its pending lanes."""
    result = []
    for face in faces:
        bookings = by_face.get(face.id, [])
        approved = sorted((b for b in bookings if b.status == BookingStatus.APPROVED),
                          key=lambda b: b.start_on)
        pending = [b for b in bookings if b.status == BookingStatus.SUBMITTED]
        lanes = [_lane(approved, start, end, pending=False)]
        lanes += [_lane(lane, start, end, pending=True) for lane in _pack(pending)]
        result.append(Row(face, lanes))
    return result
