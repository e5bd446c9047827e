"""The asset register: list, add, edit and retire sites; add, rename, retire, put back in use or
delete faces; a site's photo. The rules are in billboard/register.py; a refusal shows its page
again with nothing written."""
from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from .. import register, uploads
from ..auth.permissions import acting_user
from ..confirm import ask_first
from ..domain_errors import DomainError
from ..errors import status_for
from ..extensions import db
from ..images import site_photos
from ..labels import SITE_STATUS_LABELS
from ..models import Face, Site, SiteStatus
from ..unit_of_work import unit_of_work
from . import bp
from .site_forms import FaceForm, NewSiteForm, SiteForm, SitePhotoForm


def _site_or_404(site_id: int) -> Site:
    return db.first_or_404(db.select(Site).where(Site.id == site_id)
                           .options(selectinload(Site.faces)))


def _face_or_404(site: Site, face_id: int) -> Face:
    found = next((face for face in site.faces if face.id == face_id), None)
    if found is None:
        abort(404)
    return found


def _refused_on(form, refused: register.RegisterError) -> None:
    for column, message in refused.fields:
        field = form[column] if column and column in form else None
        (field.errors if field is not None else form.form_errors).append(message)


@bp.get("/sites")
def sites():
    """Every site of the register, retired ones too (their history stays)."""
    rows = db.session.scalars(db.select(Site).options(selectinload(Site.faces))
                              .order_by(Site.code)).all()
    return render_template("admin/sites.html", sites=rows, status_labels=SITE_STATUS_LABELS)


