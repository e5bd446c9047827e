"""First visits, phones and keyboards in a real browser: axe-core finds nothing serious, pages
fit 360 px and 1280 px, the columns that matter show, popups stay inside the map, the live
check stands under its item, and the map, the list and the request form work by keyboard."""
from datetime import timedelta

import pytest
from accessibility import assert_accessible, serious_violations
from playwright.sync_api import expect
from support import TODAY, approval

from billboard import booking
from billboard.auth.passwords import hash_password
from billboard.extensions import db
from billboard.models import Category, Organization, OrganizationKind, Request, Role, User

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-aksesibel-2026"
PEOPLE = {
    "agency": ("staf@kpu.example", Role.AGENCY, "KPU Kota Pangkalpinang",
               OrganizationKind.GOVERNMENT),
    "other": ("staf@bawaslu.example", Role.AGENCY, "Bawaslu Kota Pangkalpinang",
              OrganizationKind.GOVERNMENT),
    "reviewer": ("analis@bakeuda.example", Role.REVIEWER, "Bakeuda", OrganizationKind.BAKEUDA),
}
WIDTHS = (360, 1280)


@pytest.fixture
def served(live_server):
    """Three people; Bawaslu holds PGK-02/A in three weeks, KPU waits for PGK-01/A."""
    with live_server.app_context():
        users = {role: User(email=email, name=email.split("@")[0], role=user_role,
                            password_hash=hash_password(PASSWORD),
                            organization=Organization(name=org, kind=kind))
                 for role, (email, user_role, org, kind) in PEOPLE.items()}
        db.session.add_all(users.values())
        db.session.commit()
        today = TODAY
        held = booking.submit_request(
            users["other"], purpose="Pengawasan partisipatif", category=Category.PUBLIC_SERVICE,
            letter_number="07/BWS/2026", letter_date=today,
            items=[booking.ItemInput("PGK-02", "A", today + timedelta(days=20),
                                     today + timedelta(days=30))])
        db.session.commit()
        booking.approve(held.bookings[0].id, users["reviewer"], **approval())
        mine = booking.submit_request(
            users["agency"], purpose="Sosialisasi tahapan Pemilihan Walikota dan Wakil Walikota",
            category=Category.VOTER_EDUCATION, letter_number="123/PP.01.2-SD/KPU-Kot/XI/2026",
            letter_date=today,
            items=[booking.ItemInput("PGK-01", "A", today + timedelta(days=10),
                                     today + timedelta(days=20))])
        db.session.commit()
        live_server.today, live_server.kpu_request = today, mine.id
    return live_server


def log_in(page, base, role):
    page.goto(base + "/login")
    page.fill("input[name=email]", PEOPLE[role][0])
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def settled(page):
    page.wait_for_function(
        "() => !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim')")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("role", "paths"), [
    (None, ["/", "/sites/PGK-02", "/about", "/login", "/sites/PGK-99"]),
    ("agency", ["/requests", "/requests/new"]),
    ("reviewer", ["/review"]),
], ids=["public", "agency", "reviewer"])
def test_axe_finds_nothing_serious(page, served, browser_problems, role, paths, width):
    page.set_viewport_size({"width": width, "height": 800})
    if role:
        log_in(page, served.url, role)
    for path in paths:
        page.goto(served.url + path)
        if path == "/":
            settled(page)
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    # The 404 page is meant to answer 404.
    assert [p for p in browser_problems if "PGK-99" not in p and "404 (NOT FOUND)" not in p] == []


def test_the_axe_check_does_fail_on_a_serious_violation(page, served):
    page.goto(served.url + "/about")
    page.evaluate("""() => {
        const image = document.createElement('img');
        image.src = '/favicon.ico';
        document.querySelector('main').appendChild(image);
    }""")
    assert any(line.startswith("image-alt (critical)") for line in serious_violations(page))


