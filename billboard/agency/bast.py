"""The BAST of an item's handover and of its return (DESIGN §6a), printable, for the request's
agency and for Bakeuda.

An official document, so always in Bahasa Indonesia; the page around it follows the chosen
language. Its photo is the evidence that goes with it: the installation photo for the
handover (once the agency has sent it), the removal photo for the return.
"""
from flask import abort, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from .. import booking, settings
from ..auth.permissions import role_required
from ..i18n import long_date
from ..models import HandoverKind
from . import bp
from .documents import request_page
from .routes import _item, _visible_request

PHOTOS = {HandoverKind.HANDOVER: "installed", HandoverKind.RETURN: "removed"}


@bp.get("/requests/<int:request_id>/bookings/<int:booking_id>/bast/<any(handover, return):kind>")
@role_required("agency", "reviewer", "admin")
def bast(request_id: int, booking_id: int, kind: str):
    found = _visible_request(request_id)
    item = _item(found, booking_id)
    kind = HandoverKind(kind)
    record = booking.handover_of(item, kind)
    if record is None:
        abort(404)
    which = PHOTOS[kind]
    taken_on = getattr(item, f"{which}_on") if getattr(item, f"{which}_photo") else None
    # The letterhead and the signatory are the settings the letter and the agreement print.
    letterhead, sign = settings.group("letterhead"), settings.group("signatory")
    with force_locale("id"):
        document = render_template(
            "agency/_bast.html", req=found, item=item, site=item.face.site, record=record,
            handing_over=kind == HandoverKind.HANDOVER, letterhead=letterhead, sign=sign,
            city=_("%(government)s, represented by %(agency)s",
                   government=letterhead["letterhead.government"],
                   agency=letterhead["letterhead.agency"]),
            borrower=found.organization.name,
            photo_url=taken_on and url_for(".photo", request_id=found.id, booking_id=item.id,
                                           which=which),
            photo_caption=taken_on and _("Photo taken on %(day)s", day=long_date(taken_on)))
    # Markup: the document is our own template's output, already escaped.
    return render_template("agency/bast.html", req=found, record=record,
                           back=request_page(found, _anchor=f"item-{item.id}"),
                           document=Markup(document))
