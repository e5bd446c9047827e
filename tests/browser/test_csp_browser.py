"""The map under its Content-Security-Policy in Chromium: it works, with tiles, and nothing is
reported as a violation; an injected inline handler is what the policy stops."""
import base64

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TILES = "https://tiles.example.test"
# A 1×1 transparent PNG.
TILE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAC"
                        "hwGA60e6kgAAAABJRU5ErkJggg==")
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def live_server_config():
    return {"MAP_TILES_URL": TILES + "/{z}/{x}/{y}.png"}


def test_the_map_works_under_the_policy_without_a_violation(page, live_server,
                                                             browser_problems):
    page.route(TILES + "/**", lambda route: route.fulfill(body=TILE, content_type="image/png"))
    page.add_init_script(RECORD_VIOLATIONS)
    # Twice: the second visit may be served from a cache of public pages, whose bytes must
    # come with the policy that allows their script.
    for _visit in range(2):
        response = page.goto(live_server.url + "/")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self' 'sha256-" in policy and "unsafe" not in policy
        assert f"img-src 'self' data: {TILES}" in policy

        markers = page.locator("path.leaflet-interactive")
        expect(markers).to_have_count(10)
        page.wait_for_function("() => document.querySelector('img.leaflet-tile-loaded')")
        page.wait_for_function(
            "() => !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim')")
        markers.nth(0).click()
        expect(page.locator(".leaflet-popup-content")).to_contain_text("Bundaran Air Mancur")
        page.locator(".leaflet-control-zoom-in").click()
        assert page.evaluate("window.cspViolations") == []
        # Leaflet drops the tiles it no longer needs when the map zooms, and a new visit
        # drops those still loading: an aborted tile is no problem, any other failure is.
        assert [problem for problem in browser_problems
                if not (problem.startswith(f"failed: GET {TILES}/") and "ERR_ABORTED" in problem)
                ] == []

    # The control: what an attacker would inject is refused and reported.
    page.evaluate("""document.body.insertAdjacentHTML(
        "beforeend", '<img src="/favicon.ico" onload="window.pwned = 1">')""")
    page.wait_for_function("() => window.cspViolations.length > 0")
    assert page.evaluate("window.pwned") is None
    assert any(v.startswith("script-src") for v in page.evaluate("window.cspViolations"))
