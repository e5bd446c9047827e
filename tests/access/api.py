"""Access to the token-authenticated JSON API (billboard/api/requests.py).

No token answers 401; a token of the wrong role 403; another organisation's request 404.
Reviewers and administrators read any request; only reviewers decide (DESIGN §3).
"""
from support import approval


def _expect(agency: int, other_agency: int, bakeuda: int) -> dict:
    return {"anonymous": 401, "agency": agency, "other_agency": other_agency,
            "reviewer": bakeuda, "admin": bakeuda}


def _decision(action: str, body, reviewer: int = 200, admin: int = 200) -> dict:
    return {"methods": ["POST"], "auth": "token", "json": body,
            "url": lambda ctx: f"/api/v1/bookings/{ctx.booking.id}/{action}",
            "expect": {**_expect(403, 403, reviewer), "admin": admin}}


ACCESS = {
    "/api/v1/requests": [
        {"auth": "token", "expect": _expect(200, 200, 403)},
        # An empty body passes the guard and is refused as unreadable.
        {"methods": ["POST"], "auth": "token", "json": {}, "expect": _expect(400, 400, 403)},
    ],
    "/api/v1/requests/<int:request_id>": {
        "auth": "token", "url": lambda ctx: f"/api/v1/requests/{ctx.request.id}",
        "expect": _expect(200, 404, 200),
    },
    "/api/v1/requests/<int:request_id>/withdraw": {
        "methods": ["POST"], "auth": "token",
        "url": lambda ctx: f"/api/v1/requests/{ctx.request.id}/withdraw",
        "expect": _expect(200, 404, 403),
    },
    # No file sent: the owner is told what to send (422), others never see the request.
    "/api/v1/requests/<int:request_id>/files": {
        "methods": ["POST"], "auth": "token",
        "url": lambda ctx: f"/api/v1/requests/{ctx.request.id}/files",
        "expect": _expect(422, 404, 403),
    },
    "/api/v1/bookings/<int:booking_id>/withdraw": {
        "methods": ["POST"], "auth": "token",
        "url": lambda ctx: f"/api/v1/bookings/{ctx.booking.id}/withdraw",
        "expect": _expect(200, 404, 403),
    },
    "/api/v1/review/queue": {"auth": "token", "expect": _expect(403, 403, 200)},
    "/api/v1/requests/<int:request_id>/decision": {
        "methods": ["POST"], "auth": "token",
        "url": lambda ctx: f"/api/v1/requests/{ctx.request.id}/decision",
        "json": lambda ctx: {"approve": [ctx.booking.id], **approval(iso=True)},
        "expect": {**_expect(403, 403, 200), "admin": 403},
    },
    "/api/v1/bookings/<int:booking_id>/approve": _decision(
        "approve", lambda ctx: approval(iso=True), admin=403),
    "/api/v1/bookings/<int:booking_id>/reject": _decision("reject", {"reason": "Incomplete"},
                                                          admin=403),
    "/api/v1/bookings/<int:booking_id>/cancel": _decision("cancel", {"reason": "Road works"}),
    "/api/v1/reports/usage": {"auth": "token", "url": "/api/v1/reports/usage?start=2026-03-01&"
                              "end=2026-03-31", "expect": _expect(403, 403, 200)},
    # Reviewers: an empty body passes the guard and is refused as unreadable.
    "/api/v1/occupancy": {"methods": ["POST"], "auth": "token", "json": {},
                          "expect": _expect(403, 403, 400)},
    # A request's item is not one of Bakeuda's own entries: not found.
    "/api/v1/occupancy/<int:booking_id>/cancel": {
        "methods": ["POST"], "auth": "token", "json": {"reason": "Road works"},
        "url": lambda ctx: f"/api/v1/occupancy/{ctx.booking.id}/cancel",
        "expect": _expect(403, 403, 404),
    },
}
