"""A server killed (SIGKILL) in the middle of a burst of writes loses nothing half-done.

The app runs under gunicorn with the shipped configuration (deploy/gunicorn.conf.py) on a SQLite
file; agencies submit requests through the API and through the HTML form with their files while
reviewers approve, and the whole process group is killed mid-burst. After a restart (which runs
the start-up reconciliation of the upload folder) every change is whole: an approved item has its
audit row and its email, no two occupying uses overlap, every answer the clients got is still
true, and the upload folder holds exactly the files that rows name.
"""
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
import requests
from support import JPEG, PASSWORD, PDF, TODAY, approval, csrf_token_in

from billboard.auth.tokens import issue_token
from billboard.extensions import db
from billboard.models import AuditEvent, Booking, BookingStatus, OutboxEmail, Request, Site

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AGENCIES = 6
WORKERS = 8


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """The app under gunicorn in its own process group, so that one signal reaches all."""

    def __init__(self, app, tmp_path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / "gunicorn.log"
        self.env = {key: value for key, value in os.environ.items()
                    if key != "FLASK_RUN_FROM_CLI"}
        self.env.update({
            "BILLBOARD_ENV": "development", "SECRET_KEY": "crash-test-" + "k" * 32,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "MAP_TILES_URL": "none",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "2"})
        self.process = None

    def start(self) -> None:
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        pytest.fail("gunicorn did not start:\n" + self.log.read_text())

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


@pytest.fixture
def people(app, make_user):
    agencies = [make_user(f"staf{n}@opd.example", org=f"OPD {n}") for n in range(AGENCIES)]
    reviewers = [make_user(f"reviewer{n}@bakeuda.example", role="reviewer", org="Bakeuda")
                 for n in range(2)]
    tokens = {"agencies": [issue_token(user, "crash", None)[1] for user in agencies],
              "reviewers": [issue_token(user, "crash", None)[1] for user in reviewers],
              "emails": [user.email for user in agencies]}
    db.session.commit()
    db.session.remove()
    return tokens


FACES = [("PGK-01", "A"), ("PGK-01", "B"), ("PGK-02", "A"), ("PGK-03", "A")]


def _period(rng: random.Random) -> tuple[str, str]:
    start = TODAY + timedelta(days=rng.randrange(5, 40))
    return start.isoformat(), (start + timedelta(days=rng.randrange(0, 6))).isoformat()


class Burst:
    """Threads that write until told to stop; what each answer promised is kept to check."""

    def __init__(self, url: str, people: dict):
        self.url, self.people = url, people
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.submitted: list[int] = []  # item ids the server said it created
        self.created: dict[int, int] = {}  # request id -> number of items, answered 201
        self.approved: set[int] = set()  # item ids answered 200 to an approval
        self.failures: list[str] = []  # any 5xx answered before the kill
        self.done = 0

    def _answered(self, answer: requests.Response) -> requests.Response:
        if answer.status_code >= 500:
            with self.lock:
                self.failures.append(f"{answer.request.method} {answer.url}: {answer.status_code}")
        return answer

    def _record(self, **facts) -> None:
        with self.lock:
            self.done += 1
            if "request" in facts:
                self.created[facts["request"]] = len(facts["items"])
                self.submitted.extend(facts["items"])
            if "approved" in facts:
                self.approved.add(facts["approved"])

    def _submit(self, rng: random.Random, token: str) -> None:
        start, end = _period(rng)
        items = [{"site": site, "face": face, "start": start, "end": end}
                 for site, face in rng.sample(FACES, rng.randrange(1, 3))]
        answer = self._answered(requests.post(f"{self.url}/api/v1/requests", timeout=30, json={
            "purpose": "Sosialisasi", "category": "public_service", "letter_number": "1/2026",
            "letter_date": TODAY.isoformat(), "items": items},
            headers={"Authorization": f"Bearer {token}"}))
        if answer.status_code == 201:
            body = answer.json()
            self._record(request=body["id"], items=[item["id"] for item in body["items"]])

    def _upload(self, rng: random.Random, session: requests.Session) -> None:
        page = session.get(f"{self.url}/requests/new", timeout=30).text
        start, end = _period(rng)
        site, face = rng.choice(FACES)
        form = {"csrf_token": csrf_token_in(page), "purpose": "Sosialisasi",
                "category": "public_service", "letter_number": "2/2026",
                "letter_date": TODAY.isoformat(), "start": start, "end": end,
                "faces": [f"{site}/{face}"]}
        # Random bytes after the signature: every upload is a file of its own.
        files = {"letter": ("surat.pdf", PDF + os.urandom(64)),
                 "artwork": ("desain.jpg", JPEG + os.urandom(64))}
        answer = self._answered(session.post(f"{self.url}/requests/new", timeout=30,
                                             allow_redirects=False, data=form, files=files))
        created = re.search(r"/requests/(\d+)$", answer.headers.get("Location", ""))
        if answer.status_code == 302 and created:
            with self.lock:
                self.created[int(created[1])] = 1
                self.done += 1

    def _approve(self, rng: random.Random, token: str) -> None:
        with self.lock:
            if not self.submitted:
                return
            item = rng.choice(self.submitted)
        answer = self._answered(requests.post(
            f"{self.url}/api/v1/bookings/{item}/approve", timeout=30,
            json=approval(iso=True),
            headers={"Authorization": f"Bearer {token}"}))
        if answer.status_code == 200:
            self._record(approved=item)

    def _login(self, email: str) -> requests.Session:
        session = requests.Session()
        page = session.get(f"{self.url}/login", timeout=30).text
        self._answered(session.post(f"{self.url}/login", timeout=30, data={
            "email": email, "password": PASSWORD, "csrf_token": csrf_token_in(page)}))
        return session

    def work(self, number: int) -> None:
        rng = random.Random(number)
        session = self._login(self.people["emails"][number % AGENCIES])
        agency = self.people["agencies"][number % AGENCIES]
        reviewer = self.people["reviewers"][number % 2]
        actions = [lambda: self._submit(rng, agency), lambda: self._submit(rng, agency),
                   lambda: self._upload(rng, session), lambda: self._approve(rng, reviewer)]
        while not self.stop.is_set():
            try:
                rng.choice(actions)()
            except requests.RequestException:
                return  # the server is gone


def _named_files() -> set[str]:
    names = set()
    for column in (Request.letter_file, Request.artwork_file, Booking.installed_photo,
                   Booking.removed_photo, Site.photo):
        names.update(db.session.scalars(db.select(column).where(column.is_not(None))))
    return names


def _stored_files(folder) -> set[str]:
    return {os.path.relpath(os.path.join(parent, name), folder)
            for parent, _dirs, names in os.walk(folder) for name in names}


def test_a_server_killed_mid_burst_leaves_nothing_half_done(app, people, tmp_path):
    server = Server(app, tmp_path)
    server.start()
    burst = Burst(server.url, people)
    threads = [threading.Thread(target=burst.work, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 90
    while burst.done < 40 or len(burst.approved) < 3:
        assert time.monotonic() < deadline, server.log.read_text()[-3000:]
        time.sleep(0.02)
    time.sleep(random.uniform(0, 0.2))
    server.kill()  # mid-request: the workers die with changes and files half-written
    burst.stop.set()
    for thread in threads:
        thread.join(timeout=60)

    server.start()  # the start-up reconciliation runs here
    server.stop()

    # Until the kill, concurrent writers waited for each other: none failed.
    assert burst.failures == []
    # Every answer the clients got still holds.
    requests_found = {r.id: len(r.bookings) for r in db.session.scalars(db.select(Request))}
    assert {id_: requests_found.get(id_) for id_ in burst.created} == burst.created
    approved = db.session.scalars(db.select(Booking).where(
        Booking.status == BookingStatus.APPROVED)).all()
    assert burst.approved <= {b.id for b in approved}
    # Nothing half-done: every request has items, every approval its audit row and its email.
    assert all(requests_found.values())
    for item in approved:
        assert db.session.scalar(db.select(AuditEvent.id).where(
            AuditEvent.object_type == "booking", AuditEvent.object_id == item.id,
            AuditEvent.to_state == "approved")), item.id
        assert db.session.scalar(db.select(OutboxEmail.id).where(
            OutboxEmail.subject.contains(item.request.reference),
            OutboxEmail.body.contains(
                f"Perjanjian pinjam pakai: {item.agreement_number}"))), item.id
    # No two occupying uses of a face overlap.
    other = db.aliased(Booking)
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking).join(
        other, (other.face_id == Booking.face_id) & (other.id < Booking.id)).where(
        Booking.status == "approved", other.status == "approved",
        other.start_on <= Booking.end_on, Booking.start_on <= other.end_on)) == 0
    # The upload folder holds exactly the files that rows name: none orphaned, none missing.
    assert _stored_files(app.config["UPLOAD_FOLDER"]) == _named_files()
    assert len(_named_files()) >= 2
