"""One structured log line per request; a request id in X-Request-Id and on the 500 page."""
import json
import logging

import pytest
from support import PASSWORD

from billboard import create_app
from billboard.auth.tokens import issue_token
from billboard.extensions import db


def _lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "billboard.requests"]


@pytest.fixture
def log(caplog):
    caplog.set_level(logging.INFO, logger="billboard.requests")
    return caplog


def test_each_request_is_one_line_with_its_id_route_status_and_time(client, log):
    responses = [client.get("/"), client.get("/sites/PGK-01"), client.get("/no-such-page")]
    lines = _lines(log)
    assert [(line["method"], line["route"], line["path"], line["status"]) for line in lines] == [
        ("GET", "/", "/", 200), ("GET", "/sites/<code>", "/sites/PGK-01", 200),
        ("GET", None, "/no-such-page", 404)]
    assert [line["request_id"] for line in lines] == [
        r.headers["X-Request-Id"] for r in responses]
    assert len({line["request_id"] for line in lines}) == 3
    assert all(isinstance(line["ms"], float) and line["ms"] >= 0 for line in lines)
    assert all(line["user_id"] is None for line in lines)


def test_the_line_names_the_user_of_a_session_or_a_token(client, auth, kpu, log):
    _token, raw = issue_token(kpu, "log", None)
    db.session.commit()
    auth.login(kpu.email)
    client.get("/requests")
    client.get("/api/v1/requests", headers={"Authorization": f"Bearer {raw}"},
               query_string={"token": raw})
    login, page, api = _lines(log)
    assert (login["route"], login["status"]) == ("/login", 302)
    assert page["user_id"] == kpu.id and api["user_id"] == kpu.id
    written = "\n".join(r.getMessage() for r in log.records)
    assert raw not in written and PASSWORD not in written and "token=" not in written


def test_an_upstream_request_id_is_kept_only_in_nginx_form(client, log):
    nginx = "0123456789abcdef0123456789abcdef"
    forged = ['x", "status": 200, "user_id": 1', "abc", nginx.upper(), nginx + "0"]
    answers = [client.get("/healthz", headers={"X-Request-Id": value})
               for value in [nginx, *forged]]
    ids = [answer.headers["X-Request-Id"] for answer in answers]
    assert ids[0] == nginx
    assert not set(ids[1:]) & set(forged) and len(set(ids)) == len(ids)
    assert [line["request_id"] for line in _lines(log)] == ids


@pytest.fixture
def failing(app):
    """The app as it runs outside tests (unexpected errors become the 500 page), with a route
    that fails the way a bug would."""
    production_like = create_app({**{k: app.config[k] for k in (
        "SQLALCHEMY_DATABASE_URI", "UPLOAD_FOLDER")}, "TESTING": False})

    @production_like.get("/boom")
    def boom():
        raise ZeroDivisionError("a bug")

    return production_like


@pytest.mark.parametrize("language, reference", [("id", "sebutkan kode rujukan"),
                                                 ("en", "quote the reference")])
def test_a_500_page_shows_the_request_id_that_the_log_has(failing, log, language, reference):
    client = failing.test_client()
    client.get(f"/language/{language}")
    response = client.get("/boom")
    assert response.status_code == 500
    request_id = response.headers["X-Request-Id"]
    assert f"{reference} {request_id}" in response.get_data(as_text=True)
    assert "ZeroDivisionError" not in response.get_data(as_text=True)
    [line] = [line for line in _lines(log) if line["path"] == "/boom"]
    assert (line["request_id"], line["status"]) == (request_id, 500)
    [error] = [r for r in log.records if r.levelno == logging.ERROR]
    assert request_id in error.getMessage() and error.exc_info[0] is ZeroDivisionError


def test_api_errors_carry_the_request_id_header_too(client, log):
    response = client.get("/api/v1/sites/PGK-99")
    assert response.status_code == 404
    assert response.headers["X-Request-Id"] == _lines(log)[0]["request_id"]
