"""What a stranger may send never reaches a 500: control characters, bidi overrides, deeply
nested JSON, line breaks in a redirect target. Each is refused with a message, nothing changed.

The database-marked tests run on PostgreSQL too, which refuses NUL in text with a driver error.
"""
import pytest
from flask_babel import force_locale
from support import TODAY, decide_item

from billboard.extensions import db
from billboard.models import Organization, Request
from billboard.redirects import is_safe_path
from billboard.text import text_problem

# A sample of each kind of refused character.
SINGLE_LINE_REFUSED = ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\n", "\r", "\t",
                       "\u2028", "\u202e", "\u2066", "\ud800"]
MULTI_LINE_REFUSED = ["\x00", "\x1b", "\x7f", "\u202e", "\u2067", "\ud800"]


@pytest.mark.parametrize("char", SINGLE_LINE_REFUSED)
def test_single_line_text_refuses_control_characters_and_bidi_controls(app, char):
    with app.test_request_context():
        assert text_problem(f"KPU{char}Kota") is not None


@pytest.mark.parametrize("char", MULTI_LINE_REFUSED)
def test_multi_line_text_refuses_all_but_line_breaks_and_tabs(app, char):
    with app.test_request_context():
        assert text_problem(f"Baris satu\nBaris{char}dua", multiline=True) is not None


@pytest.mark.parametrize("value", ["Baliho Jl. Sudirman", "Pemilu 2024 — Kampanye",
                                   "عربي", "שלום", "\u200f", "emoji 🗳️"])
def test_ordinary_text_in_any_script_passes(app, value):
    with app.test_request_context():
        assert text_problem(value) is None
        assert text_problem(f"{value}\r\n\tlagi", multiline=True) is None


def test_the_message_names_the_character_and_where_it_is(app):
    with app.test_request_context(), force_locale("en"):
        assert "U+202E at character 3" in text_problem("ab\u202ecd")
        assert "single line" in text_problem("a\nb")
    with app.test_request_context():
        assert "U+202E" in text_problem("ab\u202ecd") and "karakter" in text_problem("a\nb")


@pytest.mark.db
@pytest.mark.parametrize("name", ["Dinas\x00Kominfo", "Dinas\x1bKominfo", "Dinas\u202eofnimoK",
                                  "Dinas\u2066Kominfo"])
def test_a_form_refuses_control_characters_with_a_message(client, admin, name):
    response = client.post("/admin/organizations", data={"name": name, "kind": "government"})
    assert response.status_code in (200, 400, 422)
    assert "not allowed" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Organization.id)).filter(
        Organization.name.like("Dinas%"))) == 0


def test_a_multipart_field_whose_name_cannot_be_read_is_a_clear_refusal(client, admin):
    # Werkzeug gives such a field (found by the API fuzz run) the name None.
    body = (b'--b\r\nContent-Disposition: form-data; name="\r"\r\n\r\nnull\r\n'
            b'--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nDinas Baru\r\n--b--\r\n')
    before = db.session.scalar(db.select(db.func.count(Organization.id)))
    response = client.post("/admin/organizations", data=body,
                           content_type="multipart/form-data; boundary=b")
    assert response.status_code in (200, 400, 422)  # the form again, with its problems
    assert db.session.scalar(db.select(db.func.count(Organization.id))) == before


@pytest.mark.db
@pytest.mark.parametrize("fields", [
    {"email": "staf\x00@kpu.example", "password": "x"},
    {"email": "staf@kpu.example", "password": "pass\x00word"},
    {"email": "staf@kpu.example\u202e", "password": "x"},
])
def test_login_with_control_characters_is_a_clear_refusal(client, kpu, fields):
    client.get("/language/en")
    response = client.post("/login", data=fields)
    assert response.status_code in (200, 400)
    assert "not allowed" in response.get_data(as_text=True)


@pytest.mark.db
@pytest.mark.parametrize("url", [
    "/sites/PGK%0001", "/sites/PGK-01%1b", "/api/v1/sites/PGK-01%00",
    "/api/v1/sites/PGK-01/availability?start=2026-01-01%00",
    "/api/v1/sites/PGK-01/availability?%00=1", "/review/timeline?start=%e2%80%ae2026",
    "/requests?page=1%0d%0a", "/sites/%E2%80%AEPGK",
])
def test_control_characters_in_the_address_are_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json["error"]["code"] == "invalid"


