"""Regenerate ``docs/report.png`` and ``docs/rental-agreement.png``: Bakeuda's report of this
month with its chart, and a printable rental agreement, in Debian's Chromium.

Usage: ``.venv/bin/python docs/make_desk_screenshots.py``. Builds a throw-away SQLite database,
records sample use through the services (loans approved for KPU and Bawaslu, rentals with a
payment, a maintenance block), serves the app on a free local port, logs in as the reviewer
and saves the pictures.
"""
import os
import tempfile
import threading
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from billboard import booking, create_app
from billboard.auth.passwords import hash_password
from billboard.extensions import db
from billboard.models import BookingKind, Category, Face, Organization, Role, Site, User
from billboard.seed import seed_elections, seed_sites

HERE = os.path.dirname(os.path.abspath(__file__))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "contoh-kata-sandi-2026"


def face(code: str, label: str = "A") -> Face:
    return db.session.scalar(db.select(Face).join(Site).where(Site.code == code,
                                                              Face.label == label))


def person(email: str, role: Role, organization: Organization) -> User:
    user = User(email=email, name=email.split("@")[0].title(), role=role,
                organization=organization, password_hash=hash_password(PASSWORD))
    db.session.add(user)
    return user


def sample_use() -> int:
    """Use this month on several faces; returns the id of the rental whose agreement prints."""
    first = booking.today_wib().replace(day=1)
    bakeuda = Organization(name="Bakeuda Kota Pangkalpinang", kind="bakeuda")
    reviewer = person("analis@bakeuda.example", Role.REVIEWER, bakeuda)
    agencies = [person("staf@kpu.example", Role.AGENCY,
                       Organization(name="KPU Kota Pangkalpinang", kind="government")),
                person("staf@bawaslu.example", Role.AGENCY,
                       Organization(name="Bawaslu Kota Pangkalpinang", kind="government"))]
    db.session.commit()
    for number, (agency, code, days) in enumerate(
            ((agencies[0], "PGK-02", 20), (agencies[0], "PGK-05", 30),
             (agencies[1], "PGK-06", 12)), start=1):
        request = booking.submit_request(
            agency, purpose="Sosialisasi tahapan Pilkada", category=Category.VOTER_EDUCATION,
            letter_number=f"00{number}/PP.01/2026", letter_date=first - timedelta(days=10),
            items=[booking.ItemInput(code, "A", first, first + timedelta(days=days - 1))],
            today=first - timedelta(days=5))
        decided_on = first - timedelta(days=5)
        booking.approve(request.bookings[0].id, reviewer, agreement_number=f"PKS/00{number}",
                        agreement_date=decided_on, approval_letter_number=f"500/00{number}",
                        approval_letter_date=decided_on, today=decided_on)
    rental = booking.add_occupancy(reviewer, face("PGK-01", "A"), first,
                                   first + timedelta(days=44), kind=BookingKind.COMMERCIAL,
                                   tenant_name="PT Bangka Jaya Reklame",
                                   agreement_number="SEWA/012/BAKEUDA/2026")
    booking.record_payment(rental.id, reviewer, receipt_number="KW/2026/0041", paid_on=first,
                           amount_idr=rental.fee_idr)
    booking.add_occupancy(reviewer, face("PGK-08", "B"), first + timedelta(days=5),
                          first + timedelta(days=19), kind=BookingKind.COMMERCIAL,
                          tenant_name="CV Timah Media")
    booking.add_occupancy(reviewer, face("PGK-09"), first + timedelta(days=10),
                          first + timedelta(days=16), kind=BookingKind.MAINTENANCE,
                          reason="Cat ulang rangka")
    db.session.commit()
    return rental.id


@contextmanager
def reviewer_page(sample: Callable[[], int], viewport: dict):
    """A throw-away database seeded and filled by ``sample``, the app served on a free local
    port, and a Chromium page logged in as the reviewer: yields (page, base URL, sample's id)."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/shot.sqlite",
                          "UPLOAD_FOLDER": folder, "MAP_TILES_URL": "none"})
        with app.app_context():
            upgrade(directory=os.path.join(os.path.dirname(HERE), "migrations"))
            seed_sites()
            seed_elections()
            db.session.commit()
            made = sample()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                     args=CHROMIUM_ARGS)
                page = browser.new_page(viewport=viewport)
                page.goto(url + "/login")
                page.fill("input[name=email]", "analis@bakeuda.example")
                page.fill("input[name=password]", PASSWORD)
                page.click("main form button[type=submit]")
                page.wait_for_load_state()
                yield page, url, made
                browser.close()
        finally:
            server.shutdown()


def main() -> None:
    with reviewer_page(sample_use, {"width": 1100, "height": 900}) as (page, url, rental_id):
        page.goto(url + "/review/reports")
        page.locator("#organizations").scroll_into_view_if_needed()
        page.screenshot(path=os.path.join(HERE, "report.png"),
                        clip={"x": 0, "y": 0, "width": 1100, "height": 1500}, full_page=True)
        page.goto(url + f"/review/rentals/{rental_id}/agreement")
        page.screenshot(path=os.path.join(HERE, "rental-agreement.png"), full_page=True)


if __name__ == "__main__":
    main()
