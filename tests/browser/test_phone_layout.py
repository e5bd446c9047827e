"""Citizens and staff use phones: no page of the app is wider than a 360 px screen."""
from datetime import timedelta

import pytest
from support import TODAY

from billboard import booking
from billboard.auth.passwords import hash_password
from billboard.extensions import db
from billboard.models import Category, Organization, OrganizationKind, Role, User

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-telepon-2026"
PEOPLE = {
    "agency": ("staf@kpu.example", Role.AGENCY, "KPU Kota Pangkalpinang",
               OrganizationKind.GOVERNMENT),
    "reviewer": ("analis@bakeuda.example", Role.REVIEWER, "Bakeuda", OrganizationKind.BAKEUDA),
}
PAGES = {
    None: ["/", "/sites/PGK-01", "/about", "/login"],
    "agency": ["/requests", "/requests/new", "/requests/1", "/account/tokens"],
    "reviewer": ["/review", "/review/requests/1", "/review/timeline", "/review/reports",
                 "/review/rentals", "/review/tariffs", "/review/occupancy/new"],
}


@pytest.fixture
def served(live_server):
    """An agency and a reviewer, and one request with a long purpose and letter number."""
    with live_server.app_context():
        users = {}
        for role, (email, user_role, org, kind) in PEOPLE.items():
            users[role] = User(email=email, name=email.split("@")[0], role=user_role,
                               password_hash=hash_password(PASSWORD),
                               organization=Organization(name=org, kind=kind))
            db.session.add(users[role])
        db.session.commit()
        start = TODAY + timedelta(days=10)
        booking.submit_request(
            users["agency"], purpose="Sosialisasi tahapan Pemilihan Walikota dan Wakil Walikota",
            category=Category.VOTER_EDUCATION,
            letter_number="123/PP.01.2-SD/1971/KPU-Kot/XI/2026", letter_date=TODAY,
            items=[booking.ItemInput(code, "A", start, start + timedelta(days=20))
                   for code in ("PGK-01", "PGK-02", "PGK-03")])
        db.session.commit()
    return live_server


@pytest.mark.parametrize("role", list(PAGES), ids=lambda role: role or "public")
def test_pages_fit_a_phone(page, served, browser_problems, role):
    page.set_viewport_size({"width": 360, "height": 740})
    if role:
        page.goto(served.url + "/login")
        page.fill("input[name=email]", PEOPLE[role][0])
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    too_wide = {}
    for path in PAGES[role]:
        page.goto(served.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = width
    assert too_wide == {}
    assert browser_problems == []


def test_the_usage_schedule_fits_a_1280_px_screen(page, served, browser_problems):
    """Six weeks of days beside the faces, without sideways scrolling on a desktop."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(served.url + "/login")
    page.fill("input[name=email]", PEOPLE["reviewer"][0])
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.goto(served.url + "/review/timeline")
    wrap = page.locator(".timeline-wrap")
    assert wrap.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.locator(".tl-item").count() == 3  # the three pending items, each a bar
    assert browser_problems == []
