"""Changes to the asset register made by an administrator: sites, their faces and photos.

The checks of a site's fields are those of the CSV import (``sites.check_site``), so the form and
``import-sites`` accept and refuse the same values. Services flush and audit; the caller commits.
Nothing here deletes history: a site is retired, not removed, and a face that was ever booked
is retired too — only a face that never carried any booking may be deleted.
"""
from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from . import audit, clock, finance
from .audit import Action
from .domain_errors import DomainError, ErrorCode
from .extensions import db
from .models import Booking, Face, Site, SiteStatus, User
from .sites import FACE_PATTERN, check_site, open_use_problem
from .uploads import Upload

# The register's columns an administrator edits on the site form, in the form's order.
SITE_FIELDS = ("code", "name", "address", "kelurahan", "kecamatan", "lat", "lon", "width_m",
               "height_m", "illuminated", "asset_register_no", "status", "description")


class RegisterError(DomainError):
    """A refused change; ``fields`` names the form field of each problem (None: the form's)."""

    def __init__(self, problems: Sequence[tuple[str | None, str]],
                 code: ErrorCode = ErrorCode.INVALID):
        super().__init__(problems[0][1], code=code, problems=[m for _f, m in problems])
        self.fields = list(problems)


def _checked(raw: dict[str, str], site: Site | None) -> tuple[dict, list[str]]:
    checked = check_site(raw)
    problems: list[tuple[str | None, str]] = list(checked.problems)
    code = checked.values.get("code")
    if code and not checked.refuses("code"):
        holder = db.session.scalar(db.select(Site).filter_by(code=code))
        if holder is not None and holder is not site:
            problems.append(("code", _("The code %(code)s is already another site's.",
                                       code=code)))
    if problems:
        raise RegisterError(problems)
    return checked.values, checked.faces


def create_site(actor: User, raw: dict[str, str]) -> Site:
    """A new site from the form's text (the register's fields, its first monthly rate and its
    faces); its first tariff applies from the first day, as with the import."""
    values, faces = _checked(raw, None)
    if not faces:
        raise RegisterError([("faces", _("Name at least one face, e.g. A or A;B."))])
    rate = values.pop("monthly_rate_idr")
    site = Site(**values, faces=[Face(label=label) for label in faces])
    db.session.add(site)
    db.session.flush()
    finance.set_tariff(actor, site, rate, finance.FIRST_DAY)
    audit.record(actor, Action.SITE_CREATE, "site", site.id, to_state=site.status.value,
                 detail=f"{site.code}; faces {', '.join(faces)}")
    return site


def update_site(actor: User, site: Site, raw: dict[str, str]) -> list[str]:
    """Change the site's register fields to the form's text; the names of the changed ones.

    Retiring goes through ``retire_site`` (it checks the site's use); a retired site may be
    brought back to use here.
    """
    values, _faces = _checked(raw, site)
    if values.get("status") == SiteStatus.RETIRED and site.is_listed:
        raise RegisterError([("status", _("Retire a site with its own button: it checks the "
                                          "site's use first."))])
    changed = [key for key, value in values.items() if getattr(site, key) != value]
    if not changed:
        return []
    before = site.status
    for key in changed:
        setattr(site, key, values[key])
    db.session.flush()
    audit.record(actor, Action.SITE_UPDATE, "site", site.id, from_state=before.value,
                 to_state=site.status.value, detail=f"{site.code}: {', '.join(changed)}")
    return changed


def _refuse_open_use(faces: Sequence[Face], what: str) -> None:
    problem = open_use_problem(faces, what)
    if problem:
        raise RegisterError([(None, problem)], code=ErrorCode.WRONG_STATE)


def retire_site(actor: User, site: Site) -> None:
    """Take the site out of use: no longer listed publicly nor bookable; its history stays."""
    if not site.is_listed:
        raise RegisterError([(None, _("%(code)s is retired already.", code=site.code))],
                            code=ErrorCode.WRONG_STATE)
    _refuse_open_use(site.faces, site.code)
    before = site.status
    site.status = SiteStatus.RETIRED
    db.session.flush()
    audit.record(actor, Action.SITE_RETIRE, "site", site.id, from_state=before.value,
                 to_state=site.status.value, detail=site.code)


