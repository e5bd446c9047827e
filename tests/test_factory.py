import pytest

from billboard import create_app


def test_testing_config(app):
    assert app.testing
    assert app.config["MAP_TILES_URL"] == "none"


def test_production_refuses_missing_secret_key(monkeypatch):
    monkeypatch.setenv("BILLBOARD_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr("billboard.config.ProductionConfig.SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_cookies_are_secure(app, monkeypatch):
    monkeypatch.setenv("BILLBOARD_ENV", "production")
    monkeypatch.setattr("billboard.config.ProductionConfig.SECRET_KEY", "s" * 32)
    monkeypatch.setattr("billboard.config.ProductionConfig.SQLALCHEMY_DATABASE_URI",
                        app.config["SQLALCHEMY_DATABASE_URI"])
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("BILLBOARD_ENV", "staging")
    with pytest.raises(RuntimeError, match="BILLBOARD_ENV"):
        create_app()


def test_default_database_is_sqlite_in_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BILLBOARD_ENV", "development")
    monkeypatch.setattr("billboard.config.DevelopmentConfig.SQLALCHEMY_DATABASE_URI", None)
    app = create_app()
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri.startswith("sqlite:///") and uri.endswith("instance/billboard.sqlite")


def test_healthz_needs_no_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


@pytest.mark.parametrize("url", ["/", "/login", "/api/v1/sites", "/no-such-page"])
def test_every_response_carries_the_security_headers(client, url):
    headers = client.get(url).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
