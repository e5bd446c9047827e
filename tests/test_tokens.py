"""API tokens: stored hashed, shown once, revocable, refused for the wrong role or a
deactivated account, with JSON errors from ``token_required``."""
import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import g, jsonify
from support import PASSWORD

from billboard.auth.tokens import issue_token, token_required
from billboard.extensions import db
from billboard.models import ApiToken, AuditEvent


@pytest.fixture
def probe(app):
    """Two throwaway API routes guarded by ``token_required``, added before any request."""

    @token_required()
    def anyone():
        return jsonify(email=g.api_user.email, token=g.api_token.name)

    @token_required("reviewer", "admin")
    def deciders():
        return jsonify(email=g.api_user.email)

    app.add_url_rule("/api/v1/_probe/anyone", view_func=anyone)
    app.add_url_rule("/api/v1/_probe/deciders", view_func=deciders)
    return app.test_client()


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def agency_token(make_user):
    user = make_user()
    token, raw = issue_token(user, "rekap harian", user)
    db.session.commit()
    return token, raw


def test_token_is_random_and_only_its_sha256_is_stored(agency_token):
    token, raw = agency_token
    assert raw.startswith("bb_") and len(raw) > 40
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    row = db.session.execute(db.select(ApiToken.__table__)).one()
    assert raw not in " ".join(str(value) for value in row)


@pytest.mark.db
def test_valid_token_passes_and_records_last_use(probe, agency_token):
    token, raw = agency_token
    assert token.last_used_at is None
    response = probe.get("/api/v1/_probe/anyone", headers=bearer(raw))
    assert response.status_code == 200
    assert response.json == {"email": "staf@kpu.example", "token": "rekap harian"}
    db.session.refresh(token)
    assert datetime.now(UTC) - token.last_used_at < timedelta(seconds=5)


@pytest.mark.parametrize("header", [
    None, "Bearer", "Bearer ", "Bearer bb_not-a-real-token", "Basic dXNlcjpwYXNz", "bb_raw-only",
])
def test_missing_or_wrong_token_is_401_json(probe, agency_token, header):
    headers = {"Authorization": header} if header is not None else {}
    response = probe.get("/api/v1/_probe/anyone", headers=headers)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_token_is_not_a_prefix_match(probe, agency_token):
    _token, raw = agency_token
    assert probe.get("/api/v1/_probe/anyone", headers=bearer(raw[:-1])).status_code == 401
    assert probe.get("/api/v1/_probe/anyone", headers=bearer(raw + "x")).status_code == 401


def test_wrong_role_is_403_json(probe, agency_token, make_user):
    _token, raw = agency_token
    response = probe.get("/api/v1/_probe/deciders", headers=bearer(raw))
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    reviewer = make_user(email="r@bakeuda.example", role="reviewer")
    _t, reviewer_raw = issue_token(reviewer, "antrean", reviewer)
    db.session.commit()
    assert probe.get("/api/v1/_probe/deciders", headers=bearer(reviewer_raw)).status_code == 200


@pytest.mark.db
@pytest.mark.parametrize("what", ["token", "user", "organization"])
def test_revoked_token_or_deactivated_account_is_refused(probe, agency_token, what):
    token, raw = agency_token
    assert probe.get("/api/v1/_probe/anyone", headers=bearer(raw)).status_code == 200
    if what == "token":
        token.revoked_at = datetime.now(UTC)
    elif what == "user":
        token.user.is_active = False
    else:
        token.user.organization.is_active = False
    db.session.commit()
    assert probe.get("/api/v1/_probe/anyone", headers=bearer(raw)).status_code == 401


def test_token_page_shows_a_new_token_once_then_revokes_it(probe, client, make_user, auth):
    make_user()
    auth.login("staf@kpu.example")
    client.get("/language/en")
    created = client.post("/account/tokens", data={"name": "skrip rekap", "password": PASSWORD})
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    raw = re.search(r'<code class="new-token">([^<]+)</code>', created.get_data(as_text=True))[1]
    assert probe.get("/api/v1/_probe/anyone", headers=bearer(raw)).status_code == 200
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "skrip rekap" in listing and raw not in listing
    token = db.session.scalar(db.select(ApiToken))
    assert token.last_used_at is not None
    response = client.post(f"/account/tokens/{token.id}/revoke", data={"confirmed": "1"},
                           follow_redirects=True)
    assert "The token skrip rekap is revoked." in response.get_data(as_text=True)
    assert probe.get("/api/v1/_probe/anyone", headers=bearer(raw)).status_code == 401
    actions = db.session.scalars(
        db.select(AuditEvent.action).filter_by(object_type="api_token", object_id=token.id)
    ).all()
    assert actions == ["api_token.created", "api_token.revoked"]


def test_a_token_needs_a_name(client, make_user, auth):
    make_user()
    auth.login("staf@kpu.example")
    client.get("/language/en")
    response = client.post("/account/tokens", data={"name": "   ", "password": PASSWORD})
    assert response.status_code == 200
    assert "new-token" not in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_nobody_revokes_another_users_token(client, make_user, auth, agency_token):
    token, _raw = agency_token
    make_user(email="staf@bawaslu.example", org="Bawaslu Kota Pangkalpinang")
    auth.login("staf@bawaslu.example")
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert "rekap harian" not in client.get("/account/tokens").get_data(as_text=True)
    db.session.refresh(token)
    assert token.revoked_at is None
