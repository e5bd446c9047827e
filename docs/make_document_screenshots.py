"""Regenerate ``docs/letter.png`` and ``docs/agreement.png``: the letter of a decision that
approves three faces of a KPU request and refuses one, and its perjanjian pinjam pakai, as they
print on A4, in Debian's Chromium.

Usage: ``.venv/bin/python docs/make_document_screenshots.py``. Builds a throw-away SQLite
database, decides a request through ``booking.decide``, serves the app on a free local port, logs
in as the reviewer and saves the pictures with the print style sheet applied. The letterhead and
signatory are still the placeholders (CONTOH) an administrator replaces at /admin/settings.
"""
import os
from datetime import timedelta

from make_desk_screenshots import person, reviewer_page

from billboard import booking
from billboard.extensions import db
from billboard.models import Category, Organization, Role

HERE = os.path.dirname(os.path.abspath(__file__))
# A4 at the browser's 96 dots per inch.
A4 = {"width": 794, "height": 1123}


def sample_decision() -> int:
    """A KPU request of four faces, three approved and one refused; returns its id."""
    today = booking.today_wib()
    reviewer = person("analis@bakeuda.example", Role.REVIEWER,
                      Organization(name="Bakeuda Kota Pangkalpinang", kind="bakeuda"))
    agency = person("staf@kpu.example", Role.AGENCY,
                    Organization(name="KPU Kota Pangkalpinang", kind="government"))
    db.session.commit()
    start = today + timedelta(days=14)
    request = booking.submit_request(
        agency, purpose="Sosialisasi tahapan Pilkada", category=Category.VOTER_EDUCATION,
        letter_number="001/PP.01/KPU-Kot/2026", letter_date=today - timedelta(days=3),
        items=[booking.ItemInput(code, "A", start, start + timedelta(days=29))
               for code in ("PGK-01", "PGK-02", "PGK-03", "PGK-04")], today=today)
    db.session.commit()
    items = [item.id for item in request.bookings]
    booking.decide(request.id, reviewer, approve=items[:3],
                   reject=[(items[3], "Titik dipakai acara HUT Kota pada tanggal tersebut")],
                   agreement_number="PKS/014/BAKEUDA/2026", agreement_date=today,
                   approval_letter_number="500.17/231/BAKEUDA/2026", approval_letter_date=today,
                   today=today)
    db.session.commit()
    return request.id


def main() -> None:
    with reviewer_page(sample_decision, A4) as (page, url, request_id):
        page.emulate_media(media="print")
        for document in ("letter", "agreement"):
            page.goto(url + f"/requests/{request_id}/{document}")
            page.screenshot(path=os.path.join(HERE, f"{document}.png"), full_page=True)


if __name__ == "__main__":
    main()
