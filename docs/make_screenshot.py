"""Regenerate the pictures in ``docs/``: the public map on a desktop (``map.png``), the public
pages on a 360 px phone (``phone-*.png``) and a site's printable QR plate (``plate.png``), with a
little sample use, in Debian's Chromium.

Usage: ``.venv/bin/python docs/make_screenshot.py``. Builds a throw-away SQLite database, records
a rental, a maintenance block, a blackout and an approved KPU loan through the services, serves
the app on a free local port without map tiles and saves the pictures.
"""
import os
import tempfile
import threading
from datetime import timedelta

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from billboard import booking, create_app
from billboard.extensions import db
from billboard.models import (
    Blackout,
    BookingKind,
    Category,
    Face,
    Organization,
    Role,
    Site,
    User,
)
from billboard.seed import seed_elections, seed_sites

HERE = os.path.dirname(os.path.abspath(__file__))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def face(code: str, label: str = "A") -> Face:
    return db.session.scalar(db.select(Face).join(Site).where(Site.code == code,
                                                              Face.label == label))


def sample_use() -> None:
    today = booking.today_wib()
    kpu = Organization(name="KPU Kota Pangkalpinang", kind="government")
    bakeuda = Organization(name="Bakeuda Kota Pangkalpinang", kind="bakeuda")
    agency = User(email="kpu@example", name="KPU", role=Role.AGENCY, organization=kpu,
                  password_hash=generate_password_hash("unused-password"))
    reviewer = User(email="bakeuda@example", name="Bakeuda", role=Role.REVIEWER,
                    organization=bakeuda, password_hash=agency.password_hash)
    db.session.add_all([agency, reviewer])
    db.session.commit()
    for label in ("A", "B"):
        booking.add_occupancy(reviewer, face("PGK-08", label), today, today + timedelta(days=60),
                              kind=BookingKind.COMMERCIAL, tenant_name="PT Bangka Jaya",
                              fee_idr=5_500_000, fee_reason="Harga paket 60 hari",
                              agreement_number=f"SEWA-08{label}")
    booking.add_occupancy(reviewer, face("PGK-09"), today, today + timedelta(days=14),
                          kind=BookingKind.MAINTENANCE, reason="Cat ulang rangka")
    request = booking.submit_request(
        agency, purpose="Sosialisasi tahapan Pilkada", category=Category.VOTER_EDUCATION,
        letter_number="001/PP.01/KPU-Kot/2026", letter_date=today,
        items=[booking.ItemInput("PGK-02", "A", today, today + timedelta(days=30))])
    db.session.commit()
    booking.approve(request.bookings[0].id, reviewer, agreement_number="PKS/001/2026")
    db.session.add(Blackout(name="Perbaikan trotoar Jl. Jenderal Sudirman",
                            site=db.session.get(Site, 2), start_on=today + timedelta(days=40),
                            end_on=today + timedelta(days=47)))
    db.session.commit()


def settle(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim')")


def phone_pictures(browser, base: str) -> None:
    """The public pages as a citizen sees them on a 360 px phone."""
    page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page.goto(base + "/")
    settle(page)
    page.locator("path.leaflet-interactive").nth(1).click()
    page.locator(".leaflet-popup-content .popup-name").wait_for()
    page.wait_for_timeout(800)
    page.locator(".map-frame").scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(HERE, "phone-map.png"))
    page.locator("#site-PGK-01").scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(HERE, "phone-list.png"))
    page.goto(base + "/sites/PGK-02")
    page.screenshot(path=os.path.join(HERE, "phone-site.png"))
    page.locator("#apply").scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(HERE, "phone-site-use.png"))
    page.goto(base + "/about")
    page.screenshot(path=os.path.join(HERE, "phone-about.png"))
    page.close()


def shoot_plate(browser, base: str) -> None:
    """The QR plate of PGK-02 as it prints: A4 at 96 dpi, print styles."""
    page = browser.new_page(viewport={"width": 794, "height": 1123})
    page.goto(f"{base}/login")
    page.fill("#email", "bakeuda@example")
    page.fill("#password", "unused-password")
    page.click("main form button[type=submit]")
    page.emulate_media(media="print")
    page.goto(f"{base}/review/sites/PGK-02/plate")
    page.screenshot(path=os.path.join(HERE, "plate.png"), full_page=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/shot.sqlite",
                          "UPLOAD_FOLDER": folder, "MAP_TILES_URL": "none",
                          "PUBLIC_URL": "https://baliho.pangkalpinangkota.go.id",
                          # The sample loan starts today, so that the map shows it.
                          "BOOKING_MIN_LEAD_DAYS": 0})
        with app.app_context():
            upgrade(directory=os.path.join(os.path.dirname(HERE), "migrations"))
            seed_sites()
            seed_elections()
            db.session.commit()
            sample_use()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                     args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1100, "height": 850})
                page.goto(f"http://127.0.0.1:{server.server_port}/")
                settle(page)
                page.locator("path.leaflet-interactive").nth(7).click()
                page.locator(".leaflet-popup-content").wait_for()
                page.wait_for_timeout(800)  # the popup fades in while the map pans to it
                page.screenshot(path=os.path.join(HERE, "map.png"))
                phone_pictures(browser, f"http://127.0.0.1:{server.server_port}")
                shoot_plate(browser, f"http://127.0.0.1:{server.server_port}")
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
