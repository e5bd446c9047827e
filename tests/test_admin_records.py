"""The administrators' records: the audit trail filtered by object, actor and WIB day, and the
email outbox with a retry of a failed email."""
from datetime import UTC, datetime

import pytest

from billboard import audit
from billboard.extensions import db
from billboard.mail import MAX_ATTEMPTS
from billboard.models import AuditEvent, OutboxEmail


def _event(actor, action, object_type, object_id, at):
    row = audit.record(actor, action, object_type, object_id, detail=f"{action} {object_id}")
    row.at = at
    return row


@pytest.fixture
def trail(app, admin, kpu):
    # 17:30 UTC on 1 March is already 2 March in WIB (UTC+7).
    _event(kpu, "booking.submit", "booking", 11, datetime(2026, 3, 1, 17, 30, tzinfo=UTC))
    _event(admin, "user.created", "user", 5, datetime(2026, 3, 1, 10, 0, tzinfo=UTC))
    _event(admin, "booking.approved", "booking", 12, datetime(2026, 3, 5, 3, 0, tzinfo=UTC))
    db.session.commit()


def _details(html):
    return [line for line in ("booking.submit 11", "user.created 5", "booking.approved 12")
            if line in html]


@pytest.mark.db
@pytest.mark.parametrize(("query", "expected"), [
    ("", ["booking.submit 11", "user.created 5", "booking.approved 12"]),
    ("?object_type=booking", ["booking.submit 11", "booking.approved 12"]),
    ("?object_type=booking&object_id=12", ["booking.approved 12"]),
    ("?since=2+Maret+2026&until=2+Maret+2026", ["booking.submit 11"]),
    ("?until=1-3-2026", ["user.created 5"]),
])
def test_the_trail_filters_by_object_and_wib_day(client, trail, query, expected):
    html = client.get("/admin/audit" + query).get_data(as_text=True)
    assert _details(html) == expected


def test_the_trail_filters_by_actor(client, trail, kpu):
    html = client.get(f"/admin/audit?actor={kpu.id}").get_data(as_text=True)
    assert _details(html) == ["booking.submit 11"]


@pytest.mark.parametrize("query", ["?since=31+Februari+2026", "?object_id=-3",
                                   "?object_id=99999999999", "?actor=nobody"])
def test_a_bad_filter_is_a_message_not_a_500(client, trail, query):
    response = client.get("/admin/audit" + query)
    assert response.status_code == 422
    assert "booking.submit 11" not in response.get_data(as_text=True)


def test_the_trail_pages(client, admin):
    for number in range(60):
        audit.record(admin, "settings.changed", "setting", number + 1)
    db.session.commit()
    first = client.get("/admin/audit?object_type=setting").get_data(as_text=True)
    assert "Page 1 of 2" in first and "page=2" in first and "object_type=setting" in first
    second = client.get("/admin/audit?object_type=setting&page=2").get_data(as_text=True)
    assert second.count("setting #") == 10


@pytest.fixture
def emails(app):
    sent = OutboxEmail(to_address="a@kpu.example", subject="Terkirim", body=".", attempts=1,
                       sent_at=datetime(2026, 3, 1, tzinfo=UTC))
    failed = OutboxEmail(to_address="b@kpu.example", subject="Gagal", body=".",
                         attempts=MAX_ATTEMPTS,
                         last_error="SMTPRecipientsRefused: 550 no such user")
    waiting = OutboxEmail(to_address="c@kpu.example", subject="Menunggu", body=".")
    db.session.add_all([sent, failed, waiting])
    db.session.commit()
    return sent, failed, waiting


@pytest.mark.parametrize(("state", "subjects"), [
    ("", {"Terkirim", "Gagal", "Menunggu"}), ("sent", {"Terkirim"}), ("failed", {"Gagal"}),
    ("waiting", {"Menunggu"}), ("bogus", {"Terkirim", "Gagal", "Menunggu"}),
])
def test_the_outbox_shows_each_state(client, admin, emails, state, subjects):
    html = client.get(f"/admin/outbox?state={state}").get_data(as_text=True)
    assert {s for s in ("Terkirim", "Gagal", "Menunggu") if s in html} == subjects
    if "Gagal" in subjects:
        assert "550 no such user" in html


@pytest.mark.db
def test_a_failed_email_is_queued_again_and_the_retry_audited(client, admin, emails):
    _, failed, _ = emails
    response = client.post(f"/admin/outbox/{failed.id}/retry", follow_redirects=True)
    assert "will be sent again" in response.get_data(as_text=True)
    db.session.refresh(failed)
    assert failed.attempts == 0 and failed.last_error is None and failed.sent_at is None
    [event] = db.session.scalars(db.select(AuditEvent).filter_by(action="outbox.retry")).all()
    assert event.actor_id == admin.id and "550 no such user" in event.detail


@pytest.mark.parametrize("which", [0, 2])
def test_only_a_failed_email_can_be_retried(client, admin, emails, which):
    email = emails[which]
    before = (email.attempts, email.sent_at)
    response = client.post(f"/admin/outbox/{email.id}/retry", follow_redirects=True)
    assert "Only an email whose sending failed" in response.get_data(as_text=True)
    db.session.refresh(email)
    assert (email.attempts, email.sent_at) == before
    assert not db.session.scalars(db.select(AuditEvent).filter_by(action="outbox.retry")).all()
