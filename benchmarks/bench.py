"""``make bench``: the app as it is deployed, under load, with 100,000 bookings of history.

For SQLite (a temporary file) and, when ``BENCH_DATABASE_URL`` names one, PostgreSQL (a scratch
database: its schema is dropped), it builds the history (``history.py``), serves the app with
gunicorn (2 workers, production configuration) and loads it from a separate process with
``wrk`` (16 connections; installed from Debian's packages when missing). It prints requests/s,
the share of ``/healthz`` (the stack's own limit: same middleware, no database), p50 and p99 for
the public reads and the logged-in pages; the write path; the availability and clash checks
in-process at 1k, 10k and 100k bookings; the resident memory of each worker; and whether each
target of issue 7 is met. Each page is loaded in ROUNDS slices of ``BENCH_SECONDS`` (default 2),
each paired with a slice of ``/healthz`` right before or after it (in turn): its share is the
median of those pairs, so a machine whose other load drifts meanwhile moves both sides of each
ratio alike.
"""
from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import history

from billboard import booking, clock
from billboard.booking import ItemInput
from billboard.extensions import db
from billboard.models import Booking, BookingStatus, Category, Face, Site, User
from billboard.unit_of_work import unit_of_work

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_SECONDS", 2))
ROUNDS = 5
CONNECTIONS = 16
BOOKINGS = 100_000
USER_AGENT = "billboard-bench"
WRITES = 400
# Done by each writer before the clock starts, as a worker that has served a while is warm
# (statements compiled and prepared).
WARM_UP = 10
# At once, as many as gunicorn's workers.
WRITERS = 2
CONDITIONAL = "/ (conditional, 304)"
CHECK_SIZES = (1_000, 10_000, 100_000)
CHECK_RUNS = 300


# --- Serving and loading ----------------------------------------------------------------------

def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("wrk is missing: installing Debian's package", flush=True)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk"], check=True)
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(url: str, folder: str):
    """The app under gunicorn with the shipped settings, 2 workers and the production
    configuration."""
    port = free_port()
    env = {**os.environ, "BILLBOARD_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": url, "UPLOAD_FOLDER": str(Path(folder) / "uploads"),
           "GUNICORN_WORKERS": "2", "GUNICORN_BIND": f"127.0.0.1:{port}"}
    log = Path(folder) / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
             "wsgi:app"], cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        for _ in range(200):
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"gunicorn did not start; see {log}")
        yield server, port
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(port: int, path: str, headers: dict | None = None, method: str = "GET",
        body: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers={"User-Agent": USER_AGENT,
                                                         **(headers or {})})
    response = connection.getresponse()
    result = response.status, response.getheaders(), response.read()
    connection.close()
    return result


def session_cookie(port: int, email: str) -> str:
    """Log in through the form, as a browser does; the cookie of the logged-in session."""
    _status, headers, page = get(port, "/login")
    cookie = SimpleCookie(dict(headers)["Set-Cookie"])["session"].value
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    status, headers, _page = get(
        port, "/login", method="POST",
        body=urlencode({"email": email, "password": history.PASSWORD, "csrf_token": token}),
        headers={"Cookie": f"session={cookie}",
                 "Content-Type": "application/x-www-form-urlencoded"})
    assert status in (302, 303), f"login of {email} answered {status}"
    return "session=" + SimpleCookie(dict(headers)["Set-Cookie"])["session"].value


def wrk(binary: str, port: int, path: str, headers: dict, seconds: int = SECONDS) -> dict:
    """requests/s, p50 and p99 (ms) of ``path`` under 16 connections for ``seconds``."""
    command = [binary, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency",
               "-H", f"User-Agent: {USER_AGENT}"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], check=True,
                         capture_output=True, text=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert not errors, f"{path}: {errors.group(0)}"
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": _latency(out, "50%"), "p99": _latency(out, "99%")}


def _latency(out: str, percentile: str) -> float:
    value, unit = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def worker_pids(server) -> list[str]:
    return Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()


def worker_rss_mb(server) -> list[float]:
    sizes = []
    for pid in worker_pids(server):
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


