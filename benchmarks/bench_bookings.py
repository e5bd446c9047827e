"""Pages as the number of bookings grows: SQL statements and time per request.

Usage: ``.venv/bin/python benchmarks/bench_bookings.py [REQUESTS]`` (default 50 per page). For
0, 300 and 3,000 bookings in a migrated, seeded SQLite database it logs in as an agency and as a
reviewer and measures the pages each uses most. The statement count must not grow with the
bookings; the time may, a little, with the rows a page really shows.
"""
import statistics
import sys
import tempfile
import time
from datetime import timedelta

from common import seeded_app
from sqlalchemy import event
from werkzeug.security import generate_password_hash

from billboard import booking
from billboard.extensions import db
from billboard.models import (
    Booking,
    BookingKind,
    BookingStatus,
    Category,
    Face,
    Organization,
    OrganizationKind,
    Request,
    Role,
    User,
)

PASSWORD = "benchmark-password-1"
PAGES = (("agency", "/requests"), ("agency", "/api/v1/sites"), ("reviewer", "/review"),
         ("reviewer", "/review/timeline"), ("anonymous", "/"), ("anonymous", "/sites/PGK-01"))


def make_people():
    hashed = generate_password_hash(PASSWORD, "pbkdf2:sha256:1")
    kpu = Organization(name="KPU Kota Pangkalpinang", kind=OrganizationKind.GOVERNMENT)
    bakeuda = Organization(name="Bakeuda", kind=OrganizationKind.BAKEUDA)
    agency = User(email="kpu@bench", name="KPU", role=Role.AGENCY, organization=kpu,
                  password_hash=hashed)
    reviewer = User(email="bakeuda@bench", name="Bakeuda", role=Role.REVIEWER,
                    organization=bakeuda, password_hash=hashed)
    db.session.add_all([agency, reviewer])
    db.session.commit()
    return agency


def add_bookings(agency: User, count: int) -> None:
    """``count`` bookings in requests of 10, spread over the next year; a third approved."""
    faces = db.session.scalars(db.select(Face)).all()
    today = booking.today_wib()
    for n in range(0, count, 10):
        request = Request(reference=f"PJ-BENCH-{n:05d}", organization=agency.organization,
                          created_by=agency, purpose=f"Sosialisasi {n}",
                          category=Category.VOTER_EDUCATION, letter_number=str(n),
                          letter_date=today)
        for i in range(10):
            start = today + timedelta(days=(n + i) % 360)
            approved = (n // 10) % 3 == 0
            request.bookings.append(Booking(
                face=faces[i % len(faces)], start_on=start, end_on=start,
                kind=BookingKind.NON_COMMERCIAL,
                status=BookingStatus.APPROVED if approved else BookingStatus.SUBMITTED))
        db.session.add(request)
    db.session.commit()


def measure(app, clients, requests: int) -> list[tuple[str, int, float]]:
    statements = []
    results = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for role, url in PAGES:
            client = clients[role]
            assert client.get(url).status_code == 200, url  # warm-up
            statements.clear()
            client.get(url)
            per_request = len(statements)
            samples = []
            for _ in range(requests):
                start = time.perf_counter()
                client.get(url)
                samples.append((time.perf_counter() - start) * 1000)
            results.append((url, per_request, statistics.median(samples)))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return results


def main(requests: int) -> None:
    table = {}
    for total in (0, 300, 3000):
        with tempfile.TemporaryDirectory() as folder:
            app = seeded_app(folder)
            with app.app_context():
                add_bookings(make_people(), total)
            clients = {"anonymous": app.test_client()}
            for role, email in (("agency", "kpu@bench"), ("reviewer", "bakeuda@bench")):
                clients[role] = app.test_client()
                clients[role].post("/login", data={"email": email, "password": PASSWORD})
            table[total] = measure(app, clients, requests)
    print(f"{'page':<20}" + "".join(f"{n:>8} bookings" for n in table))
    for index, (_role, url) in enumerate(PAGES):
        cells = "".join(f"{table[n][index][1]:>4} SQL {table[n][index][2]:>5.1f} ms"
                        for n in table)
        print(f"{url:<20}{cells}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
