"""Access to the account pages (billboard/auth)."""
ANONYMOUS_ONLY = {"anonymous": 200, "agency": 302, "other_agency": 302, "reviewer": 302,
                  "admin": 302}
LOGGED_IN = {"anonymous": 302, "agency": 200, "other_agency": 200, "reviewer": 200,
             "admin": 200}


def _agency_token_id(ctx) -> int:
    from billboard.auth.tokens import issue_token
    from billboard.extensions import db

    token, _raw = issue_token(ctx.user("agency"), "revoke me", None)
    db.session.commit()
    return token.id


ACCESS = {
    # Logged-in people are sent on to their landing page.
    "/login": {"methods": ["GET", "POST"], "expect": ANONYMOUS_ONLY},
    "/logout": {"methods": ["POST"], "expect": dict.fromkeys(ANONYMOUS_ONLY, 302)},
    "/account": {"expect": LOGGED_IN},
    "/account/password": {"methods": ["GET", "POST"], "expect": LOGGED_IN},
    "/account/tokens": {"methods": ["GET", "POST"], "expect": LOGGED_IN},
    # Only the owner may revoke a token; for anyone else it does not exist.
    "/account/tokens/<int:token_id>/revoke": {
        "methods": ["POST"],
        "url": lambda ctx: f"/account/tokens/{_agency_token_id(ctx)}/revoke",
        "data": {"confirmed": "1"},
        "expect": {"anonymous": 302, "agency": 302, "other_agency": 404, "reviewer": 404,
                   "admin": 404},
    },
}
