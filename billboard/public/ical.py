"""The iCal feed of one site: its approved occupancy, to subscribe to from any calendar app.

Only what the public may see (``booking.occupancy``: approved use, rentals, maintenance), never a
pending request. Booking dates are inclusive WIB days; iCal all-day events end exclusively.
"""
from datetime import UTC, datetime, time, timedelta

from icalendar import Calendar, Event

from .. import booking, caching, clock, labels, listing
from ..campaign import contestant_label
from . import bp

PAST_DAYS = 90
FUTURE_DAYS = 365
UID_DOMAIN = "baliho.pangkalpinangkota.go.id"


def _summary(where: str, busy: booking.Busy) -> str:
    if busy.contestant_number is not None:
        return f"{where} {contestant_label(busy.contestant_number, busy.contestant_name)}"
    holder = busy.organization or str(labels.KIND_LABELS[busy.kind])
    return f"{where} {holder}: {busy.purpose}" if busy.purpose else f"{where} {holder}"


@bp.get("/sites/<code>.ics")
@caching.public
def site_calendar(code: str):
    """Approved occupancy of every face of a site, from 90 days ago to a year ahead."""
    site = listing.public_site_or_404(code)
    today = clock.today_wib()
    busy = booking.availability(site, today - timedelta(days=PAST_DAYS),
                                today + timedelta(days=FUTURE_DAYS))
    calendar = Calendar()
    calendar.add("prodid", "-//Bakeuda Kota Pangkalpinang//Baliho Pangkalpinang//ID")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Baliho {site.code} {site.name}")
    calendar.add("x-wr-timezone", clock.WIB.key)
    # The same all day on every worker, so that the feed keeps one ETag (a DTSTAMP must only be
    # a UTC time not after the feed was made).
    stamp = datetime.combine(today, time(), clock.WIB).astimezone(UTC)
    for label, entries in busy.items():
        for entry in entries:
            event = Event()
            # Stable across fetches, so a calendar app updates the event instead of adding one.
            event.add("uid", f"booking-{entry.booking_id}@{UID_DOMAIN}")
            event.add("dtstamp", stamp)
            event.add("dtstart", entry.start_on)
            event.add("dtend", entry.end_on + timedelta(days=1))
            event.add("summary", _summary(f"{site.code}/{label}", entry))
            event.add("location", f"{site.name}, {site.address}")
            event.add("transp", "OPAQUE")
            calendar.add_component(event)
    return calendar.to_ical(), 200, {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": f'inline; filename="{site.code}.ics"',
    }
