from collections.abc import Callable
from datetime import date, timedelta

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

from .. import booking, clock, labels, text
from ..auth.permissions import BAKEUDA_ROLES, acting_user, role_required
from ..confirm import ask_first
from ..domain_errors import DomainError
from ..extensions import db
from ..forms import parse_date
from ..i18n import long_date
from ..listing import public_sites
from ..models import (
    Booking,
    BookingStatus,
    Category,
    Organization,
    OrganizationKind,
    Role,
    User,
)
from ..redirects import is_safe_path
from ..unit_of_work import unit_of_work
from . import bp, grid, scans
from .forms import ApproveForm, CancelForm, DecisionForm, QueueFilterForm

# Six weeks of days fit a 1280 px screen beside the faces.
DEFAULT_WEEKS = 6
MAX_WEEKS = 26
# Far enough for any real plan, near enough that date arithmetic cannot overflow.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


@bp.context_processor
def _labels() -> dict:
    return {"is_internal_use": booking.is_internal_use,
            "category_labels": labels.CATEGORY_LABELS, "kind_labels": labels.KIND_LABELS,
            "status_labels": labels.STATUS_LABELS,
            "request_status_labels": labels.REQUEST_STATUS_LABELS}


@bp.get("")
@role_required(*BAKEUDA_ROLES)
def queue():
    """Submitted items, oldest request first, each with what it clashes with; the desk's
    counts above them, and filters by organisation, site, category and dates."""
    form = _queue_filter_form()
    only = booking.QueueFilter()
    if form.validate():
        only = booking.QueueFilter(
            organization_id=int(form.organization.data) if form.organization.data else None,
            site_id=int(form.site.data) if form.site.data else None,
            category=Category(form.category.data) if form.category.data else None,
            start=form.start.data, end=form.end.data)
    requests: dict[int, list[booking.QueueItem]] = {}
    shown = booking.review_queue(limit=QUEUE_LENGTH, only=only)
    for item in shown:
        requests.setdefault(item.booking.request_id, []).append(item)
    counts = booking.desk_counts(clock.today_wib())
    return render_template("review/queue.html", groups=list(requests.values()),
                           waiting=counts.waiting, shown=len(shown), counts=counts,
                           filter_form=form, filtered=only != booking.QueueFilter(),
                           approve_form=ApproveForm(formdata=None)), \
        200 if not form.errors else 422


def _queue_filter_form() -> QueueFilterForm:
    form = QueueFilterForm(request.args)
    everyone = [("", _("All"))]
    form.organization.choices = everyone + [
        (str(org.id), org.name) for org in db.session.scalars(
            db.select(Organization).where(Organization.kind != OrganizationKind.PRIVATE)
            .order_by(Organization.name))]
    form.site.choices = everyone + [(str(site.id), f"{site.code} · {site.name}")
                                    for site in public_sites()]
    form.category.choices = everyone + [(str(c), labels.CATEGORY_LABELS[c])
                                        for c in booking.REQUEST_CATEGORIES]
    return form


# A page of this many items stays quick to render; the rest wait their turn below the fold.
QUEUE_LENGTH = 100


@bp.get("/requests/<int:request_id>")
@role_required(*BAKEUDA_ROLES)
def request_detail(request_id: int):
    """One request of any organisation: its items, their conflicts and the audit trail."""
    found = booking.request_for(None, request_id)
    if found is None:
        abort(404)
    return _request_page(found)


def _request_page(found, *, problems=(), approve_form: ApproveForm | None = None):
    open_items = [b for b in found.bookings if b.status == BookingStatus.SUBMITTED]
    conflicts = {item.booking.id: item for item in booking.conflicts_for(open_items)}
    events, kept = booking.history(found), booking.versions(found)
    return render_template(
        "review/request.html", req=found, status=booking.request_status(found),
        found_conflicts=conflicts, history=events, kept=kept,
        seen=booking.seen_by_decisions(events, kept),
        items_by_id={b.id: b for b in found.bookings}, scan_form=scans.scan_form(found),
        problems=problems, approve_form=approve_form or ApproveForm(formdata=None),
        reason_form=CancelForm(formdata=None))


@bp.post("/requests/<int:request_id>/decision")
@role_required(Role.REVIEWER)
def decide(request_id: int):
    """One decision on a request: each pending item approved, rejected with a reason or left
    pending, with one set of numbers. Bad input shows the page again (422), nothing written."""
    found = booking.request_for(None, request_id)
    if found is None:
        abort(404)
    form = ApproveForm()
    approve, reject, problems = [], [], []
    for item in found.bookings:
        # A choice for an item decided meanwhile (a page open too long) goes to the service,
        # which says what became of it; the forms offer choices for pending items only.
        choice = request.form.get(f"choice-{item.id}", "pending")
        if choice == "pending":
            continue
        if choice == "approve":
            approve.append(item.id)
        else:
            reason = request.form.get(f"reason-{item.id}", "")
            if problem := text.text_problem(reason, multiline=True):
                problems.append(problem)
            reject.append((item.id, reason))
    if not form.validate_on_submit():
        problems.extend(str(error) for errors in form.errors.values() for error in errors)
    if not problems:
        try:
            with unit_of_work():
                booking.decide(found.id, acting_user(), approve=approve, reject=reject,
                               agreement_number=form.agreement_number.data,
                               agreement_date=form.agreement_date.data,
                               approval_letter_number=form.approval_letter_number.data,
                               approval_letter_date=form.approval_letter_date.data)
        except DomainError as refused:
            problems = refused.problems
        else:
            flash(_("Decision on %(reference)s recorded: %(approved)s approved, %(rejected)s "
                    "rejected.", reference=found.reference, approved=len(approve),
                    rejected=len(reject)), "success")
            back = form.next.data if is_safe_path(form.next.data) else \
                url_for("review.request_detail", request_id=request_id)
            return redirect(back, 303)
    return _request_page(booking.request_for(None, request_id), problems=problems,
                         approve_form=form), 422


