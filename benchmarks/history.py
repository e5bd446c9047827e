"""A database with years of realistic booking history, for the benchmarks.

``build(url, bookings)`` migrates an empty database, seeds the 10 sites and the elections, adds
six organisations with their staff and a Bakeuda reviewer, and inserts ``bookings`` bookings from
ten years back to a year ahead: every face is approved for a share of its days (loans for use,
commercial rentals, maintenance blocks; never overlapping, as the database requires, and none
longer than the rules allow), and many more items were rejected, withdrawn or cancelled, or
still wait for a decision; nothing was asked or decided in the future. Some of KPU's requests
are facilitated campaign props, shared out to an election's contestants by a draw (now and then
drawn again after an annulment), as the public pages show them. Loans were handed over and, once
over, mostly handed back (a few weeks late at times; now and then never); rentals were mostly
paid, as Bakeuda's desk sees them.
"""
from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from billboard import clock, create_app, finance
from billboard.config import Config
from billboard.extensions import db
from billboard.models import (
    Allocation,
    Booking,
    BookingKind,
    BookingStatus,
    Category,
    Contestant,
    Draw,
    Election,
    Face,
    Handover,
    HandoverKind,
    Organization,
    OrganizationKind,
    Payment,
    Request,
    Role,
    User,
)
from billboard.seed import seed_elections, seed_sites

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")
PASSWORD = "benchmark-password-1"
AGENCY_EMAIL = "staf@kpu.bench"
REVIEWER_EMAIL = "analis@bakeuda.bench"
YEARS_BACK = 10
DAYS_AHEAD = 365
APPROVED_SHARE = 0.35
CAMPAIGN_SHARE = 0.1
CONTESTANTS = 10
AGENCIES = ("KPU Kota Pangkalpinang", "Bawaslu Kota Pangkalpinang", "Diskominfo Pangkalpinang",
            "Dinas Kesehatan Pangkalpinang", "BPBD Pangkalpinang", "Disdukcapil Pangkalpinang")
TENANTS = ("PT Sinar Bangka", "CV Timah Jaya", "PT Pangkal Media", "Toko Elektronik Maju")


def refuse_unless_scratch(url: str) -> None:
    """The build drops the whole schema: only on a database named for benchmarks or tests."""
    name = make_url(url).database or ""
    if make_url(url).get_backend_name() != "sqlite" and not (
            "bench" in name or name.endswith("test")):
        raise SystemExit(f"refusing to empty {name!r}: name a database …bench… or …test")


def bench_app(url: str, **config):
    """The app on ``url`` with the test configuration (no CSRF: services are called directly)."""
    return create_app({"SQLALCHEMY_DATABASE_URI": url, **config})


def build(url: str, bookings: int, seed: int = 7) -> None:
    refuse_unless_scratch(url)
    app = bench_app(url)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade(directory=MIGRATIONS)
        seed_sites()
        seed_elections()
        agencies, reviewer = people()
        _history(random.Random(seed), agencies, reviewer, bookings)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # Statistics, as autovacuum keeps them on a database with years of history: without
            # them the planner guesses, and reads a face's whole history for one day.
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("ANALYZE"))
        db.engine.dispose()


def people() -> tuple[list[User], User]:
    hashed = generate_password_hash(PASSWORD, "pbkdf2:sha256:1")
    agencies = []
    for index, name in enumerate(AGENCIES):
        org = Organization(name=name, kind=OrganizationKind.GOVERNMENT)
        email = AGENCY_EMAIL if index == 0 else f"staf{index}@agency.bench"
        agencies.append(User(email=email, name=f"Staf {name}", role=Role.AGENCY,
                             organization=org, password_hash=hashed))
    bakeuda = Organization(name="Bakeuda Kota Pangkalpinang", kind=OrganizationKind.BAKEUDA)
    reviewer = User(email=REVIEWER_EMAIL, name="Analis Bakeuda", role=Role.REVIEWER,
                    organization=bakeuda, password_hash=hashed)
    db.session.add_all([*agencies, reviewer])
    db.session.commit()
    return agencies, reviewer