@pytest.mark.parametrize("width", WIDTHS)
def test_popups_stay_inside_the_map(page, served, browser_problems, width):
    page.set_viewport_size({"width": width, "height": 740})
    page.goto(served.url + "/")
    settled(page)
    for index in (0, 9):
        page.locator("path.site-marker").nth(index).click()
        popup = page.locator(".leaflet-popup")
        expect(popup.locator(".popup-name")).to_be_visible()
        settled(page)  # the map pans the popup into view
        page.wait_for_timeout(300)
        frame, box = page.locator(".map-frame").bounding_box(), popup.bounding_box()
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"]
        popup.locator(".leaflet-popup-close-button").click()
        expect(popup).to_have_count(0)
    assert browser_problems == []


def test_keyboard_reaches_the_markers_and_the_list(page, served, browser_problems):
    page.goto(served.url + "/")
    settled(page)
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Langsung ke isi halaman")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # Onwards by Tab: the map's own skip link, then the markers, named by their site.
    for _attempt in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('path.site-marker')"):
            break
    marker = page.locator("path.site-marker:focus")
    expect(marker).to_have_attribute("aria-label", "Bundaran Air Mancur")
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup .popup-name")).to_have_text("Bundaran Air Mancur")
    # The list is the other keyboard path, announced before the map.
    page.goto(served.url + "/")
    page.get_by_role("link", name="Lewati peta: daftar titik yang sama").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(served.url + "/#sites")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Bundaran Air Mancur")
    assert browser_problems == []


def test_the_columns_that_matter_show_on_a_phone(page, served, browser_problems):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(served.url + "/")
    for code in ("PGK-01", "PGK-10"):
        today = page.locator(f"#site-{code} td[data-label]").first
        expect(today).to_have_attribute("data-label", "Hari ini")
        box = today.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    log_in(page, served.url, "agency")
    status = page.locator("td.status-submitted").first
    expect(status).to_have_attribute("data-label", "Status")
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert browser_problems == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_live_check_stands_under_its_item(page, served, browser_problems, width):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, served.url, "agency")
    page.goto(served.url + "/requests/new")
    today = served.today
    page.fill("[name=start]", (today + timedelta(days=25)).strftime("%d-%m-%Y"))
    page.fill("[name=end]", (today + timedelta(days=28)).strftime("%d-%m-%Y"))
    page.locator("input[name=faces][value='PGK-02/A']").check()
    label = page.locator("label.has-problem")
    expect(label).to_have_count(1)
    note = label.locator("xpath=following-sibling::*[1]")
    expect(note).to_have_class("item-check")
    expect(note).to_contain_text("Bawaslu Kota Pangkalpinang")
    gap = note.bounding_box()["y"] - (label.bounding_box()["y"] + label.bounding_box()["height"])
    assert -5 <= gap <= 40  # right under the ticked face, wherever the form's end is
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert browser_problems == []


def test_keyboard_path_through_the_request_form(page, served, browser_problems):
    log_in(page, served.url, "agency")
    page.goto(served.url + "/requests/new")
    page.locator("[name=purpose]").focus()
    visited = []
    for _press in range(80):
        visited.append(page.evaluate(
            "document.activeElement.name || document.activeElement.textContent.trim()"))
        if visited[-1] == "Kirim permohonan":
            break
        page.keyboard.press("Tab")
    order = ["purpose", "category", "letter_number", "letter_date", "letter", "artwork",
             "start", "end", "Centang semua sisi", "faces", "rows-0-face", "rows-0-start",
             "rows-0-end", "Tambah baris", "Kirim permohonan"]
    reached = [name for name in dict.fromkeys(visited) if name in order]
    assert reached == order  # every part, in the order the form reads
    assert browser_problems == []


def test_a_destructive_action_asks_first_without_javascript(browser, served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, served.url, "agency")
    mine = f"{served.url}/requests/{served.kpu_request}"
    page.goto(mine)
    page.get_by_role("button", name="Tarik permohonan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tarik permohonan")
    with served.app_context():
        assert booking.request_status(db.session.get(Request, served.kpu_request)) == "submitted"
    page.get_by_role("link", name="Tidak, kembali").click()
    expect(page).to_have_url(mine)
    page.get_by_role("button", name="Tarik permohonan").click()
    page.locator("main form button.button-danger").click()
    expect(page.locator(".flash-success")).to_contain_text("ditarik")
    context.close()
