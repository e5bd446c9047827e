"""The register imported through the browser: a preview of every row, every error, and
nothing written before the confirmation — or at all when the file is bad."""
import io
from datetime import timedelta

from support import TODAY, csrf_token_in
from test_agency import submitted
from test_sites_import import GOOD, UPDATE_01, counts, with_field

from billboard.extensions import db
from billboard.models import AuditEvent, Site, SiteStatus
from billboard.sites import COLUMNS

HEADER = ",".join(COLUMNS)


def upload(client, *rows: str, name="register.csv"):
    token = csrf_token_in(client.get("/admin/sites/import").get_data(as_text=True))
    body = ("\n".join((HEADER, *rows)) + "\n").encode("utf-8")
    return client.post("/admin/sites/import", data={
        "csrf_token": token, "csv_file": (io.BytesIO(body), name)},
        content_type="multipart/form-data")


def test_a_bad_file_shows_every_error_and_writes_nothing(client, admin):
    before = counts(), db.session.scalar(db.select(db.func.count(AuditEvent.id)))
    response = upload(client, with_field("lat", "utara"), UPDATE_01,
                      with_field("code", "pgk 12", with_field("faces", "A;A")))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "line 2: lat is not a number" in html
    assert "line 4: code &#39;pgk 12&#39; is not a valid site code" in html
    assert "line 4: faces must be distinct letters" in html
    assert "nothing was written" in html
    db.session.expire_all()
    assert (counts(), db.session.scalar(db.select(db.func.count(AuditEvent.id)))) == before
    assert db.session.scalar(db.select(Site.name).filter_by(code="PGK-01")) == \
        "Bundaran Air Mancur"


def test_the_preview_refuses_a_row_retiring_a_site_with_use_to_come(client, admin, kpu):
    submitted(kpu, ("PGK-01", "A", TODAY + timedelta(days=3), TODAY + timedelta(days=5)))
    response = upload(client, GOOD, with_field("status", "retired", UPDATE_01))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "line 3: PGK-01 still has 1 pending or approved use that has not ended" in html
    assert "What the import will do" not in html
    db.session.expire_all()
    assert counts() == (10, 16)
    assert db.session.scalar(db.select(Site.status).filter_by(code="PGK-01")) == \
        SiteStatus.ACTIVE


def test_a_good_file_is_previewed_then_written_on_confirmation(client, admin):
    preview = upload(client, GOOD, UPDATE_01)
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "PGK-11" in html and "new site" in html
    assert "updates: name, address, description, width_m, height_m, monthly_rate_idr" in html
    assert "<td>C</td>" in html
    assert counts() == (10, 16)  # nothing yet
    content = html.split('<textarea name="content" hidden>')[1].split("</textarea>")[0]
    confirmed = client.post("/admin/sites/import", data={
        "csrf_token": csrf_token_in(html), "confirm": "1",
        "content": content.replace("&#34;", '"').replace("&amp;", "&")})
    assert confirmed.status_code == 303
    db.session.expire_all()
    assert counts() == (11, 19)


def test_the_confirmed_text_is_checked_again(client, admin):
    html = upload(client, GOOD).get_data(as_text=True)
    tampered = "\n".join((HEADER, with_field("width_m", "-3"))) + "\n"
    response = client.post("/admin/sites/import", data={
        "csrf_token": csrf_token_in(html), "confirm": "1", "content": tampered})
    assert response.status_code == 422
    assert "width_m must be positive" in response.get_data(as_text=True)
    assert counts() == (10, 16)


def test_a_file_that_is_not_text_or_missing_is_refused(client, admin):
    token = csrf_token_in(client.get("/admin/sites/import").get_data(as_text=True))
    response = client.post("/admin/sites/import", data={
        "csrf_token": token, "csv_file": (io.BytesIO(b"\xff\xfe\x00bad"), "x.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 422 and "UTF-8" in response.get_data(as_text=True)
    response = client.post("/admin/sites/import", data={"csrf_token": token})
    assert response.status_code == 422 and "Choose the CSV file" in response.get_data(
        as_text=True)
