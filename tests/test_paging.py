"""Long lists stay quick: the agency's requests come in pages, the review queue is capped."""
import re
from datetime import timedelta

import pytest
from support import TODAY

from billboard import booking
from billboard.booking import ItemInput
from billboard.extensions import db
from billboard.models import Category, Request


def make_requests(user, count):
    today = TODAY
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
    start = TODAY + timedelta(days=10)
    references = []
    for code in ("PGK-01", "PGK-02", "PGK-03"):
        references.append(booking.submit_request(
            kpu, purpose="Sosialisasi", category=Category.VOTER_EDUCATION, letter_number="1",
            letter_date=TODAY,
            items=[ItemInput(code, "A", start, start + timedelta(days=3))]).reference)
        db.session.commit()
    auth.login(reviewer.email)
    client.get("/language/en")
    page = client.get("/review").get_data(as_text=True)
    assert "Showing the oldest 2 of 3 items waiting" in page
    assert references[0] in page and references[1] in page and references[2] not in page


# --- The API's lists: ?page and ?per_page, Link and X-Total-Count (DESIGN §5) ------------------

def bearer(user) -> dict:
    from billboard.auth.tokens import issue_token

    _token, raw = issue_token(user, "test", None)
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def links(response) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"',
                                                response.headers["Link"])}


def test_the_api_lists_an_agencys_requests_in_pages(client, kpu, bawaslu):
    make_requests(kpu, 120)
    headers = bearer(kpu)
    first = client.get("/api/v1/requests", headers=headers)
    assert len(first.json["requests"]) == 50 and first.headers["X-Total-Count"] == "120"
    assert links(first)["next"] == "/api/v1/requests?page=2&per_page=50"
    assert "prev" not in links(first)
    last = client.get(links(first)["last"], headers=headers)
    assert len(last.json["requests"]) == 20 and "next" not in links(last)
    assert links(last)["prev"] == "/api/v1/requests?page=2&per_page=50"
    seen = [r["reference"] for url in ("/api/v1/requests?per_page=100",
                                       "/api/v1/requests?per_page=100&page=2")
            for r in client.get(url, headers=headers).json["requests"]]
    assert len(seen) == len(set(seen)) == 120
    assert client.get("/api/v1/requests?page=9", headers=headers).json["requests"] == []
    # Another organisation's requests are neither listed nor counted.
    other = client.get("/api/v1/requests", headers=bearer(bawaslu))
    assert other.json["requests"] == [] and other.headers["X-Total-Count"] == "0"


@pytest.mark.db
@pytest.mark.parametrize("query", [
    "page=0", "page=-1", "page=abc", "page=²", "page=1e3", "page=", "page=9223372036854775808",
    "page=" + "9" * 40, "per_page=0", "per_page=101", "per_page=" + "9" * 30, "pgae=2", "=",
])
def test_a_page_outside_its_range_is_a_400_never_a_500(client, kpu, reviewer, query):
    for user, path in ((kpu, "/api/v1/requests"), (reviewer, "/api/v1/review/queue")):
        response = client.get(f"{path}?{query}", headers=bearer(user))
        assert response.status_code == 400, path
        assert "page" in response.json["error"]["message"]


@pytest.mark.db
@pytest.mark.parametrize("number", ["2147483647", "9" * 25, "-3", "x"])
def test_the_agency_page_survives_any_page_number(client, auth, kpu, number):
    make_requests(kpu, 3)
    auth.login(kpu.email)
    assert client.get(f"/requests?page={number}").status_code == 200


def test_the_review_queue_api_pages_oldest_first(client, kpu, reviewer):
    start = TODAY + timedelta(days=10)
    for code in ("PGK-01", "PGK-02", "PGK-03"):
        booking.submit_request(
            kpu, purpose="Sosialisasi", category=Category.VOTER_EDUCATION, letter_number="1",
            letter_date=TODAY,
            items=[ItemInput(code, "A", start, start + timedelta(days=3))])
        db.session.commit()
    headers = bearer(reviewer)
    first = client.get("/api/v1/review/queue?per_page=2", headers=headers)
    assert [i["site"] for i in first.json["items"]] == ["PGK-01", "PGK-02"]
    assert first.headers["X-Total-Count"] == "3"
    second = client.get(links(first)["next"], headers=headers)
    assert [i["site"] for i in second.json["items"]] == ["PGK-03"]
    assert "next" not in links(second)


@pytest.mark.parametrize("host", ["evil.example", "localhost:1"])
def test_page_links_come_from_public_url_not_from_host(app, client, kpu, host):
    make_requests(kpu, 60)
    app.config["PUBLIC_URL"] = "https://baliho.pangkalpinangkota.go.id"
    response = client.get("/api/v1/requests", headers={**bearer(kpu), "Host": host,
                                                       "X-Forwarded-Host": host})
    assert links(response)["next"] == \
        "https://baliho.pangkalpinangkota.go.id/api/v1/requests?page=2&per_page=50"
    assert host not in response.headers["Link"]


def test_one_answer_stays_bounded_however_many_ask_for_the_same_face(client, make_user,
                                                                     kpu, reviewer):
    from billboard.api.requests import MAX_RIVALS_LISTED

    start = TODAY + timedelta(days=10)
    rivals = 14
    for n in range(rivals + 1):
        agency = kpu if n == 0 else make_user(f"staf{n}@dinas.example", org=f"Dinas {n}")
        booking.submit_request(
            agency, purpose="Sosialisasi", category=Category.VOTER_EDUCATION, letter_number="1",
            letter_date=TODAY,
            items=[ItemInput("PGK-01", "A", start + timedelta(days=n), start + timedelta(days=30))])
        db.session.commit()
    queue = client.get("/api/v1/review/queue", headers=bearer(reviewer)).json["items"]
    assert [len(i["pending"]) for i in queue] == [MAX_RIVALS_LISTED] * (rivals + 1)
    assert {i["pending_count"] for i in queue} == {rivals}
    [mine] = client.get("/api/v1/requests", headers=bearer(kpu)).json["requests"]
    assert mine["items"][0]["conflicts"] == {"approved": [], "pending_elsewhere": rivals}
