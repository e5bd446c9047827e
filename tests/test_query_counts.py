"""Service reads cost a constant number of queries, whatever the number of bookings."""
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, text
from support import TODAY, approval

from billboard import booking
from billboard.booking import ItemInput, reads
from billboard.extensions import db
from billboard.models import Booking, BookingStatus, Category, Face, Site, User


@contextmanager
def count_queries():
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def fill(user_id, n_requests):
    """``n_requests`` requests, each for every face of every site in its own week."""
    user = db.session.get(User, user_id)
    faces = db.session.scalars(db.select(Face).join(Site).order_by(Site.code)).all()
    start = TODAY + timedelta(days=5)
    for i in range(n_requests):
        week = start + timedelta(days=7 * (i % 40))
        booking.submit_request(
            user, purpose=f"Sosialisasi {i}", category=Category.VOTER_EDUCATION,
            letter_number=f"{i}/KPU", letter_date=TODAY,
            items=[ItemInput(f.site.code, f.label, week, week + timedelta(days=3))
                   for f in faces])
    db.session.commit()
    db.session.expunge_all()


def cost(function):
    db.session.expunge_all()
    with count_queries() as statements:
        function()
    return len(statements)


@pytest.mark.parametrize("operation", ["review_queue", "check_items", "timeline"])
def test_constant_queries(app, make_user, operation):
    kpu = make_user("staf@kpu.example").id
    start = TODAY + timedelta(days=5)
    items = [ItemInput(f"PGK-{n:02d}", "A", start, start + timedelta(days=20))
             for n in range(1, 11)]
    run = {
        # Touch what the pages show, so that a lazy load per row would be counted.
        "review_queue": lambda: [
            (q.booking.request.organization.name, q.booking.request.created_by.name,
             q.booking.face.site.code,
             [p.request.organization.name for p in q.pending]) for q in booking.review_queue()],
        "check_items": lambda: [
            (c.face.site.code, [p.request.organization.name for p in c.pending])
            for c in booking.check_items(Category.VOTER_EDUCATION, items)],
        "timeline": lambda: [
            (face.site.code, [b.request.organization.name for b in rows.get(face.id, [])])
            for faces, rows in [booking.timeline(start, 8)] for face in faces],
    }[operation]
    fill(kpu, 2)
    few = cost(run)
    fill(kpu, 20)
    many = cost(run)
    assert few == many


def test_an_approval_costs_the_same_whatever_the_history(app, make_user, reviewer):
    kpu = make_user("staf@kpu.example").id
    reviewer_id = reviewer.id

    def approve_one():
        pending = db.session.scalars(db.select(Booking.id).where(
            Booking.status == BookingStatus.SUBMITTED).order_by(Booking.id)).first()
        user = db.session.get(User, reviewer_id)
        db.session.expunge_all()
        db.session.add(user)

        with count_queries() as statements:
            booking.approve(pending, user, **approval())
            db.session.flush()
        db.session.rollback()
        return len(statements)

    fill(kpu, 2)
    few = approve_one()
    fill(kpu, 20)
    # The lock reads the face, site and request and whom the mail goes to (once: the decision
    # takes the item already locked, and the check its face); the check reads blackouts and
    # occupancy (not the pending rivals, which a decision never asks for); the register is
    # asked whether the numbers are free; then the tariff; then the change itself (decision,
    # booking, two audit events, two emails): 11 on SQLite, no lazy load on top, whatever the
    # history.
    assert few == approve_one() <= 11


@pytest.mark.parametrize("statement", ["_OCCUPANCY_OF", "_OCCUPANCY_ALL"])
def test_public_occupancy_reads_no_table_whole(app, statement):
    """Every public page reads today's occupants: each table it joins is searched by index for
    the rows at hand. A campaign's allocations joined as a subquery were once copied whole,
    every election's, into a temporary index on each read (3 ms at 100,000 bookings). SQLite
    only (no ``db`` mark): PostgreSQL plans by the statistics of tables a test leaves empty."""
    query = getattr(reads, statement).params(face_ids=[1, 2], start=TODAY, end=TODAY)
    sql = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = [row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
    whole = [step.split(" USING")[0] for step in plan
             if step.startswith(("SCAN", "MATERIALIZE")) or "AUTOMATIC" in step]
    # The query over every face reads the face table itself, a row per face.
    assert whole == ([] if statement == "_OCCUPANCY_OF" else ["SCAN face"]), plan


def test_the_desk_counts_only_the_uses_still_open(app):
    """Overdue returns and unpaid rentals are read from indexes of the uses not yet back and
    the rentals still owed, not from every past approval: ten years of returned loans and paid
    rentals cost the desk nothing. SQLite only, as above."""
    executed = []

    def listener(conn, cursor, statement, parameters, *args):
        executed.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        booking.desk_counts(TODAY)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    connection = db.session.connection().connection.dbapi_connection
    plans = {}
    for statement, parameters in executed:
        steps = [row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}",
                                                       parameters)]
        plans[statement] = " / ".join(steps)
    overdue, unpaid = (next(plan for sql, plan in plans.items() if condition in sql)
                       for condition in ("returned_on IS NULL", "fee_idr > booking.paid_idr"))
    assert "USING INDEX ix_booking_awaiting_return (kind=? AND status=? AND returned_on=? " \
           "AND end_on<?)" in overdue, overdue
    assert "USING INDEX ix_booking_owing (kind=? AND status=? AND start_on<?)" in unpaid, unpaid
    assert not [plan for plan in plans.values() if "SCAN" in plan], plans
