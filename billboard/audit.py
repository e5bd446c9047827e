"""The audit trail: who changed what, when, from which state to which (DESIGN §3).

Rows are append-only. ``record`` adds one to the current session; the caller's transaction
commits it together with the change it describes, so a rolled-back change leaves no trace.
A listener refuses any flush or bulk statement that would update or delete an audit row.
Never pass a password or a raw token in ``reason`` or ``detail``.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import event
from sqlalchemy.orm import Session, joinedload

from .extensions import db
from .models import AuditEvent, User


class Action(StrEnum):
    """What an audit event records, named by the verb the actor performed.

    The stored strings are older than these names and mix tenses (``user.created`` beside
    ``booking.submit``); they stay as they are, because the trail already holds them and the
    history pages and filters match on them.
    """

    USER_LOG_IN = "user.login"
    USER_LOG_OUT = "user.logout"
    USER_FAIL_LOGIN = "user.login_failed"
    USER_CREATE = "user.created"
    USER_CHANGE_ROLE = "user.role_changed"
    USER_ACTIVATE = "user.activated"
    USER_DEACTIVATE = "user.deactivated"
    USER_CHANGE_PASSWORD = "user.password_changed"
    USER_RESET_PASSWORD = "user.password_reset"
    ORGANIZATION_CREATE = "organization.created"
    ORGANIZATION_ACTIVATE = "organization.activated"
    ORGANIZATION_DEACTIVATE = "organization.deactivated"
    TOKEN_CREATE = "api_token.created"
    TOKEN_REVOKE = "api_token.revoked"
    SETTING_CHANGE = "setting.change"
    OUTBOX_RETRY = "outbox.retry"
    ELECTION_CREATE = "election.create"
    ELECTION_UPDATE = "election.update"
    BLACKOUT_CREATE = "blackout.create"
    BLACKOUT_DELETE = "blackout.delete"
    SITE_CREATE = "site.created"
    SITE_UPDATE = "site.updated"
    SITE_RETIRE = "site.retired"
    SITE_CHANGE_PHOTO = "site.photo"
    FACE_ADD = "face.added"
    FACE_RENAME = "face.renamed"
    FACE_RETIRE = "face.retired"
    FACE_RESTORE = "face.restored"
    FACE_DELETE = "face.deleted"
    TARIFF_SET = "tariff.set"
    TARIFF_REMOVE = "tariff.remove"
    REQUEST_ATTACH_LETTER = "request.letter_file"
    REQUEST_ATTACH_ARTWORK = "request.artwork_file"
    REQUEST_ATTACH_SIGNED_LETTER = "request.signed_letter_file"
    REQUEST_ATTACH_SIGNED_AGREEMENT = "request.signed_agreement_file"
    BOOKING_ATTACH_SIGNED_HANDOVER = "request.signed_bast_handover_file"
    BOOKING_ATTACH_SIGNED_RETURN = "request.signed_bast_return_file"
    BOOKING_SUBMIT = "booking.submit"
    BOOKING_APPROVE = "booking.approved"
    BOOKING_REJECT = "booking.rejected"
    BOOKING_WITHDRAW = "booking.withdrawn"
    BOOKING_CANCEL = "booking.cancelled"
    BOOKING_ADD_INSTALLED_PHOTO = "booking.photo_installed"
    BOOKING_ADD_REMOVED_PHOTO = "booking.photo_removed"
    BOOKING_HAND_OVER = "booking.handover"
    BOOKING_RECORD_RETURN = "booking.return"
    DECISION_RECORD = "decision.record"
    RENTAL_CREATE = "booking.commercial"
    MAINTENANCE_CREATE = "booking.maintenance"
    RENTAL_CHANGE_DATES = "booking.dates"
    BOOKING_END_EARLY = "booking.ended_early"
    RENTAL_RECORD_PAYMENT = "booking.payment"
    CONTESTANT_CREATE = "contestant.create"
    CAMPAIGN_LOCATION_DESIGNATE = "campaign_location.designate"
    CAMPAIGN_LOCATION_WITHDRAW = "campaign_location.withdraw"
    DRAW_RUN = "draw.run"
    DRAW_ANNUL = "draw.annul"
    DESIGN_UPLOAD = "design.upload"
    DESIGN_APPROVE = "design.approve"


class AuditTamperingError(RuntimeError):
    """An audit row was about to be changed or removed."""


def record(
    actor: User | None,
    action: Action,
    object_type: str,
    object_id: int | None = None,
    *,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    detail: str | None = None,
) -> AuditEvent:
    """Add an audit event to the session (no commit) and return it."""
    event_row = AuditEvent(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        from_state=None if from_state is None else str(from_state),
        to_state=None if to_state is None else str(to_state),
        reason=reason,
        detail=detail,
    )
    db.session.add(event_row)
    return event_row


def keep_unchanged(model: type, error: type[Exception], what: str) -> None:
    """Refuse, at every flush, to change or delete a row of ``model`` once written: records
    that say what happened (``what`` names them in the error) are only ever added to."""

    @event.listens_for(Session, "before_flush")
    def _refuse_changed_rows(session: Session, _flush_context, _instances) -> None:
        for obj in session.deleted:
            if isinstance(obj, model):
                raise error(f"{what} cannot be deleted")
        for obj in session.dirty:
            if isinstance(obj, model) and session.is_modified(obj):
                raise error(f"{what} cannot be changed")


keep_unchanged(AuditEvent, AuditTamperingError, "audit events")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_audit_statements(state) -> None:
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is AuditEvent for mapper in state.all_mappers
    ):
        raise AuditTamperingError("audit events cannot be changed or deleted")


def trail(*, object_type: str | None = None, object_id: int | None = None,
          actor_id: int | None = None, since: datetime | None = None,
          until: datetime | None = None):
    """A query of audit events matching every filter given, newest first."""
    query = db.select(AuditEvent).options(joinedload(AuditEvent.actor))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def object_types() -> list[str]:
    """The kinds of object the trail holds events of, for a filter's choices."""
    return list(db.session.scalars(
        db.select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)))
