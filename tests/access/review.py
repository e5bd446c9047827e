"""Access to Bakeuda's review pages (billboard/review): reviewers and administrators only."""
from datetime import timedelta

from support import TODAY

from billboard import booking
from billboard.extensions import db
from billboard.models import BookingKind, Face, Site, Tariff


def _reviewers(status: int) -> dict:
    return {"anonymous": 302, "agency": 403, "other_agency": 403, "reviewer": status,
            "admin": status}


def _decision(action: str, admin: int = 303) -> dict:
    # An empty form passes the guard and is refused with a message: back to the queue (303).
    # Only reviewers decide; administrators may still cancel (DESIGN §3).
    return {"methods": ["POST"], "url": lambda ctx: f"/review/bookings/{ctx.booking.id}/{action}",
            "expect": {**_reviewers(303), "admin": admin}}


ACCESS = {
    "/review": {"expect": _reviewers(200)},
    "/review/requests/<int:request_id>": {
        "url": lambda ctx: f"/review/requests/{ctx.request.id}", "expect": _reviewers(200),
    },
    # An empty decision passes the guard and is refused with the page's messages (422).
    "/review/requests/<int:request_id>/decision": {
        "methods": ["POST"], "url": lambda ctx: f"/review/requests/{ctx.request.id}/decision",
        "expect": {**_reviewers(422), "admin": 403},
    },
    "/review/bookings/<int:booking_id>/cancel": _decision("cancel"),
    "/review/timeline": {"expect": _reviewers(200)},
    "/review/tariffs": {"expect": _reviewers(200)},
    "/review/tariffs/<code>": [
        {"url": "/review/tariffs/PGK-01", "expect": _reviewers(200)},
        {"methods": ["POST"], "url": "/review/tariffs/PGK-01", "expect": _reviewers(422)},
    ],
    # Removing a tariff asks first (200); nothing is removed.
    "/review/tariffs/<code>/<int:tariff_id>/remove": {
        "methods": ["POST"], "url": lambda ctx: f"/review/tariffs/PGK-01/{_first_tariff()}/remove",
        "expect": _reviewers(200),
    },
    "/review/rentals": {"expect": _reviewers(200)},
    "/review/reports": {"expect": _reviewers(200)},
    "/review/reports/usage.<any(csv, xlsx):extension>": {
        "url": "/review/reports/usage.xlsx", "expect": _reviewers(200),
    },
    "/review/rentals/<int:booking_id>": {
        "url": lambda ctx: f"/review/rentals/{_rental(ctx)}", "expect": _reviewers(200),
    },
    "/review/rentals/<int:booking_id>/agreement": {
        "url": lambda ctx: f"/review/rentals/{_rental(ctx)}/agreement", "expect": _reviewers(200),
    },
    # An empty form is shown again on the rental's page with its errors.
    **{f"/review/rentals/<int:booking_id>/{action}": {
        "methods": ["POST"],
        "url": lambda ctx, action=action: f"/review/rentals/{_rental(ctx)}/{action}",
        "expect": _reviewers(422),
    } for action in ("dates", "end", "payments")},
    # An empty form is shown again with its errors.
    "/review/occupancy/new": [
        {"expect": _reviewers(200)},
        {"methods": ["POST"], "expect": _reviewers(422)},
    ],
}


def _first_tariff() -> int:
    return db.session.scalar(db.select(Tariff.id).join(Site).where(Site.code == "PGK-01"))


def _rental(ctx) -> int:
    """A rental of PGK-02/A starting in 20 days, recorded by the reviewer."""
    face = db.session.scalar(db.select(Face).join(Site).where(Site.code == "PGK-02",
                                                              Face.label == "A"))
    start = TODAY + timedelta(days=20)
    rental = booking.add_occupancy(ctx.user("reviewer"), face, start, start + timedelta(days=9),
                                   kind=BookingKind.COMMERCIAL, tenant_name="PT Sinar Bangka")
    db.session.commit()
    return rental.id


# --- QR plates (billboard/review/plates.py) ------------------------------------------------------
ACCESS.update({
    "/review/plates": {"expect": _reviewers(200)},
    "/review/sites/<code>/plate": {"url": "/review/sites/PGK-01/plate", "expect": _reviewers(200)},
})

# --- Handover (billboard/review/handover.py) ---------------------------------------------------
ACCESS.update({
    "/review/overdue": {"expect": _reviewers(200)},
    # An empty form is shown again on the request page with its errors.
    "/review/bookings/<int:booking_id>/<any(handover, return):kind>": {
        "methods": ["POST"], "url": lambda ctx: f"/review/bookings/{ctx.booking.id}/handover",
        "expect": _reviewers(422),
    },
})

# --- Signed scans (billboard/review/scans.py) ----------------------------------------------------
ACCESS.update({
    # Without a file: the request page again with the form's errors.
    "/review/requests/<int:request_id>/scans": {
        "methods": ["POST"], "url": lambda ctx: f"/review/requests/{ctx.request.id}/scans",
        "expect": _reviewers(422),
    },
})
