"""Campaign props in a real browser: an administrator designates 8 faces and adds 3
contestants; KPU requests the 8 faces for the campaign period; Bakeuda approves; KPU runs the
witnessed draw; the minutes print on A4; the public site page names a contestant on its face.

``BALIHO_SCREENSHOTS=docs`` also saves the minutes as ``docs/undian.png`` for the README.
"""
import os
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from support import TODAY
from test_journey import (
    PASSWORD,
    arrive,
    decide_in_queue,
    log_in,
    pdf_bytes,
    png_bytes,
    send_request,
)

from billboard.auth.passwords import hash_password
from billboard.elections import save_election
from billboard.extensions import db
from billboard.models import (
    Draw,
    Election,
    Face,
    Organization,
    OrganizationKind,
    Role,
    Site,
    User,
)

pytestmark = pytest.mark.browser

CONTESTANTS = [("1", "Paslon Amanah", "Rudi"), ("2", "Paslon Bersatu", "Sari"),
               ("3", "Paslon Cemerlang", "Budi")]
WITNESSES = ["Rudi (LO Paslon 01)", "Sari (LO Paslon 02)", "Budi (LO Paslon 03)",
             "Andi Saputra (Bawaslu Kota Pangkalpinang)"]


@pytest.fixture
def live_server_config():
    # The campaign starts today, so that the public page shows today's contestant.
    return {"BOOKING_MIN_LEAD_DAYS": 0}


@pytest.fixture
def campaign_world(live_server):
    """Four new sites of two faces, an election whose campaign runs now, and the people."""
    with live_server.app_context():
        today = TODAY
        for n in range(1, 5):
            db.session.add(Site(
                code=f"PGK-K{n:02d}", name=f"Simpang Kampanye {n}", address=f"Jl. Depati Amir {n}",
                kelurahan="Bukit Intan", kecamatan="Bukit Intan", lat=-2.11 - n / 200,
                lon=106.12, width_m=4, height_m=6, asset_register_no=f"BMD-K-{n}",
                faces=[Face(label="A"), Face(label="B")]))
        election = Election(name="Pilkada Ulang 2027", campaign_start_on=today,
                            campaign_end_on=today + timedelta(days=40),
                            quiet_start_on=today + timedelta(days=41),
                            quiet_end_on=today + timedelta(days=43),
                            polling_on=today + timedelta(days=44))
        save_election(election)
        for email, name, role, org, kind in [
            ("staf@kpu.example", "Staf KPU", Role.AGENCY, "KPU Kota Pangkalpinang",
             OrganizationKind.GOVERNMENT),
            ("analis@bakeuda.example", "Analis Bakeuda", Role.REVIEWER,
             "Bakeuda Kota Pangkalpinang", OrganizationKind.BAKEUDA),
            ("admin@bakeuda.example", "Admin", Role.ADMIN, "Bakeuda Kota Pangkalpinang",
             OrganizationKind.BAKEUDA),
        ]:
            organization = db.session.scalar(db.select(Organization).filter_by(name=org)) \
                or Organization(name=org, kind=kind)
            db.session.add(User(email=email, name=name, role=role, organization=organization,
                                password_hash=hash_password(PASSWORD)))
        db.session.commit()
        return {"today": today, "election": election.id}


