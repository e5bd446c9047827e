"""Reports for a chosen period (DESIGN §3): occupancy per face and site, use by organisation
with the value foregone, rental fees billed and paid — as tables, a chart, CSV and XLSX."""
from datetime import date, timedelta

from flask import Response, render_template, request
from flask_babel import gettext as _

from .. import clock, finance
from ..auth.permissions import BAKEUDA_ROLES, role_required
from ..finance.exports import Table, csv_bytes, xlsx_bytes
from ..i18n import long_date
from . import bp
from .desk_forms import PeriodForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _this_month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _period_form() -> PeriodForm:
    """The period asked for, the current month when none is."""
    if "start" in request.args or "end" in request.args:
        return PeriodForm(request.args)
    start, end = _this_month(clock.today_wib())
    return PeriodForm(start=start, end=end)


def _report(form: PeriodForm) -> finance.UsageReport | None:
    if not form.validate():
        return None
    try:
        return finance.usage_report(form.start.data, form.end.data, clock.today_wib())
    except finance.ReportError as refused:
        form.form_errors.append(refused.message)
        return None


def _chart(report: finance.UsageReport) -> dict:
    """What the chart draws: days by kind per face (the page's table holds the same)."""
    return {
        "labels": [f"{row.site}/{row.face}" for row in report.faces],
        "series": [
            {"key": "non_commercial", "label": _("Pinjam pakai and internal use"),
             "data": [row.non_commercial_days for row in report.faces]},
            {"key": "commercial", "label": _("Commercial rental"),
             "data": [row.commercial_days for row in report.faces]},
            {"key": "maintenance", "label": _("Maintenance"),
             "data": [row.maintenance_days for row in report.faces]},
            {"key": "free", "label": _("Free"), "data": [row.free_days for row in report.faces]},
        ],
        "axis": _("Days"),
        "days": report.days,
    }


@bp.get("/reports")
@role_required(*BAKEUDA_ROLES)
def reports():
    form = _period_form()
    report = _report(form)
    downloads = {} if report is None else {
        "start": report.start.isoformat(), "end": report.end.isoformat()}
    return render_template("review/reports.html", form=form, report=report,
                           chart=_chart(report) if report else None, downloads=downloads), \
        200 if report else 422


# --- Downloads (Indonesian column titles allowed, DESIGN §5; the figures of the page) --------

def _face_table(title: str, rows: list[finance.reports.FaceRow],
                total: finance.reports.FaceRow, per_face: bool) -> Table:
    def cells(row, names):
        return [*names, row.days, row.non_commercial_days, row.commercial_days,
                row.maintenance_days, row.free_days, round(100 * row.share_used, 1),
                row.foregone_idr, row.fee_idr]

    header = [_("Site"), *([_("Face")] if per_face else []), _("Days"), _("Pinjam pakai days"),
              _("Rental days"), _("Maintenance days"), _("Free days"), _("Share used (%)"),
              _("Value foregone (Rp)"), _("Rental fees (Rp)")]
    names = (lambda row: [row.site, row.face]) if per_face else (lambda row: [row.site])
    blank = [_("Total"), *([""] if per_face else [])]
    return Table(title, header, [*(cells(row, names(row)) for row in rows), cells(total, blank)])


def _tables(report: finance.UsageReport) -> dict[str, Table]:
    """The page's tables for download, each closed by its total row."""
    total, totals = _("Total"), report.totals
    organizations = Table(_("Organisations"), [
        _("Organisation"), _("Internal use"), _("Items"), _("Days"), _("Value foregone (Rp)")], [
        *([row.organization, _("yes") if row.internal else _("no"), row.items, row.days,
           row.foregone_idr] for row in report.organizations),
        [total, "", sum(r.items for r in report.organizations),
         sum(r.days for r in report.organizations), totals.foregone_idr]])
    rentals = Table(_("Rentals"), [
        _("Site"), _("Face"), _("Tenant"), _("From"), _("Until"), _("Days in the period"),
        _("Fee (Rp)"), _("Fee for the period (Rp)"), _("Paid (Rp)"),
        _("Paid in the period (Rp)"), _("Started unpaid")], [
        *([row.site, row.face, row.tenant, long_date(row.start), long_date(row.end), row.days,
           row.fee_idr, row.billed_idr, row.paid_idr, row.paid_in_period_idr,
           _("yes") if row.started_unpaid else _("no")] for row in report.rentals),
        [total, "", "", "", "", sum(r.days for r in report.rentals),
         sum(r.fee_idr for r in report.rentals), totals.fee_idr,
         sum(r.paid_idr for r in report.rentals),
         sum(r.paid_in_period_idr for r in report.rentals), ""]])
    return {"faces": _face_table(_("Faces"), report.faces, totals, per_face=True),
            "sites": _face_table(_("Sites"), report.sites, totals, per_face=False),
            "organizations": organizations, "rentals": rentals}


def _download(body: bytes, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/reports/usage.<any(csv, xlsx):extension>")
@role_required(*BAKEUDA_ROLES)
def report_download(extension: str):
    form = _period_form()
    report = _report(form)
    if report is None:
        return render_template("review/reports.html", form=form, report=None, chart=None,
                               downloads={}), 422
    tables = _tables(report)
    name = f"laporan-{report.start.isoformat()}-{report.end.isoformat()}"
    if extension == "xlsx":
        return _download(xlsx_bytes(list(tables.values())), XLSX, f"{name}.xlsx")
    which = request.args.get("table", "faces")
    table = tables.get(which, tables["faces"])
    return _download(csv_bytes(table), "text/csv; charset=utf-8",
                     f"{name}-{which if which in tables else 'faces'}.csv")
