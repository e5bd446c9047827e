"""The OpenAPI description of the routes in ``billboard.api.campaign``, merged by
``build_spec``."""
from ...models import CampaignLocation, Contestant, Draw, Election, User, max_length
from ...routing import MAX_ID
from . import (
    DAY,
    NO_TOKEN,
    NULLABLE_DAY,
    NULLABLE_TEXT,
    SITE_CODE,
    UNREADABLE,
    WRONG_ROLE,
    json_content,
    path_id,
    ref,
    refusal,
)

TEXT = {"type": "string"}
SCHEMAS = {
    "Election": {
        "type": "object",
        "required": ["id", "name", "campaign_start", "campaign_end", "quiet_start", "quiet_end",
                     "polling_on", "url", "contestants"],
        "properties": {
            "id": {"type": "integer"}, "name": TEXT,
            "campaign_start": DAY, "campaign_end": DAY, "quiet_start": DAY,
            "quiet_end": DAY, "polling_on": DAY,
            "url": {"type": "string", "format": "uri", "description": "The public page"},
            "contestants": {"type": "array", "description": "By nomor urut; no LO contact",
                            "items": {"type": "object", "required": ["number", "name",
                                                                     "liaison"],
                                      "properties": {"number": {"type": "integer"},
                                                     "name": TEXT, "liaison": NULLABLE_TEXT}}},
        },
    },
    "ElectionInput": {
        "type": "object",
        "required": ["name", "campaign_start", "campaign_end", "quiet_start", "quiet_end",
                     "polling_on"],
        "properties": {"name": {"type": "string", "maxLength": max_length(Election.name)},
                       "campaign_start": DAY,
                       "campaign_end": DAY, "quiet_start": DAY, "quiet_end": DAY,
                       "polling_on": DAY},
    },
    "ContestantInput": {
        "type": "object",
        "required": ["number", "name"],
        "properties": {"number": {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                                  "description": "Nomor urut (at most 999)"},
                       "name": {"type": "string", "maxLength": max_length(Contestant.name)},
                       "liaison": {**NULLABLE_TEXT, "maxLength": max_length(Contestant.liaison)},
                       "liaison_contact": {**NULLABLE_TEXT,
                                           "maxLength": max_length(Contestant.liaison_contact),
                                           "description": "Never in public answers"}},
    },
    "Contestant": {
        "type": "object",
        "required": ["id", "election", "number", "name", "liaison", "liaison_contact"],
        "properties": {"id": {"type": "integer"}, "election": {"type": "integer"},
                       "number": {"type": "integer"}, "name": TEXT, "liaison": NULLABLE_TEXT,
                       "liaison_contact": NULLABLE_TEXT},
    },
    "CampaignLocationInput": {
        "type": "object",
        "required": ["designated"],
        "properties": {
            "designated": {"type": "boolean", "description": "false withdraws the designation"},
            "basis": {"type": "string", "maxLength": max_length(CampaignLocation.basis),
                      "description": "The Wali Kota's decision; required to designate"},
            "basis_number": {**NULLABLE_TEXT,
                             "maxLength": max_length(CampaignLocation.basis_number)},
            "basis_date": NULLABLE_DAY,
            "tier": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID,
                     "description": "Visibility tier from 1 (most visible) to 9; stratifies "
                                    "the draw"},
        },
    },
    "CampaignLocation": {
        "type": "object", "required": ["site", "designated"],
        "properties": {"site": TEXT, "designated": {"type": "boolean"}, "basis": TEXT,
                       "basis_number": NULLABLE_TEXT,
                       "basis_date": NULLABLE_DAY,
                       "tier": {"type": ["integer", "null"]}},
    },
    "DrawInput": {
        "type": "object",
        "required": ["seed", "witnesses"],
        "properties": {"seed": {"type": "string", "minLength": 1,
                                "maxLength": max_length(Draw.seed),
                                "description": "Made at the meeting, e.g. one number per LO "
                                               "joined in nomor urut order"},
                       "witnesses": {"type": "array", "minItems": 1, "items": {
                           "type": "string", "maxLength": max_length(User.name)}}},
    },
    "Draw": {
        "type": "object",
        "required": ["id", "seed", "items_sha256", "witnesses", "drawn_at", "allocation"],
        "properties": {
            "id": {"type": "integer"}, "seed": TEXT,
            "items_sha256": {"type": "string", "description": "SHA-256 of the items' lines"},
            "witnesses": {"type": "array", "items": TEXT},
            "drawn_at": {"type": "string", "format": "date-time"},
            "allocation": {"type": "array", "items": {
                "type": "object", "required": ["booking", "site", "face", "contestant"],
                "properties": {"booking": {"type": "integer"}, "site": TEXT, "face": TEXT,
                               "contestant": {"type": ["integer", "null"], "description": (
                                   "Nomor urut; null: kept for KPU's voter education")}}}},
        },
    },
}