def test_designate_draw_print_and_see_the_contestant(page, live_server, campaign_world,
                                                     browser_problems, tmp_path):
    base, today = live_server.url, campaign_world["today"]
    letter, artwork = tmp_path / "surat.pdf", tmp_path / "apk.png"
    letter.write_bytes(pdf_bytes())
    artwork.write_bytes(png_bytes())
    page.goto(base + "/")
    page.get_by_role("link", name="English").click()
    arrive(page, base + "/")

    # The administrator designates the four sites (8 faces), the first two in tier 1.
    log_in(page, base, "admin@bakeuda.example")
    arrive(page, base + "/admin/")
    page.get_by_role("link", name="Designated APK locations").click()
    for n in range(1, 5):
        section = page.locator(f"#site-PGK-K{n:02d}")
        section.locator("summary").click()
        section.locator("[name=basis]").fill("Keputusan Wali Kota Pangkalpinang tentang "
                                             "Lokasi Alat Peraga Kampanye")
        section.locator("[name=basis_number]").fill("188.45/321/KEP/2026")
        section.locator("[name=tier]").fill("1" if n <= 2 else "2")
        section.get_by_role("button", name="Save the designation").click()
        expect(page.locator(".flash-success")).to_contain_text(f"PGK-K{n:02d} is a designated")
        page.wait_for_load_state("load")
    # …and adds the three contestants to the election.
    page.goto(f"{base}/admin/elections/{campaign_world['election']}")
    for number, name, liaison in CONTESTANTS:
        page.locator("[name=contestant-number]").fill(number)
        page.locator("[name=contestant-name]").fill(name)
        page.locator("[name=contestant-liaison]").fill(liaison)
        page.locator("[name=contestant-liaison_contact]").fill(f"0812-7000-{number}")
        page.get_by_role("button", name="Add the contestant").click()
        expect(page.locator(".flash-success")).to_contain_text(f"Contestant {number}")
        page.wait_for_load_state("load")
    page.get_by_role("button", name="Log out").click()
    arrive(page, base + "/")

    # KPU requests the 8 faces for the campaign period.
    log_in(page, base, "staf@kpu.example")
    arrive(page, base + "/requests")
    reference = send_request(
        page, purpose="APK fasilitasi KPU untuk tiga pasangan calon",
        category="facilitated_campaign", election="Pilkada Ulang 2027",
        letter_number="045/PL.02.4-SD/1971/2026", start=today, end=today + timedelta(days=30),
        faces=[f"PGK-K{n:02d}/{label}" for n in range(1, 5) for label in "AB"], letter=letter,
        artwork=artwork)
    page.get_by_role("button", name="Log out").click()
    arrive(page, base + "/")

    # Bakeuda approves every item; the queue names the legal basis.
    log_in(page, base, "analis@bakeuda.example")
    arrive(page, base + "/review")
    expect(page.locator("li.queue-item").first).to_contain_text("188.45/321/KEP/2026")
    # One decision approves the eight faces, with one agreement and one approval letter.
    decide_in_queue(page, reference, "030/PKS/BAKEUDA/2026")
    expect(page.locator(".flash-success")).to_contain_text("8 approved, 0 rejected")
    expect(page.locator("li.queue-item")).to_have_count(0)
    page.get_by_role("button", name="Log out").click()
    arrive(page, base + "/")

    # KPU runs the draw with the three LOs and Bawaslu as witnesses.
    log_in(page, base, "staf@kpu.example")
    arrive(page, base + "/requests")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Run the draw (undian)").click()
    expect(page.locator("main")).to_contain_text("8 approved faces among 3 contestants")
    page.locator("[name=seed]").fill("17-04-29")
    page.locator("[name=witnesses]").fill("\n".join(WITNESSES))
    page.get_by_role("button", name="Run the draw").click()
    expect(page.locator(".flash-success")).to_contain_text("The draw was run")
    page.wait_for_load_state("load")

    # The minutes: in Bahasa Indonesia, with the seed, the hash, the witnesses, on A4.
    minutes = page.locator("article.minutes")
    expect(minutes).to_contain_text("Berita Acara Undian Penempatan Alat Peraga Kampanye")
    expect(minutes).to_contain_text("17-04-29")
    for witness in WITNESSES:
        expect(minutes).to_contain_text(witness)
    for number, name, _lo in CONTESTANTS:
        expect(minutes).to_contain_text(f"Nomor urut {number} — {name}: 2 sisi")
    expect(minutes).to_contain_text("KPU Kota Pangkalpinang (sosialisasi dan pendidikan "
                                    "pemilih): 2 sisi")
    with live_server.app_context():
        expect(minutes).to_contain_text(db.session.scalar(db.select(Draw.items_sha256)))
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".no-print").first).to_be_hidden()
    if os.environ.get("BALIHO_SCREENSHOTS"):
        page.set_viewport_size({"width": 900, "height": 1270})
        page.screenshot(path=os.path.join(os.environ["BALIHO_SCREENSHOTS"], "undian.png"),
                        full_page=True)
    printed = page.pdf(format="A4", prefer_css_page_size=True)
    assert printed.startswith(b"%PDF")
    page.emulate_media(media="screen")

    # The public site page shows the contestant on its face.
    page.get_by_role("button", name="Log out").click()
    arrive(page, base + "/")
    page.goto(base + "/sites/PGK-K01")
    expect(page.locator("main .contestant").first).to_contain_text(
        re.compile(r"APK Paslon 0[123] — Paslon "))
    assert browser_problems == []
