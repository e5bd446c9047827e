"""A request's official documents (DESIGN §6a), printable, for the request's agency and for
Bakeuda: the letter of each decision (a surat persetujuan, or a surat jawaban when it only
refuses) and the perjanjian pinjam pakai of each decision that approves a loan for use.

Official documents, so always in Bahasa Indonesia; the page around them follows the chosen
language. The letterhead, the signatory and the copies are settings, never template text.
"""
from flask import abort, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from .. import settings, uploads
from ..auth.permissions import role_required
from ..models import BookingStatus, Decision, Request, Role
from . import bp
from .routes import _item, _visible_request


def _documents(found: Request, template: str, decisions: list[Decision]) -> list[Markup]:
    letterhead, sign = settings.group("letterhead"), settings.group("signatory")
    tembusan = [line.strip() for line in settings.values("tembusan.lines")["tembusan.lines"]
                .splitlines() if line.strip()]
    with force_locale("id"):
        # Markup: each document is our own template's output, already escaped.
        return [Markup(render_template(template, req=found, decision=decision,
                                       letterhead=letterhead, sign=sign, tembusan=tembusan))
                for decision in decisions]


def request_page(found: Request, **anchor) -> str:
    """The request's page a printed document leads back to: the agency's or Bakeuda's."""
    endpoint = ".detail" if current_user.role == Role.AGENCY else "review.request_detail"
    return url_for(endpoint, request_id=found.id, **anchor)


def _page(found: Request, title: str, documents: list[Markup], none_note: str = ""):
    return render_template("agency/document.html", req=found, title=title,
                           back=request_page(found),
                           documents=documents, none_note=none_note)


def _decided(request_id: int) -> Request:
    found = _visible_request(request_id)
    if not found.decisions:
        abort(404)
    return found


@bp.get("/requests/<int:request_id>/letter")
@role_required("agency", "reviewer", "admin")
def letter(request_id: int):
    """The letter of each decision of the request, in turn."""
    found = _decided(request_id)
    return _page(found, _("Letters"),
                 _documents(found, "agency/_letter.html", found.decisions))


@bp.get("/requests/<int:request_id>/agreement")
@role_required("agency", "reviewer", "admin")
def agreement(request_id: int):
    """The perjanjian of each decision that approves a loan for use, in turn."""
    found = _decided(request_id)
    lending = [decision for decision in found.decisions if decision.agreement_number]
    return _page(found, _("Agreements"), _documents(found, "agency/_agreement.html", lending),
                 none_note=_("No decision of this request needs a loan-for-use agreement: "
                             "internal use of a city office and refusals have none."))


@bp.get("/requests/<int:request_id>/bookings/<int:booking_id>/approval")
@role_required("agency", "reviewer", "admin")
def approval_letter(request_id: int, booking_id: int):
    """The former letter of one item: now the letter of the decision that approved it."""
    found = _visible_request(request_id)
    item = _item(found, booking_id)
    if item.status != BookingStatus.APPROVED or item.decision_id is None:
        abort(404)
    return redirect(url_for(".letter", request_id=found.id, _anchor=f"decision-{item.decision_id}"))


@bp.get("/documents/emblem")
@role_required("agency", "reviewer", "admin")
def emblem():
    """The letterhead's emblem: the one an administrator uploaded, else the placeholder."""
    stored = settings.emblem()
    if stored is None:
        return redirect(url_for("static", filename="img/lambang-contoh.svg"))
    return uploads.send_upload(stored, "lambang")
