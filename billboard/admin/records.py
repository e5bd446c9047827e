"""What the system recorded: the audit trail and the email outbox, for administrators."""
from datetime import datetime, time, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from .. import audit, mail
from ..auth.permissions import acting_user
from ..clock import WIB
from ..domain_errors import DomainError
from ..extensions import db
from ..forms import BaseForm, DateField
from ..models import OutboxEmail, User
from ..unit_of_work import unit_of_work
from . import bp

PER_PAGE = 50
OUTBOX_STATE_NAMES = {"": _l("All"), "waiting": _l("Waiting to be sent"),
                      "failed": _l("Failed"), "sent": _l("Sent")}


class TrailFilter(BaseForm):
    """The audit trail's filters; a GET form, so without a CSRF token."""

    class Meta:
        csrf = False

    object_type = SelectField(_l("Object"), validators=[Optional()])
    object_id = IntegerField(_l("Object number"),
                             validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    actor = SelectField(_l("By"), validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])


def _wib_midnight(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=WIB)


@bp.get("/audit")
def audit_trail():
    """Every recorded change, newest first, filtered by object, actor and WIB dates."""
    form = TrailFilter(request.args)
    form.object_type.choices = [("", _("All"))] + [(t, t) for t in audit.object_types()]
    form.actor.choices = [("", _("Anyone"))] + [
        (str(user.id), f"{user.name} <{user.email}>")
        for user in db.session.scalars(db.select(User).order_by(User.name))]
    events = None
    if form.validate():
        events = db.paginate(audit.trail(
            object_type=form.object_type.data or None, object_id=form.object_id.data,
            actor_id=int(form.actor.data) if form.actor.data else None,
            since=form.since.data and _wib_midnight(form.since.data),
            until=form.until.data and _wib_midnight(form.until.data + timedelta(days=1))),
            page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False)
    filters = {name: value for name, value in request.args.items() if name != "page"}
    return render_template("admin/audit.html", form=form, events=events, filters=filters), \
        200 if events is not None else 422


@bp.get("/outbox")
def outbox():
    """The queued emails: waiting, failed with their error, or sent."""
    state = request.args.get("state", "")
    if state not in OUTBOX_STATE_NAMES:
        state = ""
    emails = db.paginate(mail.outbox(state or None), page=request.args.get("page", 1, type=int),
                         per_page=PER_PAGE, error_out=False)
    return render_template("admin/outbox.html", emails=emails, state=state,
                           state_names=OUTBOX_STATE_NAMES, max_attempts=mail.MAX_ATTEMPTS)


@bp.post("/outbox/<int:email_id>/retry")
def retry_email(email_id: int):
    """Queue a failed email again; the next run of send-mail tries it."""
    email = db.get_or_404(OutboxEmail, email_id)
    try:
        with unit_of_work():
            mail.retry(email, acting_user())
    except DomainError as refused:
        flash(refused.message, "error")
    else:
        flash(_("The email to %(address)s will be sent again on the next run.",
                address=email.to_address), "success")
    return redirect(url_for("admin.outbox", state=request.args.get("state", "")))
