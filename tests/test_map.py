"""The Folium map on ``/``: markers, assets served by the app, escaping, cache, query count."""
import re
from datetime import timedelta
from urllib.parse import urlsplit

import folium
import pytest
from public_data import letter, occupy
from sqlalchemy import event
from support import TODAY, face

from billboard import caching, mapping
from billboard.extensions import db
from billboard.models import Booking, BookingKind, BookingStatus, Site

# Anything that could make the browser fetch from another host: scheme URLs and //host/...
EXTERNAL_URL = re.compile(r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}""", re.I)
ASSETS = mapping.MapAssets("/l.js", "/l.css", "/j.js")


def folium_script(html: str) -> str:
    return re.search(r"<script>(.*?)</script>", html, re.S).group(1)


@pytest.fixture
def today_taken(app):
    today = TODAY
    occupy("PGK-03", "A", today, today)
    return today


def test_one_marker_per_site_coloured_by_state(client, today_taken):
    html = client.get("/").get_data(as_text=True)
    script = folium_script(html)
    assert script.count("L.circleMarker(") == 10
    assert script.count('"className": "site-marker state-taken"') == 1
    assert script.count('"className": "site-marker state-free"') == 9
    assert script.count(".bindPopup(") == 10
    assert 'data-code="PGK-01"' in script and 'href="/sites/PGK-01"' in script


def test_without_tiles_the_page_names_no_other_host(client):
    html = client.get("/").get_data(as_text=True)
    assert "L.tileLayer" not in folium_script(html)
    assert EXTERNAL_URL.findall(html) == []


@pytest.mark.parametrize("app_config", [{
    "MAP_TILES_URL": "https://tiles.example.org/{z}/{x}/{y}.png",
    "MAP_TILES_ATTRIBUTION": "&copy; Contoh Peta",
}])
def test_tiles_url_is_the_only_other_host(client):
    html = client.get("/").get_data(as_text=True)
    script = folium_script(html)
    assert '"https://tiles.example.org/{z}/{x}/{y}.png"' in script
    assert '"attribution": "\\u0026copy; Contoh Peta"' in script
    assert set(EXTERNAL_URL.findall(html)) == {"https://tiles.example.org"}


def test_every_asset_of_the_page_is_served_by_the_app(client):
    html = client.get("/").get_data(as_text=True)
    urls = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert any("leaflet.js" in u for u in urls) and any("jquery" in u for u in urls)
    assert any("leaflet.css" in u for u in urls) and any("map.js" in u for u in urls)
    for url in urls:
        assert not urlsplit(url).netloc, url
        response = client.get(url)
        assert response.status_code == 200, url
        if url.startswith("/xstatic/"):
            assert "max-age=31536000" in response.headers["Cache-Control"]
    # leaflet.css refers to its images relative to itself.
    css = next(u for u in urls if u.endswith("leaflet.css"))
    assert client.get(css.rsplit("/", 1)[0] + "/images/layers.png").status_code == 200


def test_xstatic_route_serves_only_known_packages_and_versions(client):
    assert client.get("/xstatic/leaflet/1.9.3/leaflet.js").status_code == 200
    assert client.get("/xstatic/leaflet/0.7/leaflet.js").status_code == 404
    assert client.get("/xstatic/bootstrap/5.2/bootstrap.js").status_code == 404
    assert client.get("/xstatic/jquery/3.7.1/../../../setup.cfg").status_code == 404


def test_map_is_rendered_once_until_the_sites_change(client):
    mapping.render_map.cache_clear()
    client.get("/")
    client.get("/language/en")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    # A change the map does not show: the page is made again, the map is not.
    db.session.get(Site, 1).description = "Dekat simpang lima"
    db.session.commit()
    client.get("/")
    assert mapping.render_map.cache_info().misses == 1

    today = TODAY
    occupy("PGK-05", "A", today, today)
    assert "state-taken" in folium_script(client.get("/").get_data(as_text=True))
    client.get("/")
    assert mapping.render_map.cache_info().misses == 2


def test_every_render_names_the_map_alike():
    """Folium's ids are random; ours follow the tree, so every worker makes the same bytes."""
    point = mapping.MapPoint("PGK-01", -2.13, 106.11, "free", "/sites/PGK-01")
    first = mapping.render_map((point,), "none", "", ASSETS)
    mapping.render_map.cache_clear()
    assert mapping.render_map((point,), "none", "", ASSETS) == first


def test_folium_never_sees_text_that_could_run():
    """Even a site code is neutralised for HTML, a JS template literal and Jinja."""
    code = "X`${alert(1)}{{7*7}}<b>\\"
    point = mapping.MapPoint(code, -2.13, 106.11, "free", f"/sites/{code}")
    script = str(mapping.render_map((point,), "none", "", ASSETS).script)
    assert "<b>" not in script and "`$" not in script and "${" not in script
    assert "{{" not in script
    assert "X&#96;&#36;&#123;alert(1)&#125;&#123;&#123;7*7&#125;&#125;&lt;b&gt;&#92;" in script


def test_folium_module_defaults_are_left_alone():
    before = (list(folium.Map.default_js), list(folium.Map.default_css))
    fragments = mapping.render_map((), "none", "", ASSETS)
    assert (folium.Map.default_js, folium.Map.default_css) == before
    assert 'src="/l.js"' in fragments.header and 'href="/l.css"' in fragments.header
    assert "cdn" not in fragments.header


def count_statements(client, url: str) -> int:
    """The statements of a render (not of a response the worker kept from before)."""
    client.application.extensions["public_responses"] = caching.ResponseStore()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


@pytest.mark.db
@pytest.mark.parametrize("url", ["/", "/api/v1/sites"])
def test_query_count_does_not_grow_with_bookings(client, make_user, url):
    client.get(url)  # warm up: connection set-up is not the point
    without = count_statements(client, url)
    # The data version, sites, their faces, today's occupants (and BEGIN): not one per site.
    assert without <= 5

    today = TODAY
    kpu = letter(make_user())
    faces = [f for n in range(1, 11) for label in "AB" if (f := face(f"PGK-{n:02d}", label))]
    for index, target in enumerate(faces):
        for week in range(4):
            start = today + timedelta(days=7 * week - 7)
            db.session.add(Booking(
                face=target, start_on=start, end_on=start + timedelta(days=5),
                status=BookingStatus.APPROVED,
                kind=BookingKind.NON_COMMERCIAL if index % 2 else BookingKind.COMMERCIAL,
                request=kpu if index % 2 else None,
                tenant_name=None if index % 2 else f"PT Penyewa {index}"))
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 4 * len(faces)

    assert count_statements(client, url) == without


def test_tiles_without_attribution_credit_their_host():
    fragments = mapping.render_map((), "https://tiles.example.org/{z}/{x}/{y}.png", "", ASSETS)
    assert '"attribution": "tiles.example.org"' in fragments.script
