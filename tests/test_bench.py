"""``make bench``'s own pieces, small, so that a change of the schema or the services that breaks
the bench fails here and not on the day somebody measures. SQLite only: the history's build
drops the schema it is given."""
import importlib
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from billboard import booking, clock
from billboard.extensions import db
from billboard.models import (
    Allocation,
    Booking,
    BookingKind,
    BookingStatus,
    Draw,
    Handover,
    HandoverKind,
    Payment,
)

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_the_bench_history_holds_every_state_and_kind_and_campaign_draws(tmp_path,
                                                                           monkeypatch):
    # The bench runs as a script beside history.py, which it imports by that name.
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    bench = importlib.import_module("bench")
    history = bench.history
    url = f"sqlite:///{tmp_path}/bench.sqlite"
    history.build(url, 2_000)
    app = history.bench_app(url)
    with app.app_context():
        assert db.session.scalar(select(func.count(Booking.id))) == 2_000
        assert set(db.session.scalars(select(Booking.status).distinct())) == set(BookingStatus)
        assert set(db.session.scalars(select(Booking.kind).distinct())) == set(BookingKind)
        assert db.session.scalar(select(func.count(Draw.id)).where(Draw.annulled_at.is_(None)))
        assert db.session.scalar(select(func.count(Draw.id)).where(Draw.annulled_at.isnot(None)))
        assert db.session.scalar(select(func.count(Allocation.id)))
        # Nothing asked or decided in the future, no use longer than the rules allow.
        now = datetime.now(UTC)
        assert db.session.scalar(select(func.max(Booking.created_at))) < now
        assert db.session.scalar(select(func.max(Booking.decided_at))) < now
        assert max(end - start for start, end in db.session.execute(
            select(Booking.start_on, Booking.end_on))).days < app.config["BOOKING_MAX_DAYS"]
        # Loans handed over and back, rentals paid, as the desk sees them: a few still open.
        assert set(db.session.scalars(select(Handover.kind).distinct())) == set(HandoverKind)
        assert db.session.scalar(select(func.count(Payment.id)))
        today = clock.today_wib()
        counts = booking.desk_counts(today)
        every = db.session.scalars(select(Booking)).all()
        assert counts.overdue_returns == sum(booking.is_overdue(b, today) for b in every)
        assert counts.unpaid_rentals == sum(booking.is_rental(b) and booking.starts_unpaid(
            b, today) for b in every)
        assert counts.overdue_returns < sum(b.returned_on is not None for b in every) / 20
        assert counts.unpaid_rentals < sum(b.paid_idr > 0 for b in every) / 5
        db.engine.dispose()

    reads = bench.checks(url)
    assert set(reads) == {"availability", "clash check", "today's occupants"}
    assert reads["availability"]["rows"] > 0
    assert all(read["CPU"] > 0 for read in reads.values())


def test_the_profile_shares_each_sample_over_the_requests_served_meanwhile(tmp_path,
                                                                           monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    profile = importlib.import_module("profile_workers")
    site_packages = "/srv/.venv/lib/python3.11/site-packages"
    stacks = tmp_path / "stacks.txt"
    # py-spy's raw format: the frames outermost first, then how many samples ended there.
    stacks.write_text(
        f"run ({site_packages}/gunicorn/arbiter.py:10);"
        f"write ({site_packages}/gunicorn/util.py:622) 30\n"
        f"run ({site_packages}/gunicorn/arbiter.py:10);"
        f"read ({profile.bench.ROOT}/billboard/versioning.py:119) 10\n"
        f"run ({site_packages}/gunicorn/arbiter.py:12);"
        f"write ({site_packages}/gunicorn/util.py:630) 10\n")
    monkeypatch.setattr(profile, "RATE", 100)

    by_function, by_package = profile.costs(stacks, requests=2_000)

    # A sample is 10 ms of a worker's time; 2,000 requests share it: 5 µs each.
    assert by_function == {"write (gunicorn/util.py)": 200,
                           "read (billboard/versioning.py)": 50}
    assert by_package == {"gunicorn": 200, "billboard": 50}
