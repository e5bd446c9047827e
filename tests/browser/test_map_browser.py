"""The public map in a real browser: markers without tiles, popups, escaping, phone layout."""
import pytest
from playwright.sync_api import expect

from billboard.extensions import db
from billboard.models import Site

pytestmark = pytest.mark.browser

NASTY = "<script>alert(1)</script>{{7*7}}${1+1}`"


def open_popup(page, marker):
    """Click a marker once the map has settled, as a person would wait for it."""
    # fitBounds may still be zooming: a click on a moving marker lands on the bare map.
    page.wait_for_function(
        "() => !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim')")
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    return popup


def test_every_site_has_a_marker_and_a_popup(page, live_server, browser_problems):
    page.goto(live_server.url + "/")
    markers = page.locator("path.leaflet-interactive")
    expect(markers).to_have_count(10)
    popup = open_popup(page, markers.nth(0))
    expect(popup).to_contain_text("Bundaran Air Mancur")
    expect(popup).to_contain_text("Sisi A")
    expect(popup.get_by_role("link", name="Halaman titik dan jadwal")).to_have_attribute(
        "href", "/sites/PGK-01")
    assert browser_problems == []


def test_typed_text_in_a_popup_stays_text(page, live_server, browser_problems):
    with live_server.app_context():
        db.session.get(Site, 2).name = NASTY
        db.session.commit()
    page.goto(live_server.url + "/")
    open_popup(page, page.locator("path.leaflet-interactive").nth(1))
    name = page.locator(".leaflet-popup-content .popup-name")
    expect(name).to_have_text(NASTY)
    assert page.locator(".leaflet-popup-content script").count() == 0
    assert browser_problems == []


def test_phone_layout_fits_the_screen(page, live_server, browser_problems):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    expect(page.locator("path.leaflet-interactive")).to_have_count(10)
    box = page.locator(".map-frame").bounding_box()
    assert box["width"] <= 360 and box["height"] >= 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert browser_problems == []