def _history(rng: random.Random, agencies: list[User], reviewer: User, total: int) -> None:
    today = clock.today_wib()
    rates = finance.rates_on(today)
    faces = [(face_id, rates[site_id])
             for face_id, site_id in db.session.execute(db.select(Face.id, Face.site_id))]
    first = today.replace(year=today.year - YEARS_BACK)
    span = (today + timedelta(days=DAYS_AHEAD) - first).days
    per_face = min(span, max(1, int(total * APPROVED_SHARE / len(faces))))
    rows = []
    # Approved occupancy: each face in turn, one booking per step, never overlapping; each
    # face's steps shifted by its own fraction of one, so that faces are not all taken (or all
    # free) on the same days.
    step = span / per_face
    for face_id, rate in faces:
        shift = rng.random() * step
        for k in range(per_face):
            start = first + timedelta(days=int(k * step + shift))
            longest = min(Config.BOOKING_MAX_DAYS, int(step * 0.8))
            end = start + timedelta(days=rng.randint(0, max(0, longest - 1)))
            kind = rng.choices(list(BookingKind), (80, 15, 5))[0]
            rows.append(_booking(rng, face_id, start, end, BookingStatus.APPROVED, kind, rate,
                                 reviewer))
    # Everything else: refused, withdrawn, cancelled, or (ahead of today) still waiting.
    while len(rows) < total:
        face_id, rate = rng.choice(faces)
        start = first + timedelta(days=rng.randrange(span))
        end = start + timedelta(days=rng.randint(0, 29))
        if start > today:
            # Bakeuda decides within days: a few hundred items wait at any time.
            status = rng.choices(list(BookingStatus), (5, 0, 35, 40, 20))[0]
        else:
            status = rng.choices(list(BookingStatus), (0, 0, 50, 30, 20))[0]
        kind = BookingKind.NON_COMMERCIAL
        if status == BookingStatus.CANCELLED and rng.random() < 0.3:
            kind = rng.choice((BookingKind.COMMERCIAL, BookingKind.MAINTENANCE))
        rows.append(_booking(rng, face_id, start, end, status, kind, rate, reviewer))
    _insert(rng, rows, agencies, reviewer)


def _booking(rng, face_id, start, end, status, kind, rate, reviewer) -> dict:
    decided = status in (BookingStatus.APPROVED, BookingStatus.REJECTED, BookingStatus.CANCELLED)
    at = datetime.combine(start - timedelta(days=rng.randint(3, 40)), time(9), UTC)
    # Asked (and decided, two days on) by now: a use far ahead was asked for weeks ago.
    at = min(at, datetime.now(UTC) - timedelta(days=2 + rng.random() * 40))
    return {
        "face_id": face_id, "request_id": None, "created_by_id": None, "start_on": start,
        "end_on": end, "status": status, "kind": kind,
        "tenant_name": rng.choice(TENANTS) if kind == BookingKind.COMMERCIAL else None,
        "agreement_number": f"PKS/{rng.randint(1, 999)}/{start.year}"
        if status == BookingStatus.APPROVED else None,
        "decided_by_id": reviewer.id if decided else None,
        "decided_at": at + timedelta(days=2) if decided else None,
        "reason": "Bentrok dengan jadwal lain" if status == BookingStatus.REJECTED else None,
        "fee_idr": rate if kind == BookingKind.COMMERCIAL else 0, "paid_idr": 0,
        "returned_on": None,
        "foregone_idr": finance.value_of_use([finance.Rate(finance.FIRST_DAY, rate)], start, end)
        if kind == BookingKind.NON_COMMERCIAL and status == BookingStatus.APPROVED else 0,
        "created_at": at, "updated_at": at,
    }


def _insert(rng: random.Random, rows: list[dict], agencies: list[User], reviewer: User) -> None:
    """Loans for use belong to requests of one to four items, numbered per year as the
    service numbers them; rentals and maintenance blocks have none."""
    loans = sorted((r for r in rows if r["kind"] == BookingKind.NON_COMMERCIAL),
                   key=lambda r: r["created_at"])
    requests, items_of, numbers = [], [], {}
    index = 0
    while index < len(loans):
        items = loans[index:index + rng.randint(1, 4)]
        index += len(items)
        created = items[0]["created_at"]
        numbers[created.year] = numbers.get(created.year, 0) + 1
        user = agencies[0] if rng.random() < 0.4 else rng.choice(agencies)
        requests.append({
            "id": len(requests) + 1, "reference": f"PJ-{created.year}-{numbers[created.year]:04d}",
            "organization_id": user.organization_id, "created_by_id": user.id,
            "purpose": f"Sosialisasi {rng.choice(('Pilkada', 'imunisasi', 'pajak daerah'))} "
                       f"{len(requests) + 1}",
            "category": rng.choice((Category.VOTER_EDUCATION, Category.PUBLIC_SERVICE)),
            "letter_number": f"{len(requests) + 1}/UM/{created.year}",
            "letter_date": created.date(), "created_at": created,
        })
        items_of.append(items)
        for item in items:
            item["request_id"] = len(requests)
            item["created_by_id"] = user.id
    for number, row in enumerate(rows, start=1):
        row["id"] = number
    draws, allocations = _draws(rng, requests, items_of, agencies[0])
    handovers, payments = _settled(rng, rows, reviewer)
    for table, values in ((Request, requests), (Booking, rows), (Draw, draws),
                          (Allocation, allocations), (Handover, handovers),
                          (Payment, payments)):
        for chunk in range(0, len(values), 10_000):
            db.session.execute(insert(table), values[chunk:chunk + 10_000])
    if db.engine.dialect.name == "postgresql":
        # The ids were given here: move the sequences past them for the rows still to come.
        for table in ("request", "booking", "draw"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"max(id)) FROM {table}"))


