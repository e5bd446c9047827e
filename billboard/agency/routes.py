"""Agency pages: an organisation's own requests and their files.

Every page is for agency staff and shows only their organisation's requests (another's answers
404). The files are also open to Bakeuda's reviewers and admins, who
reach them from the review pages.
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from .. import booking, campaign, clock, elections, errors, labels, paging, uploads
from ..api.requests import conflicts_json
from ..auth.permissions import acting_user, role_required
from ..confirm import ask_first
from ..domain_errors import DomainError
from ..extensions import db
from ..forms import parse_date
from ..i18n import long_date
from ..json_body import JsonBody
from ..models import Booking, BookingStatus, Category, Election, Face, Request, Site, SiteStatus
from ..unit_of_work import read_only, unit_of_work
from . import bp
from .forms import MAX_ROWS, FilesForm, PhotoForm, RequestForm, face_value

FILES = {"letter": "letter_file", "artwork": "artwork_file"}
PHOTOS = ("installed", "removed")
REQUESTS_PER_PAGE = 50


def _visible_request(request_id: int) -> Request:
    found = booking.visible_request(current_user, request_id)
    if found is None:
        abort(404)
    return found


def _item(found: Request, booking_id: int) -> Booking:
    item = next((b for b in found.bookings if b.id == booking_id), None)
    if item is None:
        abort(404)
    return item


def _bookable_sites() -> list[Site]:
    return list(db.session.scalars(
        db.select(Site).where(Site.status == SiteStatus.ACTIVE)
        .options(selectinload(Site.faces)).order_by(Site.code)))


@bp.get("/requests")
@role_required("agency")
def index():
    """The organisation's requests, newest first, with their derived status."""
    number = paging.whole_number(request.args.get("page"), paging.MAX_PAGE) or 1
    page = booking.requests_page(current_user.organization_id, number, REQUESTS_PER_PAGE)
    rows = [(found, booking.request_status(found)) for found in page.items]
    return render_template("agency/index.html", rows=rows, page=page,
                           category_labels=labels.CATEGORY_LABELS,
                           status_labels=labels.REQUEST_STATUS_LABELS)


def _form_page(form: RequestForm, sites: list[Site], *, problems=(), kept=None, status=200):
    max_upload = uploads.human_size(current_app.config["MAX_UPLOAD_BYTES"])
    return render_template("agency/new.html", form=form, sites=sites, problems=problems,
                           kept=kept or {}, max_rows=MAX_ROWS, max_upload=max_upload), status


@bp.route("/requests/new", methods=["GET", "POST"])
@role_required("agency")
def new_request():
    """The request form. Files are checked first, the request second, and the files are
    written only with the commit of an accepted request: a refusal leaves nothing behind."""
    sites = _bookable_sites()
    form = RequestForm(face_choices=[
        SelectChoice(face_value(site.code, face.label), optgroup=f"{site.code} · {site.name}")
        for site in sites for face in site.faces_in_use],
        election_choices=[SelectChoice(e.id, e.name) for e in elections.elections()])
    if not form.is_submitted() and (wanted := request.args.get("site")):
        # Coming from a site page's "Ajukan permohonan": that site's faces come ticked.
        form.faces.data = [face_value(site.code, face.label)
                           for site in sites if site.code == wanted
                           for face in site.faces_in_use]
    if not form.validate_on_submit():
        if not form.is_submitted():
            return _form_page(form, sites)
        return _form_page(form, sites, kept=form.keep_files(), status=422)
    letter, artwork = form.letter.upload, form.artwork.upload
    try:
        with unit_of_work(letter, artwork):
            created = booking.submit_request(
                acting_user(), purpose=form.purpose.data, category=form.category.data,
                letter_number=form.letter_number.data, letter_date=form.letter_date.data,
                items=form.items(), letter=letter, artwork=artwork,
                election=form.election.data)
    except DomainError as error:
        # The chosen files survive the refusal: the person corrects the rest and sends again.
        return _form_page(form, sites, problems=[*error.problems, *_suggested(form)],
                          kept=form.keep_files(),
                          status=errors.status_for(error))
    flash(_("Request %(reference)s was sent to Bakeuda, which decides each item.",
            reference=created.reference), "success")
    return redirect(url_for(".detail", request_id=created.id))


def _check_input(data) -> tuple[Category, Election | None, list[booking.ItemInput]]:
    """The live check's body, read as the API reads its own; the dates are what the form's
    date fields hold (what the person typed, 27 November 2024 as well as 2024-11-27)."""
    body = JsonBody(data, dates=parse_date, date_hint=_(
        "Write the date like 2024-11-27 or 27 November 2024."))
    category = body.choice("category", [c.value for c in booking.REQUEST_CATEGORIES])
    election_id = body.integer("election", required=False)
    items = []
    for index, raw in enumerate(body.items("items", most=booking.MAX_ITEMS_PER_REQUEST)):
        item = body.within(raw, f"items[{index}]")
        values = (item.text("site", Site.code), item.text("face", Face.label),
                  item.day("start"), item.day("end"))
        if None not in values:
            items.append(booking.ItemInput(*values))
    body.refuse_unless_clean()
    election = None if election_id is None else db.session.get(Election, election_id)
    return Category(category), election, items


