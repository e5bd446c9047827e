"""The OpenAPI description of an agency's requests and Bakeuda's decisions (routes in
``billboard.api.requests``), merged by ``build_spec``."""
from ... import booking, paging, text
from ...models import Booking, BookingKind, BookingStatus, Face, FileKind, Request, Site, max_length
from ...routing import MAX_ID
from ..requests import MAX_RIVALS_LISTED
from . import (
    DAY,
    NO_TOKEN,
    NULLABLE_DAY,
    NULLABLE_TEXT,
    UNREADABLE,
    WRONG_ROLE,
    enum_of,
    error_response,
    json_content,
    path_id,
    ref,
    refusal,
)

# What a person typed (text.py): one line (a number, a code) or several (a purpose, a reason).
LINE = {"type": "string", "maxLength": max_length(Request.letter_number),
        "pattern": text.schema_pattern(), "description": "One line, no control characters"}
TEXT = {"type": "string", "pattern": text.schema_pattern(multiline=True)}
PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": paging.MAX_PAGE, "default": 1}},
    {"name": "per_page", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": paging.MAX_PER_PAGE,
                "default": paging.DEFAULT_PER_PAGE}},
]
PAGE_HEADERS = {
    "X-Total-Count": {"description": "How many there are in all pages",
                      "schema": {"type": "integer", "minimum": 0}},
    "Link": {"description": 'RFC 8288 links to the first, prev, next and last pages '
                            '(rel="next" is missing on the last page)',
             "schema": {"type": "string"}},
}
# A decision's numbers: the letter's always, the agreement's null for internal use.
NUMBERS = {
    "agreement_number": {**LINE, "type": ["string", "null"]},
    "agreement_date": NULLABLE_DAY,
    "approval_letter_number": LINE,
    "approval_letter_date": DAY,
}
BAD_PAGE = refusal("page or per_page is not a whole number in its range")

