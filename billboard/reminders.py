"""Reminders (DESIGN §5 ``billboard remind``), run daily from cron or a systemd timer.

Each kind of reminder is due from a day on and stays due while it still makes sense, so a day
on which cron did not run is caught up on the next; ``ReminderSent`` makes sure each kind goes
out once per booking. Days are WIB days: at 00:30 WIB it is already the next day, though UTC
still shows the previous one.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import joinedload

from .booking.handover import overdue_condition
from .booking.rules import REMOVAL_GRACE_DAYS
from .extensions import db
from .i18n import long_date
from .links import public_url
from .models import (
    Booking,
    BookingKind,
    BookingStatus,
    Category,
    Election,
    Face,
    OutboxEmail,
    ReminderSent,
    Request,
)

# How many days ahead the end of a use, or a masa tenang, is announced.
NOTICE_DAYS = 3
# The installation photo is expected within this many days of the start.
INSTALLATION_GRACE_DAYS = 2

SUBJECTS = {
    "ending_soon": "Pemakaian baliho berakhir {end}: turunkan materi",
    "installation_photo": "Foto pemasangan baliho belum dikirim",
    "removal_photo": "Foto penurunan baliho belum dikirim",
    "removal_overdue": "Terlambat: bidang baliho belum dikembalikan",
    "quiet_period": "Masa tenang mulai {quiet}: turunkan alat peraga kampanye",
}
# Kinds that Bakeuda hears of too: the asset is not back in its hands. Once the removal photo
# is in, only Bakeuda can act (it records the return), so the borrower is not told again.
TO_BAKEUDA = {"removal_overdue"}


@dataclass(frozen=True)
class Due:
    kind: str
    booking: Booking
    due_on: date
    election: Election | None = None


def _approved_request_items():
    return (db.select(Booking)
            .join(Request, Booking.request_id == Request.id)
            .options(joinedload(Booking.face).joinedload(Face.site),
                     joinedload(Booking.request).joinedload(Request.organization),
                     joinedload(Booking.request).joinedload(Request.created_by))
            .where(Booking.status == BookingStatus.APPROVED,
                   Booking.kind == BookingKind.NON_COMMERCIAL))


def _ending_soon(today: date) -> Iterator[Due]:
    for item in db.session.scalars(_approved_request_items().where(
            Booking.end_on >= today, Booking.end_on <= today + timedelta(days=NOTICE_DAYS))):
        yield Due("ending_soon", item, item.end_on - timedelta(days=NOTICE_DAYS))


def _installation_photo(today: date) -> Iterator[Due]:
    for item in db.session.scalars(_approved_request_items().where(
            Booking.installed_photo.is_(None), Booking.end_on >= today,
            Booking.start_on <= today - timedelta(days=INSTALLATION_GRACE_DAYS))):
        yield Due("installation_photo", item,
                  item.start_on + timedelta(days=INSTALLATION_GRACE_DAYS))


def _removal_photo(today: date) -> Iterator[Due]:
    for item in db.session.scalars(_approved_request_items().where(
            Booking.removed_photo.is_(None), Booking.end_on < today,
            Booking.end_on >= today - timedelta(days=REMOVAL_GRACE_DAYS))):
        yield Due("removal_photo", item, item.end_on + timedelta(days=1))


def _removal_overdue(today: date) -> Iterator[Due]:
    """No return on record once the removal photo's grace is over (``handover.is_overdue``,
    given the borrower the week it has to send the photo)."""
    for item in db.session.scalars(_approved_request_items().where(
            overdue_condition(today - timedelta(days=REMOVAL_GRACE_DAYS)))):
        yield Due("removal_overdue", item, item.end_on + timedelta(days=REMOVAL_GRACE_DAYS + 1))


def _quiet_period(today: date) -> Iterator[Due]:
    elections = db.session.scalars(db.select(Election).where(
        Election.quiet_start_on > today,
        Election.quiet_start_on <= today + timedelta(days=NOTICE_DAYS)))
    for election in elections:
        for item in db.session.scalars(_approved_request_items().where(
                Request.category == Category.FACILITATED_CAMPAIGN,
                Booking.start_on < election.quiet_start_on,
                Booking.end_on >= election.quiet_start_on - timedelta(days=1))):
            yield Due("quiet_period", item,
                      election.quiet_start_on - timedelta(days=NOTICE_DAYS), election)


CHECKS: tuple[Callable[[date], Iterator[Due]], ...] = (
    _ending_soon, _installation_photo, _removal_photo, _removal_overdue, _quiet_period)


def due(today: date) -> list[Due]:
    """Every reminder due on ``today`` (a WIB date) that has not been sent yet."""
    found = [reminder for check in CHECKS for reminder in check(today)]
    if not found:
        return []
    sent = set(db.session.execute(
        db.select(ReminderSent.kind, ReminderSent.booking_id).where(
            ReminderSent.booking_id.in_({reminder.booking.id for reminder in found}))).all())
    return [r for r in found if (r.kind, r.booking.id) not in sent]


def _subject(reminder: Due) -> str:
    text = SUBJECTS[reminder.kind].format(
        end=long_date(reminder.booking.end_on),
        quiet=reminder.election and long_date(reminder.election.quiet_start_on))
    return f"[Baliho Pangkalpinang] {text} ({reminder.booking.request.reference})"


def send_due(today: date) -> list[Due]:
    """Queue the email of every reminder due and record it as sent; the caller commits."""
    reminders = due(today)
    with force_locale("id"):
        for reminder in reminders:
            item = reminder.booking
            request = item.request
            body = render_template(
                "email/reminder.txt", kind=reminder.kind, item=item, request=request,
                election=reminder.election, grace=REMOVAL_GRACE_DAYS,
                link=public_url("agency.detail", request_id=request.id))
            bakeuda_alone = reminder.kind in TO_BAKEUDA and item.removed_photo is not None
            recipients = [] if bakeuda_alone else [
                request.organization.email or request.created_by.email]
            if reminder.kind in TO_BAKEUDA:
                recipients.append(current_app.config["BAKEUDA_EMAIL"])
            for address in dict.fromkeys(a for a in recipients if a):
                db.session.add(OutboxEmail(to_address=address, subject=_subject(reminder),
                                           body=body))
            db.session.add(ReminderSent(kind=reminder.kind, booking_id=item.id,
                                        due_on=reminder.due_on))
    db.session.flush()
    return reminders
