"""Reports of a period (DESIGN §3, §5), with figures worked by hand: a period cutting uses in
two, rentals, maintenance and pinjam pakai on one face, totals that are the sums of their rows,
and the JSON, the CSV and the XLSX agreeing to the Rupiah."""
import csv
import io
from datetime import date

import openpyxl
import pytest
from support import TODAY, approval, day, face

from billboard import booking, finance
from billboard.auth.tokens import issue_token
from billboard.booking import ItemInput
from billboard.extensions import db
from billboard.models import BookingKind

# The period: 30 days, from day 30 to day 59.
START, END = day(30), day(59)
HOSTILE = '=HYPERLINK("http://contoh.invalid","klik")'



def lend(user, reviewer, code, start, end, number):
    request = booking.submit_request(
        user, purpose="Sosialisasi", category="voter_education", letter_number=number,
        letter_date=TODAY, items=[ItemInput(code, "A", start, end)])
    db.session.commit()
    numbers = approval()
    if booking.is_internal_use(request):
        numbers.update(agreement_number=None, agreement_date=None)
    item = booking.approve(request.bookings[0].id, reviewer, **numbers)
    db.session.commit()
    return item


@pytest.fixture
def uses(app, make_user, reviewer):
    """On PGK-03/A (4.000.000 a month): pinjam pakai by KPU from day 20 to 39 (20 days, of
    which 10 inside the period), maintenance from day 50 to 52 (3 days), a rental from day 55
    to 64 (10 days, 5 inside). On PGK-04/A (6.000.000 a month): Bakeuda's own use on days 30
    and 31, and a borrower whose name looks like a formula on days 58 to 61 (2 inside)."""
    kpu = make_user("staf@kpu.example", org="KPU Kota Pangkalpinang")
    own = make_user("staf@bakeuda.example", org="Bakeuda Kota Pangkalpinang",
                    org_kind="bakeuda", role="agency")
    hostile = make_user("staf@lain.example", org="@SUM(1+1)")
    lent = lend(kpu, reviewer, "PGK-03", day(20), day(39), "PKS-1")
    booking.add_occupancy(reviewer, face("PGK-03"), day(50), day(52),
                          kind=BookingKind.MAINTENANCE, reason="Ganti lampu")
    rental = booking.add_occupancy(reviewer, face("PGK-03"), day(55), day(64),
                                   kind=BookingKind.COMMERCIAL, tenant_name=HOSTILE)
    db.session.commit()
    booking.record_payment(rental.id, reviewer, receipt_number="KW-1", paid_on=TODAY,
                           amount_idr=1_000_000)
    db.session.commit()
    lend(own, reviewer, "PGK-04", day(30), day(31), "PKS-2")
    lend(hostile, reviewer, "PGK-04", day(58), day(61), "PKS-3")
    return {"lent": lent, "rental": rental}


def row_of(report, site, label="A"):
    return next(r for r in report.faces if (r.site, r.face) == (site, label))


def test_a_period_cutting_uses_in_two(uses):
    # Stored at approval: 20 days × 4.000.000 / 30 = 2.666.666,67 → 2.666.667; the fee from
    # the tariff: 10 days → 1.333.333,33 → 1.333.333.
    assert (uses["lent"].foregone_idr, uses["rental"].fee_idr) == (2_666_667, 1_333_333)
    report = finance.usage_report(START, END, TODAY)
    pgk03 = row_of(report, "PGK-03")
    assert (pgk03.days, pgk03.non_commercial_days, pgk03.commercial_days,
            pgk03.maintenance_days, pgk03.free_days) == (30, 10, 5, 3, 12)
    # Prorated per use, rounded once: 2.666.667 × 10 / 20 = 1.333.333,5 → 1.333.334 (not the
    # 1.333.333 that 10 days at the tariff would give); 1.333.333 × 5 / 10 → 666.667.
    assert (pgk03.foregone_idr, pgk03.fee_idr) == (1_333_334, 666_667)
    assert round(pgk03.share_used, 4) == round(18 / 30, 4)
    # PGK-04/A: 2 days of Bakeuda's own use (400.000) and 2 of the 4 days lent (800.000 / 2).
    pgk04 = row_of(report, "PGK-04")
    assert (pgk04.non_commercial_days, pgk04.free_days, pgk04.foregone_idr) == \
        (4, 26, 800_000)
    untouched = row_of(report, "PGK-04", "B")
    assert (untouched.free_days, untouched.foregone_idr, untouched.fee_idr) == (30, 0, 0)


def test_every_face_adds_up_and_totals_are_the_sums_of_rows(uses):
    report = finance.usage_report(START, END, TODAY)
    assert len(report.faces) == 16
    for row in report.faces:
        assert row.non_commercial_days + row.commercial_days + row.maintenance_days + \
            row.free_days == row.days == 30
    totals = report.totals
    for key in ("days", "non_commercial_days", "commercial_days", "maintenance_days",
                "free_days", "foregone_idr", "fee_idr"):
        assert getattr(totals, key) == sum(getattr(row, key) for row in report.faces)
        assert getattr(totals, key) == sum(getattr(row, key) for row in report.sites)
    assert totals.foregone_idr == sum(row.foregone_idr for row in report.organizations)
    assert (totals.foregone_idr, totals.fee_idr) == (1_333_334 + 800_000, 666_667)


