"""The OpenAPI description of the routes in ``billboard.api.reports``, merged by
``build_spec``."""
from ... import finance
from ..reports import FORMATS, XLSX
from . import DATE, NO_TOKEN, WRONG_ROLE, ref, refusal

_DAYS = {"type": "integer", "minimum": 0}
_RUPIAH = {"type": "integer", "minimum": 0, "description": "Whole Rupiah, prorated to the days "
           "inside the period (value × days inside / days of the use, half up, per use)"}
_FIGURES = {"days": {**_DAYS, "description": "Days in the period"},
            "non_commercial_days": {**_DAYS, "description": "Approved pinjam pakai and internal "
                                                            "use"},
            "commercial_days": _DAYS, "maintenance_days": _DAYS,
            "free_days": {**_DAYS, "description": "The four kinds of days add up to days"},
            "foregone_idr": _RUPIAH, "fee_idr": _RUPIAH}

SCHEMAS = {
    "UsageFace": {"type": "object", "required": list(finance.FACE_KEYS),
                  "properties": {"site": {"type": "string"}, "face": {"type": "string"},
                                 **_FIGURES}},
    "UsageOrganization": {"type": "object", "required": list(finance.ORGANIZATION_KEYS),
                          "properties": {"organization": {"type": "string"},
                                         "items": _DAYS, "days": _DAYS,
                                         "foregone_idr": _RUPIAH}},
    "UsageReport": {
        "type": "object", "required": ["start", "end", "faces", "organizations", "totals"],
        "properties": {
            "start": DATE, "end": DATE,
            "faces": {"type": "array", "items": ref("UsageFace")},
            "organizations": {"type": "array", "items": ref("UsageOrganization")},
            "totals": {"type": "object", "required": list(_FIGURES), "properties": _FIGURES,
                       "description": "The sums of the faces' rows"},
        },
    },
}

PATHS = {"/api/v1/reports/usage": {"get": {
    "operationId": "usageReport",
    "summary": "Occupancy, value foregone and rental fees of every face in a period",
    "tags": ["review"],
    "security": [{"bearer": []}],
    "parameters": [
        {"name": "start", "in": "query", "required": True, "schema": DATE},
        {"name": "end", "in": "query", "required": True,
         "schema": {**DATE, "description": "Inclusive"}},
        {"name": "format", "in": "query", "required": False,
         "schema": {"type": "string", "enum": list(FORMATS), "default": "json"},
         "description": "csv: UTF-8, the faces table with the keys as its header row; xlsx: "
                        "the faces table on the first sheet, the organisations on the second"},
    ],
    "responses": {
        "200": {"description": "The report",
                "content": {"application/json": {"schema": ref("UsageReport")},
                            "text/csv": {"schema": {"type": "string"}},
                            XLSX: {"schema": {"type": "string", "format": "binary"}}}},
        "400": refusal("A date missing or not YYYY-MM-DD, or an unknown format"),
        "401": NO_TOKEN,
        "403": WRONG_ROLE,
        "422": refusal("The end is before the start, or the period is longer than "
                        f"{finance.reports.MAX_REPORT_DAYS} days"),
    },
}}}

