"""The API's long lists, in the case the security review measured: 60 submissions of 100 items
each on the same faces, all waiting. Size and time of one page of the review queue and of the
agency's requests, at the default and the largest page size.

Usage: ``.venv/bin/python benchmarks/bench_api_lists.py``.
"""
import logging
import statistics
import tempfile
import time
from datetime import timedelta

import history
from flask_migrate import upgrade

from billboard import booking, clock
from billboard.auth.tokens import issue_token
from billboard.extensions import db
from billboard.models import Booking, BookingKind, Category, Face, Request
from billboard.seed import seed_sites

SUBMISSIONS = 60
ITEMS = booking.MAX_ITEMS_PER_REQUEST
URLS = ("/api/v1/review/queue", "/api/v1/review/queue?per_page=100", "/api/v1/requests",
        "/api/v1/requests?per_page=100")


def fill(folder: str):
    app = history.bench_app(f"sqlite:///{folder}/bench.sqlite", UPLOAD_FOLDER=folder)
    with app.app_context():
        upgrade(directory=history.MIGRATIONS)
        seed_sites()
        agencies, reviewer = history.people()
        agency = agencies[0]
        faces = db.session.scalars(db.select(Face)).all()
        start = clock.today_wib() + timedelta(days=10)
        for n in range(SUBMISSIONS):
            request = Request(reference=f"PJ-BENCH-{n:04d}", organization=agency.organization,
                              created_by=agency, purpose=f"Sosialisasi {n}",
                              category=Category.VOTER_EDUCATION, letter_number=str(n),
                              letter_date=clock.today_wib())
            request.bookings.extend(
                Booking(face=faces[i % len(faces)], start_on=start + timedelta(days=i // 16),
                        end_on=start + timedelta(days=i // 16 + 30),
                        kind=BookingKind.NON_COMMERCIAL) for i in range(ITEMS))
            db.session.add(request)
        db.session.commit()
        tokens = {role: issue_token(user, "bench", None)[1]
                  for role, user in (("agency", agency), ("reviewer", reviewer))}
        db.session.commit()
    return app, tokens


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app, tokens = fill(folder)
        # The table is the output, not a log line per request (which the migrations' logging
        # setup also sent to the root logger: each came twice).
        logging.getLogger("billboard.requests").setLevel(logging.WARNING)
        client = app.test_client()
        print(f"{SUBMISSIONS} submissions of {ITEMS} items, all waiting")
        for url in URLS:
            role = "reviewer" if "review" in url else "agency"
            headers = {"Authorization": f"Bearer {tokens[role]}"}
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            samples = []
            for _ in range(3):
                began = time.perf_counter()
                client.get(url, headers=headers)
                samples.append(time.perf_counter() - began)
            milliseconds = statistics.median(samples) * 1000
            print(f"{url:<38} total {response.headers['X-Total-Count']:>5}  "
                  f"{len(response.data) / 1e6:6.2f} MB  {milliseconds:7.0f} ms")


if __name__ == "__main__":
    main()