SCHEMAS = {
    "ItemInput": {
        "type": "object",
        "required": ["site", "face", "start", "end"],
        "properties": {"site": {**LINE, "maxLength": max_length(Site.code),
                                "examples": ["PGK-01"]},
                       "face": {**LINE, "maxLength": max_length(Face.label), "examples": ["A"]},
                       "start": DAY, "end": {**DAY, "description": "Inclusive"}},
    },
    "RequestInput": {
        "type": "object",
        "required": ["purpose", "category", "letter_number", "letter_date", "items"],
        "properties": {
            "purpose": {**TEXT, "maxLength": max_length(Request.purpose)},
            "category": enum_of(booking.REQUEST_CATEGORIES, description=(
                "facilitated_campaign only on designated APK locations inside the named "
                "election's campaign period; commercial use is not requested here")),
            "letter_number": LINE,
            "letter_date": {**DAY, "description": "Date of the official letter, not in the "
                                                   "future"},
            "election": {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                         "description": "The election (id from GET "
                         "/api/v1/elections) a facilitated_campaign request is for; required "
                         "for that category and only for it"},
            "items": {"type": "array", "minItems": 1, "maxItems": booking.MAX_ITEMS_PER_REQUEST,
                      "items": ref("ItemInput")},
        },
    },
    "ApprovalInput": {
        "type": "object",
        "description": "The agreement's number and date are required for pinjam pakai and "
                       "null for a city office's internal use (422 otherwise). Numbers are "
                       "unique in the register.",
        "required": list(NUMBERS),
        "properties": NUMBERS,
    },
    "DecisionInput": {
        "type": "object",
        "description": "approve and reject are each optional, not both empty; the numbers "
                       "and dates are required when approve is not empty (the agreement's "
                       "null for a city office's internal use). Items left out stay pending.",
        "properties": {
            "approve": {"type": "array", "maxItems": booking.MAX_ITEMS_PER_REQUEST,
                        "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID}},
            "reject": {"type": "array", "maxItems": booking.MAX_ITEMS_PER_REQUEST,
                       "items": {"type": "object", "required": ["id", "reason"],
                                 "properties": {
                                     "id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                                     "reason": {**TEXT,
                                                "maxLength": max_length(Booking.reason)}}}},
            "agreement_number": NUMBERS["agreement_number"],
            "agreement_date": NULLABLE_DAY,
            "approval_letter_number": {**LINE, "type": ["string", "null"]},
            "approval_letter_date": NULLABLE_DAY,
        },
        "anyOf": [
            {"required": ["approve", *NUMBERS], "properties": {"approve": {"minItems": 1},
                                                               **NUMBERS}},
            {"required": ["reject"],
             "properties": {"approve": {"maxItems": 0}, "reject": {"minItems": 1}}},
        ],
    },
    "ReasonInput": {
        "type": "object",
        "required": ["reason"],
        "properties": {"reason": {**TEXT, "maxLength": max_length(Booking.reason)}},
    },
    "FileVersion": {
        "type": "object",
        "description": "One kept version of a request's file; never overwritten or deleted",
        "required": ["id", "kind", "sha256", "filename", "booking", "uploaded_at", "url"],
        "properties": {
            "id": {"type": "integer"},
            "kind": enum_of(FileKind),
            "sha256": {"type": ["string", "null"],
                       "description": "null only for a file named before versions existed "
                                      "whose content was already gone"},
            "filename": {"type": ["string", "null"],
                         "description": "The name it had on the sender's computer"},
            "booking": {"type": ["integer", "null"],
                        "description": "The item a signed BAST belongs to"},
            "uploaded_at": {"type": "string", "format": "date-time"},
            "url": {"type": "string", "description": "Where to download it (web session)"},
        },
    },
    "Item": {
        "type": "object",
        "required": ["id", "site", "face", "start", "end", "status", "kind", "agreement_number",
                     "approval_letter_number", "approval_letter_date", "reason", "decided_at"],
        "properties": {
            "id": {"type": "integer"},
            "site": {"type": "string"},
            "face": {"type": "string"},
            "start": DAY,
            "end": {**DAY, "description": "Inclusive"},
            "status": enum_of(BookingStatus),
            "kind": enum_of(BookingKind),
            "agreement_number": NULLABLE_TEXT,
            "approval_letter_number": NULLABLE_TEXT,
            "approval_letter_date": NULLABLE_DAY,
            "reason": {**NULLABLE_TEXT, "description": "Why it was rejected or cancelled"},
            "decided_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "Conflicts": {
        "type": "object",
        "description": "What overlaps a submitted item (empty for the others): approved use of "
                       "the face, named, and how many other requests wait for it, never whose",
        "required": ["approved", "pending_elsewhere"],
        "properties": {
            "approved": {"type": "array", "items": {
                "type": "object", "required": ["start", "end", "kind"],
                "properties": {
                    "start": DAY, "end": {**DAY, "description": "Inclusive"},
                    "kind": enum_of(BookingKind),
                    "organization": {**NULLABLE_TEXT,
                                     "description": "Who holds it; null for maintenance"},
                    "purpose": NULLABLE_TEXT}}},
            "pending_elsewhere": {"type": "integer", "minimum": 0, "description": (
                "How many other requests wait for a decision on this face for dates "
                "overlapping the item's")},
        },
    },
    "Request": {
        "type": "object",
        "required": ["id", "reference", "status", "organization", "purpose", "category",
                     "letter_number", "letter_date", "created_at", "items"],
        "properties": {
            "id": {"type": "integer"},
            "reference": {"type": "string", "examples": ["PJ-2026-0007"]},
            "status": {"type": "string", "description": "Derived from the items",
                       "enum": [*enum_of(BookingStatus)["enum"], "partly_decided",
                                "partly_approved", "closed"]},
            "organization": {"type": "string"},
            "purpose": {"type": "string"},
            "category": {"type": "string"},
            "letter_number": {"type": "string"},
            "letter_date": DAY,
            "created_at": {"type": "string", "format": "date-time"},
            "items": {"type": "array", "items": {"allOf": [ref("Item"), {
                "required": ["conflicts"],
                "properties": {"conflicts": ref("Conflicts")},
            }]}},
        },
    },
    "QueueItem": {
        "allOf": [ref("Item"), {
            "type": "object",
            "required": ["request", "needs_legal_review", "legal_basis", "clashes", "pending",
                         "pending_count", "freed_on"],
            "properties": {
                "request": {
                    "type": "object",
                    "required": ["id", "reference", "organization", "purpose", "category",
                                 "letter_number", "letter_date", "created_at"],
                    "properties": {
                        "id": {"type": "integer"}, "reference": {"type": "string"},
                        "organization": {"type": "string"}, "purpose": {"type": "string"},
                        "category": {"type": "string"}, "letter_number": {"type": "string"},
                        "letter_date": DAY,
                        "created_at": {"type": "string", "format": "date-time"},
                    },
                },
                "needs_legal_review": {"type": "boolean", "description": (
                    "Campaign props on government facilities: check the law before approving")},
                "legal_basis": {"type": ["object", "null"], "description": (
                    "For campaign props: the Wali Kota's decision designating the site"),
                    "properties": {"basis": {"type": "string"},
                                   "basis_number": NULLABLE_TEXT,
                                   "basis_date": NULLABLE_DAY}},
                "clashes": {"type": "array", "description": "Approved occupancy in the way",
                            "items": {"allOf": [ref("Busy"), {
                                "required": ["id"], "properties": {"id": {"type": "integer"}}}]}},
                "freed_on": {**NULLABLE_DAY, "description": (
                    "Waitlist: the day approved use overlapping this item was last withdrawn "
                    "or cancelled after the item was submitted (the face may be free now)")},
                "pending_count": {"type": "integer", "minimum": 0,
                                  "description": "How many other submitted items overlap"},
                "pending": {"type": "array", "maxItems": MAX_RIVALS_LISTED,
                            "description": "The first of the other submitted items overlapping",
                            "items": {"type": "object",
                                      "required": ["id", "start", "end", "reference",
                                                   "organization"],
                                      "properties": {"id": {"type": "integer"}, "start": DAY,
                                                     "end": DAY,
                                                     "reference": {"type": "string"},
                                                     "organization": {"type": "string"}}}},
            },
        }],
    },
}


def _decision(action: str, summary: str, body: str, extra: dict) -> dict:
    return {"post": {
        "operationId": f"{action}Booking",
        "summary": summary,
        "tags": ["review"],
        "security": [{"bearer": []}],
        "parameters": [path_id("booking_id")],
        "requestBody": {"required": True, **json_content(ref(body))},
        "responses": {
            "200": {"description": "The item after the decision", **json_content(ref("Item"))},
            "400": UNREADABLE,
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
            "404": refusal("No such item"),
            "422": refusal("A required text is blank"),
            **extra,
        },
    }}


PATHS = {
    "/api/v1/requests": {
        "post": {
            "operationId": "createRequest",
            "summary": "Submit a request (pinjam pakai) for the caller's organisation",
            "description": ("Agency tokens only. Every item is checked against the booking "
                            "rules; any problem refuses the whole request and nothing is "
                            "written. The letter and artwork are attached through the web form."),
            "tags": ["requests"],
            "security": [{"bearer": []}],
            "requestBody": {"required": True, **json_content(ref("RequestInput"))},
            "responses": {
                "201": {"description": "Created; Location is the request's URL",
                        **json_content(ref("Request"))},
                "400": UNREADABLE,
                "401": NO_TOKEN,
                "403": WRONG_ROLE,
                "422": refusal(
                    "Refused by the booking rules (dates reversed, in the past, inside the lead "
                    "time, too long or beyond the horizon; unknown site or face; a blackout; a "
                    "face already taken; a category or organisation not allowed); every "
                    "problem is listed"),
            },
        },
        "get": {
            "operationId": "listRequests",
            "summary": "The caller's organisation's requests, newest first, a page at a time",
            "tags": ["requests"],
            "security": [{"bearer": []}],
            "parameters": PAGE_PARAMETERS,
            "responses": {
                "200": {"description": "One page of the requests", "headers": PAGE_HEADERS,
                        **json_content({"type": "object", "required": ["requests"],
                                 "properties": {"requests": {
                                     "type": "array", "items": ref("Request")}}})},
                "400": BAD_PAGE,
                "401": NO_TOKEN,
                "403": WRONG_ROLE,
            },
        },
    },
    "/api/v1/requests/{request_id}": {"get": {
        "operationId": "getRequest",
        "summary": "One request with its items",
        "description": "Agencies see their own organisation's only; reviewers see every one.",
        "tags": ["requests"],
        "security": [{"bearer": []}],
        "parameters": [path_id("request_id")],
        "responses": {
            "200": {"description": "The request", **json_content(ref("Request"))},
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
            "404": refusal("No such request, or another organisation's"),
        },
    }},
    "/api/v1/requests/{request_id}/withdraw": {"post": {
        "operationId": "withdrawRequest",
        "summary": "Withdraw every item still submitted or approved that has not started",
        "tags": ["requests"],
        "security": [{"bearer": []}],
        "parameters": [path_id("request_id")],
        "responses": {
            "200": {"description": "The request after withdrawal", **json_content(ref("Request"))},
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
            "404": refusal("No such request, or another organisation's"),
            "409": refusal("Nothing left to withdraw"),
        },
    }},
    "/api/v1/requests/{request_id}/files": {"post": {
        "operationId": "attachRequestFiles",
        "summary": "Attach the letter and/or the artwork of a request still waiting",
        "description": ("Agency tokens only; multipart/form-data. Each file is checked by its "
                        "content (the letter a PDF; the artwork JPEG, PNG or PDF) and kept as "
                        "a new version with its SHA-256; earlier versions stay. Once any item "
                        "is approved the files are frozen (409): send a new request."),
        "tags": ["requests"],
        "security": [{"bearer": []}],
        "parameters": [path_id("request_id")],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "properties": {"letter": {"type": "string", "format": "binary",
                                      "contentMediaType": "application/pdf"},
                           "artwork": {"type": "string", "format": "binary",
                                       "contentMediaType": "application/octet-stream"}},
            "additionalProperties": False,
        }}}},
        "responses": {
            "200": {"description": "Every kept file of the request, oldest first",
                    **json_content({"type": "object", "required": ["files"], "properties": {
                        "files": {"type": "array", "items": ref("FileVersion")}}})},
            "400": UNREADABLE,
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
            "404": refusal("No such request, or another organisation's"),
            "409": refusal("An item is approved (the files are frozen), or no item waits "
                            "for a decision"),
            "413": error_response("The body is larger than the upload limit"),
            "422": refusal("Neither a letter nor an artwork was sent, or a file is empty, "
                            "too large, or not of an accepted type (judged by its content)"),
        },
    }},
    "/api/v1/bookings/{booking_id}/withdraw": {"post": {
        "operationId": "withdrawBooking",
        "summary": "Withdraw one item, still submitted or approved, before its start day",
        "description": "No body. The request's other items stay as they are.",
        "tags": ["requests"],
        "security": [{"bearer": []}],
        "parameters": [path_id("booking_id")],
        "responses": {
            "200": {"description": "The item after withdrawal", **json_content(ref("Item"))},
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
            "404": refusal("No such item, or another organisation's"),
            "409": refusal("The item has started, or is already decided otherwise "
                            "(rejected, withdrawn, cancelled)"),
        },
    }},
    "/api/v1/review/queue": {"get": {
        "operationId": "reviewQueue",
        "summary": "Submitted items, oldest request first, with what overlaps them, a page at "
                   "a time",
        "tags": ["review"],
        "security": [{"bearer": []}],
        "parameters": PAGE_PARAMETERS,
        "responses": {
            "200": {"description": "One page of the queue", "headers": PAGE_HEADERS,
                    **json_content({
                "type": "object", "required": ["items"],
                "properties": {"items": {"type": "array", "items": ref("QueueItem")}}})},
            "400": BAD_PAGE,
            "401": NO_TOKEN,
            "403": WRONG_ROLE,
        },
    }},
    "/api/v1/requests/{request_id}/decision": {"post": {
        "operationId": "decideRequest",
        "summary": "Decide a request as a whole: approve some items, reject others",
        "description": ("Reviewer tokens only. All or nothing: on any refusal nothing is "
                        "written."),
        "tags": ["review"],
        "security": [{"bearer": []}],
        "parameters": [path_id("request_id")],
        "requestBody": {"required": True, **json_content(ref("DecisionInput"))},
        "responses": {
            "200": {"description": "The request after the decision",
                    **json_content(ref("Request"))},
            "400": UNREADABLE,
            "401": NO_TOKEN,
            "403": refusal("Not a reviewer's token, or the reviewer's own organisation's "
                           "request"),
            "404": refusal("No such request"),
            "409": refusal("code clash: an approved item's face is taken, or a number is "
                           "already in the register; code wrong_state: an id is not a "
                           "pending item of this request, or its period has ended"),
            "422": refusal("A decision the rules refuse (a reason left blank, a missing "
                           "agreement for pinjam pakai, an agreement for internal use)"),
        },
    }},
    "/api/v1/bookings/{booking_id}/approve": _decision(
        "approve", "Approve a submitted item (a decision of one item)", "ApprovalInput",
        {"409": refusal("code clash: the face is taken for part of the period (another "
                         "approval may have just won), or a number is already in the "
                         "register; code wrong_state: the item is not submitted or its period "
                         "has ended, or a blackout or the site's status now forbids it")}),
    "/api/v1/bookings/{booking_id}/reject": _decision(
        "reject", "Reject a submitted item with a reason", "ReasonInput",
        {"409": refusal("The item is not submitted")}),
    "/api/v1/bookings/{booking_id}/cancel": _decision(
        "cancel", "Cancel a submitted or approved item, a rental or a maintenance block; "
        "an approved use that has started ends today instead (its days used stay)",
        "ReasonInput", {"409": refusal("The item is already closed, or its use is over")}),
}