def _check_result(check: booking.ItemCheck, shared: list[str],
                  suggestion: booking.Suggestion | None) -> dict:
    """One item of the live check, and the one line that says all about it: its own reasons
    (not those shared by every item), who holds the face, others waiting, what is free."""
    item = check.item
    pending = len({b.request_id for b in check.pending})
    said = [reason for reason in check.reasons if reason not in shared]
    if not check.ok and not said:
        said.append(_("refused for the reason above, like every item."))
    said.extend(_("Held by %(holder)s: %(purpose)s.", holder=busy.organization,
                  purpose=busy.purpose) if busy.purpose
                else _("Held by %(holder)s.", holder=busy.organization)
                for busy in check.clashes if busy.organization)
    if pending:
        said.append(_("Other requests still waiting for a decision: %(n)s.", n=pending))
    offered = suggestion and booking.suggestion_text(suggestion)
    if offered:
        said.append(offered)
    return {
        "site": item.site, "face": item.face,
        "start": item.start.isoformat(), "end": item.end.isoformat(),
        "period": _("%(start)s to %(end)s", start=long_date(item.start), end=long_date(item.end)),
        "ok": check.ok,
        "taken": bool(check.clashes),
        "problems": check.problems,
        "line": booking.where_problem(item, " ".join(said) if said
                                      else _("free, no blackout.")),
        "conflicts": conflicts_json(check.clashes, pending),
        "suggestions": None if suggestion is None else {
            "later": suggestion.later and {"start": suggestion.later[0].isoformat(),
                                           "end": suggestion.later[1].isoformat()},
            "faces": [face.code for face in suggestion.faces]},
    }


@bp.post("/requests/check")
@role_required("agency")
@read_only
@errors.answers_json
def check():
    """Live feedback for the form: what the rules say about each item before submitting, one
    line per item; a reason every item shares is said once, for the request."""
    category, election, items = _check_input(request.get_json(silent=True))
    checks = booking.check_items(category, items, election=election)
    shared = booking.shared_reasons(checks)
    offered = booking.suggestions(category, checks)
    return {"problems": [_("Every item: %(problem)s", problem=reason) for reason in shared],
            "items": [_check_result(c, shared, offered.get(n)) for n, c in enumerate(checks)]}


def _suggested(form: RequestForm) -> list[str]:
    """For a refused request, what is free instead of each taken face."""
    try:
        category = Category(form.category.data)
    except ValueError:
        # Refused for its category already: there is nothing to suggest.
        return []
    election = form.election.data and db.session.get(Election, form.election.data)
    checks = booking.check_items(category, form.items(), election=election or None)
    return [booking.where_problem(checks[n].item, text)
            for n, suggestion in booking.suggestions(category, checks).items()
            if (text := booking.suggestion_text(suggestion))]


def _detail_page(found: Request, *, status: int = 200, photo_form: PhotoForm | None = None,
                 photo_item: int | None = None):
    today = clock.today_wib()
    withdrawable = booking.withdrawable(found, today)
    approved = [b for b in found.bookings if b.status == BookingStatus.APPROVED]
    photo_forms = {b.id: photo_form if b.id == photo_item else PhotoForm(formdata=None)
                   for b in approved}
    events, kept = booking.history(found), booking.versions(found)
    return render_template(
        "agency/detail.html", req=found, status=booking.request_status(found),
        items_by_id={b.id: b for b in found.bookings}, events=events, kept=kept,
        seen=booking.seen_by_decisions(events, kept),
        withdrawable_ids={b.id for b in withdrawable}, can_withdraw=bool(withdrawable),
        photo_forms=photo_forms, today=today, files_form=FilesForm(formdata=None),
        can_attach=booking.files_can_change(found), files_frozen=booking.files_frozen(found),
        draw=campaign.standing_draw(found), can_draw=campaign.can_draw(found),
        category_labels=labels.CATEGORY_LABELS, status_labels=labels.REQUEST_STATUS_LABELS,
        item_labels=labels.STATUS_LABELS,
    ), status


@bp.get("/requests/<int:request_id>")
@role_required("agency")
def detail(request_id: int):
    """One request: its items, files, decisions and audit trail."""
    return _detail_page(_visible_request(request_id))


@bp.post("/requests/<int:request_id>/withdraw")
@role_required("agency")
def withdraw(request_id: int):
    """Withdraw every item not yet started; a refusal is shown on the request page (409)."""
    found = _visible_request(request_id)
    if question := ask_first(
            _("Withdraw request %(reference)s?", reference=found.reference),
            back=url_for(".detail", request_id=found.id),
            consequence=_("Every item that has not started yet is withdrawn, whether waiting or "
                          "approved. This cannot be undone."),
            button=_("Withdraw the request")):
        return question
    try:
        with unit_of_work():
            withdrawn = booking.withdraw_request(found, acting_user())
    except DomainError as error:
        flash(error.message, "error")
        return _detail_page(found, status=errors.status_for(error))
    flash(ngettext("%(num)d item withdrawn.", "%(num)d items withdrawn.", len(withdrawn)),
          "success")
    return redirect(url_for(".detail", request_id=found.id))


