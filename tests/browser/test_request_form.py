"""The request form's script in a real browser: tick all, extra rows, live check; and the form
without any script at all."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from support import PDF, PNG, TODAY, approval

from billboard import booking
from billboard.auth.passwords import hash_password
from billboard.extensions import db
from billboard.models import (
    Face,
    Organization,
    OrganizationKind,
    Request,
    Role,
    Site,
    SiteStatus,
    User,
)

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-formulir-2026"


@pytest.fixture
def setting(live_server):
    """KPU's staff member; Bawaslu holds PGK-02/A (approved) in three weeks."""
    with live_server.app_context():
        today = TODAY
        users = {}
        for email, role, org, kind in [
            ("staf@kpu.example", Role.AGENCY, "KPU Kota Pangkalpinang",
             OrganizationKind.GOVERNMENT),
            ("staf@bawaslu.example", Role.AGENCY, "Bawaslu Kota Pangkalpinang",
             OrganizationKind.GOVERNMENT),
            ("analis@bakeuda.example", Role.REVIEWER, "Bakeuda", OrganizationKind.BAKEUDA),
        ]:
            users[role, org] = User(email=email, name=email.split("@")[0], role=role,
                                    password_hash=hash_password(PASSWORD),
                                    organization=Organization(name=org, kind=kind))
            db.session.add(users[role, org])
        db.session.commit()
        held = booking.submit_request(
            users[Role.AGENCY, "Bawaslu Kota Pangkalpinang"], purpose="Pengawasan partisipatif",
            category="public_service", letter_number="07/BWS/2026", letter_date=today,
            items=[booking.ItemInput("PGK-02", "A", today + timedelta(days=20),
                                     today + timedelta(days=30))])
        db.session.commit()
        booking.approve(held.bookings[0].id, users[Role.REVIEWER, "Bakeuda"],
                        **approval())
        db.session.commit()
        faces = db.session.scalar(db.select(db.func.count(Face.id)).join(Face.site)
                                  .where(Site.status == SiteStatus.ACTIVE))
    return {"today": today, "faces": faces}


def fill_letter(page, today, tmp_path):
    letter, artwork = tmp_path / "surat.pdf", tmp_path / "desain.png"
    letter.write_bytes(PDF)
    artwork.write_bytes(PNG)
    page.locator("[name=purpose]").fill("Sosialisasi pemungutan suara ulang")
    page.locator("[name=letter_number]").fill("015/PL.02/KPU/2026")
    page.locator("[name=letter_date]").fill(today.isoformat())
    page.locator("[name=letter]").set_input_files(letter)
    page.locator("[name=artwork]").set_input_files(artwork)


def log_in(page, base):
    page.goto(base + "/language/en")
    page.goto(base + "/login")
    page.get_by_label("Email").fill("staf@kpu.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base + "/requests")


def test_tick_all_check_live_and_send(page, live_server, setting, browser_problems, tmp_path):
    base, today = live_server.url, setting["today"]
    log_in(page, base)
    page.get_by_role("link", name="New request").click()
    fill_letter(page, today, tmp_path)
    page.locator("[name=start]").fill((today + timedelta(days=25)).isoformat())
    page.locator("[name=end]").fill((today + timedelta(days=35)).isoformat())
    page.get_by_role("button", name="Tick all faces").click()
    expect(page.locator("input[name=faces]:checked")).to_have_count(setting["faces"])

    results = page.locator("#check-results")
    expect(results).to_contain_text("PGK-02/A")
    expect(results).to_contain_text("Held by Bawaslu Kota Pangkalpinang: Pengawasan partisipatif.")
    expect(results).to_contain_text("PGK-01/A")
    taken = page.locator("label.has-problem")
    expect(taken).to_have_count(1)
    expect(taken.locator("input")).to_have_value("PGK-02/A")

    # Not PGK-02/A for those dates, but a later week of its own in an added row.
    taken.locator("input").uncheck()
    page.get_by_role("button", name="Add a row").click()
    expect(page.locator("tr.item-row")).to_have_count(4)
    row = page.locator("tr.item-row").last
    row.locator("select").select_option("PGK-02/A")
    row.locator("input").nth(0).fill((today + timedelta(days=40)).isoformat())
    row.locator("input").nth(1).fill((today + timedelta(days=45)).isoformat())
    row.locator("input").nth(1).dispatch_event("change")
    expect(page.locator("label.has-problem")).to_have_count(0)
    expect(results).not_to_contain_text("Held by")

    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".flash-success")).to_contain_text("was sent to Bakeuda")
    with live_server.app_context():
        created = db.session.scalar(db.select(Request).order_by(Request.id.desc()))
        assert len(created.bookings) == setting["faces"]
        assert any(b.face.site.code == "PGK-02" and b.start_on == today + timedelta(days=40)
                   for b in created.bookings)
    assert browser_problems == []


def test_send_the_rest_without_the_taken_face(page, live_server, setting, browser_problems,
                                             tmp_path):
    base, today = live_server.url, setting["today"]
    log_in(page, base)
    page.goto(base + "/requests/new")
    fill_letter(page, today, tmp_path)
    page.locator("[name=start]").fill((today + timedelta(days=25)).isoformat())
    page.locator("[name=end]").fill((today + timedelta(days=28)).isoformat())
    for value in ("PGK-01/A", "PGK-02/A", "PGK-03/A"):
        page.locator(f"input[name=faces][value='{value}']").check()
    results = page.locator("#check-results")
    # The answer for all three faces, not one still on its way.
    expect(results.locator("li")).to_have_count(3)
    expect(results).to_contain_text("PGK-03/A")
    expect(results).to_contain_text("Instead: this face is free")
    page.get_by_role("button", name="Send without the taken faces (1)").click()
    expect(page.locator(".flash-success")).to_contain_text("was sent to Bakeuda")
    with live_server.app_context():
        created = db.session.scalar(db.select(Request).order_by(Request.id.desc()))
        assert sorted(f"{b.face.site.code}/{b.face.label}" for b in created.bookings) == [
            "PGK-01/A", "PGK-03/A"]
    assert browser_problems == []


def test_form_works_without_javascript(browser, live_server, setting, tmp_path):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base, today = live_server.url, setting["today"]
    log_in(page, base)
    page.goto(base + "/requests/new")
    expect(page.get_by_role("button", name="Tick all faces")).to_have_count(0)
    fill_letter(page, today, tmp_path)
    page.locator("[name=start]").fill((today + timedelta(days=25)).isoformat())
    page.locator("[name=end]").fill((today + timedelta(days=28)).isoformat())
    page.locator("input[name=faces][value='PGK-02/A']").check()
    page.get_by_role("button", name="Send the request").click()
    # The server explains the clash, and keeps what was typed.
    expect(page.locator("#problems")).to_contain_text("the face is already taken")
    expect(page.locator("[name=purpose]")).to_have_value("Sosialisasi pemungutan suara ulang")
    page.locator("input[name=faces][value='PGK-02/A']").uncheck()
    page.locator("input[name=faces][value='PGK-03/A']").check()
    fill_letter(page, today, tmp_path)
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".flash-success")).to_contain_text("was sent to Bakeuda")
    context.close()
