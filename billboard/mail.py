"""Delivering the outbox (DESIGN §3): by SMTP when ``MAIL_SERVER`` is set, else to the log.

``booking`` queues the emails in the same transaction as the change they report, so a change
that was rolled back sends nothing. ``flask --app wsgi billboard send-mail``, run by cron every
minute, sends them: each outcome is committed at once, and a message that failed stays queued,
counts the attempt and is tried again on the next run, until ``MAX_ATTEMPTS``.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app
from flask_babel import gettext as _

from . import audit, booking
from .audit import Action
from .domain_errors import DomainError, ErrorCode
from .extensions import db
from .models import OutboxEmail, User, utcnow
from .unit_of_work import unit_of_work

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
SMTP_TIMEOUT_SECONDS = 30
MESSAGE_ID_DOMAIN = "baliho.pangkalpinangkota.go.id"
ERROR_LENGTH = 1000


@dataclass
class Delivery:
    """What one run did: sent, failed (to be retried) and failed for the last time."""

    sent: int = 0
    failed: int = 0
    given_up: int = 0


def _message(email: OutboxEmail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Date"] = formatdate(usegmt=True)
    # Stable per outbox row: a message sent twice (the server took it, then the connection
    # dropped before we could record it) is recognisable as the same one.
    message["Message-ID"] = f"<outbox-{email.id}@{MESSAGE_ID_DOMAIN}>"
    # Quoted-printable: safe for Indonesian text on servers without 8BITMIME.
    message.set_content(email.body, cte="quoted-printable")
    return message


def _connect(config) -> smtplib.SMTP:
    connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"],
                              timeout=SMTP_TIMEOUT_SECONDS)
    try:
        if config["MAIL_USE_TLS"]:
            connection.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    except BaseException:
        connection.close()
        raise
    return connection


def _record_sent(email: OutboxEmail, result: Delivery) -> None:
    email.sent_at = utcnow()
    email.attempts += 1
    email.last_error = None
    result.sent += 1


def _record_failure(email: OutboxEmail, error: Exception, max_attempts: int,
                    result: Delivery) -> None:
    email.attempts += 1
    email.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    if email.attempts >= max_attempts:
        result.given_up += 1
        log.error("giving up on email %s to %s after %s attempts: %s", email.id,
                  email.to_address, email.attempts, email.last_error)
    else:
        result.failed += 1
        log.warning("email %s to %s failed (attempt %s): %s", email.id, email.to_address,
                    email.attempts, email.last_error)


def deliver_pending(max_attempts: int = MAX_ATTEMPTS) -> Delivery:
    """Try every queued email once; commit the outcome of each as soon as it is known."""
    config = current_app.config
    result = Delivery()
    pending = booking.pending_mail(max_attempts)
    if not pending:
        return result
    if not config.get("MAIL_SERVER"):
        with unit_of_work():
            for email in pending:
                log.info("MAIL_SERVER not set; not sending email %s to %s: %s", email.id,
                         email.to_address, email.subject)
                _record_sent(email, result)
        return result
    try:
        connection = _connect(config)
    except OSError as error:  # smtplib's own errors are OSErrors too
        with unit_of_work():
            for email in pending:
                _record_failure(email, error, max_attempts, result)
        return result
    try:
        _send_each(connection, pending, config["MAIL_SENDER"], max_attempts, result)
    finally:
        _hang_up(connection)
    return result


def _send_each(connection: smtplib.SMTP, pending: list[OutboxEmail], sender: str,
               max_attempts: int, result: Delivery) -> None:
    for email in pending:
        error, connection_lost = None, False
        try:
            connection.send_message(_message(email, sender))
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                smtplib.SMTPDataError) as refused:
            # The server refused this message; the connection still serves the others.
            error = refused
        except OSError as lost:
            # The connection is gone: the rest waits for the next run, no attempt counted.
            error, connection_lost = lost, True
        # The outcome of each message is its own unit of work; the write lock is not held
        # while the server is talked to.
        with unit_of_work():
            if error is None:
                _record_sent(email, result)
            else:
                _record_failure(email, error, max_attempts, result)
        if connection_lost:
            return


def _hang_up(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except OSError:
        connection.close()


def outbox(state: str | None = None):
    """A query of queued emails, newest first: all, or those ``waiting`` for their first
    attempt, ``failed`` (the last attempt went wrong) or ``sent``."""
    query = db.select(OutboxEmail).order_by(OutboxEmail.id.desc())
    if state == "sent":
        query = query.where(OutboxEmail.sent_at.is_not(None))
    elif state == "failed":
        query = query.where(OutboxEmail.sent_at.is_(None), OutboxEmail.last_error.is_not(None))
    elif state == "waiting":
        query = query.where(OutboxEmail.sent_at.is_(None), OutboxEmail.last_error.is_(None))
    return query


def retry(email: OutboxEmail, actor: User) -> None:
    """Queue a failed email again with a fresh count of attempts; the error it failed with
    stays in the audit trail."""
    if email.sent_at is not None or email.last_error is None:
        raise DomainError(_("Only an email whose sending failed can be tried again."),
                          code=ErrorCode.WRONG_STATE)
    audit.record(actor, Action.OUTBOX_RETRY, "outbox_email", email.id, detail=email.last_error)
    email.attempts = 0
    email.last_error = None
