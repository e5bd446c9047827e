"""Access to the administration of organisations, users and the register (billboard/admin)."""
from billboard.extensions import db
from billboard.models import Face, Site

# Destructive actions ask first (billboard/confirm.py); the walk posts the confirmed step.
CONFIRMED = {"confirmed": "1"}


def _admin_only(status: int) -> dict:
    return {"anonymous": 302, "agency": 403, "other_agency": 403, "reviewer": 403,
            "admin": status}


def _org(ctx) -> int:
    return ctx.org("agency").id


def _user(ctx) -> int:
    return ctx.user("agency").id


def _site(_ctx) -> str:
    """A seeded site without bookings (PGK-03, one face): retiring or deleting goes through."""
    return f"/admin/sites/{db.session.scalar(db.select(Site.id).filter_by(code='PGK-03'))}"


def _face(ctx) -> str:
    face_id = db.session.scalar(db.select(Face.id).join(Site).filter(Site.code == "PGK-03"))
    return f"{_site(ctx)}/faces/{face_id}"


ACCESS = {
    "/admin/": {"expect": _admin_only(200)},
    # A post without a file is refused with its message.
    "/admin/sites/import": [{"expect": _admin_only(200)},
                            {"methods": ["POST"], "expect": _admin_only(422)}],
    "/admin/sites": {"expect": _admin_only(200)},
    # Empty posts are refused by the register's checks (422); confirmed ones go through.
    "/admin/sites/new": [{"expect": _admin_only(200)},
                         {"methods": ["POST"], "expect": _admin_only(422)}],
    "/admin/sites/<int:site_id>": [{"url": _site, "expect": _admin_only(200)},
                                   {"methods": ["POST"], "url": _site,
                                    "expect": _admin_only(422)}],
    "/admin/sites/<int:site_id>/retire": {
        "methods": ["POST"], "url": lambda ctx: f"{_site(ctx)}/retire", "data": CONFIRMED,
        "expect": _admin_only(303)},
    "/admin/sites/<int:site_id>/faces": {
        "methods": ["POST"], "url": lambda ctx: f"{_site(ctx)}/faces",
        "expect": _admin_only(422)},
    "/admin/sites/<int:site_id>/photo": {
        "methods": ["POST"], "url": lambda ctx: f"{_site(ctx)}/photo",
        "expect": _admin_only(422)},
    "/admin/sites/<int:site_id>/faces/<int:face_id>/rename": {
        "methods": ["POST"], "url": lambda ctx: f"{_face(ctx)}/rename",
        "expect": _admin_only(422)},
    "/admin/sites/<int:site_id>/faces/<int:face_id>/retire": {
        "methods": ["POST"], "url": lambda ctx: f"{_face(ctx)}/retire", "data": CONFIRMED,
        "expect": _admin_only(303)},
    "/admin/sites/<int:site_id>/faces/<int:face_id>/restore": {
        "methods": ["POST"], "url": lambda ctx: f"{_face(ctx)}/restore",
        "expect": _admin_only(409)},
    "/admin/sites/<int:site_id>/faces/<int:face_id>/delete": {
        "methods": ["POST"], "url": lambda ctx: f"{_face(ctx)}/delete", "data": CONFIRMED,
        "expect": _admin_only(303)},
    "/admin/organizations": {"methods": ["GET", "POST"], "expect": _admin_only(200)},
    "/admin/organizations/<int:org_id>/deactivate": {
        "methods": ["POST"], "url": lambda ctx: f"/admin/organizations/{_org(ctx)}/deactivate",
        "data": CONFIRMED, "expect": _admin_only(302),
    },
    "/admin/organizations/<int:org_id>/activate": {
        "methods": ["POST"], "url": lambda ctx: f"/admin/organizations/{_org(ctx)}/activate",
        "expect": _admin_only(302),
    },
    "/admin/users": {"expect": _admin_only(200)},
    "/admin/settings": [{"expect": _admin_only(200)},
                        # An empty POST keeps every value: "Nothing was changed."
                        {"methods": ["POST"], "expect": _admin_only(302)}],
    # An empty POST: no file, the page again with its message.
    "/admin/settings/emblem": {"methods": ["POST"], "expect": _admin_only(422)},
    "/admin/users/new": {"methods": ["GET", "POST"], "expect": _admin_only(200)},
    "/admin/users/<int:user_id>": {
        "url": lambda ctx: f"/admin/users/{_user(ctx)}", "expect": _admin_only(200),
    },
    "/admin/users/<int:user_id>/role": {
        "methods": ["POST"], "url": lambda ctx: f"/admin/users/{_user(ctx)}/role",
        "expect": _admin_only(302),
    },
    "/admin/users/<int:user_id>/password": {
        "methods": ["POST"], "url": lambda ctx: f"/admin/users/{_user(ctx)}/password",
        "expect": _admin_only(200),
    },
    "/admin/users/<int:user_id>/deactivate": {
        "methods": ["POST"], "url": lambda ctx: f"/admin/users/{_user(ctx)}/deactivate",
        "data": CONFIRMED, "expect": _admin_only(302),
    },
    "/admin/users/<int:user_id>/activate": {
        "methods": ["POST"], "url": lambda ctx: f"/admin/users/{_user(ctx)}/activate",
        "expect": _admin_only(302),
    },
}


# --- The election calendar and blackouts (billboard/admin/calendar.py) ---------------------------

def _blackout(ctx) -> str:
    from datetime import date

    from billboard.extensions import db
    from billboard.models import Blackout

    blackout = Blackout(name="Perbaikan rangka", start_on=date(2030, 1, 1), end_on=date(2030, 1, 2))
    db.session.add(blackout)
    db.session.commit()
    return f"/admin/blackouts/{blackout.id}/delete"


def _election(ctx) -> str:
    from billboard.extensions import db
    from billboard.models import Election

    return f"/admin/elections/{db.session.scalar(db.select(Election.id).limit(1))}"


ACCESS.update({
    "/admin/calendar": {"expect": _admin_only(200)},
    # A POST without fields passes the guard and is refused by the form.
    "/admin/blackouts/new": [{"expect": _admin_only(200)},
                             {"methods": ["POST"], "expect": _admin_only(422)}],
    "/admin/blackouts/<int:blackout_id>/delete": {
        "methods": ["POST"], "url": _blackout, "data": CONFIRMED, "expect": _admin_only(303),
    },
    "/admin/elections/new": [{"expect": _admin_only(200)},
                             {"methods": ["POST"], "expect": _admin_only(422)}],
    "/admin/elections/<int:election_id>": [
        {"url": _election, "expect": _admin_only(200)},
        {"methods": ["POST"], "url": _election, "expect": _admin_only(422)},
    ],
})


# --- The audit trail and the email outbox (billboard/admin/records.py) ---------------------------

def _failed_email(ctx) -> str:
    from billboard.extensions import db
    from billboard.models import OutboxEmail

    email = OutboxEmail(to_address="kpu@example.org", subject="Uji", body="Uji", attempts=5,
                        last_error="SMTPRecipientsRefused: 550")
    db.session.add(email)
    db.session.commit()
    return f"/admin/outbox/{email.id}/retry"


ACCESS.update({
    "/admin/audit": {"expect": _admin_only(200)},
    "/admin/outbox": {"expect": _admin_only(200)},
    "/admin/outbox/<int:email_id>/retry": {
        "methods": ["POST"], "url": _failed_email, "expect": _admin_only(302),
    },
})