def _admin_write(operation: str, summary: str, body: str, answer: str, extra: dict, *,
                 status: str = "201") -> dict:
    return {
        "operationId": operation, "summary": summary, "tags": ["campaign"],
        "security": [{"bearer": []}],
        "requestBody": {"required": True, **json_content(ref(body))},
        "responses": {status: {"description": "Saved", **json_content(ref(answer))},
                      "400": UNREADABLE, "401": NO_TOKEN, "403": WRONG_ROLE, **extra},
    }


PATHS = {
    "/api/v1/elections": {
        "get": {"operationId": "listElections",
                "summary": "Every election with its periods and contestants",
                "tags": ["public", "campaign"], "security": [],
                "responses": {"200": {"description": "The elections", **json_content({
                    "type": "object", "required": ["elections"],
                    "properties": {"elections": {"type": "array",
                                                 "items": ref("Election")}}})}}},
        "post": _admin_write("createElection", "Add an election (administrators)",
                            "ElectionInput", "Election",
                            {"422": refusal("Dates out of order or a name already used")}),
    },
    "/api/v1/elections/{election_id}/contestants": {"post": {
        **_admin_write("addContestant", "Add a contestant to an election (administrators)",
                      "ContestantInput", "Contestant",
                      {"404": refusal("No such election"),
                       "422": refusal("The number is taken or above 999, or the name is "
                                       "blank")}),
        "parameters": [path_id("election_id")],
    }},
    "/api/v1/sites/{code}/campaign-location": {"put": {
        **_admin_write("setCampaignLocation",
                      "Designate a site (every face) for campaign props, or withdraw it",
                      "CampaignLocationInput", "CampaignLocation",
                      {"404": refusal("No such site"),
                       "422": refusal("No basis, a tier out of range, or withdrawing a site "
                                       "that is not designated")}, status="200"),
        "parameters": [SITE_CODE],
    }},
    "/api/v1/requests/{request_id}/draw": {"post": {
        "operationId": "runDraw",
        "summary": "Run the witnessed draw of the caller's facilitated campaign request",
        "description": ("Each contestant gets ⌊faces / contestants⌋ approved faces, stratified "
                        "by tier; the rest stays KPU's. The same seed on the same items gives "
                        "the same allocation (algorithm in the README)."),
        "tags": ["campaign"], "security": [{"bearer": []}],
        "parameters": [path_id("request_id")],
        "requestBody": {"required": True, **json_content(ref("DrawInput"))},
        "responses": {
            "200": {"description": "The draw", **json_content(ref("Draw"))},
            "400": UNREADABLE, "401": NO_TOKEN, "403": WRONG_ROLE,
            "404": refusal("No such request, or another organisation's"),
            "409": refusal("Drawn already (annul first), items still pending, nothing "
                            "approved, or fewer faces than contestants"),
            "422": refusal("Seed not 1–200 characters or no witness"),
        },
    }},
}
