"""The OpenAPI 3.1 description of ``/api/v1``.

This package documents the public endpoints here and every other route module of
``billboard.api`` in a module of the same name (an agency's requests and Bakeuda's decisions in
``openapi.requests``, the campaign, occupancy and reports), and holds what every endpoint shares
(the error shapes, the bearer token, enums built from the StrEnums). Each documenting module has
a ``PATHS`` dict (and its schemas in ``SCHEMAS``) and is listed in ``DOCUMENTED_MODULES``;
``build_spec`` merges them.
A test checks that the description and the app's routes match exactly.
"""
import importlib
from collections.abc import Iterable
from enum import StrEnum

from ...listing import SiteState
from ...models import BookingKind, SiteStatus
from ...routing import MAX_ID
from ...text import schema_pattern

DOCUMENTED_MODULES = (
    "billboard.api.openapi.requests",
    "billboard.api.openapi.campaign",
    "billboard.api.openapi.occupancy",
    "billboard.api.openapi.reports",
)


def ref(name: str) -> dict:
    """A reference to the schema ``name`` in components."""
    return {"$ref": f"#/components/schemas/{name}"}


def error_response(description: str) -> dict:
    """A response whose body is the shared JSON error."""
    return {"description": description,
            "content": {"application/json": {"schema": ref("Error")}}}


def enum_of(members: Iterable[StrEnum], **extra) -> dict:
    """A string schema whose values are those of a StrEnum (or some of its members), so that
    the description follows the code when a member is added."""
    return {"type": "string", "enum": [member.value for member in members], **extra}


def json_content(schema: dict) -> dict:
    """A JSON body of ``schema``, for a request or a response."""
    return {"content": {"application/json": {"schema": schema}}}


def refusal(description: str) -> dict:
    """A response whose body is the shared JSON error with its list of problems."""
    return {"description": description, **json_content(ref("Refusal"))}


def path_id(name: str) -> dict:
    """The path parameter ``name``: a row's id."""
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


def _nullable(schema_type: str, **extra) -> dict:
    return {"type": [schema_type, "null"], **extra}


# The API reads dates strictly as YYYY-MM-DD; "format" alone is only an annotation in JSON
# Schema 2020-12, so the pattern says it to validators and client generators.
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
DATE = {"type": "string", "format": "date", "pattern": DATE_PATTERN}

DAY = {**DATE, "description": "YYYY-MM-DD, a WIB calendar day"}
NULLABLE_DAY = {**DAY, "type": ["string", "null"]}
NULLABLE_TEXT = {"type": ["string", "null"]}
UNREADABLE = refusal("The body cannot be read: not a JSON object, a field missing or of the "
                     "wrong type, or a date that does not exist (2024-02-30); every problem "
                     "is listed")
NO_TOKEN = error_response("No token, or a revoked or unknown one")
WRONG_ROLE = error_response("The token's user may not do this")

SITE_CODE = {"name": "code", "in": "path", "required": True, "description": "Site code",
             "schema": {"type": "string", "pattern": schema_pattern(), "examples": ["PGK-01"]}}

COMMON_SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "Stable, machine-readable reason"},
                "message": {"type": "string", "description": "What went wrong, for a person"},
            },
        }},
    },
    "Refusal": {
        "description": "An error; problems lists every reason when there are several",
        "allOf": [ref("Error"), {"properties": {"error": {"properties": {
            "problems": {"type": "array", "items": {"type": "string"}}}}}}],
    },
}

