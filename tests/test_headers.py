"""Headers and hosts: a Content-Security-Policy the map works under (hashes, no eval), HSTS in
production, and links from PUBLIC_URL rather than the client's Host. (A short SECRET_KEY is
refused by ``billboard check``, see test_check_command.)"""
import re

import pytest

from billboard import create_app
from billboard.headers import content_security_policy, script_hash, tiles_origin

INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def test_the_map_page_allows_exactly_its_inline_scripts(client):
    # The second answer may come from a cache of public pages: its policy must still match.
    for _visit in range(2):
        response = client.get("/")
        html = response.get_data(as_text=True)
        inline = INLINE_SCRIPT.findall(html)
        assert inline, "the map's script is inline"
        scripts = policy(response)["script-src"]
        assert {script_hash(source) for source in inline} == {s for s in scripts if "sha256" in s}
        assert "'unsafe-eval'" not in scripts and "'unsafe-inline'" not in scripts


@pytest.mark.parametrize("url", ["/", "/login", "/sites/PGK-01", "/api/v1/sites", "/nowhere"])
def test_every_response_has_a_policy_without_eval_or_inline_code(client, url):
    directives = policy(client.get(url))
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    for name in ("script-src", "style-src"):
        assert "'unsafe-eval'" not in directives[name]
        assert "'unsafe-inline'" not in directives[name]
    if url != "/":
        assert directives["script-src"] == ["'self'"]


def test_a_304_keeps_the_policy_of_the_copy_the_browser_holds(client):
    first = client.get("/")
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and "Content-Security-Policy" not in again.headers


def test_an_inline_script_nobody_declared_gets_no_hash(app, client):
    @app.get("/test-injected")
    def injected():
        return "<script>alert(1)</script>"

    assert policy(client.get("/test-injected"))["script-src"] == ["'self'"]


@pytest.mark.parametrize("tiles, origin", [
    ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
    ("https://{s}.tile.example.id/{z}/{x}/{y}.png", "https://*.tile.example.id"),
    ("none", None),
    ("tiles/{z}/{x}/{y}.png", None),
])
def test_map_tiles_are_the_only_outside_images(tiles, origin):
    assert tiles_origin(tiles) == origin
    images = content_security_policy(tiles=origin).split("img-src ")[1].split(";")[0]
    assert images == " ".join(filter(None, ["'self'", "data:", origin]))


def test_script_hash_is_the_base64_sha256_of_the_text():
    # The example of the CSP specification.
    assert script_hash("alert('Hello, world.');") == \
        "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"


def test_production_sends_hsts_and_development_does_not(app, monkeypatch, client):
    monkeypatch.setenv("BILLBOARD_ENV", "production")
    monkeypatch.setattr("billboard.config.ProductionConfig.SECRET_KEY", "k" * 32)
    # The migrated test database: production refuses to serve on one that is not.
    monkeypatch.setattr("billboard.config.ProductionConfig.SQLALCHEMY_DATABASE_URI",
                        app.config["SQLALCHEMY_DATABASE_URI"])
    response = create_app().test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


@pytest.mark.parametrize("headers", [
    {"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example"},
    {"Host": "evil.example", "X-Forwarded-Proto": "http"},
])
def test_api_links_come_from_public_url_never_from_the_host(app, client, headers):
    app.config["PUBLIC_URL"] = "https://baliho.pangkalpinangkota.go.id"
    for path in ("/api/v1/sites", "/api/v1/sites/PGK-01"):
        body = client.get(path, headers=headers).get_data(as_text=True)
        assert "evil.example" not in body
        assert "https://baliho.pangkalpinangkota.go.id/sites/PGK-01" in body


@pytest.mark.parametrize("headers", [{"Host": "evil.example"}, {"X-Forwarded-Host": "evil"}])
def test_without_public_url_api_links_are_paths(client, headers):
    body = client.get("/api/v1/sites", headers=headers).json
    assert body["features"][0]["properties"]["url"] == "/sites/PGK-01"