@bp.post("/requests/<int:request_id>/bookings/<int:booking_id>/withdraw")
@role_required("agency")
def withdraw_item(request_id: int, booking_id: int):
    """Withdraw one item not yet started; a refusal is shown on the request page (409)."""
    found = _visible_request(request_id)
    item = _item(found, booking_id)
    where = item.face.code
    if question := ask_first(
            _("Withdraw %(where)s, %(start)s – %(end)s?", where=where,
              start=long_date(item.start_on), end=long_date(item.end_on)),
            back=url_for(".detail", request_id=found.id, _anchor=f"item-{item.id}"),
            consequence=_("Only this item is withdrawn, whether waiting or approved; the other "
                          "items of the request stay as they are. This cannot be undone."),
            button=_("Withdraw this item")):
        return question
    try:
        with unit_of_work():
            booking.withdraw_item(item.id, acting_user())
    except DomainError as error:
        flash(error.message, "error")
        return _detail_page(found, status=errors.status_for(error))
    flash(_("%(where)s withdrawn.", where=where), "success")
    return redirect(url_for(".detail", request_id=found.id, _anchor=f"item-{item.id}"))


@bp.post("/requests/<int:request_id>/bookings/<int:booking_id>/photos")
@role_required("agency")
def upload_photo(request_id: int, booking_id: int):
    """Attach the installation or removal photo of an approved item."""
    found = _visible_request(request_id)
    item = _item(found, booking_id)
    form = PhotoForm()
    if not form.validate_on_submit():
        flash(_("The photo was not saved: see the item below."), "error")
        return _detail_page(found, status=422, photo_form=form, photo_item=item.id)
    which = form.which.data
    previous = getattr(item, f"{which}_photo")
    try:
        with unit_of_work(form.photo.upload):
            booking.record_photo(item, acting_user(), which=which,
                                 filename=form.photo.upload.name, taken_on=form.taken_on.data)
    except DomainError as error:
        flash(error.message, "error")
        return _detail_page(found, status=errors.status_for(error), photo_form=form,
                            photo_item=item.id)
    # The replaced photo is no longer referenced by anything.
    uploads.discard(previous)
    flash(_("The photo was saved."), "success")
    return redirect(url_for(".detail", request_id=found.id, _anchor=f"item-{item.id}"))


@bp.post("/requests/<int:request_id>/files")
@role_required("agency")
def attach_files(request_id: int):
    """Attach the letter or artwork of a request under review (one made through the API)."""
    found = _visible_request(request_id)
    form = FilesForm()
    if not form.validate_on_submit():
        flash(_("The files were not saved: %(problems)s",
                problems=" ".join(form.letter.errors + form.artwork.errors)), "error")
        return _detail_page(found, status=422)
    letter, artwork = form.letter.upload, form.artwork.upload
    try:
        with unit_of_work(letter, artwork):
            booking.attach_files(found, acting_user(), letter=letter, artwork=artwork)
    except DomainError as error:
        flash(error.message, "error")
        return _detail_page(found, status=errors.status_for(error))
    # The replaced files stay: their versions name them.
    flash(_("The files were saved."), "success")
    return redirect(url_for(".detail", request_id=found.id))


@bp.get("/requests/<int:request_id>/files/<kind>")
@role_required("agency", "reviewer", "admin")
def request_file(request_id: int, kind: str):
    """The request's letter or artwork."""
    found = _visible_request(request_id)
    name = getattr(found, FILES[kind]) if kind in FILES else None
    if not name:
        abort(404)
    return uploads.send_upload(name, f"{found.reference}-{kind}")


@bp.get("/requests/<int:request_id>/files/versions/<int:version_id>")
@role_required("agency", "reviewer", "admin")
def file_version(request_id: int, version_id: int):
    """One kept version of the request's files, replaced or current, or a signed scan."""
    found = _visible_request(request_id)
    version = booking.version_of(found, version_id)
    if version is None:
        abort(404)
    return uploads.send_upload(version.stored_name,
                               f"{found.reference}-{version.kind.value}-{version.id}")


@bp.get("/requests/<int:request_id>/bookings/<int:booking_id>/photos/<which>")
@role_required("agency", "reviewer", "admin")
def photo(request_id: int, booking_id: int, which: str):
    """An item's installation or removal photo."""
    found = _visible_request(request_id)
    item = _item(found, booking_id)
    name = getattr(item, f"{which}_photo") if which in PHOTOS else None
    if not name:
        abort(404)
    return uploads.send_upload(
        name, f"{found.reference}-{item.face.site.code}-{item.face.label}-{which}")
