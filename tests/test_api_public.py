"""The public JSON API: GeoJSON sites, availability, errors and the OpenAPI description."""
import re
from datetime import date, timedelta

import pytest
from openapi_spec_validator import validate
from public_data import letter, occupy
from support import TODAY

from billboard.extensions import db
from billboard.models import BookingKind, BookingStatus, Site, SiteStatus

PROPERTIES = {"code", "name", "address", "kelurahan", "kecamatan", "width_m", "height_m",
              "illuminated", "status", "monthly_rate_idr", "url", "state", "faces"}
FACE_KEYS = {"label", "occupied_today", "kind", "occupant", "purpose", "until", "contestant"}


@pytest.fixture
def today(app):
    return TODAY


@pytest.mark.db
def test_sites_is_an_rfc7946_feature_collection(client):
    response = client.get("/api/v1/sites")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    body = response.json
    assert body["type"] == "FeatureCollection"
    assert [f["id"] for f in body["features"]] == [f"PGK-{n:02d}" for n in range(1, 11)]
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        # Longitude first: Pangkalpinang is near 106.1° E, 2.1° S.
        assert 105.9 < lon < 106.3 and -2.3 < lat < -2.0
        assert set(feature["properties"]) == PROPERTIES
        assert feature["properties"]["code"] == feature["id"]
        assert feature["properties"]["state"] == "free"
        for face in feature["properties"]["faces"]:
            assert set(face) == FACE_KEYS and face["occupied_today"] is False
    first = body["features"][0]["properties"]
    assert first["url"] == "/sites/PGK-01"
    assert first["monthly_rate_idr"] == 6_000_000 and first["illuminated"] is True
    assert (first["width_m"], first["height_m"]) == (5, 10)


@pytest.mark.db
def test_site_shows_todays_occupants(client, make_user, today):
    kpu = letter(make_user(), "Sosialisasi tahapan Pilkada")
    occupy("PGK-01", "A", today - timedelta(days=1), today + timedelta(days=6), request=kpu)
    occupy("PGK-01", "B", today, today, kind=BookingKind.MAINTENANCE, tenant=None)
    occupy("PGK-02", "A", today, today + timedelta(days=3), request=kpu,
           status=BookingStatus.SUBMITTED)

    body = client.get("/api/v1/sites/PGK-01").json
    assert body["id"] == "PGK-01" and body["properties"]["state"] == "taken"
    assert body["properties"]["faces"] == [
        {"label": "A", "occupied_today": True, "kind": "non_commercial",
         "occupant": "KPU Kota Pangkalpinang", "purpose": "Sosialisasi tahapan Pilkada",
         "until": (today + timedelta(days=6)).isoformat(), "contestant": None},
        {"label": "B", "occupied_today": True, "kind": "maintenance", "occupant": None,
         "purpose": None, "until": today.isoformat(), "contestant": None},
    ]
    pending = client.get("/api/v1/sites/PGK-02").json["properties"]
    assert pending["state"] == "free"
    assert all(not face["occupied_today"] for face in pending["faces"])


def test_unknown_and_retired_sites_are_404_json(client):
    db.session.get(Site, 10).status = SiteStatus.RETIRED
    db.session.commit()
    for url in ("/api/v1/sites/PGK-99", "/api/v1/sites/PGK-10",
                "/api/v1/sites/PGK-99/availability"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json["error"]["code"] == "not_found"
        assert "PGK-" in response.json["error"]["message"]
    assert len(client.get("/api/v1/sites").json["features"]) == 9


@pytest.mark.db
def test_availability_lists_approved_ranges_per_face(client, make_user, today):
    kpu = letter(make_user(), "Pendidikan pemilih")
    soon = today + timedelta(days=10)
    occupy("PGK-01", "A", soon, soon + timedelta(days=4), request=kpu)
    occupy("PGK-01", "A", soon + timedelta(days=20), soon + timedelta(days=30),
           tenant="PT Sinar Bangka")
    occupy("PGK-01", "B", soon, soon, kind=BookingKind.MAINTENANCE, tenant=None)
    occupy("PGK-01", "B", soon + timedelta(days=1), soon + timedelta(days=2), request=kpu,
           status=BookingStatus.SUBMITTED)
    occupy("PGK-01", "B", today + timedelta(days=200), today + timedelta(days=201))

    response = client.get("/api/v1/sites/PGK-01/availability")
    assert response.status_code == 200
    body = response.json
    assert (body["site"], body["start"]) == ("PGK-01", today.isoformat())
    assert body["end"] == (today + timedelta(days=90)).isoformat()
    face_a, face_b = body["faces"]
    assert face_a == {"label": "A", "busy": [
        {"start": soon.isoformat(), "end": (soon + timedelta(days=4)).isoformat(),
         "kind": "non_commercial", "organization": "KPU Kota Pangkalpinang",
         "purpose": "Pendidikan pemilih", "contestant": None},
        {"start": (soon + timedelta(days=20)).isoformat(),
         "end": (soon + timedelta(days=30)).isoformat(), "kind": "commercial",
         "organization": "PT Sinar Bangka", "purpose": None, "contestant": None},
    ]}
    assert face_b == {"label": "B", "busy": [
        {"start": soon.isoformat(), "end": soon.isoformat(), "kind": "maintenance",
         "organization": None, "purpose": None, "contestant": None},
    ]}


def test_availability_window_is_inclusive_and_explicit(client, today):
    occupy("PGK-03", "A", date(2025, 1, 10), date(2025, 1, 12))
    url = "/api/v1/sites/PGK-03/availability"
    assert client.get(f"{url}?start=2025-01-12&end=2025-01-12").json["faces"][0]["busy"]
    assert client.get(f"{url}?start=2025-01-01&end=2025-01-10").json["faces"][0]["busy"]
    assert not client.get(f"{url}?start=2025-01-13&end=2025-02-13").json["faces"][0]["busy"]
    # A start alone opens a 90-day window; exactly 366 days is allowed.
    assert client.get(f"{url}?start=2025-01-01").json["end"] == "2025-04-01"
    assert client.get(f"{url}?start=2024-01-01&end=2024-12-31").status_code == 200


@pytest.mark.parametrize("query, fragment", [
    ("start=2025-02-30", "start must be a date"),
    ("end=tomorrow", "end must be a date"),
    ("start=20250101", "start must be a date"),
    ("start=2025-1-5", "start must be a date"),
    ("start=2025-03-01&end=2025-02-28", "end must not be before start"),
    ("start=2024-01-01&end=2025-01-01", "at most 366 days"),
])
def test_availability_refuses_bad_dates(client, query, fragment):
    response = client.get(f"/api/v1/sites/PGK-01/availability?{query}")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_query"
    assert fragment in response.json["error"]["message"]


def flask_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_openapi_documents_every_api_route_and_nothing_else(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    routes = {
        (flask_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert documented == routes


def test_openapi_is_a_valid_openapi_31_document(client):
    validate(client.get("/api/v1/openapi.json").json)


def test_openapi_references_resolve_and_operations_answer(client):
    spec = client.get("/api/v1/openapi.json").json
    text = str(spec)
    for name in re.findall(r"#/components/schemas/(\w+)", text):
        assert name in spec["components"]["schemas"], name
    operation_ids = []
    for item in spec["paths"].values():
        for operation in item.values():
            assert operation["responses"] and operation["summary"]
            operation_ids.append(operation["operationId"])
    assert len(operation_ids) == len(set(operation_ids))
    public = spec["paths"]["/api/v1/sites/{code}/availability"]["get"]
    assert public["security"] == [] and {p["name"] for p in public["parameters"]} == {
        "code", "start", "end"}
