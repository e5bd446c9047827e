"""Security headers on every response; a view may set its own stricter ones first.

The Content-Security-Policy allows scripts from this site and, inline, only those a view
declares with ``with_inline_scripts`` (the map's, which Folium writes inline): each by the
SHA-256 of its text. A hash rather than a per-response nonce, so that a public page kept as
bytes is the same for every visitor (DESIGN §6), and an injected script, whose hash nobody
declared, does not run. Such a policy belongs to its body: whatever keeps the body (a cache of
public pages) keeps that header with it.
"""
from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlsplit

from flask import Flask, Response, current_app

DEFAULTS = {
    "X-Content-Type-Options": "nosniff",
    # No page of ours belongs in someone else's frame (clickjacking a decision button).
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def script_hash(source: str) -> str:
    """The CSP source expression that allows an inline script with exactly this text."""
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def with_inline_scripts(response: Response, *sources: str) -> Response:
    """``response`` allowed to run the inline ``<script>`` elements whose texts are ``sources``."""
    response.headers["Content-Security-Policy"] = content_security_policy(
        [script_hash(source) for source in sources],
        tiles_origin(current_app.config["MAP_TILES_URL"]))
    return response


def tiles_origin(tiles_url: str) -> str | None:
    """Where map tiles come from: ``https://tile.openstreetmap.org``; ``{s}`` subdomains as *."""
    if tiles_url == "none":
        return None
    parts = urlsplit(tiles_url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def content_security_policy(script_hashes=(), tiles: str | None = None) -> str:
    scripts = " ".join(["'self'", *sorted(script_hashes)])
    images = " ".join(filter(None, ["'self'", "data:", tiles]))
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self'",
        f"img-src {images}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _add_defaults(response: Response) -> Response:
    for name, value in DEFAULTS.items():
        response.headers.setdefault(name, value)
    # A 304 carries no body; the browser merges its headers into those of the copy it holds,
    # so a policy here would replace the one that names that copy's scripts.
    if response.status_code != 304:
        response.headers.setdefault("Content-Security-Policy", content_security_policy(
            tiles=tiles_origin(current_app.config["MAP_TILES_URL"])))
    hsts = current_app.config.get("STRICT_TRANSPORT_SECURITY")
    if hsts:
        response.headers.setdefault("Strict-Transport-Security", hsts)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_defaults)
