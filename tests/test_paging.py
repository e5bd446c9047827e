"""Long lists stay quick: the agency's requests come in pages, the review queue is capped."""
import re
from datetime import timedelta

from billboard import booking
from billboard.booking import ItemInput
from billboard.extensions import db
from billboard.models import Category, Request


def make_requests(user, count):
    today = booking.today_wib()
    db.session.add_all(
        Request(reference=f"PJ-TEST-{n:04d}", organization=user.organization, created_by=user,
                purpose=f"Sosialisasi {n}", category=Category.VOTER_EDUCATION,
                letter_number=str(n), letter_date=today)
        for n in range(count))
    db.session.commit()


def test_agency_requests_come_in_pages_of_fifty(client, auth, kpu):
    make_requests(kpu, 60)
    auth.login(kpu.email)
    client.get("/language/en")
    first = client.get("/requests").get_data(as_text=True)
    assert len(re.findall(r"PJ-TEST-\d{4}", first)) == 50
    assert "Page 1 of 2" in first and "?page=2" in first
    second = client.get("/requests?page=2").get_data(as_text=True)
    assert len(re.findall(r"PJ-TEST-\d{4}", second)) == 10
    assert client.get("/requests?page=9").status_code == 200


def test_review_queue_shows_the_oldest_items_first_and_says_how_many_wait(
        client, auth, kpu, reviewer, monkeypatch):
    monkeypatch.setattr("billboard.review.routes.QUEUE_LENGTH", 2)
    start = booking.today_wib() + timedelta(days=10)
    references = []
    for code in ("PGK-01", "PGK-02", "PGK-03"):
        references.append(booking.submit_request(
            kpu, purpose="Sosialisasi", category=Category.VOTER_EDUCATION, letter_number="1",
            letter_date=booking.today_wib(),
            items=[ItemInput(code, "A", start, start + timedelta(days=3))]).reference)
        db.session.commit()
    auth.login(reviewer.email)
    client.get("/language/en")
    page = client.get("/review").get_data(as_text=True)
    assert "Showing the oldest 2 of 3 items waiting" in page
    assert references[0] in page and references[1] in page and references[2] not in page
