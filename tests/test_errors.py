"""One place maps a refusal's code to its HTTP status, for pages and the JSON API alike."""
import pytest

from billboard.domain_errors import DomainError, ErrorCode
from billboard.errors import STATUS

EXPECTED = {"invalid": 422, "not_found": 404, "forbidden": 403, "clash": 409,
            "wrong_state": 409}


def test_every_code_has_one_status():
    assert {code.value: status for code, status in STATUS.items()} == EXPECTED
    assert set(STATUS) == set(ErrorCode)


@pytest.fixture
def refusing_app(app):
    def refuse(code):
        raise DomainError(f"Refused <b>{code}</b>", code=ErrorCode(code))

    app.add_url_rule("/refuse/<code>", view_func=refuse)
    app.add_url_rule("/api/v1/refuse/<code>", endpoint="api_refuse", view_func=refuse)
    return app


@pytest.mark.parametrize(("code", "status"), EXPECTED.items())
def test_a_page_shows_the_refusal_with_its_status(refusing_app, code, status):
    response = refusing_app.test_client().get(f"/refuse/{code}")
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert f"Refused &lt;b&gt;{code}&lt;/b&gt;" in page and "Traceback" not in page


@pytest.mark.parametrize(("code", "status"), EXPECTED.items())
def test_the_api_answers_the_refusal_as_json(refusing_app, code, status):
    response = refusing_app.test_client().get(f"/api/v1/refuse/{code}")
    assert response.status_code == status
    assert response.get_json() == {"error": {
        "code": code, "message": f"Refused <b>{code}</b>", "problems": [f"Refused <b>{code}</b>"]}}


def test_an_unreadable_api_body_is_400_with_every_problem(app, client, make_user):
    from billboard.auth.tokens import issue_token
    from billboard.extensions import db

    user = make_user()
    _token, raw = issue_token(user, "test", user)
    db.session.commit()
    response = client.post("/api/v1/requests", json={"items": "none"},
                           headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request" and len(error["problems"]) > 1