def _draws(rng: random.Random, requests: list[dict], items_of: list[list[dict]],
           kpu: User) -> tuple[list[dict], list[dict]]:
    """A share of KPU's requests (``items_of`` each, in the same order) become facilitated
    campaign props of an election, each with a standing draw that gives every item to a
    contestant; one in five was drawn before, and that draw annulled."""
    elections = db.session.scalars(select(Election)).all()
    contestants = {}
    for election in elections:
        contestants[election.id] = [Contestant(election=election, number=n, name=f"Partai {n}")
                                    for n in range(1, CONTESTANTS + 1)]
        db.session.add_all(contestants[election.id])
    db.session.flush()
    draws, allocations = [], []
    for request, items in zip(requests, items_of, strict=True):
        if request["created_by_id"] != kpu.id or rng.random() >= CAMPAIGN_SHARE:
            continue
        election = rng.choice(elections)
        request["category"] = Category.FACILITATED_CAMPAIGN
        request["election_id"] = election.id
        annulled = rng.random() < 0.2
        for standing in (False, True) if annulled else (True,):
            at = request["created_at"] + timedelta(days=3 if standing else 2)
            draws.append({"id": len(draws) + 1, "request_id": request["id"],
                          "seed": f"{request['reference']}/{len(draws)}",
                          "witnesses": ["Bawaslu", "Peserta 1"], "items_sha256": "0" * 64,
                          "drawn_by_id": kpu.id, "drawn_at": at,
                          "annulled_by_id": None if standing else kpu.id,
                          "annulled_at": None if standing else at + timedelta(hours=1),
                          "annul_reason": None if standing else "Saksi tidak lengkap"})
            for position, item in enumerate(items, start=1):
                allocations.append({"draw_id": len(draws), "booking_id": item["id"],
                                    "contestant_id": rng.choice(contestants[election.id]).id,
                                    "position": position, "tier": None})
    return draws, allocations


def _settled(rng: random.Random, rows: list[dict], reviewer: User) -> tuple[list[dict],
                                                                           list[dict]]:
    """The BASTs of approved loans that have started (the return too once over: mostly within
    days, a few weeks late at times, one in two hundred never) and the payments of rentals
    that have started (one in thirty still owed); ``rows`` get their copies of both."""
    today = clock.today_wib()
    handovers, payments = [], []

    def bast(row: dict, kind: HandoverKind, on) -> None:
        handovers.append({"booking_id": row["id"], "kind": kind, "bast_date": on,
                          "bast_number": f"BAST/{kind.value}/{row['id']}",
                          "condition": "Baik", "recorded_by_id": reviewer.id,
                          "recorded_at": datetime.combine(on, time(10), UTC)})

    for row in rows:
        if row["status"] != BookingStatus.APPROVED or row["start_on"] > today:
            continue
        if row["request_id"] is not None:
            bast(row, HandoverKind.HANDOVER, row["start_on"] - timedelta(days=1))
            back = row["end_on"] + timedelta(days=rng.choice((1, 1, 2, 3, 5, 8, 20, 40)))
            if back <= today and rng.random() >= 0.005:
                bast(row, HandoverKind.RETURN, back)
                row["returned_on"] = back
        elif row["kind"] == BookingKind.COMMERCIAL and rng.random() >= 1 / 30:
            paid_on = row["start_on"] - timedelta(days=rng.randint(1, 10))
            payments.append({"booking_id": row["id"], "receipt_number": f"KW/{row['id']}",
                             "paid_on": paid_on, "amount_idr": row["fee_idr"],
                             "recorded_by_id": reviewer.id,
                             "recorded_at": datetime.combine(paid_on, time(10), UTC)})
            row["paid_idr"] = row["fee_idr"]
    return handovers, payments
