"""A request's kept files (DESIGN §3 "Files are frozen", §6a): every upload is a version.

The letter and the artwork may be replaced while the request waits and nothing is approved;
each upload is a new :class:`FileVersion`, with its SHA-256 in its audit event, and the
request names the newest. No version is ever overwritten or deleted (a listener refuses both),
so what a decision saw stays on record. Bakeuda's signed scans (the approval letter, the
agreement, each BAST) are versions too.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from .. import audit
from ..audit import Action
from ..extensions import db
from ..models import (
    AuditEvent,
    Booking,
    BookingStatus,
    FileKind,
    FileVersion,
    HandoverKind,
    Request,
    User,
)
from ..uploads import Upload
from .locks import lock_items_of
from .rules import BookingError, WrongState, files_can_change, files_frozen, handover_of

# The files the agency sends with its request; the request's columns name the newest.
AGENCY_FILES = {FileKind.LETTER: "letter_file", FileKind.ARTWORK: "artwork_file"}
SIGNED_SCANS = (FileKind.SIGNED_LETTER, FileKind.SIGNED_AGREEMENT, FileKind.SIGNED_BAST_HANDOVER,
                FileKind.SIGNED_BAST_RETURN)
ACTIONS = {
    FileKind.LETTER: Action.REQUEST_ATTACH_LETTER,
    FileKind.ARTWORK: Action.REQUEST_ATTACH_ARTWORK,
    FileKind.SIGNED_LETTER: Action.REQUEST_ATTACH_SIGNED_LETTER,
    FileKind.SIGNED_AGREEMENT: Action.REQUEST_ATTACH_SIGNED_AGREEMENT,
    FileKind.SIGNED_BAST_HANDOVER: Action.BOOKING_ATTACH_SIGNED_HANDOVER,
    FileKind.SIGNED_BAST_RETURN: Action.BOOKING_ATTACH_SIGNED_RETURN,
}
# The BAST each item scan is the signed copy of.
SCANNED_BAST = {FileKind.SIGNED_BAST_HANDOVER: HandoverKind.HANDOVER,
                FileKind.SIGNED_BAST_RETURN: HandoverKind.RETURN}
# The audit events of a decision on an item.
DECIDED = (BookingStatus.APPROVED.value, BookingStatus.REJECTED.value)


class FileVersionTamperingError(RuntimeError):
    """A kept file version was about to be changed or removed."""


audit.keep_unchanged(FileVersion, FileVersionTamperingError, "file versions")


def add_version(request: Request, user: User, kind: FileKind, upload: Upload, *,
                booking: Booking | None = None) -> FileVersion:
    """Keep ``upload`` as a new version of the request's ``kind`` of file (no check of state:
    the callers below decide whether it may be added)."""
    version = FileVersion(request=request, booking=booking, kind=kind, sha256=upload.sha256,
                          stored_name=upload.name, original_filename=upload.filename or None,
                          uploaded_by=user)
    db.session.add(version)
    if kind in AGENCY_FILES:
        setattr(request, AGENCY_FILES[kind], upload.name)
    db.session.flush()
    audit.record(user, ACTIONS[kind], "booking" if booking else "request",
                 booking.id if booking else request.id,
                 detail=f"version {version.id}: {upload.filename or upload.name}; "
                        f"sha256 {upload.sha256}")
    return version


def attach_files(request: Request, user: User, *, letter: Upload | None = None,
                 artwork: Upload | None = None) -> list[FileVersion]:
    """Attach (or replace, as a new version) the letter and the artwork of a request still
    waiting, e.g. one made through the API; refused once any item is approved."""
    lock_items_of(request)
    if files_frozen(request):
        raise WrongState(_("An item of this request is approved: its letter and artwork are "
                           "the ones on record and can no longer be replaced. To use other "
                           "files, send a new request."))
    if not files_can_change(request):
        raise WrongState(_("Files can be changed only while items wait for a decision."))
    return [add_version(request, user, kind, upload)
            for kind, upload in ((FileKind.LETTER, letter), (FileKind.ARTWORK, artwork))
            if upload is not None]


def add_scan(request: Request, user: User, kind: FileKind | str, upload: Upload, *,
             booking_id: int | None = None) -> FileVersion:
    """Keep Bakeuda's signed scan of the approval letter or the agreement (once an item is
    approved), or of an item's BAST (once that BAST is on record). Earlier scans stay."""
    try:
        kind = FileKind(kind)
    except ValueError:
        kind = None
    if kind not in SIGNED_SCANS:
        raise BookingError(_("Choose what the scan is: the approval letter, the agreement or "
                             "a BAST."))
    item = None
    if kind in SCANNED_BAST:  # a BAST belongs to one item, not to the whole request
        item = next((b for b in request.bookings if b.id == booking_id), None)
        if item is None:
            raise BookingError(_("Choose the item whose BAST this is."))
        if handover_of(item, SCANNED_BAST[kind]) is None:
            raise WrongState(_("This BAST is not on record yet: record it first, then upload "
                               "its signed scan."))
    elif not files_frozen(request):
        raise WrongState(_("No item of this request is approved: there is no signed letter "
                           "or agreement to upload yet."))
    return add_version(request, user, kind, upload, booking=item)


def versions(request: Request) -> list[FileVersion]:
    """Every kept file of the request, oldest first."""
    return list(db.session.scalars(
        db.select(FileVersion).options(joinedload(FileVersion.uploaded_by),
                                       joinedload(FileVersion.booking))
        .where(FileVersion.request_id == request.id)
        .order_by(FileVersion.uploaded_at, FileVersion.id)))


def version_of(request: Request, version_id: int) -> FileVersion | None:
    """One kept file of the request, or None (another request's version is not found)."""
    return db.session.scalar(db.select(FileVersion).where(
        FileVersion.id == version_id, FileVersion.request_id == request.id))


def seen_at(kept: list[FileVersion], moment: datetime) -> list[FileVersion]:
    """The letter and the artwork on record at ``moment``: the newest of each uploaded by
    then (what a decision taken at that moment saw)."""
    newest: dict[FileKind, FileVersion] = {}
    for version in kept:
        if version.kind in AGENCY_FILES and version.uploaded_at <= moment:
            newest[version.kind] = version
    return [newest[kind] for kind in AGENCY_FILES if kind in newest]


def seen_by_decisions(events: list[AuditEvent],
                      kept: list[FileVersion]) -> dict[int, list[FileVersion]]:
    """For each decision among ``events``, the letter and artwork it was taken on."""
    return {event.id: seen_at(kept, event.at) for event in events if event.to_state in DECIDED}
