"""Issue 10's journey in a real browser: one letter answered by one letter.

KPU asks for four faces in one request; Bakeuda decides them in the request's one form (three
approved, one rejected with a reason); the letter and the agreement print; Bakeuda records the
handover; KPU adds the installation photo; and KPU's withdraw buttons ask before they act.
"""
import re
from datetime import timedelta

import pytest
from accessibility import assert_accessible
from playwright.sync_api import expect
from support import TODAY
from test_journey import (
    arrive,
    decide_in_queue,
    log_in,
    pdf_bytes,
    people,  # noqa: F401 (a fixture)
    png_bytes,
    send_request,
)

from billboard.extensions import db
from billboard.models import Booking, BookingStatus, Decision, Handover

pytestmark = pytest.mark.browser

FACES = ("PGK-01/A", "PGK-02/A", "PGK-03/A", "PGK-04/A")
AGREEMENT = "PKS/021/BAKEUDA/2026"
REFUSAL = "Titik dipakai untuk HUT Kota Pangkalpinang"


@pytest.fixture
def live_server_config():
    # The use starts tomorrow: handed over today (at or before the start), installed today
    # (from the handover on, never in the future), and still withdrawable (before its start).
    return {"BOOKING_MIN_LEAD_DAYS": 0}


START = TODAY + timedelta(days=1)


def log_out(page, base):
    page.get_by_role("button", name="Log out").click()
    arrive(page, base + "/")


def test_four_faces_decided_in_one_form_printed_handed_over_and_installed(
        page, live_server, people, browser_problems, tmp_path):  # noqa: F811
    base = live_server.url
    letter, artwork, photo = (tmp_path / "surat.pdf", tmp_path / "desain.png",
                              tmp_path / "terpasang.png")
    letter.write_bytes(pdf_bytes())
    artwork.write_bytes(png_bytes())
    photo.write_bytes(png_bytes())
    page.goto(base + "/")
    page.get_by_role("link", name="English").click()
    arrive(page, base + "/")

    log_in(page, base, people["kpu"])
    arrive(page, base + "/requests")
    reference = send_request(page, purpose="Sosialisasi tahapan Pilkada",
                             category="voter_education", letter_number="014/PP.01/KPU/2026",
                             letter_date=TODAY, start=START, end=START + timedelta(days=20),
                             faces=FACES, letter=letter, artwork=artwork)
    log_out(page, base)

    # One card, four items, one form: three approved, one rejected with its reason.
    log_in(page, base, people["reviewer"])
    arrive(page, base + "/review")
    card = page.locator("section.queue-request", has_text=reference)
    expect(card.locator("li.queue-item")).to_have_count(4)
    expect(card.get_by_role("button", name="Record the decision")).to_have_count(1)
    assert_accessible(page)
    decide_in_queue(page, reference, AGREEMENT, approve=list(FACES[:3]),
                    reject={FACES[3]: REFUSAL})
    expect(page.locator(".flash-success")).to_contain_text("3 approved, 1 rejected")

    # The request page links to the one letter and the one agreement; both print in Indonesian.
    with live_server.app_context():
        request_id = db.session.scalar(db.select(Decision.request_id))
    page.goto(f"{base}/review/requests/{request_id}")
    page.get_by_role("link", name="The decision letter, to print").click()
    page.emulate_media(media="print")
    letter_page = page.locator("main")
    expect(letter_page).to_contain_text("500/" + AGREEMENT)
    expect(letter_page).to_contain_text("PGK-04")
    expect(letter_page).to_contain_text(REFUSAL)
    expect(letter_page).to_contain_text("Pasal 60 ayat (3)")
    page.screenshot(path=str(tmp_path / "letter.png"), full_page=True)
    page.emulate_media(media="screen")
    page.goto(f"{base}/review/requests/{request_id}")
    page.get_by_role("link", name="The loan-for-use agreement").click()
    expect(page.locator("main")).to_contain_text(re.compile("perjanjian pinjam pakai", re.I))
    expect(page.locator("main")).to_contain_text(AGREEMENT)
    page.screenshot(path=str(tmp_path / "agreement.png"), full_page=True)

    # Bakeuda hands PGK-01/A over the day before the use starts.
    page.goto(f"{base}/review/requests/{request_id}")
    first = page.locator("li", has=page.locator("h3", has_text="PGK-01")).first
    handover = first.locator("details.handover-form", has_text="BAST serah terima")
    handover.locator("summary").click()
    handover.locator("[name=number]").fill("BAST/001/BAKEUDA/2026")
    handover.locator("[name=on]").fill(TODAY.isoformat())
    handover.locator("[name=condition]").fill("Rangka dan panel baik")
    handover.get_by_role("button", name="Record").click()
    expect(page.locator(".flash-success")).to_contain_text("The handover is on record")
    page.wait_for_load_state("load")
    log_out(page, base)

    # KPU proves the installation with its dated photo.
    log_in(page, base, people["kpu"])
    arrive(page, base + "/requests")
    page.get_by_role("link", name=reference).click()
    item = page.locator("[id^=item-]", has_text="PGK-01").first
    item.locator("details.photo-form summary").click()
    item.locator("[name=which]").select_option("installed")
    item.locator("[name=taken_on]").fill(TODAY.isoformat())
    item.locator("[name=photo]").set_input_files(photo)
    item.get_by_role("button", name="Save the photo").click()
    expect(page.locator(".flash-success")).to_contain_text("The photo was saved")
    page.wait_for_load_state("load")
    detail_url = page.url.split("#")[0]

    # Withdrawing asks first; going back withdraws nothing.
    page.get_by_role("button", name="Withdraw the request").click()
    expect(page.locator("h1")).to_contain_text("Withdraw request")
    page.get_by_role("link", name="No, go back").click()
    page.wait_for_load_state("load")
    expect(page).to_have_url(detail_url)

    with live_server.app_context():
        stored = db.session.scalars(db.select(Booking).order_by(Booking.id)).all()
        assert [b.status for b in stored] == [BookingStatus.APPROVED] * 3 + [
            BookingStatus.REJECTED]
        assert stored[3].reason == REFUSAL
        assert len({b.decision_id for b in stored}) == 1
        assert stored[0].installed_on == TODAY
        [handed] = db.session.scalars(db.select(Handover)).all()
        assert (handed.booking_id, handed.bast_number) == (stored[0].id,
                                                          "BAST/001/BAKEUDA/2026")
    assert browser_problems == []