def public_pages() -> dict[str, str]:
    """The public reads loaded, by label (besides the conditional GET of ``/``)."""
    today = clock.today_wib()
    window = urlencode({"start": today.isoformat(),
                        "end": (today + timedelta(days=90)).isoformat()})
    return {"/": "/", "/api/v1/sites": "/api/v1/sites", "/sites/PGK-01": "/sites/PGK-01",
            "availability (3 months)": f"/api/v1/sites/PGK-01/availability?{window}",
            "/sites/PGK-01.ics": "/sites/PGK-01.ics"}


def load(binary: str, url: str, folder: str) -> tuple[dict, list[float]]:
    with gunicorn(url, folder) as (server, port):
        agency = {"Cookie": session_cookie(port, history.AGENCY_EMAIL)}
        reviewer = {"Cookie": session_cookie(port, history.REVIEWER_EMAIL)}
        etag = dict(get(port, "/")[1])["ETag"]
        pages = {
            "/": ("/", {}),
            CONDITIONAL: ("/", {"If-None-Match": etag}),
            **{label: (path, {}) for label, path in public_pages().items()},
            "/requests (agency)": ("/requests", agency),
            "/review (reviewer)": ("/review", reviewer),
        }
        healthz, results = [], {}
        for label, (path, headers) in pages.items():
            for _ in range(4):  # each worker makes its copy before the clock starts
                assert get(port, path, headers)[0] in (200, 304), path
            slices = []
            for round_number in range(ROUNDS):
                # Which goes first alternates, so that a machine slowing down (or speeding
                # up) over the pair does not always favour the same side.
                pair = [("healthz", "/healthz", {}), ("page", path, headers)]
                measured = {side: wrk(binary, port, url, sent)
                            for side, url, sent in (pair if round_number % 2 == 0 else pair[::-1])}
                healthz.append(measured["healthz"])
                slices.append(measured["page"])
                # A slice in which the machine gave the stack nothing at all says nothing.
                slices[-1]["share"] = slices[-1]["rps"] / max(healthz[-1]["rps"], 1)
            results[label] = _median(slices)
            print(f"  {label:<26} {results[label]['rps']:8.0f} req/s "
                  f"({results[label]['share']:.2f} of /healthz)", flush=True)
        base = _median(healthz)
        base["share"] = 1.0
        return {"/healthz": base, **results}, worker_rss_mb(server)


def _median(slices: list[dict]) -> dict:
    return {key: statistics.median(s[key] for s in slices) for key in slices[0]}


# --- In-process -------------------------------------------------------------------------------

def write_path(url: str) -> dict:
    """Submissions, then their approvals, each in its own unit of work as a view runs it: one
    at a time, and by WRITERS processes at once, as gunicorn's workers serve two users."""
    app = history.bench_app(url)
    with app.app_context():
        # After the last day of history, so that no approval clashes with it.
        first = db.session.scalar(db.select(db.func.max(Booking.end_on))) + timedelta(days=1)
        db.session.rollback()
    serial, together = list(range(WRITES)), list(range(WRITES, 2 * WRITES))
    rates = {}
    rates["submit"], serial_ids = _timed(url, first, "submit", serial, 1)
    rates["submit at once"], together_ids = _timed(url, first, "submit", together, WRITERS)
    rates["approve"], _ = _timed(url, first, "approve", serial_ids, 1)
    # Each writer takes every other item, so both work on the same faces in the same weeks.
    rates["approve at once"], _ = _timed(url, first, "approve", together_ids, WRITERS)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Booking.id)).where(
            Booking.id.in_(serial_ids + together_ids),
            Booking.status == BookingStatus.APPROVED)) == 2 * WRITES
        db.engine.dispose()
    return rates


