"""The public Folium map, rendered from plain data and cached until that data changes.

Folium is not an escaping boundary (DESIGN §8): popup HTML is placed in a JavaScript template
literal and branca passes its output through Jinja again. So no text a person typed reaches the
render: a marker carries only its site code, position and state, and the page's own script fills
the popup from data it holds, with ``textContent``. The code is neutralised all the same.
"""
from __future__ import annotations

import functools
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlsplit

import folium
from branca.element import CssLink, Element, JavascriptLink
from markupsafe import Markup, escape

# The city centre, for a map without sites.
PANGKALPINANG = (-2.13, 106.11)
STATE_COLOURS = {"free": "#1e7b34", "taken": "#b3261e", "maintenance": "#a15c00"}
# Characters that mean something to a JS template literal or to Jinja, written as HTML entities:
# inert in those two passes, and shown as themselves once the popup is HTML again.
_INERT = str.maketrans({"`": "&#96;", "$": "&#36;", "{": "&#123;", "}": "&#125;",
                        "\\": "&#92;"})


@dataclass(frozen=True)
class MapPoint:
    """One marker: which site, where, its state today and its page."""

    code: str
    lat: float
    lon: float
    state: str
    url: str


@dataclass(frozen=True)
class MapAssets:
    """Where the page serves Leaflet and jQuery from (folium's popups call ``$``)."""

    leaflet_js: str
    leaflet_css: str
    jquery_js: str


@dataclass(frozen=True)
class MapFragments:
    """The three parts of a rendered map, to be placed in the page's head, body and a script."""

    name: str
    header: Markup
    html: Markup
    script: Markup


def inert(text: str) -> str:
    """``text`` made safe for HTML, for a JS template literal and for a Jinja pass at once."""
    return str(escape(text)).translate(_INERT)


def _elements(root: Element) -> list[Element]:
    """Every element under ``root``, parents first: children, and the parts a figure or a popup
    holds as attributes (its header, html and script)."""
    found, stack, seen = [], [root], set()
    while stack:
        element = stack.pop()
        if id(element) not in seen:
            seen.add(id(element))
            found.append(element)
            parts = [value for name, value in vars(element).items()
                     if name != "_parent" and isinstance(value, Element)]
            stack.extend(reversed([*element._children.values(), *parts]))
    return found


def _name_by_position(root: Element) -> None:
    """Name each element by its place in the tree instead of folium's random id: every worker
    then renders the same bytes, and the page has one ETag whichever worker answers.

    Templates use both an element's name and the key its parent holds it under (its name when
    it was added), so both are rewritten.
    """
    elements = _elements(root)
    for position, element in enumerate(elements):
        element._id = str(position)
    for element in elements:
        element._children = OrderedDict(
            (child.get_name(), child) for child in element._children.values())


@functools.lru_cache(maxsize=32)
def render_map(points: tuple[MapPoint, ...], tiles_url: str, attribution: str,
               assets: MapAssets) -> MapFragments:
    """Render the map of ``points``; equal arguments give the cached result.

    ``tiles_url`` ``none`` means no tile layer: the markers are drawn as vector circles, so they
    show without tiles and without any icon font.
    """
    site_map = folium.Map(location=PANGKALPINANG, zoom_start=13, tiles=None, max_zoom=18)
    # New lists on this instance: folium's class-level lists point at five CDNs.
    site_map.default_js = [("leaflet", assets.leaflet_js), ("jquery", assets.jquery_js)]
    site_map.default_css = [("leaflet_css", assets.leaflet_css)]
    if tiles_url != "none":
        # Tile services require credit; the host's name is better than none.
        folium.TileLayer(tiles=tiles_url, attr=attribution or urlsplit(tiles_url).netloc,
                         max_zoom=18).add_to(site_map)
    for point in points:
        code = inert(point.code)
        # The page's script replaces the link inside this div (the popup's own content).
        popup = (f'<div><a class="site-popup" data-code="{code}" '
                 f'href="{inert(point.url)}">{code}</a></div>')
        folium.CircleMarker(
            location=(point.lat, point.lon),
            radius=10,
            weight=2,
            color="#ffffff",
            fill=True,
            fill_color=STATE_COLOURS[point.state],
            fill_opacity=0.95,
            class_name=f"site-marker state-{point.state}",
            # An Element, not a string: folium would wrap a string in a div with an inline
            # style, which the Content-Security-Policy (style-src 'self') refuses.
            popup=folium.Popup(Element(popup), max_width=320),
            tooltip=folium.Tooltip(code),
        ).add_to(site_map)
    if len(points) > 1:
        site_map.fit_bounds(
            [[min(p.lat for p in points), min(p.lon for p in points)],
             [max(p.lat for p in points), max(p.lon for p in points)]],
            padding=(24, 24),
        )
    root = site_map.get_root()
    _name_by_position(root)
    root.render()
    # Only the asset links of folium's header: the rest is a second viewport tag that forbids
    # zooming and global ``html, body`` and ``#map`` styles that would break the page's layout.
    header = "\n".join(child.render() for child in root.header._children.values()
                       if isinstance(child, JavascriptLink | CssLink))
    return MapFragments(
        name=site_map.get_name(),
        header=Markup(header),
        html=Markup(root.html.render()),
        script=Markup(root.script.render()),
    )