def _item_name(item: Booking) -> str:
    name = f"{item.face.code} {long_date(item.start_on)} – " \
           f"{long_date(item.end_on)}"
    return f"{item.request.reference} {name}" if item.request else name


def _decide(booking_id: int, form: DecisionForm,
            decide: Callable[[int, User], Booking], done, ask=None):
    """Validate, ask first when ``ask`` gives the question and its consequence for the item,
    then call the service in one unit of work; a refusal becomes a message and changes
    nothing."""
    item = db.session.get(Booking, booking_id)
    if item is None:
        abort(404)
    back = form.next.data if is_safe_path(form.next.data) else url_for("review.queue")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(back, 303)
    if ask:
        title, consequence = ask(_item_name(item))
        if question := ask_first(title, consequence=consequence, back=back):
            return question
    try:
        with unit_of_work():
            decided = decide(booking_id, acting_user())
            message = str(done) % {"item": _item_name(decided)}
    except DomainError as refused:
        flash(refused.message, "error")
        return redirect(back, 303)
    flash(message, "success")
    return redirect(back, 303)


@bp.post("/bookings/<int:booking_id>/cancel")
@role_required(*BAKEUDA_ROLES)
def cancel(booking_id: int):
    form = CancelForm()
    item = db.session.get(Booking, booking_id)
    started = item is not None and item.is_approved and booking.is_started(item)

    def consequence() -> str:
        if started:
            return _("The use ends on %(day)s and the organisation is told, with your reason: "
                     "“%(reason)s”. The days used stay in the record.",
                     day=long_date(form.ends_on.data or clock.today_wib()),
                     reason=form.reason.data)
        return _("The face is freed and the organisation is told, with your reason: "
                 "“%(reason)s”.", reason=form.reason.data)

    return _decide(booking_id, form, lambda item_id, reviewer: booking.cancel(
        item_id, reviewer, reason=form.reason.data, ends_on=form.ends_on.data),
        _l("Cancelled: %(item)s."),
        ask=lambda name: (_("Cancel %(item)s?", item=name), consequence()))


def _bad_request(message: str):
    """Stop with a 400 page that says what was wrong."""
    abort(make_response(render_template("error.html", error=BadRequest(), message=message), 400))


def _timeline_window() -> tuple[date, int]:
    """``start`` (snapped to its Monday) and ``weeks`` from the query string, or a 400."""
    raw_start = request.args.get("start", "").strip()
    # Without a start, open where there is something to see rather than on empty weeks.
    start = parse_date(raw_start) if raw_start else (
        booking.nearest_use(clock.today_wib()) or clock.today_wib())
    if start is None:
        _bad_request(_("The start must be a date written like 2 March 2026 or 02-03-2026."))
    if not EARLIEST <= start <= LATEST:
        _bad_request(_("The start must be a date between %(first)s and %(last)s.",
                       first=long_date(EARLIEST), last=long_date(LATEST)))
    raw_weeks = request.args.get("weeks", "").strip() or str(DEFAULT_WEEKS)
    # isdigit() alone lets "²" through, which int() refuses.
    if not (raw_weeks.isascii() and raw_weeks.isdigit()) or not 1 <= int(raw_weeks) <= MAX_WEEKS:
        _bad_request(_("The number of weeks must be a whole number from 1 to %(n)s.",
                       n=MAX_WEEKS))
    return start - timedelta(days=start.weekday()), int(raw_weeks)


@bp.get("/timeline")
@role_required(*BAKEUDA_ROLES)
def timeline():
    """Faces × days over a few weeks: approved occupancy and pending requests."""
    start, weeks = _timeline_window()
    end = start + timedelta(weeks=weeks, days=-1)
    faces, by_face = booking.timeline(start, weeks)
    step = timedelta(weeks=weeks)
    return render_template(
        "review/timeline.html", start=start, end=end, weeks=weeks,
        mondays=grid.days(start, weeks * 7)[::7], days=grid.days(start, weeks * 7),
        rows=grid.rows(faces, by_face, start, end), today=clock.today_wib(),
        earlier=start - step if start - step >= EARLIEST else None,
        later=start + step if end + step <= LATEST else None,
        blocks=[b for face in faces for b in by_face.get(face.id, []) if b.request is None],
        reason_form=CancelForm(formdata=None))
