"""The emails a change queues in the outbox, in the same transaction as the change itself.

Mail goes to Indonesian offices: its text is Indonesian whatever the UI language.
"""
from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask import current_app

from ..extensions import db
from ..models import Booking, OutboxEmail, Request

_SUBJECTS = {
    "submitted": "Permohonan {ref} diterima",
    "withdrawn": "Permohonan {ref} ditarik",
    "approved": "Permohonan {ref}: item disetujui",
    "rejected": "Permohonan {ref}: item ditolak",
    "cancelled": "Permohonan {ref}: item dibatalkan",
}


def _subject(event: str, request: Request) -> str:
    return "[Baliho Pangkalpinang] " + _SUBJECTS[event].format(ref=request.reference)


def _email_date(day: date) -> str:
    return format_date(day, "d MMMM y", locale="id")


def _item_line(booking: Booking) -> str:
    line = (f"- {booking.face.site.code}/{booking.face.label} {booking.face.site.name}: "
            f"{_email_date(booking.start_on)} s.d. {_email_date(booking.end_on)} "
            f"[{booking.status.value}]")
    if booking.agreement_number:
        line += f" perjanjian {booking.agreement_number}"
    if booking.reason:
        line += f" alasan: {booking.reason}"
    return line


def _body(request: Request, items: list[Booking]) -> str:
    return "\n".join([f"Permohonan {request.reference} dari {request.organization.name}",
                      f"Tujuan: {request.purpose}", "", *map(_item_line, items)])


def _queue(request: Request, subject: str, body: str) -> None:
    """Queue one email to the requesting organisation and one to Bakeuda."""
    recipients = [request.organization.email or request.created_by.email,
                  current_app.config["BAKEUDA_EMAIL"]]
    for address in dict.fromkeys(a for a in recipients if a):
        db.session.add(OutboxEmail(to_address=address, subject=subject, body=body))


def request_changed(request: Request, event: str) -> None:
    """Tell of a change of the whole request (``submitted``, ``withdrawn``), with every item."""
    _queue(request, _subject(event, request), _body(request, list(request.bookings)))


def item_changed(booking: Booking, event: str) -> None:
    """Tell of a decision on one item of a request (``approved``, ``rejected``, ``cancelled``)."""
    request = booking.request
    _queue(request, _subject(event, request), _body(request, [booking]))
