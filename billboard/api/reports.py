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
from . import bp

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