@pytest.mark.parametrize("target", [
    "/requests%0d%0aSet-Cookie:%20x=1", "/requests%0aX:1", "/%0d/evil.example", "/a%00b",
])
def test_line_breaks_never_reach_a_redirect(client, kpu, auth, target):
    assert client.get(f"/language/en?next={target}").status_code == 400
    response = client.post(f"/login?next={target}",
                           data={"email": kpu.email, "password": "kata-sandi-yang-panjang-42"})
    assert response.status_code == 400 and "Set-Cookie: x" not in str(response.headers)


@pytest.mark.parametrize("target", ["/a\r\nb", "/a\nb", "/a\x00", "/a\u202eb", "/ok\tx"])
def test_a_redirect_target_with_control_characters_is_not_safe(target):
    assert not is_safe_path(target)
    assert is_safe_path("/requests?page=2")


@pytest.mark.db
@pytest.mark.parametrize("field, value", [
    ("purpose", "Sosialisasi\x00"), ("letter_number", "012\r\nX-Injected: 1"),
    ("letter_number", "\ud800"), ("purpose", "\u202eSosialisasi"),
])
def test_the_api_refuses_control_characters_in_text(app, client, kpu, field, value):
    from test_api_requests import Api, body, item

    from billboard.auth.tokens import issue_token

    _token, raw = issue_token(kpu, "test", None)
    db.session.commit()
    client.get("/language/en")
    response = Api(client, raw).post("/requests", json=body(item(), **{field: value}))
    assert response.status_code == 400
    assert "not allowed" in response.json["error"]["message"] or "single line" in \
        response.json["error"]["message"]
    assert db.session.scalar(db.select(db.func.count(Request.id))) == 0


def test_an_item_field_with_a_nul_is_named_in_the_problems(app, client, kpu):
    from test_api_requests import Api, body, item

    from billboard.auth.tokens import issue_token

    _token, raw = issue_token(kpu, "test", None)
    db.session.commit()
    client.get("/language/en")
    response = Api(client, raw).post("/requests", json=body(item(site="PGK-01\x00")))
    assert response.status_code == 400
    assert any(p.startswith("items[0].site:") for p in response.json["error"]["problems"])


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_deeply_nested_json_is_a_400_not_a_500(app, client, kpu, depth, opening):
    from billboard.auth.tokens import issue_token

    _token, raw = issue_token(kpu, "test", None)
    db.session.commit()
    closing = "]" if opening == "[" else "}"
    document = opening * depth + "1" + closing * depth
    for path in ("/api/v1/requests", "/api/v1/bookings/1/reject"):
        response = client.post(path, data=document, content_type="application/json",
                               headers={"Authorization": f"Bearer {raw}"})
        assert 400 <= response.status_code < 500, path


@pytest.mark.parametrize("multiline", [False, True])
def test_the_openapi_pattern_says_what_the_check_does(multiline):
    import re

    from billboard.text import first_refused, schema_pattern

    # JSON Schema anchors a pattern with ^…$; fullmatch of the class is the same without
    # Python's "$ before a final newline".
    allowed = re.compile(schema_pattern(multiline=multiline)[1:-1])
    for code in [*range(0x3000), 0xFEFF, 0x1F5F3, 0x10FFFF]:
        char = chr(code)
        assert (allowed.fullmatch(char) is None) == (
            first_refused(char, multiline=multiline) is not None), hex(code)


@pytest.mark.parametrize("field, value", [
    ("contact__phone", "(0717) 421234\r\nBcc: x@example.com"),
    ("contact__office", "Bakeuda\u202eadueakaB"),
    ("contact__address", "Jl. Rasakunda\x1b[2J"),
])
def test_settings_hold_the_text_rule_too(client, admin, field, value):
    from test_settings import CONTACT

    from billboard.models import Setting

    response = client.post("/admin/settings", data={**CONTACT, field: value})
    assert "not allowed" in response.get_data(as_text=True) or \
        "single line" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Setting)) == 0


@pytest.mark.parametrize("back", ["/review\r\nSet-Cookie: x=1", "/review\nX: 1", "/review\t"])
def test_a_decision_never_redirects_to_a_target_with_line_breaks(client, auth, kpu, reviewer,
                                                                 back):
    from datetime import timedelta

    from billboard import booking
    from billboard.booking import ItemInput

    start = TODAY + timedelta(days=10)
    found = booking.submit_request(
        kpu, purpose="Sosialisasi", category="voter_education", letter_number="1",
        letter_date=TODAY, items=[ItemInput("PGK-01", "A", start, start)])
    db.session.commit()
    auth.login(reviewer.email)
    response = decide_item(client, found.bookings[0], reject="Tidak lengkap", next=back)
    assert response.status_code == 303 and response.location == f"/review/requests/{found.id}"