def _timed(url: str, first: date, step: str, items: list[int],
           writers: int) -> tuple[float, list[int]]:
    """``step`` done to ``items`` by ``writers`` processes started together: their rate (from
    the first start to the last end, after each writer's first WARM_UP items) and what they
    made."""
    context = multiprocessing.get_context("spawn")
    ready, results = context.Barrier(writers), context.Queue()
    processes = [context.Process(target=_write, args=(url, first, step, items[k::writers],
                                                       ready, results))
                 for k in range(writers)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    failed = [outcome for outcome in outcomes if isinstance(outcome, str)]
    assert not failed, failed[0]
    elapsed = max(ended for _, ended, _ in outcomes) - min(began for began, _, _ in outcomes)
    timed = len(items) - WARM_UP * writers
    return timed / elapsed, sorted(made for *_, done in outcomes for made in done)


def _write(url: str, first: date, step: str, items: list[int], ready, results) -> None:
    """One writer: ``submit`` item number n of the write path (from ``first`` on), or
    ``approve`` booking n."""
    try:
        app = history.bench_app(url, BOOKING_HORIZON_DAYS=3650)
        with app.app_context():
            agency = db.session.scalar(db.select(User).filter_by(email=history.AGENCY_EMAIL))
            reviewer = db.session.scalar(
                db.select(User).filter_by(email=history.REVIEWER_EMAIL))
            faces = db.session.execute(db.select(Site.code, Face.label).join(Face.site)
                                       .order_by(Site.code, Face.label)).all()
            today = clock.today_wib()

            def submit(n: int) -> int:
                code, label = faces[n % len(faces)]
                day = first + timedelta(days=n // len(faces))
                request = booking.submit_request(
                    agency, purpose=f"Sosialisasi {n}", category=Category.PUBLIC_SERVICE,
                    letter_number=f"{n}/BENCH", letter_date=today,
                    items=[ItemInput(code, label, day, day)])
                return request.bookings[0].id

            def approve(n: int) -> int:
                booking.approve(n, reviewer, agreement_number=f"PKS/{n}", agreement_date=today,
                                approval_letter_number=f"B/{n}/BAKEUDA",
                                approval_letter_date=today)
                return n

            change = submit if step == "submit" else approve
            began, done = None, []
            for position, n in enumerate(items):
                if position == WARM_UP:
                    ready.wait()
                    began = time.perf_counter()
                with unit_of_work():
                    done.append(change(n))
            results.put((began, time.perf_counter(), done))
            db.engine.dispose()
    except BaseException:
        ready.abort()  # the other writers stop waiting for this one
        results.put(traceback.format_exc())
        raise


def p95(function) -> dict:
    """p95 in ms of the wall-clock time and of the CPU time: on a shared machine the wall clock
    also counts the waits for a core that others' processes hold."""
    wall, cpu = [], []
    for _ in range(CHECK_RUNS):
        started, started_cpu = time.perf_counter(), time.thread_time()
        function()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    return {clock_name: statistics.quantiles(samples, n=20)[-1]
            for clock_name, samples in (("wall", wall), ("CPU", cpu))}


def checks(url: str) -> dict:
    """p95 (ms) of the reads every page and decision makes, in-process."""
    app = history.bench_app(url)
    with app.app_context():
        site = db.session.scalar(db.select(Site).filter_by(code="PGK-01"))
        today = clock.today_wib()
        start = today + timedelta(days=10)
        item = [ItemInput("PGK-01", "A", start, start + timedelta(days=29))]
        reads = {
            "availability": (lambda: booking.availability(site, today,
                                                          today + timedelta(days=90)),
                             lambda busy: sum(map(len, busy.values()))),
            "clash check": (lambda: booking.check_items(Category.VOTER_EDUCATION, item),
                            lambda found: len(found[0].clashes)),
            "today's occupants": (lambda: booking.current_occupants(today), len),
        }
        # With the size of each answer: a read that grows with it is not a read that scans.
        result = {name: {**p95(read), "rows": size(read())}
                  for name, (read, size) in reads.items()}
        db.engine.dispose()
    return result


# --- Report -----------------------------------------------------------------------------------

def report(loads: dict, writes: dict, sizes: dict, memory: dict) -> None:
    verdicts = []

    def target(text: str, met: bool) -> None:
        verdicts.append(f"  {'met    ' if met else 'NOT MET'}  {text}")

    for database, results in loads.items():
        print(f"\n{database}, {BOOKINGS:,} bookings, gunicorn 2 workers, wrk {CONNECTIONS} "
              f"connections, medians of {ROUNDS} slices of {SECONDS} s")
        print(f"  {'page':<26} {'req/s':>8} {'share':>6} {'p50 ms':>7} {'p99 ms':>7}")
        for label, r in results.items():
            print(f"  {label:<26} {r['rps']:8.0f} {r['share']:6.2f} {r['p50']:7.1f} "
                  f"{r['p99']:7.1f}")

        for label, minimum in (("/", 0.80), ("/api/v1/sites", 0.80), ("/sites/PGK-01", 0.50),
                               ("availability (3 months)", 0.50), ("/sites/PGK-01.ics", 0.50),
                               (CONDITIONAL, 0.95)):
            share = results[label]["share"]
            target(f"{database}: {label} at >= {minimum:.2f} of /healthz ({share:.2f})",
                   share >= minimum)
        public = [label for label in results if "(agency)" not in label
                  and "(reviewer)" not in label]
        worst = max(public, key=lambda label: results[label]["p99"])
        target(f"{database}: p99 < 50 ms for every public read (worst {worst}: "
               f"{results[worst]['p99']:.1f} ms)", results[worst]["p99"] < 50)
        target(f"{database}: <= 150 MB resident per worker "
               f"({', '.join(f'{mb:.0f}' for mb in memory[database])} MB)",
               max(memory[database]) <= 150)

    print(f"\nWrite path, in-process, each its own unit of work: one at a time / {WRITERS} "
          f"processes at once")
    for database, rates in writes.items():
        print(f"  {database:<11} submit {rates['submit']:6.0f} / {rates['submit at once']:4.0f}"
              f" per s   approve {rates['approve']:6.0f} / {rates['approve at once']:4.0f} per s")
    if "PostgreSQL" in writes:
        rate, alone = writes["PostgreSQL"]["approve at once"], writes["PostgreSQL"]["approve"]
        target(f"PostgreSQL: approvals >= 200/s ({rate:.0f}/s by {WRITERS} writers at once; "
               f"{alone:.0f}/s one at a time)", rate >= 200)

    print("\nIn-process reads on SQLite, p95 in ms")
    print(f"  {'bookings':<25}" + "".join(f"{n:>10,}" for n in CHECK_SIZES))
    for name in sizes[CHECK_SIZES[0]]:
        for clock_name in ("wall", "CPU"):
            print(f"  {f'{name} ({clock_name})':<25}" + "".join(
                f"{sizes[n][name][clock_name]:10.2f}" for n in CHECK_SIZES))
        print(f"  {f'{name} (rows answered)':<25}" + "".join(
            f"{sizes[n][name]['rows']:10,}" for n in CHECK_SIZES))
    for name in ("availability", "clash check"):
        small, large = (sizes[n][name]["CPU"] for n in (CHECK_SIZES[0], CHECK_SIZES[-1]))
        target(f"{name}: CPU p95 <= 5 ms at 100k ({large:.2f}) and <= 2x its 1k time "
               f"({large / small:.1f}x)", large <= 5 and large <= 2 * small)

    print("\nTargets (issue 7)")
    print("\n".join(verdicts))


def main() -> None:
    binary = ensure_wrk()
    databases = {"SQLite": None}
    if os.environ.get("BENCH_DATABASE_URL"):
        databases["PostgreSQL"] = os.environ["BENCH_DATABASE_URL"]
        history.refuse_unless_scratch(databases["PostgreSQL"])
    loads, writes, memory, sizes = {}, {}, {}, {}
    with tempfile.TemporaryDirectory() as folder:
        databases["SQLite"] = f"sqlite:///{folder}/bench.sqlite"
        for n in CHECK_SIZES[:-1]:
            url = f"sqlite:///{folder}/checks-{n}.sqlite"
            history.build(url, n)
            sizes[n] = checks(url)
        for database, url in databases.items():
            print(f"{database}: building {BOOKINGS:,} bookings", flush=True)
            history.build(url, BOOKINGS)
            if database == "SQLite":
                sizes[BOOKINGS] = checks(url)
            loads[database], memory[database] = load(binary, url, folder)
            writes[database] = write_path(url)
    report(loads, writes, sizes, memory)


if __name__ == "__main__":
    main()
