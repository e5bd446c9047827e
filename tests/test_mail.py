"""Outbox delivery: a real SMTP conversation with a local sink, retries, giving up, log mode."""
import email
import logging
import socket
import socketserver
import threading
from datetime import timedelta
from email.policy import default as default_policy

import pytest
from support import TODAY

from billboard import booking
from billboard.booking import ItemInput
from billboard.extensions import db
from billboard.mail import MAX_ATTEMPTS, deliver_pending
from billboard.models import OutboxEmail
from billboard.unit_of_work import unit_of_work

BAKEUDA = "bakeuda@pangkalpinangkota.go.id"


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: HELO/EHLO, MAIL, RCPT, DATA, RSET, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        recipients = []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb in ("HELO", "EHLO", "MAIL", "NOOP"):
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>")
                if address in self.server.refused:
                    self.reply("550 5.1.1 mailbox unavailable")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while (data := self.rfile.readline()) != b".\r\n":
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.received.append(
                    (recipients, email.message_from_bytes(b"".join(lines), policy=default_policy)))
                recipients = []
                self.reply("250 queued")
            elif verb == "RSET":
                recipients = []
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.received = []
        self.refused = set()


@pytest.fixture
def sink(app):
    server = SmtpSink()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.server_address[1],
                      MAIL_USE_TLS=False, MAIL_USERNAME=None)
    yield server
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def queued(make_user):
    """A submission: one email to the agency (its user's address) and one to Bakeuda."""
    user = make_user("staf@kpu.example")
    start = TODAY + timedelta(days=10)
    request = booking.submit_request(
        user, purpose="Sosialisasi Pilkada — tahap 2", category="voter_education",
        letter_number="7/KPU/2026", letter_date=TODAY,
        items=[ItemInput("PGK-01", "A", start, start + timedelta(days=5))])
    db.session.commit()
    return request


def outbox():
    db.session.expire_all()
    return {row.to_address: row for row in db.session.scalars(db.select(OutboxEmail))}


def test_smtp_delivers_each_queued_email_once(app, sink, queued):
    result = deliver_pending()
    assert (result.sent, result.failed, result.given_up) == (2, 0, 0)
    by_recipient = {tuple(rcpts): message for rcpts, message in sink.received}
    assert set(by_recipient) == {("staf@kpu.example",), (BAKEUDA,)}
    message = by_recipient[(BAKEUDA,)]
    assert message["From"] == app.config["MAIL_SENDER"]
    assert message["To"] == BAKEUDA
    assert message["Subject"] == f"[Baliho Pangkalpinang] Permohonan {queued.reference} diterima"
    message_id = f"<outbox-{outbox()[BAKEUDA].id}@baliho.pangkalpinangkota.go.id>"
    assert message["Message-ID"] == message_id
    assert "Tujuan: Sosialisasi Pilkada — tahap 2" in message.get_content()
    assert all(row.sent_at is not None and row.attempts == 1 for row in outbox().values())

    assert deliver_pending().sent == 0
    assert len(sink.received) == 2


def test_refused_recipient_is_retried_on_the_next_run(sink, queued, runner):
    sink.refused.add(BAKEUDA)
    result = runner.invoke(args=["billboard", "send-mail"])
    assert result.exit_code == 1
    assert "Sent 1 email(s); 1 failed and will be retried; 0 given up." in result.output
    refused = outbox()[BAKEUDA]
    assert (refused.sent_at, refused.attempts) == (None, 1)
    assert "550" in refused.last_error

    sink.refused.clear()
    result = runner.invoke(args=["billboard", "send-mail"])
    assert result.exit_code == 0
    assert "Sent 1 email(s); 0 failed" in result.output
    delivered = outbox()[BAKEUDA]
    assert delivered.sent_at is not None and delivered.attempts == 2
    assert delivered.last_error is None
    assert [rcpts for rcpts, _message in sink.received] == [["staf@kpu.example"], [BAKEUDA]]


def test_unreachable_server_counts_attempts_then_gives_up(app, queued, closed_port, caplog):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port, MAIL_USE_TLS=False)
    for attempt in range(1, MAX_ATTEMPTS):
        assert deliver_pending().failed == 2
        assert {row.attempts for row in outbox().values()} == {attempt}
    assert "ConnectionRefusedError" in outbox()[BAKEUDA].last_error
    with caplog.at_level(logging.ERROR, logger="billboard.mail"):
        assert deliver_pending().given_up == 2
    assert "giving up on email" in caplog.text
    assert booking.pending_mail(MAX_ATTEMPTS) == []
    assert deliver_pending().failed == 0
    assert {(row.sent_at, row.attempts) for row in outbox().values()} == {(None, MAX_ATTEMPTS)}


def test_without_mail_server_messages_are_logged_not_sent(app, queued, runner, caplog):
    app.config.update(MAIL_SERVER=None, MAIL_PASSWORD="do-not-log-me")
    with caplog.at_level(logging.INFO, logger="billboard.mail"):
        result = runner.invoke(args=["billboard", "send-mail"])
    assert result.exit_code == 0
    assert "Sent 2 email(s)" in result.output
    assert BAKEUDA in caplog.text and queued.reference in caplog.text
    assert "do-not-log-me" not in caplog.text
    assert all(row.sent_at is not None for row in outbox().values())


@pytest.mark.parametrize("app_config", [{"PUBLIC_URL": "https://baliho.example.go.id/"}])
def test_the_emails_tell_in_indonesian_what_changed_with_the_items_and_a_link(
        app, make_user, queued, client):
    reviewer = make_user("reviewer@bakeuda.example", role="reviewer", org="Bakeuda")
    item = queued.bookings[0]
    client.get("/language/en")  # the mail's language does not follow the UI
    submitted = outbox()
    body = submitted["staf@kpu.example"].body
    assert f"Nomor permohonan: {queued.reference}" in body
    assert "menunggu keputusan Bakeuda" in body and "Tujuan: Sosialisasi Pilkada — tahap 2" in body
    assert "PGK-01/A" in body and "Diajukan" in body and "[submitted]" not in body
    assert f"Lihat permohonan: https://baliho.example.go.id/requests/{queued.id}" in body
    assert (f"https://baliho.example.go.id/review/requests/{queued.id}"
            in submitted[BAKEUDA].body)

    with unit_of_work():
        booking.reject(item.id, reviewer, reason="Lokasi sedang diperbaiki")
    rejected = db.session.scalars(db.select(OutboxEmail).where(
        OutboxEmail.to_address == "staf@kpu.example").order_by(OutboxEmail.id.desc())).first()
    assert rejected.subject == \
        f"[Baliho Pangkalpinang] Permohonan {queued.reference}: keputusan Bakeuda"
    assert "Bakeuda telah memutuskan permohonan berikut." in rejected.body
    assert "Disetujui" not in rejected.body and "Surat jawaban dapat dicetak" in rejected.body
    assert "Ditolak" in rejected.body and "alasan: Lokasi sedang diperbaiki" in rejected.body
