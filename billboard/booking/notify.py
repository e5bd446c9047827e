"""The emails a change queues in the outbox, in the same transaction as the change itself.

Mail goes to Indonesian offices: its text is Indonesian whatever the UI language. The wording
is the template ``templates/email/notice.txt``: the request, its items, what changed and a link.
"""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale

from ..extensions import db
from ..labels import CATEGORY_LABELS, STATUS_LABELS
from ..links import public_url
from ..models import Booking, Decision, Handover, HandoverKind, OutboxEmail, Request

_SUBJECTS = {
    "submitted": "Permohonan {ref} diterima",
    "withdrawn": "Permohonan {ref} ditarik",
    "item_withdrawn": "Permohonan {ref}: item ditarik",
    "approved": "Permohonan {ref}: item disetujui",
    "rejected": "Permohonan {ref}: item ditolak",
    "cancelled": "Permohonan {ref}: item dibatalkan",
    "ended_early": "Permohonan {ref}: pemakaian diakhiri lebih awal",
    "decided": "Permohonan {ref}: keputusan Bakeuda",
}


_PREFIX = "[Baliho Pangkalpinang] "


def _organization_address(request: Request) -> str | None:
    return request.organization.email or request.created_by.email


def _to_organization(request: Request, subject: str, template: str, **context) -> None:
    """Queue one email, in Indonesian, to the requesting organisation alone."""
    address = _organization_address(request)
    if not address:
        return
    with force_locale("id"):
        body = render_template(template, req=request, **context)
    db.session.add(OutboxEmail(
        to_address=address, body=body,
        subject=f"{_PREFIX}Permohonan {request.reference}: {subject}"))


def _queue(request: Request, event: str, items: list[Booking], *,
           template: str = "email/notice.txt", **context) -> None:
    """Queue one email to the requesting organisation and one to Bakeuda, each with the link
    to the request's page in its own part of the app."""
    subject = _PREFIX + _SUBJECTS[event].format(ref=request.reference)
    recipients = {
        _organization_address(request): "agency.detail",
        current_app.config["BAKEUDA_EMAIL"]: "review.request_detail",
    }
    with force_locale("id"):
        for address, page in recipients.items():
            if not address:
                continue
            body = render_template(
                template, req=request, items=items, event=event,
                link=public_url(page, request_id=request.id),
                category_labels=CATEGORY_LABELS, status_labels=STATUS_LABELS, **context)
            db.session.add(OutboxEmail(to_address=address, subject=subject, body=body))


def request_changed(request: Request, event: str) -> None:
    """Tell of a change of the whole request (``submitted``, ``withdrawn``), with every item."""
    _queue(request, event, list(request.bookings))


def item_changed(booking: Booking, event: str) -> None:
    """Tell of a change of one item of a request (``approved``, ``rejected``, ``cancelled``,
    ``item_withdrawn``)."""
    _queue(booking.request, event, [booking])


def face_freed(request: Request, items: list[Booking]) -> None:
    """Tell a requesting organisation that faces its pending ``items`` wait for were freed
    (approved use withdrawn or cancelled): one email, to it alone; Bakeuda sees the flag in
    its queue."""
    _to_organization(request, "sisi baliho kosong kembali", "email/face_freed.txt",
                     items=items, link=public_url("agency.detail", request_id=request.id))


def handover_recorded(record: Handover) -> None:
    """Tell the borrowing organisation that a BAST of its item is on record, with the link
    to print it."""
    item = record.booking
    request = item.request
    handing_over = record.kind == HandoverKind.HANDOVER
    kind = "serah terima" if handing_over else "pengembalian"
    _to_organization(
        request, f"BAST {kind} {item.face.code}", "email/handover.txt",
        item=item, record=record, kind=kind, handing_over=handing_over,
        link=public_url("agency.bast", request_id=request.id, booking_id=item.id,
                        kind=record.kind.value))


def decided(decision: Decision) -> None:
    """Tell of one decision once, with every item it approved or rejected and the reasons."""
    _queue(decision.request, "decided", list(decision.bookings),
           template="email/decision.txt", decision=decision)
