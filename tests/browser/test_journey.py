"""The whole booking workflow in a real browser, through the real forms, CSRF on.

KPU asks for three sites; Bakeuda approves one and rejects one; the public map and the site
pages then show the approved use only.
"""
import re
import struct
import zlib
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from support import TODAY

from billboard import booking
from billboard.auth.passwords import hash_password
from billboard.extensions import db
from billboard.models import Booking, BookingStatus, Organization, OrganizationKind, Role, User

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-perjalanan-2026"
KPU = "KPU Kota Pangkalpinang"
PURPOSE = "Sosialisasi tahapan Pilkada serentak"


@pytest.fixture
def live_server_config():
    # The request starts today, so that the map (which shows today's use) can show it.
    return {"BOOKING_MIN_LEAD_DAYS": 0}


def png_bytes() -> bytes:
    """A valid 1×1 white PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def pdf_bytes() -> bytes:
    """A valid one-page PDF with a correct cross-reference table."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return out


@pytest.fixture
def people(live_server):
    """A KPU staff member and a Bakeuda reviewer in the served app's database."""
    with live_server.app_context():
        for email, name, role, org, kind in [
            ("staf@kpu.example", "Staf KPU", Role.AGENCY, KPU, OrganizationKind.GOVERNMENT),
            ("analis@bakeuda.example", "Analis Bakeuda", Role.REVIEWER,
             "Bakeuda Kota Pangkalpinang", OrganizationKind.BAKEUDA),
        ]:
            db.session.add(User(email=email, name=name, role=role,
                                password_hash=hash_password(PASSWORD),
                                organization=Organization(name=org, kind=kind)))
        db.session.commit()
    return {"kpu": "staf@kpu.example", "reviewer": "analis@bakeuda.example"}


def arrive(page, url):
    """Wait until ``url`` has fully loaded, so the next navigation aborts none of its assets."""
    expect(page).to_have_url(url)
    page.wait_for_load_state("load")


def log_in(page, base, email):
    page.goto(base + "/login")
    page.locator("main [name=email]").fill(email)
    page.locator("main [name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def send_request(page, *, purpose, category, letter_number, start, end, faces, letter, artwork,
                 election=None, letter_date=None) -> str:
    """Fill in the request form from "New request" for ``faces`` over the same dates, wait for
    the live check to find each free, send it; the request's reference."""
    page.get_by_role("link", name="New request").click()
    page.locator("[name=purpose]").fill(purpose)
    page.locator("[name=category]").select_option(category)
    if election:
        page.locator("[name=election]").select_option(label=election)
    page.locator("[name=letter_number]").fill(letter_number)
    page.locator("[name=letter_date]").fill((letter_date or start).isoformat())
    page.locator("[name=letter]").set_input_files(letter)
    page.locator("[name=artwork]").set_input_files(artwork)
    page.locator("[name=start]").fill(start.isoformat())
    page.locator("[name=end]").fill(end.isoformat())
    for face in faces:
        page.locator(f"input[name=faces][value='{face}']").check()
    # The live check answers before the form is sent (sending would cut its request short).
    checked = page.locator("#check-results li")
    expect(checked).to_have_count(len(faces))
    for line in checked.all():
        expect(line).to_contain_text("free, no blackout")
    page.get_by_role("button", name="Send the request").click()
    sent = page.locator(".flash-success")
    expect(sent).to_contain_text("was sent to Bakeuda")
    reference = re.search(r"PJ-\d{4}-\d{4}", sent.inner_text()).group(0)
    page.wait_for_load_state("load")
    return reference


def decide_in_queue(page, reference: str, agreement_number: str, approve=None,
                    reject=None) -> None:
    """Decide the queue's card of ``reference`` in its one form: the faces to ``approve`` (all
    when None), those to ``reject`` with their reasons, one agreement and approval letter."""
    card = page.locator("section.queue-request", has_text=reference)
    items = [card.locator("li.queue-item", has_text=face) for face in approve] \
        if approve is not None else card.locator("li.queue-item").all()
    for item in items:
        item.get_by_label("Approve").check()
    for face, reason in (reject or {}).items():
        item = card.locator("li.queue-item", has_text=face)
        item.get_by_label("Reject", exact=True).check()
        item.locator("textarea").fill(reason)
    # By its label, as a person finds it: each label holds its field.
    card.get_by_label("Agreement number (pinjam pakai)").fill(agreement_number)
    card.locator("[name=agreement_date]").fill(TODAY.isoformat())
    card.locator("[name=approval_letter_number]").fill("500/" + agreement_number)
    card.locator("[name=approval_letter_date]").fill(TODAY.isoformat())
    card.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".flash-success")).to_contain_text(f"Decision on {reference} recorded")
    page.wait_for_load_state("load")


