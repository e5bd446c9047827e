"""Access to Bakeuda's review pages (billboard/review): reviewers and administrators only."""


def _reviewers(status: int) -> dict:
    return {"anonymous": 302, "agency": 403, "other_agency": 403, "reviewer": status,
            "admin": status}


def _decision(action: str) -> dict:
    # An empty form passes the guard and is refused with a message: back to the queue (303).
    return {"methods": ["POST"], "url": lambda ctx: f"/review/bookings/{ctx.booking.id}/{action}",
            "expect": _reviewers(303)}


ACCESS = {
    "/review": {"expect": _reviewers(200)},
    "/review/requests/<int:request_id>": {
        "url": lambda ctx: f"/review/requests/{ctx.request.id}", "expect": _reviewers(200),
    },
    "/review/bookings/<int:booking_id>/approve": _decision("approve"),
    "/review/bookings/<int:booking_id>/reject": _decision("reject"),
    "/review/bookings/<int:booking_id>/cancel": _decision("cancel"),
    "/review/timeline": {"expect": _reviewers(200)},
    # An empty form is shown again with its errors.
    "/review/occupancy/new": [
        {"expect": _reviewers(200)},
        {"methods": ["POST"], "expect": _reviewers(422)},
    ],
}


# --- QR plates (billboard/review/plates.py) ------------------------------------------------------
ACCESS.update({
    "/review/plates": {"expect": _reviewers(200)},
    "/review/sites/<code>/plate": {"url": "/review/sites/PGK-01/plate", "expect": _reviewers(200)},
})