def test_internal_use_is_shown_apart(uses):
    report = finance.usage_report(START, END, TODAY)
    assert [(r.organization, r.items, r.days, r.foregone_idr) for r in report.internal] == \
        [("Bakeuda Kota Pangkalpinang", 1, 2, 400_000)]
    assert [(r.organization, r.items, r.days, r.foregone_idr) for r in report.lent] == \
        [("@SUM(1+1)", 1, 2, 400_000), ("KPU Kota Pangkalpinang", 1, 10, 1_333_334)]
    [rental] = report.rentals
    assert (rental.days, rental.billed_idr, rental.paid_idr, rental.paid_in_period_idr,
            rental.started_unpaid) == (5, 666_667, 1_000_000, 0, False)


def test_a_reversed_or_endless_period_is_refused(app):
    with pytest.raises(finance.ReportError):
        finance.usage_report(END, START, TODAY)
    with pytest.raises(finance.ReportError):
        finance.usage_report(date(2000, 1, 1), date(2030, 1, 1), TODAY)


# --- The API ------------------------------------------------------------------------------------

@pytest.fixture
def get(client, reviewer):
    _token, raw = issue_token(reviewer, "test", None)
    db.session.commit()
    return lambda query: client.get(f"/api/v1/reports/usage?{query}",
                                    headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.db
def test_json_csv_and_xlsx_agree_to_the_rupiah(uses, get):
    period = f"start={START.isoformat()}&end={END.isoformat()}"
    body = get(period).get_json()
    assert set(body) == {"start", "end", "faces", "organizations", "totals"}
    assert set(body["faces"][0]) == set(finance.FACE_KEYS)
    assert set(body["organizations"][0]) == {"organization", "items", "days", "foregone_idr"}
    assert body["totals"] == {"days": 480, "non_commercial_days": 14, "commercial_days": 5,
                              "maintenance_days": 3, "free_days": 458,
                              "foregone_idr": 2_133_334, "fee_idr": 666_667}

    text = get(period + "&format=csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(finance.FACE_KEYS)
    as_json = [[str(face[key]) for key in finance.FACE_KEYS] for face in body["faces"]]
    assert rows[1:] == as_json

    response = get(period + "&format=xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook.worksheets[0]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == list(finance.FACE_KEYS)
    assert cells[1:] == [[face[key] for key in finance.FACE_KEYS] for face in body["faces"]]
    # The organisations sheet keeps a name that looks like a formula as text.
    names = {row[0].value: row[0].data_type for row in workbook.worksheets[1].iter_rows()}
    assert names["@SUM(1+1)"] == "s"


@pytest.mark.parametrize(("query", "status"), [
    ("start=2026-03-01", 400),
    ("start=2026-03-01&end=2026-02-30", 400),
    ("start=2026-03-01&end=2026-03-31&format=pdf", 400),
    ("start=2026-03-31&end=2026-03-01", 422),
])
def test_api_refuses_a_bad_period(get, query, status):
    response = get(query)
    assert response.status_code == status
    assert response.get_json()["error"]["message"]


def test_agencies_get_no_report(client, kpu):
    _token, raw = issue_token(kpu, "test", None)
    db.session.commit()
    response = client.get("/api/v1/reports/usage?start=2026-03-01&end=2026-03-31",
                          headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 403


# --- The page and its downloads -----------------------------------------------------------------


def test_the_page_shows_the_tables_and_the_chart_served_here(uses, as_reviewer):
    html = as_reviewer.get(f"/review/reports?start={START.isoformat()}"
                           f"&end={END.isoformat()}").get_data(as_text=True)
    assert "Rp 1.333.334" in html and "Rp 666.667" in html and "Rp 2.133.334" in html
    assert "Internal use by the city" in html and "Bakeuda Kota Pangkalpinang" in html
    assert 'id="report-chart"' in html and "/static/vendor/chartjs-4.6.1/chart.umd.min.js" in html
    assert "http" not in html.split("chart.umd.min.js")[0].rsplit("<script", 1)[1]
    # The tenant's name is text on the page too.
    assert "=HYPERLINK(&#34;http://contoh.invalid&#34;" in html or \
        "=HYPERLINK(&quot;http://contoh.invalid&quot;" in html
    assert as_reviewer.get("/static/vendor/chartjs-4.6.1/chart.umd.min.js").status_code == 200


def test_page_downloads_neutralise_formulas_and_match_the_page(uses, as_reviewer):
    period = f"start={START.isoformat()}&end={END.isoformat()}"
    text = as_reviewer.get(f"/review/reports/usage.csv?{period}&table=rentals").get_data(
        as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == "'" + HOSTILE
    assert rows[-1][0] == "Total" and rows[-1][7] == "666667"
    workbook = openpyxl.load_workbook(io.BytesIO(
        as_reviewer.get(f"/review/reports/usage.xlsx?{period}").data))
    assert workbook.sheetnames == ["Faces", "Sites", "Organisations", "Rentals"]
    tenant = workbook["Rentals"]["C2"]
    assert (tenant.value, tenant.data_type) == (HOSTILE, "s")
    faces = list(workbook["Faces"].iter_rows(values_only=True))
    assert faces[-1][0] == "Total" and faces[-1][-2:] == (2_133_334, 666_667)
    organizations = list(workbook["Organisations"].iter_rows(values_only=True))
    assert organizations[-1][-1] == 2_133_334


def test_the_page_opens_on_this_month_and_refuses_a_bad_period(as_reviewer):
    first = TODAY.replace(day=1)
    html = as_reviewer.get("/review/reports").get_data(as_text=True)
    assert "Occupancy per face" in html and f"{first.day} " in html
    response = as_reviewer.get("/review/reports?start=31-03-2026&end=01-03-2026")
    assert response.status_code == 422
    assert "before its start" in response.get_data(as_text=True)
