"""Access to the agency pages (billboard/agency): an organisation's own requests.

The files and the official documents are also open to Bakeuda's reviewers and admins.
"""
import os

from flask import current_app
from support import TODAY, approval

AGENCY_ONLY = {"anonymous": 302, "agency": 200, "other_agency": 200, "reviewer": 403,
               "admin": 403}


def _own(owner: int, **others) -> dict:
    """The owner gets ``owner``; another agency 404; Bakeuda's staff 403 unless given."""
    return {"anonymous": 302, "agency": owner, "other_agency": 404, "reviewer": 403,
            "admin": 403, **others}


def _stored(name: str) -> str:
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as stream:
        stream.write(b"%PDF-1.4\n%%EOF\n" if name.endswith(".pdf") else b"\x89PNG\r\n\x1a\n")
    return name


def _approved(ctx):
    """``ctx.booking`` approved, with an installation photo."""
    from billboard import booking
    from billboard.extensions import db

    item = booking.approve(ctx.booking.id, ctx.user("reviewer"), **approval())
    item.installed_photo = _stored("installed.png")
    item.installed_on = TODAY
    db.session.commit()
    return item


def _handed_over(ctx) -> int:
    """``ctx.booking`` approved and handed over today."""
    from billboard import booking
    from billboard.extensions import db

    item = _approved(ctx)
    booking.record_handover(item.id, ctx.user("reviewer"), number="BAST/ST/1",
                            on=TODAY, condition="Baik")
    db.session.commit()
    return item.id


def _letter_url(ctx) -> str:
    from billboard.extensions import db

    ctx.request.letter_file = _stored("letter.pdf")
    db.session.commit()
    return f"/requests/{ctx.request.id}/files/letter"


def _version_url(ctx) -> str:
    """A kept version of ``ctx.request``'s letter, its file in the upload folder."""
    from billboard import booking, uploads
    from billboard.extensions import db
    from billboard.models import FileKind

    name = _stored("version.pdf")
    with open(os.path.join(current_app.config["UPLOAD_FOLDER"], name), "rb") as stream:
        upload = uploads.Upload(name, uploads.PDF, stream.read(), "surat.pdf")
    version = booking.add_version(ctx.request, ctx.user("agency"), FileKind.LETTER, upload)
    db.session.commit()
    return f"/requests/{ctx.request.id}/files/versions/{version.id}"


def _item_url(suffix: str):
    def url(ctx) -> str:
        item = _approved(ctx)
        return f"/requests/{ctx.request.id}/bookings/{item.id}/{suffix}"

    return url


def _decided_url(document: str):
    def url(ctx) -> str:
        _approved(ctx)
        return f"/requests/{ctx.request.id}/{document}"

    return url


ACCESS = {
    "/requests": {"expect": AGENCY_ONLY},
    # An empty form is refused with its errors (422), which still means the guard let it in.
    "/requests/new": [
        {"expect": AGENCY_ONLY},
        {"methods": ["POST"], "expect": {**AGENCY_ONLY, "agency": 422, "other_agency": 422}},
    ],
    "/requests/check": {
        "methods": ["POST"],
        "json": {"category": "voter_education", "items": []},
        "expect": AGENCY_ONLY,
    },
    "/requests/<int:request_id>": {
        "url": lambda ctx: f"/requests/{ctx.request.id}", "expect": _own(200),
    },
    "/requests/<int:request_id>/withdraw": {
        "methods": ["POST"], "url": lambda ctx: f"/requests/{ctx.request.id}/withdraw",
        "data": {"confirmed": "1"}, "expect": _own(302),
    },
    "/requests/<int:request_id>/bookings/<int:booking_id>/withdraw": {
        "methods": ["POST"],
        "url": lambda ctx: f"/requests/{ctx.request.id}/bookings/{ctx.booking.id}/withdraw",
        "data": {"confirmed": "1"}, "expect": _own(302),
    },
    "/requests/<int:request_id>/files": {
        # Without a file: the form is refused (422) for the owner, the request hidden from others.
        "methods": ["POST"], "url": lambda ctx: f"/requests/{ctx.request.id}/files",
        "expect": _own(422),
    },
    "/requests/<int:request_id>/files/<kind>": {
        "url": _letter_url, "expect": _own(200, reviewer=200, admin=200),
    },
    "/requests/<int:request_id>/files/versions/<int:version_id>": {
        "url": _version_url, "expect": _own(200, reviewer=200, admin=200),
    },
    "/requests/<int:request_id>/bookings/<int:booking_id>/photos": {
        "methods": ["POST"],
        "url": lambda ctx: f"/requests/{ctx.request.id}/bookings/{ctx.booking.id}/photos",
        "expect": _own(422),
    },
    "/requests/<int:request_id>/bookings/<int:booking_id>/photos/<which>": {
        "url": _item_url("photos/installed"), "expect": _own(200, reviewer=200, admin=200),
    },
    "/requests/<int:request_id>/bookings/<int:booking_id>/approval": {
        # The item's former letter leads to its decision's letter.
        "url": _item_url("approval"), "expect": _own(302, reviewer=302, admin=302),
    },
    # No emblem uploaded in the walk: everyone who may print a document is sent to the
    # placeholder, anyone else to the login page.
    "/documents/emblem": {"expect": {"anonymous": 302, "agency": 302, "other_agency": 302,
                                     "reviewer": 302, "admin": 302}},
    "/requests/<int:request_id>/letter": {
        "url": _decided_url("letter"), "expect": _own(200, reviewer=200, admin=200),
    },
    "/requests/<int:request_id>/agreement": {
        "url": _decided_url("agreement"), "expect": _own(200, reviewer=200, admin=200),
    },
    "/requests/<int:request_id>/bookings/<int:booking_id>/bast/<any(handover, return):kind>": {
        "url": lambda ctx: f"/requests/{ctx.request.id}/bookings/{_handed_over(ctx)}/bast/handover",
        "expect": _own(200, reviewer=200, admin=200),
    },
}
