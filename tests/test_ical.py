"""The iCal feed of a site: approved occupancy only, all-day events with exclusive ends."""

import pytest
from icalendar import Calendar
from support import approval, day, submit

from billboard import booking
from billboard.extensions import db
from billboard.models import BookingKind, Site, SiteStatus


def events(response):
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


@pytest.mark.db
def test_feed_lists_approved_occupancy_only(client, make_user, reviewer):
    kpu = make_user("staf@kpu.example")
    [approved] = submit(kpu, ("PGK-01", "A", day(10), day(20))).bookings
    booking.approve(approved.id, reviewer, **approval())
    submit(kpu, ("PGK-01", "B", day(10), day(20)), purpose="Belum diputuskan")
    site = db.session.scalar(db.select(Site).filter_by(code="PGK-01"))
    booking.add_occupancy(reviewer, site.faces[1], day(30), day(31), kind=BookingKind.MAINTENANCE)
    db.session.commit()

    found = events(client.get("/sites/PGK-01.ics"))
    event = found[f"booking-{approved.id}@baliho.pangkalpinangkota.go.id"]
    assert event.decoded("dtstart") == day(10)
    assert event.decoded("dtend") == day(21)  # exclusive: the last day, 20, is included
    assert str(event["summary"]) == "PGK-01/A KPU Kota Pangkalpinang: Sosialisasi Pilkada"
    assert "Belum diputuskan" not in client.get("/sites/PGK-01.ics").get_data(as_text=True)
    assert len(found) == 2
    maintenance = next(e for uid, e in found.items() if uid != f"booking-{approved.id}@"
                       "baliho.pangkalpinangkota.go.id")
    assert str(maintenance["summary"]).startswith("PGK-01/B ")


def test_feed_window_is_90_days_back_to_a_year_ahead(app, client, reviewer):
    # Entries beyond the feed's year need a booking horizon beyond it too.
    app.config["BOOKING_HORIZON_DAYS"] = 800
    face_a, face_b = db.session.scalar(db.select(Site).filter_by(code="PGK-02")).faces
    inside = [booking.add_occupancy(reviewer, face_a, start, end, kind=BookingKind.COMMERCIAL,
                                    tenant_name="PT Reklame")
              for start, end in ((day(-95), day(-90)), (day(365), day(370)))]
    for start, end in ((day(-120), day(-91)), (day(366), day(400))):
        booking.add_occupancy(reviewer, face_b, start, end, kind=BookingKind.COMMERCIAL,
                              tenant_name="PT Lain")
    db.session.commit()
    found = events(client.get("/sites/PGK-02.ics"))
    assert sorted(found) == sorted(f"booking-{b.id}@baliho.pangkalpinangkota.go.id"
                                   for b in inside)
    assert all(str(e["summary"]) == "PGK-02/A PT Reklame" for e in found.values())


def test_uid_is_stable_between_fetches(client, reviewer):
    face = db.session.scalar(db.select(Site).filter_by(code="PGK-03")).faces[0]
    booking.add_occupancy(reviewer, face, day(1), day(2), kind=BookingKind.MAINTENANCE)
    db.session.commit()
    assert list(events(client.get("/sites/PGK-03.ics"))) == list(
        events(client.get("/sites/PGK-03.ics")))


def test_empty_site_has_an_empty_calendar(client):
    response = client.get("/sites/PGK-04.ics")
    assert events(response) == {}
    assert b"BEGIN:VCALENDAR" in response.data


@pytest.mark.parametrize("code", ["PGK-99", "nothing", "PGK-05"])
def test_unknown_or_retired_site_is_404(client, code):
    site = db.session.scalar(db.select(Site).filter_by(code="PGK-05"))
    site.status = SiteStatus.RETIRED
    db.session.commit()
    assert client.get(f"/sites/{code}.ics").status_code == 404
