"""billboard remind: each reminder on its WIB day, sent once, caught up after a missed day."""
from datetime import UTC, datetime, timedelta

import pytest
from support import TODAY, approval, day, face, submit

import billboard.clock
from billboard import booking, reminders
from billboard.extensions import db
from billboard.models import (
    Booking,
    BookingKind,
    BookingStatus,
    Category,
    Election,
    Handover,
    HandoverKind,
    OutboxEmail,
    ReminderSent,
    Request,
)

# Captured at collection, before conftest pins "today": the clock that reads the real time.
REAL_TODAY_WIB = billboard.clock.today_wib
START, END = day(10), day(20)


@pytest.fixture
def item(kpu, reviewer):
    request = submit(kpu, ("PGK-01", "A", START, END), purpose="Sosialisasi tahapan Pilkada",
                     letter_number="001/PP.01/KPU/2026")
    approved = booking.approve(request.bookings[0].id, reviewer, **approval())
    db.session.commit()
    return approved


def kinds(day) -> list[str]:
    sent = reminders.send_due(day)
    db.session.commit()
    return sorted(reminder.kind for reminder in sent)


def at_utc(moment: datetime, monkeypatch) -> None:
    """Run the real clock as if it were ``moment``."""
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz)

    monkeypatch.setattr("billboard.clock.today_wib", REAL_TODAY_WIB)
    monkeypatch.setattr("billboard.clock.datetime", Frozen)


def test_a_use_ending_in_three_days_is_reminded_on_the_wib_day(runner, item, monkeypatch):
    item.installed_photo, item.installed_on = "photo.jpg", START
    db.session.commit()
    notice = END - timedelta(days=3)
    # 23:30 WIB the evening before: not yet.
    at_utc(datetime(notice.year, notice.month, notice.day, tzinfo=UTC) - timedelta(hours=7.5),
           monkeypatch)
    assert "Queued 0 reminder(s)." in runner.invoke(args=["billboard", "remind"]).output
    # 00:30 WIB on the day, which is 17:30 of the previous day in UTC.
    at_utc(datetime(notice.year, notice.month, notice.day, tzinfo=UTC) - timedelta(hours=6.5),
           monkeypatch)
    assert "Queued 1 reminder(s)." in runner.invoke(args=["billboard", "remind"]).output
    emails = db.session.scalars(db.select(OutboxEmail).where(
        OutboxEmail.subject.contains("turunkan materi"))).all()
    assert [email.to_address for email in emails] == ["staf@kpu.example"]
    assert f"{END.day} " in emails[0].subject and "PGK-01/A" in emails[0].body
    assert f"/requests/{item.request_id}" in emails[0].body
    # The next run, the same day or the next: not again.
    assert "Queued 0 reminder(s)." in runner.invoke(args=["billboard", "remind"]).output


def test_a_missed_day_of_cron_still_sends_what_came_due(item):
    assert "ending_soon" not in kinds(END - timedelta(days=4))
    # Cron did not run on END - 3 nor END - 2.
    assert "ending_soon" in kinds(END - timedelta(days=1))
    assert "ending_soon" not in kinds(END)


def test_installation_photo_missing(item):
    assert kinds(START + timedelta(days=1)) == []
    assert kinds(START + timedelta(days=2)) == ["installation_photo"]


def test_no_installation_reminder_once_the_photo_is_in(item):
    item.installed_photo, item.installed_on = "photo.jpg", START
    db.session.commit()
    assert kinds(START + timedelta(days=5)) == []


def test_removal_photo_then_overdue_removal_told_to_bakeuda(app, item):
    assert kinds(END + timedelta(days=1)) == ["removal_photo"]
    assert kinds(END + timedelta(days=7)) == []
    assert kinds(END + timedelta(days=8)) == ["removal_overdue"]
    overdue = db.session.scalars(db.select(OutboxEmail.to_address).where(
        OutboxEmail.subject.contains("Terlambat"))).all()
    assert sorted(overdue) == sorted(["staf@kpu.example", app.config["BAKEUDA_EMAIL"]])
    assert db.session.scalar(db.select(db.func.count(ReminderSent.id))) == 2


def test_nothing_for_a_returned_withdrawn_or_rental_item(item, reviewer):
    item.removed_photo, item.removed_on = "down.jpg", END
    db.session.add(Handover(booking=item, kind=HandoverKind.RETURN, bast_number="BAST/PG/1",
                            bast_date=END, condition="Baik"))
    db.session.commit()
    booking.add_occupancy(reviewer, face("PGK-02"), START, END, kind=BookingKind.COMMERCIAL,
                          tenant_name="PT Bangka Jaya", fee_idr=1_000_000,
                          fee_reason="Harga paket")
    db.session.commit()
    assert kinds(END + timedelta(days=1)) == [] and kinds(END + timedelta(days=9)) == []


def test_a_removal_photo_with_no_return_recorded_is_told_to_bakeuda_alone(app, item):
    item.removed_photo, item.removed_on = "down.jpg", END
    db.session.commit()
    assert kinds(END + timedelta(days=8)) == ["removal_overdue"]
    told = db.session.scalars(db.select(OutboxEmail).where(
        OutboxEmail.subject.contains("Terlambat"))).all()
    assert [mail.to_address for mail in told] == [app.config["BAKEUDA_EMAIL"]]
    assert "BAST pengembalian" in told[0].body


@pytest.fixture
def campaign_item(kpu):
    quiet = TODAY + timedelta(days=30)
    election = Election(name="Pilkada Ulang", campaign_start_on=TODAY + timedelta(days=5),
                        campaign_end_on=quiet - timedelta(days=1), quiet_start_on=quiet,
                        quiet_end_on=quiet + timedelta(days=2),
                        polling_on=quiet + timedelta(days=3))
    request = Request(reference="PJ-2026-9001", organization=kpu.organization, created_by=kpu,
                      purpose="APK paslon", category=Category.FACILITATED_CAMPAIGN,
                      letter_number="009/KPU", letter_date=TODAY)
    request.bookings.append(Booking(face=face("PGK-03"), start_on=TODAY + timedelta(days=5),
                                    end_on=quiet - timedelta(days=1),
                                    status=BookingStatus.APPROVED,
                                    kind=BookingKind.NON_COMMERCIAL, created_by=kpu))
    db.session.add_all([election, request])
    db.session.commit()
    return quiet


def test_campaign_props_are_reminded_before_masa_tenang(campaign_item):
    quiet = campaign_item
    assert "quiet_period" not in kinds(quiet - timedelta(days=4))
    assert "quiet_period" in kinds(quiet - timedelta(days=2))
    assert "quiet_period" not in kinds(quiet - timedelta(days=1))
    [email] = db.session.scalars(db.select(OutboxEmail).where(
        OutboxEmail.subject.contains("Masa tenang"))).all()
    assert "Pilkada Ulang" in email.body
