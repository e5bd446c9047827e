"""Access to the public pages and the public JSON API: everyone, logged in or not, alike."""
EVERYONE = dict.fromkeys(("anonymous", "agency", "other_agency", "reviewer", "admin"), 200)
NOBODY_404 = dict.fromkeys(EVERYONE, 404)

ACCESS = {
    "/": {"expect": EVERYONE},
    "/healthz": {"expect": EVERYONE},
    "/about": {"expect": EVERYONE},
    "/favicon.ico": {"expect": EVERYONE},
    "/sites/<code>": {"url": "/sites/PGK-01", "expect": EVERYONE},
    # The seeded sites have no photo.
    "/sites/<code>/photo": {"url": "/sites/PGK-01/photo", "expect": NOBODY_404},
    "/sites/<code>/photo/small": {"url": "/sites/PGK-01/photo/small", "expect": NOBODY_404},
    "/xstatic/<name>/<version>/<path:filename>": {
        "url": "/xstatic/leaflet/1.9.3/leaflet.css", "expect": EVERYONE},
    # The language switch (billboard/i18n.py) sends everyone back to the page they were on.
    "/language/<code>": {"url": "/language/en?next=/about", "expect": dict.fromkeys(EVERYONE, 302)},
    "/api/v1/sites": {"expect": EVERYONE},
    "/api/v1/sites/<code>": {"url": "/api/v1/sites/PGK-01", "expect": EVERYONE},
    "/api/v1/sites/<code>/availability": {
        "url": "/api/v1/sites/PGK-01/availability", "expect": EVERYONE},
    "/api/v1/openapi.json": {"expect": EVERYONE},
}