def test_request_approve_reject_and_see_it_public(page, live_server, people, browser_problems,
                                                  tmp_path):
    base = live_server.url
    with live_server.app_context():
        today = TODAY
    until = today + timedelta(days=13)
    letter, artwork = tmp_path / "surat.pdf", tmp_path / "desain.png"
    letter.write_bytes(pdf_bytes())
    artwork.write_bytes(png_bytes())

    page.goto(base + "/")
    page.get_by_role("link", name="English").click()
    arrive(page, base + "/")

    # KPU asks for three sites through the request form.
    log_in(page, base, people["kpu"])
    arrive(page, base + "/requests")
    reference = send_request(page, purpose=PURPOSE, category="voter_education",
                             letter_number="012/PL.02-SD/1971/2026", start=today, end=until,
                             faces=("PGK-01/A", "PGK-02/A", "PGK-03/A"), letter=letter,
                             artwork=artwork)
    page.goto(base + "/requests")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    arrive(page, base + "/")

    # Bakeuda approves PGK-01/A and rejects PGK-02/A; PGK-03/A stays pending.
    log_in(page, base, people["reviewer"])
    arrive(page, base + "/review")
    expect(page.locator("li.queue-item")).to_have_count(3)
    decide_in_queue(page, reference, "030/PKS/BAKEUDA/2026", approve=["PGK-01/A"],
                    reject={"PGK-02/A": "Titik dipakai untuk HUT Kota Pangkalpinang"})
    expect(page.locator(".flash-success")).to_contain_text("1 approved, 1 rejected")
    expect(page.locator("li.queue-item")).to_have_count(1)
    page.get_by_role("button", name="Log out").click()
    arrive(page, base + "/")

    # The public sees the approved use, and neither the rejected nor the pending one.
    expect(page.locator("#site-PGK-01")).to_contain_text(KPU)
    expect(page.locator("#site-PGK-01")).to_contain_text(PURPOSE)
    for code in ("PGK-02", "PGK-03"):
        expect(page.locator(f"#site-{code}")).not_to_contain_text(KPU)
    page.goto(base + "/sites/PGK-01")
    expect(page.locator("main")).to_contain_text(KPU)
    for code in ("PGK-02", "PGK-03"):
        page.goto(f"{base}/sites/{code}")
        expect(page.locator("main")).not_to_contain_text(KPU)
        expect(page.locator("main")).not_to_contain_text(PURPOSE)

    with live_server.app_context():
        stored = db.session.scalars(db.select(Booking).order_by(Booking.id)).all()
        assert [(b.face.site.code, b.status) for b in stored] == [
            ("PGK-01", BookingStatus.APPROVED), ("PGK-02", BookingStatus.REJECTED),
            ("PGK-03", BookingStatus.SUBMITTED)]
        assert stored[0].agreement_number == "030/PKS/BAKEUDA/2026"
    assert browser_problems == []


def test_timeline_scrolls_sideways_on_a_phone(page, live_server, people, browser_problems):
    base = live_server.url
    with live_server.app_context():
        today = TODAY
        kpu = db.session.scalar(db.select(User).filter_by(email=people["kpu"]))
        request = booking.submit_request(
            kpu, purpose=PURPOSE, category="voter_education", letter_number="013/PL/2026",
            letter_date=today,
            items=[booking.ItemInput("PGK-01", "A", today, today + timedelta(days=20))])
        db.session.commit()
        reference = request.reference
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base, people["reviewer"])
    arrive(page, base + "/review")
    page.goto(base + "/review/timeline")
    pending = page.locator("td.tl-pending").first
    expect(pending).to_contain_text(reference)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    wrap = page.locator(".timeline-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    # The face column stays in view while the weeks scroll by.
    wrap.evaluate("el => el.scrollLeft = el.scrollWidth")
    face = page.locator("tbody th.tl-face").first
    assert face.bounding_box()["x"] == wrap.bounding_box()["x"]
    expect(face).to_contain_text("PGK-01/A")
    assert browser_problems == []
