"""Row locks for the changes of DESIGN §3: a transition re-reads the state it checks under
the lock, so that a racing transition waits and then sees the new state."""
from __future__ import annotations

from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Booking, Face, Request


def lock_items_of(request: Request) -> list[Booking]:
    """The items of ``request``, locked and reloaded as a transition locks them, so that a
    change that depends on their states (files frozen once one is approved) cannot race one."""
    return locked(Booking.request_id == request.id)


def locked(condition) -> list[Booking]:
    """Load bookings for a change, so that the state checked after this holds until the
    commit: a racing transition waits, then sees the new state.

    SQLite: the unit of work's ``BEGIN IMMEDIATE`` already holds the write lock. PostgreSQL:
    ``SELECT … FOR UPDATE`` on the rows, reloaded (``populate_existing``) since the session may
    hold them as they were before the lock; the exclusion constraint guards the rest.
    """
    # With what every decision reads next (its face and site; its request and whom the mail
    # goes to), locking only the bookings' rows: one round trip instead of five lazy loads.
    request = joinedload(Booking.request)
    return list(db.session.scalars(
        db.select(Booking).where(condition).order_by(Booking.id)
        .options(joinedload(Booking.face, innerjoin=True).joinedload(Face.site, innerjoin=True),
                 request.joinedload(Request.organization), request.joinedload(Request.created_by))
        .with_for_update(of=Booking).execution_options(populate_existing=True)))
