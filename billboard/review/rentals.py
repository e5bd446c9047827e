"""Bakeuda's own entries on a face: commercial rentals (sewa) and maintenance blocks — the
list, recording one (the fee shown before saving), new dates, ending it, payments and the
printable rental agreement."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import contains_eager
from wtforms import SelectChoice

from .. import booking, clock, finance
from ..auth.permissions import BAKEUDA_ROLES, acting_user, role_required
from ..confirm import ask_first
from ..domain_errors import DomainError
from ..extensions import db
from ..labels import KIND_LABELS, PAYMENT_LABELS
from ..models import Booking, BookingKind, Face, Site
from ..unit_of_work import unit_of_work
from . import bp
from .desk_forms import DatesForm, EndForm, EntryFilterForm, EntryForm, PaymentForm


@bp.context_processor
def _desk_words() -> dict:
    return {"payment_state": booking.payment_state,
            "starts_unpaid": booking.starts_unpaid, "can_change": booking.can_change,
            "is_rental": booking.is_rental, "owes_payment": booking.owes_payment,
            "is_started": booking.is_started,
            "payment_labels": PAYMENT_LABELS}


def _sites() -> list[Site]:
    return list(db.session.scalars(db.select(Site).order_by(Site.code)))


def _filters(form: EntryFilterForm, sites: list[Site]) -> booking.RentalFilter:
    """The filters that were given and valid; a bad one is shown with its error and ignored."""
    def given(field):
        return field.data if field.data and not field.errors else None

    site = {site.code: site for site in sites}.get(given(form.site) or "")
    kind, payment = given(form.kind), given(form.payment)
    return booking.RentalFilter(
        kind=BookingKind(kind) if kind else None, site_id=site.id if site else None,
        start=given(form.start), end=given(form.end),
        payment=booking.PaymentState(payment) if payment else None)


@bp.get("/rentals")
@role_required(*BAKEUDA_ROLES)
def rentals():
    """Rentals and maintenance blocks, newest first, filtered by kind, site, dates, payment."""
    sites = _sites()
    form = EntryFilterForm(request.args)
    form.site.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(site.code, f"{site.code} · {site.name}") for site in sites]
    form.validate()
    found = booking.entries(_filters(form, sites))
    return render_template("review/rentals.html", form=form, entries=found,
                           today=clock.today_wib())


def _face_choices() -> list[SelectChoice]:
    faces = db.session.scalars(
        db.select(Face).join(Site).options(contains_eager(Face.site))
        .where(Site.is_listed, Face.retired_on.is_(None)).order_by(Site.code, Face.label)).all()
    return [SelectChoice(face.id, f"{face.code} · {face.site.name}")
            for face in faces]


def _preview(form: EntryForm, face: Face) -> dict:
    """What the tariff asks for the chosen face and days, for the form to show before saving."""
    start, end = form.start.data, form.end.data
    schedule = finance.schedules([face.site_id]).get(face.site_id, [])
    return {"days": finance.days_in(start, end), "fee": booking.tariff_fee(face, start, end),
            "rates": sorted({finance.rate_on(schedule, start), finance.rate_on(schedule, end)})}


@bp.route("/occupancy/new", methods=["GET", "POST"])
@role_required(*BAKEUDA_ROLES)
def new_occupancy():
    """Record a rental or a maintenance block; "Show the fee" computes it without saving."""
    form = EntryForm()
    form.face.choices = _face_choices()
    preview = None
    if form.validate_on_submit():
        face = db.session.get(Face, form.face.data)
        if face is None:
            abort(404)
        if "preview" in request.form:
            preview = _preview(form, face) if form.start.data <= form.end.data else None
            if preview is None:
                form.form_errors.append(_("The end date is before the start date."))
        else:
            try:
                with unit_of_work():
                    added = _record(form, face)
            except DomainError as refused:
                form.form_errors.extend(refused.problems)
            else:
                flash(_("Recorded: %(count)s.", count=", ".join(
                    a.face.code for a in added)), "success")
                return redirect(url_for(".rental", booking_id=added[0].id), 303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("review/occupancy.html", form=form, preview=preview), status


def _record(form: EntryForm, face: Face) -> list[Booking]:
    kind = BookingKind(form.kind.data)
    if form.whole_site.data:
        if kind != BookingKind.MAINTENANCE:
            raise booking.BookingError(_("Only maintenance blocks a whole site at once."))
        return booking.block_site(acting_user(), face.site, form.start.data, form.end.data,
                                  reason=form.reason.data)
    return [booking.add_occupancy(
        acting_user(), face, form.start.data, form.end.data, kind=kind,
        tenant_name=form.tenant_name.data, fee_idr=form.fee_idr.data,
        fee_reason=form.fee_reason.data, agreement_number=form.agreement_number.data,
        reason=form.reason.data)]


def _entry_or_404(booking_id: int) -> Booking:
    found = booking.entry(booking_id)
    if found is None:
        abort(404)
    return found


def _page(entry: Booking, status: int = 200, **forms):
    forms = {"dates_form": DatesForm(formdata=None, start=entry.start_on, end=entry.end_on),
             "end_form": EndForm(formdata=None), "payment_form": PaymentForm(formdata=None),
             **forms}
    return render_template("review/rental.html", entry=entry, today=clock.today_wib(),
                           kind_labels=KIND_LABELS, **forms), status


@bp.get("/rentals/<int:booking_id>")
@role_required(*BAKEUDA_ROLES)
def rental(booking_id: int):
    return _page(_entry_or_404(booking_id))


def _change(booking_id: int, form, change, done: str, form_name: str):
    """Validate, call the service in one unit of work; a refusal is shown on the page and
    nothing is changed."""
    entry = _entry_or_404(booking_id)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                change(entry)
        except DomainError as refused:
            form.form_errors.extend(refused.problems)
        else:
            flash(done, "success")
            return redirect(url_for(".rental", booking_id=booking_id), 303)
    return _page(_entry_or_404(booking_id), 422, **{form_name: form})


@bp.post("/rentals/<int:booking_id>/dates")
@role_required(*BAKEUDA_ROLES)
def rental_dates(booking_id: int):
    form = DatesForm()
    return _change(booking_id, form, lambda entry: booking.change_dates(
        entry.id, acting_user(), form.start.data, form.end.data),
        _("The dates were changed."), "dates_form")


@bp.post("/rentals/<int:booking_id>/end")
@role_required(*BAKEUDA_ROLES)
def rental_end(booking_id: int):
    form = EndForm()
    entry = _entry_or_404(booking_id)
    name, started = entry.face.code, booking.is_started(entry)
    if form.validate_on_submit() and (question := ask_first(
            _("End %(face)s today?", face=name) if started else _("Cancel %(face)s?", face=name),
            back=url_for(".rental", booking_id=booking_id),
            consequence=_("The face becomes free for the days left. This cannot be undone."),
            button=_("End it today") if started else _("Cancel it"))):
        return question
    return _change(booking_id, form, lambda entry: booking.end_or_cancel(
        entry.id, acting_user(), reason=form.reason.data),
        _("Ended: a use that had started ends today, one not started is cancelled."),
        "end_form")


@bp.post("/rentals/<int:booking_id>/payments")
@role_required(*BAKEUDA_ROLES)
def rental_payment(booking_id: int):
    form = PaymentForm()
    return _change(booking_id, form, lambda entry: booking.record_payment(
        entry.id, acting_user(), receipt_number=form.receipt_number.data,
        paid_on=form.paid_on.data, amount_idr=form.amount_idr.data),
        _("Payment recorded."), "payment_form")


@bp.get("/rentals/<int:booking_id>/agreement")
@role_required(*BAKEUDA_ROLES)
def rental_agreement(booking_id: int):
    """The rental agreement (perjanjian sewa), printable on A4, always in Bahasa Indonesia."""
    entry = _entry_or_404(booking_id)
    if entry.kind != BookingKind.COMMERCIAL:
        abort(404)
    with force_locale("id"):
        document = render_template("review/_rental_agreement.html", entry=entry,
                                   site=entry.face.site,
                                   days=finance.days_in(entry.start_on, entry.end_on),
                                   printed_on=clock.today_wib())
    return render_template("review/rental_agreement.html", entry=entry,
                           document=Markup(document))
