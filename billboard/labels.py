"""The names people read for the states, kinds and categories of the models.

Rules never depend on these; pages, forms, mail and documents show them. Lazy strings: each
is translated in the language of the page that shows it.
"""
from flask_babel import lazy_gettext as _l

from .audit import Action
from .models import (
    AuditEvent,
    BookingKind,
    BookingStatus,
    Category,
    FileKind,
    OrganizationKind,
    Role,
    SiteStatus,
)

CATEGORY_LABELS = {
    Category.VOTER_EDUCATION: _l("Voter education"),
    Category.PUBLIC_SERVICE: _l("Public service information"),
    Category.FACILITATED_CAMPAIGN: _l("Facilitated campaign props"),
    Category.COMMERCIAL: _l("Commercial"),
}
STATUS_LABELS = {
    BookingStatus.SUBMITTED: _l("Submitted"),
    BookingStatus.APPROVED: _l("Approved"),
    BookingStatus.REJECTED: _l("Rejected"),
    BookingStatus.WITHDRAWN: _l("Withdrawn"),
    BookingStatus.CANCELLED: _l("Cancelled"),
}
# A request's status is derived from its items (booking.request_status).
REQUEST_STATUS_LABELS = {
    **{state.value: label for state, label in STATUS_LABELS.items()},
    "partly_decided": _l("Partly decided"),
    "partly_approved": _l("Partly approved"),
    "closed": _l("Closed"),
}
SITE_STATUS_LABELS = {
    SiteStatus.ACTIVE: _l("In use"),
    SiteStatus.MAINTENANCE: _l("Under maintenance"),
    SiteStatus.RETIRED: _l("Retired"),
}
KIND_LABELS = {
    BookingKind.NON_COMMERCIAL: _l("Pinjam pakai"),
    BookingKind.COMMERCIAL: _l("Commercial rental"),
    BookingKind.MAINTENANCE: _l("Maintenance"),
}
# Where an approved item stands in its handover (booking.handover_stage), in this order.
HANDOVER_STAGE_LABELS = {
    "approved": _l("Approved"),
    "handed_over": _l("Handed over"),
    "installed": _l("Installed"),
    "returned": _l("Returned"),
}
# A rental's payment state is derived from its payments (booking.payment_state).
PAYMENT_LABELS = {
    "unpaid": _l("Unpaid"),
    "partly_paid": _l("Partly paid"),
    "paid": _l("Paid"),
}
ROLE_NAMES = {
    Role.AGENCY: _l("Agency"), Role.REVIEWER: _l("Reviewer"), Role.ADMIN: _l("Administrator"),
}
ORGANIZATION_KIND_NAMES = {
    OrganizationKind.GOVERNMENT: _l("Government body"),
    OrganizationKind.PRIVATE: _l("Private party"),
    OrganizationKind.BAKEUDA: _l("Bakeuda"),
    OrganizationKind.CITY_OFFICE: _l("City office (OPD)"),
}
# Audit actions that are not a change of state (those read "from → to").
ACTION_LABELS = {
    Action.BOOKING_ADD_INSTALLED_PHOTO: _l("Installation photo added"),
    Action.BOOKING_ADD_REMOVED_PHOTO: _l("Removal photo added"),
    Action.REQUEST_ATTACH_LETTER: _l("Letter attached"),
    Action.REQUEST_ATTACH_ARTWORK: _l("Artwork attached"),
    Action.BOOKING_HAND_OVER: _l("Handover recorded (BAST serah terima)"),
    Action.BOOKING_RECORD_RETURN: _l("Return recorded (BAST pengembalian)"),
    Action.REQUEST_ATTACH_SIGNED_LETTER: _l("Signed approval letter uploaded"),
    Action.REQUEST_ATTACH_SIGNED_AGREEMENT: _l("Signed agreement uploaded"),
    Action.BOOKING_ATTACH_SIGNED_HANDOVER: _l("Signed handover BAST uploaded"),
    Action.BOOKING_ATTACH_SIGNED_RETURN: _l("Signed return BAST uploaded"),
}
FILE_KIND_LABELS = {
    FileKind.LETTER: _l("Letter"),
    FileKind.ARTWORK: _l("Artwork"),
    FileKind.SIGNED_LETTER: _l("Signed approval letter"),
    FileKind.SIGNED_AGREEMENT: _l("Signed agreement"),
    FileKind.SIGNED_BAST_HANDOVER: _l("Signed handover BAST"),
    FileKind.SIGNED_BAST_RETURN: _l("Signed return BAST"),
}


def describe_change(event: AuditEvent) -> str:
    """What an audit event of a booking changed, in words for the request's history."""
    if not event.to_state:
        return str(ACTION_LABELS.get(event.action, event.action))
    after = str(STATUS_LABELS.get(event.to_state, event.to_state))
    if not event.from_state:
        return after
    return f"{STATUS_LABELS.get(event.from_state, event.from_state)} → {after}"
