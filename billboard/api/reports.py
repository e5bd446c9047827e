"""The usage report through the API (DESIGN §5): JSON, or the faces table as CSV or XLSX."""
from __future__ import annotations

from flask import Response, jsonify, request
from flask_babel import gettext as _

from .. import clock, finance
from ..auth.permissions import BAKEUDA_ROLES
from ..auth.tokens import token_required
from ..errors import UnreadableBody
from ..finance.exports import Table, csv_bytes, xlsx_bytes
from ..json_body import parse_iso_date
from . import bp, openapi
from .openapi import NO_TOKEN, WRONG_ROLE, refusal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("json", "csv", "xlsx")


def _period():
    problems, days = [], []
    for name in ("start", "end"):
        day = parse_iso_date(request.args.get(name))
        if day is None:
            problems.append(_("%(field)s must be an existing date written YYYY-MM-DD.",
                              field=name))
        days.append(day)
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        problems.append(_("format must be json, csv or xlsx."))
    if problems:
        raise UnreadableBody(problems)
    return days[0], days[1], fmt


@bp.get("/reports/usage")
@token_required(*BAKEUDA_ROLES)
def usage_report():
    """Occupancy, foregone value and fees of every face over an inclusive period."""
    start, end, fmt = _period()
    report = finance.usage_report(start, end, clock.today_wib())
    if fmt == "json":
        return jsonify(report.as_json())
    faces = Table("faces", finance.FACE_KEYS,
                  [[row.as_dict()[key] for key in finance.FACE_KEYS] for row in report.faces])
    name = f"usage-{start.isoformat()}-{end.isoformat()}"
    if fmt == "csv":
        body, mimetype = csv_bytes(faces), "text/csv; charset=utf-8"
    else:
        organizations = Table("organizations", finance.ORGANIZATION_KEYS, [
            [row.as_dict()[key] for key in finance.ORGANIZATION_KEYS]
            for row in report.organizations])
        body, mimetype = xlsx_bytes([faces, organizations]), XLSX
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


# --- OpenAPI (merged by openapi.build_spec) -----------------------------------------------------

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
            "start": openapi.DATE, "end": openapi.DATE,
            "faces": {"type": "array", "items": openapi.ref("UsageFace")},
            "organizations": {"type": "array", "items": openapi.ref("UsageOrganization")},
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
        {"name": "start", "in": "query", "required": True, "schema": openapi.DATE},
        {"name": "end", "in": "query", "required": True,
         "schema": {**openapi.DATE, "description": "Inclusive"}},
        {"name": "format", "in": "query", "required": False,
         "schema": {"type": "string", "enum": list(FORMATS), "default": "json"},
         "description": "csv: UTF-8, the faces table with the keys as its header row; xlsx: "
                        "the faces table on the first sheet, the organisations on the second"},
    ],
    "responses": {
        "200": {"description": "The report",
                "content": {"application/json": {"schema": openapi.ref("UsageReport")},
                            "text/csv": {"schema": {"type": "string"}},
                            XLSX: {"schema": {"type": "string", "format": "binary"}}}},
        "400": refusal("A date missing or not YYYY-MM-DD, or an unknown format"),
        "401": NO_TOKEN,
        "403": WRONG_ROLE,
        "422": refusal("The end is before the start, or the period is longer than "
                        f"{finance.reports.MAX_REPORT_DAYS} days"),
    },
}}}