def _label(site: Site, raw: str, face: Face | None = None) -> str:
    label = raw.strip().upper()
    if not FACE_PATTERN.match(label):
        raise RegisterError([("label", _("A face is named by one letter, A to Z."))])
    if any(other.label == label and other is not face for other in site.faces):
        # Retired faces keep their letter: their bookings are still named by it.
        raise RegisterError([("label", _("%(code)s already has a face %(label)s.",
                                         code=site.code, label=label))])
    return label


def add_face(actor: User, site: Site, raw_label: str) -> Face:
    face = Face(label=_label(site, raw_label))
    site.faces.append(face)
    db.session.flush()
    audit.record(actor, Action.FACE_ADD, "face", face.id, to_state=face.label, detail=site.code)
    return face


def rename_face(actor: User, face: Face, raw_label: str) -> None:
    label = _label(face.site, raw_label, face)
    if label == face.label:
        return
    before, face.label = face.label, label
    db.session.flush()
    audit.record(actor, Action.FACE_RENAME, "face", face.id, from_state=before, to_state=label,
                 detail=face.site.code)


def retire_face(actor: User, face: Face) -> None:
    """The face takes no new use and leaves the public pages; its bookings stay on record."""
    name = face.code
    if face.is_retired:
        raise RegisterError([(None, _("%(face)s is retired already.", face=name))],
                            code=ErrorCode.WRONG_STATE)
    _refuse_open_use([face], name)
    face.retired_on = clock.today_wib()
    db.session.flush()
    audit.record(actor, Action.FACE_RETIRE, "face", face.id, from_state="in use",
                 to_state="retired", detail=name)


def restore_face(actor: User, face: Face) -> None:
    """A face retired by mistake takes requests and rentals again. Reports then count it as in
    use throughout, as if never retired; the audit trail keeps the retirement and its date."""
    if not face.is_retired:
        raise RegisterError([(None, _("%(face)s is in use already.", face=face.code))],
                            code=ErrorCode.WRONG_STATE)
    retired_on, face.retired_on = face.retired_on, None
    db.session.flush()
    audit.record(actor, Action.FACE_RESTORE, "face", face.id, from_state="retired",
                 to_state="in use", detail=f"{face.code}, retired since {retired_on}")


def has_bookings(face: Face) -> bool:
    return db.session.scalar(db.select(db.exists().where(Booking.face_id == face.id)))


def booked_faces(site: Site) -> set[int]:
    """The ids of the site's faces that carry any booking (those are never deleted)."""
    return set(db.session.scalars(db.select(Booking.face_id).distinct().where(
        Booking.face_id.in_([face.id for face in site.faces]))))


def delete_face(actor: User, face: Face) -> None:
    """Remove a face entered by mistake. One that was ever booked is part of the record and is
    refused (retire it instead)."""
    name = face.code
    if has_bookings(face):
        raise RegisterError([(None, _("%(face)s has bookings and cannot be deleted: retire it "
                                      "instead.", face=name))], code=ErrorCode.WRONG_STATE)
    face_id = face.id
    face.site.faces.remove(face)
    db.session.flush()
    audit.record(actor, Action.FACE_DELETE, "face", face_id, from_state=face.label, detail=name)


def set_photo(actor: User, site: Site, original: Upload, page: Upload,
              thumbnail: Upload) -> list[str]:
    """Name the new photo and thumbnail on the site; the stored names they replace (for the
    caller to remove once the change is committed). The audit event names both photos and the
    SHA-256 of the file that was sent."""
    replaced = [name for name in (site.photo, site.thumbnail_photo) if name]
    before = site.photo
    site.photo, site.thumbnail_photo = page.name, thumbnail.name
    db.session.flush()
    audit.record(actor, Action.SITE_CHANGE_PHOTO, "site", site.id, from_state=before,
                 to_state=page.name,
                 detail=f"{site.code} sha256 {original.sha256}")
    return replaced
