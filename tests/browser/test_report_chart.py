"""The report's chart, drawn by the Chart.js the app serves, readable on a phone."""
from datetime import timedelta

import pytest
from support import TODAY

from billboard import booking
from billboard.auth.passwords import hash_password
from billboard.extensions import db
from billboard.models import BookingKind, Face, Organization, OrganizationKind, Role, Site, User

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-laporan-2026"


@pytest.fixture
def served(live_server):
    """A reviewer, and a rental and a maintenance block this month."""
    with live_server.app_context():
        reviewer = User(email="analis@bakeuda.example", name="Analis", role=Role.REVIEWER,
                        password_hash=hash_password(PASSWORD),
                        organization=Organization(name="Bakeuda",
                                                  kind=OrganizationKind.BAKEUDA))
        db.session.add(reviewer)
        db.session.commit()
        first = TODAY.replace(day=1)
        faces = db.session.scalars(db.select(Face).join(Site).order_by(Site.code)).all()
        booking.add_occupancy(reviewer, faces[0], first, first + timedelta(days=9),
                              kind=BookingKind.COMMERCIAL, tenant_name="PT Sinar Bangka")
        booking.add_occupancy(reviewer, faces[3], first, first + timedelta(days=3),
                              kind=BookingKind.MAINTENANCE, reason="Cat ulang")
        db.session.commit()
    return live_server


@pytest.mark.parametrize("width", [360, 1280])
def test_the_chart_is_drawn_and_fits_the_screen(page, served, browser_problems, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(served.url + "/login")
    page.fill("input[name=email]", "analis@bakeuda.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.goto(served.url + "/review/reports")
    chart = page.evaluate("""() => {
        const chart = Chart.getChart(document.getElementById('report-chart'));
        const box = chart.canvas.getBoundingClientRect();
        return {faces: chart.data.labels.length, bars: chart.getDatasetMeta(0).data.length,
                width: box.width, height: box.height,
                first: chart.data.datasets.map(d => d.data[0])};
    }""")
    assert chart["faces"] == chart["bars"] == 16
    assert 0 < chart["width"] <= width and chart["height"] >= 16 * 20
    # The first face: 10 days rented, the rest of the month free.
    assert chart["first"][1] == 10 and sum(chart["first"]) >= 28
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert browser_problems == []