@bp.route("/sites/new", methods=["GET", "POST"])
def new_site():
    form = NewSiteForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                added = register.create_site(acting_user(), form.raw())
        except register.RegisterError as refused:
            _refused_on(form, refused)
        else:
            flash(_("Site %(code)s added to the register.", code=added.code), "success")
            return redirect(url_for("admin.site", site_id=added.id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("admin/site_new.html", form=form), status


def _edit_form(site: Site, *, submitted: bool) -> SiteForm:
    if submitted:
        form = SiteForm()
    else:
        form = SiteForm(obj=site, formdata=None)
        form.status.data = site.status.value
        for name in ("lat", "lon", "width_m", "height_m"):
            form[name].data = str(getattr(site, name))
    if not site.is_listed:
        # Saving its other fields keeps it retired; choosing a status of use brings it back.
        form.status.choices = [*form.status.choices, SelectChoice(
            SiteStatus.RETIRED.value, SITE_STATUS_LABELS[SiteStatus.RETIRED])]
    return form


def _site_page(site: Site, *, form: SiteForm | None = None, face_form: FaceForm | None = None,
               photo_form: SitePhotoForm | None = None, problems=(), status: int = 200):
    return render_template(
        "admin/site.html", site=site, form=form or _edit_form(site, submitted=False),
        face_form=face_form or FaceForm(formdata=None),
        photo_form=photo_form or SitePhotoForm(formdata=None),
        booked=register.booked_faces(site),
        problems=problems, status_labels=SITE_STATUS_LABELS,
        max_upload=uploads.human_size(current_app.config["MAX_UPLOAD_BYTES"])), status


def _back(site: Site, anchor: str | None = None):
    return redirect(url_for("admin.site", site_id=site.id, _anchor=anchor), 303)


def _refused_page(site: Site, refused: DomainError):
    # The refused change was rolled back: show the register as it is.
    db.session.expire_all()
    return _site_page(_site_or_404(site.id), problems=refused.problems,
                      status=status_for(refused))


def _changed(site: Site, change: Callable[[], object], done: str, anchor: str | None = None):
    """``change`` in one unit of work, then back to the register saying ``done``; refused, the
    register as it is with the reasons."""
    try:
        with unit_of_work():
            change()
    except register.RegisterError as refused:
        return _refused_page(site, refused)
    flash(done, "success")
    return _back(site, anchor)


@bp.route("/sites/<int:site_id>", methods=["GET", "POST"])
def site(site_id: int):
    """A site's register fields (the form), its faces and its photo."""
    found = _site_or_404(site_id)
    form = _edit_form(found, submitted=request.method == "POST")
    if not form.is_submitted():
        return _site_page(found)
    if not form.validate():
        return _site_page(found, form=form, status=422)
    try:
        with unit_of_work():
            changed = register.update_site(acting_user(), found, form.raw())
    except register.RegisterError as refused:
        _refused_on(form, refused)
        db.session.expire_all()
        return _site_page(_site_or_404(site_id), form=form, status=status_for(refused))
    flash(_("Saved: %(fields)s.", fields=", ".join(changed)) if changed
          else _("Nothing was changed."), "success")
    return _back(found)


@bp.post("/sites/<int:site_id>/retire")
def retire_site(site_id: int):
    found = _site_or_404(site_id)
    if question := ask_first(
            _("Retire %(code)s?", code=found.code),
            back=url_for("admin.site", site_id=found.id),
            consequence=_("It leaves the public map and can no longer be requested or rented. "
                          "Its bookings, rentals and reports stay on record."),
            button=_("Retire the site")):
        return question
    return _changed(found, lambda: register.retire_site(acting_user(), found),
                    _("%(code)s is retired.", code=found.code))


@bp.post("/sites/<int:site_id>/faces")
def add_face(site_id: int):
    found = _site_or_404(site_id)
    form = FaceForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                face = register.add_face(acting_user(), found, form.label.data or "")
        except register.RegisterError as refused:
            _refused_on(form, refused)
            db.session.expire_all()
            return _site_page(_site_or_404(site_id), face_form=form,
                              status=status_for(refused))
        flash(_("Face %(label)s added.", label=face.label), "success")
        return _back(found, "faces")
    return _site_page(found, face_form=form, status=422)


@bp.post("/sites/<int:site_id>/faces/<int:face_id>/rename")
def rename_face(site_id: int, face_id: int):
    found = _site_or_404(site_id)
    face = _face_or_404(found, face_id)
    form = FaceForm()
    if not form.validate_on_submit():
        return _site_page(found, problems=[_("Type the new letter of the face.")], status=422)
    try:
        with unit_of_work():
            register.rename_face(acting_user(), face, form.label.data or "")
    except register.RegisterError as refused:
        return _refused_page(found, refused)
    # Named after the change: the register writes the letter as it keeps it.
    flash(_("The face is now %(label)s.", label=face.label), "success")
    return _back(found, "faces")


@bp.post("/sites/<int:site_id>/faces/<int:face_id>/retire")
def retire_face(site_id: int, face_id: int):
    found = _site_or_404(site_id)
    face = _face_or_404(found, face_id)
    if question := ask_first(
            _("Retire face %(label)s of %(code)s?", label=face.label, code=found.code),
            back=url_for("admin.site", site_id=found.id, _anchor="faces"),
            consequence=_("It takes no new requests or rentals and leaves the public pages. "
                          "Its bookings stay on record."),
            button=_("Retire the face")):
        return question
    return _changed(found, lambda: register.retire_face(acting_user(), face),
                    _("Face %(label)s is retired.", label=face.label), "faces")


@bp.post("/sites/<int:site_id>/faces/<int:face_id>/restore")
def restore_face(site_id: int, face_id: int):
    found = _site_or_404(site_id)
    face = _face_or_404(found, face_id)
    return _changed(found, lambda: register.restore_face(acting_user(), face),
                    _("Face %(label)s is in use again.", label=face.label), "faces")


@bp.post("/sites/<int:site_id>/faces/<int:face_id>/delete")
def delete_face(site_id: int, face_id: int):
    found = _site_or_404(site_id)
    face = _face_or_404(found, face_id)
    label = face.label
    if question := ask_first(
            _("Delete face %(label)s of %(code)s?", label=label, code=found.code),
            back=url_for("admin.site", site_id=found.id, _anchor="faces"),
            consequence=_("Only a face entered by mistake, never booked, can be deleted."),
            button=_("Delete the face")):
        return question
    return _changed(found, lambda: register.delete_face(acting_user(), face),
                    _("Face %(label)s is deleted.", label=label), "faces")


@bp.post("/sites/<int:site_id>/photo")
def site_photo(site_id: int):
    """A new photo of the site, checked by its content, resized for the page, with a
    thumbnail; the photo it replaces is named in the audit trail."""
    found = _site_or_404(site_id)
    form = SitePhotoForm()
    if form.validate_on_submit():
        try:
            page, thumbnail = site_photos(form.photo.upload)
        except uploads.UploadError as refused:
            form.photo.errors.append(str(refused))
        else:
            with unit_of_work(page, thumbnail):
                replaced = register.set_photo(acting_user(), found, form.photo.upload, page,
                                              thumbnail)
            for name in replaced:
                uploads.discard(name)
            flash(_("The photo of %(code)s is saved.", code=found.code), "success")
            return _back(found, "photo")
    return _site_page(found, photo_form=form, status=422)