PUBLIC_SCHEMAS = {
    "FaceToday": {
        "type": "object",
        "required": ["label", "occupied_today", "kind", "occupant", "purpose", "until",
                     "contestant"],
        "properties": {
            "label": {"type": "string", "examples": ["A"]},
            "occupied_today": {"type": "boolean"},
            "kind": _nullable("string", enum=["non_commercial", "commercial", "maintenance", None],
                              description="What occupies the face today; null when free"),
            "occupant": _nullable("string", description=(
                "The organisation using the face free of charge (pinjam pakai) or the tenant of "
                "a commercial rental; null when free or under maintenance")),
            "purpose": _nullable("string", description="The approved purpose, if any"),
            "until": _nullable("string", format="date", pattern=DATE_PATTERN,
                               description="Last day (inclusive, WIB) of today's occupancy"),
            "contestant": ref("DrawnContestant"),
        },
    },
    "SiteProperties": {
        "type": "object",
        "required": ["code", "name", "address", "kelurahan", "kecamatan", "width_m", "height_m",
                     "illuminated", "status", "monthly_rate_idr", "url", "state", "faces"],
        "properties": {
            "code": {"type": "string", "examples": ["PGK-01"]},
            "name": {"type": "string"},
            "address": {"type": "string"},
            "kelurahan": {"type": "string"},
            "kecamatan": {"type": "string"},
            "width_m": {"type": "number", "exclusiveMinimum": 0},
            "height_m": {"type": "number", "exclusiveMinimum": 0},
            "illuminated": {"type": "boolean"},
            # Retired sites are not public.
            "status": enum_of(s for s in SiteStatus if s != SiteStatus.RETIRED),
            "monthly_rate_idr": {"type": "integer", "minimum": 0,
                                 "description": "Commercial rent per month, whole Rupiah"},
            "url": {"type": "string", "format": "uri-reference", "description": (
                "The site's public page: absolute when the server knows its PUBLIC_URL, else "
                "a path on this server")},
            "state": enum_of(SiteState, description=(
                "Today: free = at least one face is free; taken = every face is occupied; "
                "maintenance = the site, or every face, is under maintenance")),
            "faces": {"type": "array", "items": ref("FaceToday")},
        },
    },
    "SiteFeature": {
        "type": "object",
        "description": "A GeoJSON Feature (RFC 7946) whose id is the site code",
        "required": ["type", "id", "geometry", "properties"],
        "properties": {
            "type": {"const": "Feature"},
            "id": {"type": "string"},
            "geometry": {
                "type": "object",
                "required": ["type", "coordinates"],
                "properties": {
                    "type": {"const": "Point"},
                    "coordinates": {"type": "array", "items": {"type": "number"},
                                    "minItems": 2, "maxItems": 2,
                                    "description": "[longitude, latitude] in WGS 84"},
                },
            },
            "properties": ref("SiteProperties"),
        },
    },
    "SiteCollection": {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {"type": "array", "items": ref("SiteFeature")},
        },
    },
    "Busy": {
        "type": "object",
        "required": ["start", "end", "kind", "organization", "purpose"],
        "properties": {
            "start": DATE,
            "end": {**DATE, "description": "Inclusive"},
            "kind": enum_of(BookingKind),
            "organization": _nullable("string", description=(
                "The organisation (pinjam pakai) or the tenant (commercial rental); "
                "null for maintenance")),
            "purpose": _nullable("string", description="The approved purpose, if any"),
            "contestant": ref("DrawnContestant"),
        },
    },
    "DrawnContestant": {
        "type": ["object", "null"],
        "description": ("Campaign props: the contestant the draw gave this face to; null for "
                        "any other use"),
        "required": ["number", "name", "label"],
        "properties": {"number": {"type": "integer", "description": "Nomor urut"},
                       "name": {"type": "string"},
                       "label": {"type": "string", "examples": ["APK Paslon 02 — name"]}},
    },
    "Availability": {
        "type": "object",
        "required": ["site", "start", "end", "faces"],
        "properties": {
            "site": {"type": "string"},
            "start": DATE,
            "end": DATE,
            "faces": {"type": "array", "items": {
                "type": "object",
                "required": ["label", "busy"],
                "properties": {
                    "label": {"type": "string"},
                    "busy": {"type": "array", "items": ref("Busy")},
                },
            }},
        },
    },
}


def _geojson(schema: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/geo+json": {"schema": ref(schema)}}}


PUBLIC_PATHS = {
    "/api/v1/sites": {"get": {
        "operationId": "listSites",
        "summary": "Every public site with today's use of each face",
        "tags": ["public"],
        "security": [],
        "responses": {"200": _geojson("SiteCollection", "The sites, by code")},
    }},
    "/api/v1/sites/{code}": {"get": {
        "operationId": "getSite",
        "summary": "One site with today's use of each face",
        "tags": ["public"],
        "security": [],
        "parameters": [SITE_CODE],
        "responses": {"200": _geojson("SiteFeature", "The site"),
                      "400": error_response("The address holds a control character"),
                      "404": error_response("No public site has this code")},
    }},
    "/api/v1/sites/{code}/availability": {"get": {
        "operationId": "getSiteAvailability",
        "summary": "Approved occupancy of each face in a period",
        "description": ("Per face, the approved use, commercial rentals and maintenance blocks "
                        "overlapping [start, end]. Requests under review are never shown."),
        "tags": ["public"],
        "security": [],
        "parameters": [
            SITE_CODE,
            {"name": "start", "in": "query", "required": False,
             "description": "First day, YYYY-MM-DD (WIB); default today",
             "schema": DATE},
            {"name": "end", "in": "query", "required": False,
             "description": "Last day, inclusive, YYYY-MM-DD; default start + 90 days; "
                            "the period may cover at most 366 days",
             "schema": DATE},
        ],
        "responses": {
            "200": {"description": "Busy ranges per face",
                    "content": {"application/json": {"schema": ref("Availability")}}},
            "400": error_response("A date is malformed or impossible, end is before start, "
                                  "or the period is longer than 366 days"),
            "404": error_response("No public site has this code"),
        },
    }},
    "/api/v1/openapi.json": {"get": {
        "operationId": "getOpenApi",
        "summary": "This description",
        "tags": ["public"],
        "security": [],
        "responses": {"200": {"description": "OpenAPI 3.1 document",
                              "content": {"application/json": {"schema": {"type": "object"}}}}},
    }},
}


def build_spec() -> dict:
    """The whole OpenAPI document: the public paths plus those of ``DOCUMENTED_MODULES``."""
    paths = dict(PUBLIC_PATHS)
    schemas = {**COMMON_SCHEMAS, **PUBLIC_SCHEMAS}
    for name in DOCUMENTED_MODULES:
        module = importlib.import_module(name)
        paths.update(getattr(module, "PATHS", {}))
        schemas.update(getattr(module, "SCHEMAS", {}))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Baliho Pangkalpinang API",
            "version": "1",
            "description": ("Billboard sites of Kota Pangkalpinang (Bakeuda) and their bookings. "
                            "Dates are WIB calendar dates, money is whole Rupiah. Errors are "
                            '`{"error": {"code", "message"}}` with a 4xx status.'),
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "An API token from `flask --app wsgi billboard create-token`",
            }},
        },
        "security": [{"bearer": []}],
    }
