"""The asset register in the admin pages: sites and faces added, edited and retired with their
audit rows, a booked face never deleted, the import's checks on the form, and site photos
checked by content, made upright and small, and shown on the public pages at once."""
import io
from datetime import timedelta

import pytest
from PIL import Image
from support import TODAY, count, csrf_token, face, png_declaring
from test_agency import submitted

from billboard import booking, finance
from billboard.booking import BookingError
from billboard.extensions import db
from billboard.models import AuditEvent, BookingKind, Face, Site, SiteStatus, Tariff
from billboard.ops import files


def site_by_code(code: str) -> Site:
    db.session.expire_all()
    return db.session.scalar(db.select(Site).filter_by(code=code))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).filter_by(action=action)
                                   .order_by(AuditEvent.id)))


NEW_SITE = {
    "code": "PGK-11", "name": "Simpang Kampung Melayu", "address": "Jl. Kampung Melayu",
    "kelurahan": "Bukit Merapin", "kecamatan": "Gerunggang", "lat": "-2.1502",
    "lon": "106.1033", "width_m": "4", "height_m": "8", "illuminated": "y",
    "asset_register_no": "BMD-PGK/2026/BLH-011", "status": "active",
    "description": "Menghadap simpang.", "monthly_rate_idr": "4.500.000", "faces": "A;B",
}


def fields_of(site: Site, **changes) -> dict:
    """The edit form as the page fills it in, with ``changes``."""
    values = {name: str(getattr(site, name)) for name in (
        "code", "name", "address", "kelurahan", "kecamatan", "lat", "lon", "width_m",
        "height_m", "asset_register_no", "description")}
    values["status"] = site.status.value
    if site.illuminated:
        values["illuminated"] = "y"
    return {**values, **changes}


def post(client, url, data, page=None, **kwargs):
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def edit(client, site: Site, **changes):
    return post(client, f"/admin/sites/{site.id}", fields_of(site, **changes))


def confirmed(client, site: Site, action: str):
    return post(client, f"/admin/sites/{site.id}/{action}", {"confirmed": "1"},
                page=f"/admin/sites/{site.id}")


def text(response) -> str:
    return response.get_data(as_text=True)


# --- Sites ----------------------------------------------------------------------------------------

@pytest.mark.db
def test_a_site_is_added_with_its_faces_tariff_and_audit_row(client, admin):
    response = post(client, "/admin/sites/new", NEW_SITE)
    assert response.status_code == 303
    added = site_by_code("PGK-11")
    assert (added.name, added.lat, added.lon, added.width_m, added.illuminated) == (
        "Simpang Kampung Melayu", -2.1502, 106.1033, 4.0, True)
    assert [face.label for face in added.faces] == ["A", "B"]
    assert db.session.scalar(db.select(Tariff.monthly_rate_idr).filter_by(
        site_id=added.id)) == 4_500_000
    [created] = events("site.created")
    assert (created.object_id, created.actor_id) == (added.id, admin.id)
    assert "PGK-11" in text(client.get("/admin/sites"))
    assert client.get("/sites/PGK-11").status_code == 200


def test_a_code_already_in_the_register_is_refused(client, admin):
    before = count(AuditEvent)
    response = post(client, "/admin/sites/new", {**NEW_SITE, "code": "pgk-01"})
    assert response.status_code == 422
    assert "The code PGK-01 is already another site&#39;s." in text(response)
    assert count(Site) == 10
    assert count(AuditEvent) == before


@pytest.mark.parametrize("changes, message", [
    ({"lat": "92.5"}, "coordinates 92.5, 106.11345 are outside Indonesia"),
    ({"lon": "6.11345"}, "coordinates -2.12955, 6.11345 are outside Indonesia"),
    ({"lat": "utara"}, "lat is not a number: &#39;utara&#39;"),
    ({"width_m": "0"}, "width_m must be positive, not 0.0"),
    ({"height_m": "-3"}, "height_m must be positive, not -3.0"),
    ({"name": ""}, "name is missing"),
    ({"asset_register_no": "B" * 101}, "asset_register_no is longer than 100 characters"),
])
def test_a_bad_value_is_refused_with_nothing_written(client, admin, changes, message):
    site = site_by_code("PGK-01")
    before = count(AuditEvent), fields_of(site)
    response = edit(client, site, **{"name": "Nama baru", **changes})
    assert response.status_code == 422
    assert message in text(response)
    assert (count(AuditEvent), fields_of(site_by_code("PGK-01"))) == before


def test_the_refusal_reads_in_the_language_of_the_page(client, admin):
    client.get("/language/id")
    response = edit(client, site_by_code("PGK-01"), lat="12.5")
    assert response.status_code == 422
    assert "koordinat 12.5, 106.11345 berada di luar Indonesia" in text(response)


@pytest.mark.db
def test_an_edit_is_audited_and_seen_by_the_public_page_and_api_at_once(client, admin):
    site = site_by_code("PGK-01")
    assert "Bundaran Air Mancur" in text(client.get("/sites/PGK-01"))  # now in the cache
    assert "Bundaran Air Mancur" in text(client.get("/api/v1/sites"))
    response = edit(client, site, name="Bundaran Air Mancur Baru", width_m="6.5")
    assert response.status_code == 303
    [updated] = events("site.updated")
    assert updated.detail == "PGK-01: name, width_m"
    assert "Bundaran Air Mancur Baru" in text(client.get("/sites/PGK-01"))
    feature = next(f for f in client.get("/api/v1/sites").get_json()["features"]
                   if f["id"] == "PGK-01")
    assert (feature["properties"]["name"], feature["properties"]["width_m"]) == (
        "Bundaran Air Mancur Baru", 6.5)


def test_an_unchanged_form_writes_nothing(client, admin):
    before = count(AuditEvent)
    response = edit(client, site_by_code("PGK-02"))
    assert response.status_code == 303
    assert count(AuditEvent) == before


@pytest.mark.db
def test_retiring_a_site_asks_first_then_hides_it_keeping_its_history(client, admin, kpu):
    site = site_by_code("PGK-03")
    past = submitted(kpu, ("PGK-03", "A", TODAY + timedelta(days=10),
                           TODAY + timedelta(days=12)))
    question = post(client, f"/admin/sites/{site.id}/retire", {},
                    page=f"/admin/sites/{site.id}")
    assert question.status_code == 200 and "Retire PGK-03?" in text(question)
    assert site_by_code("PGK-03").status == SiteStatus.ACTIVE
    # Its pending request must be decided first.
    refused = confirmed(client, site, "retire")
    assert refused.status_code == 409
    assert "PGK-03 still has 1 pending or approved use" in text(refused)
    booking.withdraw_request(past, kpu)
    db.session.commit()
    assert confirmed(client, site, "retire").status_code == 303
    site = site_by_code("PGK-03")
    assert site.status == SiteStatus.RETIRED
    [retired] = events("site.retired")
    assert (retired.from_state, retired.to_state) == ("active", "retired")
    assert client.get("/sites/PGK-03").status_code == 404
    assert "PGK-03" not in [f["id"] for f in client.get("/api/v1/sites").get_json()["features"]]
    assert "PGK-03" in text(client.get("/admin/sites"))  # the register keeps it
    assert len(past.bookings) == 1
    with pytest.raises(BookingError, match="the site is not available"):
        submitted(kpu, ("PGK-03", "A", TODAY + timedelta(days=20), TODAY + timedelta(days=21)))


# --- Faces ----------------------------------------------------------------------------------------

def face_of(code: str, label: str) -> Face | None:
    db.session.expire_all()
    return face(code, label)


@pytest.mark.db
def test_a_face_is_added_renamed_and_deleted_when_never_booked(client, admin):
    site = site_by_code("PGK-03")
    page = f"/admin/sites/{site.id}"
    assert post(client, f"{page}/faces", {"label": "b"}, page=page).status_code == 303
    added = face_of("PGK-03", "B")
    assert post(client, f"{page}/faces/{added.id}/rename", {"label": "C"},
                page=page).status_code == 303
    assert face_of("PGK-03", "C").id == added.id
    assert confirmed(client, site, f"faces/{added.id}/delete").status_code == 303
    assert face_of("PGK-03", "C") is None
    assert [(e.action, e.from_state, e.to_state) for e in (
        *events("face.added"), *events("face.renamed"), *events("face.deleted"))] == [
        ("face.added", None, "B"), ("face.renamed", "B", "C"), ("face.deleted", "C", None)]


def test_a_taken_or_bad_letter_is_refused(client, admin):
    site = site_by_code("PGK-01")
    page = f"/admin/sites/{site.id}"
    before = count(AuditEvent)
    for label, message in (("B", "PGK-01 already has a face B."),
                           ("AB", "A face is named by one letter, A to Z.")):
        response = post(client, f"{page}/faces", {"label": label}, page=page)
        assert response.status_code == 422 and message in text(response)
    assert count(AuditEvent) == before


@pytest.mark.db
def test_a_face_with_bookings_is_never_deleted(client, admin, kpu):
    made = submitted(kpu, ("PGK-01", "A", TODAY + timedelta(days=10),
                           TODAY + timedelta(days=12)))
    booking.withdraw_request(made, kpu)
    db.session.commit()
    face = face_of("PGK-01", "A")
    site = site_by_code("PGK-01")
    page = text(client.get(f"/admin/sites/{site.id}"))
    assert f"/faces/{face.id}/delete" not in page  # no button for it
    before = count(AuditEvent)
    response = confirmed(client, site, f"faces/{face.id}/delete")
    assert response.status_code == 409
    assert "PGK-01/A has bookings and cannot be deleted: retire it instead." in text(response)
    assert face_of("PGK-01", "A") is not None and count(AuditEvent) == before


@pytest.mark.db
def test_a_retired_face_takes_no_request_nor_rental_and_leaves_the_public_pages(
        client, admin, kpu, reviewer):
    site = site_by_code("PGK-02")
    face = face_of("PGK-02", "B")
    assert confirmed(client, site, f"faces/{face.id}/retire").status_code == 303
    assert face_of("PGK-02", "B").retired_on == TODAY
    [retired] = events("face.retired")
    assert (retired.object_id, retired.detail) == (face.id, "PGK-02/B")
    start = TODAY + timedelta(days=10)
    with pytest.raises(BookingError, match="PGK-02/B .*: the face is retired and takes no new"):
        submitted(kpu, ("PGK-02", "B", start, start))
    db.session.rollback()
    with pytest.raises(BookingError, match="The face is retired."):
        booking.add_occupancy(reviewer, face_of("PGK-02", "B"), start, start,
                              kind=BookingKind.COMMERCIAL, tenant_name="PT Timah")
    db.session.rollback()
    public = text(client.get("/sites/PGK-02"))
    assert 'id="face-A"' in public and 'id="face-B"' not in public
    availability = client.get(f"/api/v1/sites/PGK-02/availability?start={start}&end={start}")
    assert [f["label"] for f in availability.get_json()["faces"]] == ["A"]
    # The other face is still bookable.
    assert submitted(kpu, ("PGK-02", "A", start, start)).bookings[0].face.label == "A"


@pytest.mark.db
def test_a_retired_face_counts_in_reports_of_periods_it_was_in_use_on(client, admin):
    face = face_of("PGK-02", "B")
    assert confirmed(client, site_by_code("PGK-02"), f"faces/{face.id}/retire").status_code \
        == 303
    before, after = TODAY - timedelta(days=30), TODAY + timedelta(days=30)
    labels = {
        start: [(row.site, row.face) for row in finance.usage_report(
            start, start + timedelta(days=9), TODAY).faces if row.site == "PGK-02"]
        for start in (before, TODAY, after)}
    assert labels == {before: [("PGK-02", "A"), ("PGK-02", "B")],
                      TODAY: [("PGK-02", "A")], after: [("PGK-02", "A")]}


@pytest.mark.db
def test_a_face_retired_by_mistake_is_put_back_in_use(client, admin, kpu):
    site, face = site_by_code("PGK-02"), face_of("PGK-02", "B")
    assert confirmed(client, site, f"faces/{face.id}/retire").status_code == 303
    page = text(client.get(f"/admin/sites/{site.id}"))
    assert f"/faces/{face.id}/restore" in page and f"/faces/{face.id}/retire" not in page

    restored = client.post(f"/admin/sites/{site.id}/faces/{face.id}/restore")
    assert restored.status_code == 303
    assert face_of("PGK-02", "B").retired_on is None
    [event] = events("face.restored")
    assert (event.object_id, event.detail) == (face.id, f"PGK-02/B, retired since {TODAY}")
    assert 'id="face-B"' in text(client.get("/sites/PGK-02"))
    start = TODAY + timedelta(days=10)
    assert submitted(kpu, ("PGK-02", "B", start, start)).bookings[0].face.label == "B"

    before = count(AuditEvent)
    again = client.post(f"/admin/sites/{site.id}/faces/{face.id}/restore")
    assert again.status_code == 409 and "PGK-02/B is in use already." in text(again)
    assert count(AuditEvent) == before


def test_a_face_with_use_to_come_is_not_retired(client, admin, kpu):
    submitted(kpu, ("PGK-01", "B", TODAY + timedelta(days=10), TODAY + timedelta(days=12)))
    site = site_by_code("PGK-01")
    response = confirmed(client, site, f"faces/{face_of('PGK-01', 'B').id}/retire")
    assert response.status_code == 409
    assert "PGK-01/B still has 1 pending or approved use" in text(response)
    assert face_of("PGK-01", "B").retired_on is None


# --- Photos ---------------------------------------------------------------------------------------

def image_bytes(fmt: str, size=(2400, 1800), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **save)
    return out.getvalue()


def upload_photo(client, site: Site, data: bytes, name: str):
    page = f"/admin/sites/{site.id}"
    return post(client, f"{page}/photo", {"photo": (io.BytesIO(data), name)}, page=page,
                content_type="multipart/form-data")


def stored(app, name: str) -> Image.Image:
    # Read whole and closed: the image is examined after the file would be left open.
    with open(f"{app.config['UPLOAD_FOLDER']}/{name}", "rb") as stream:
        return Image.open(io.BytesIO(stream.read()))


def test_a_png_named_jpg_is_taken_by_content_resized_and_shown(app, client, admin):
    site = site_by_code("PGK-01")
    assert upload_photo(client, site, image_bytes("PNG"), "foto.jpg").status_code == 303
    site = site_by_code("PGK-01")
    page, thumbnail = stored(app, site.photo), stored(app, site.thumbnail_photo)
    assert (page.format, page.size) == ("JPEG", (1600, 1200))
    assert (thumbnail.format, thumbnail.size) == ("JPEG", (480, 360))
    [event] = events("site.photo")
    assert (event.from_state, event.to_state) == (None, site.photo)
    assert "sha256" in event.detail
    public = text(client.get("/sites/PGK-01"))
    assert f"/sites/PGK-01/photo?v={site.photo[:8]}" in public
    photo = client.get("/sites/PGK-01/photo")
    assert photo.status_code == 200 and photo.data[:3] == b"\xff\xd8\xff"
    assert f"/sites/PGK-01/photo/small?v={site.thumbnail_photo[:8]}" in text(client.get("/"))


def test_a_photo_is_turned_upright_and_loses_its_metadata(app, client, admin):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned; the picture is to be rotated
    exif[0x010F] = "Kamera Rahasia"  # make
    data = image_bytes("JPEG", size=(300, 200), exif=exif.tobytes())
    assert upload_photo(client, site_by_code("PGK-02"), data, "foto.jpeg").status_code == 303
    page = stored(app, site_by_code("PGK-02").photo)
    assert page.size == (200, 300)
    assert dict(page.getexif()) == {} and "exif" not in page.info


def test_replacing_a_photo_keeps_its_audit_trail(app, client, admin):
    upload_photo(client, site_by_code("PGK-01"), image_bytes("PNG", size=(400, 300)), "a.png")
    first = site_by_code("PGK-01").photo
    upload_photo(client, site_by_code("PGK-01"), image_bytes("JPEG", size=(500, 300)), "b.jpg")
    second = site_by_code("PGK-01").photo
    assert first != second
    assert [(e.from_state, e.to_state) for e in events("site.photo")] == [
        (None, first), (first, second)]
    # The replaced files are gone, the new ones in place: nothing stray, nothing missing.
    checked = files.reconcile()
    assert (checked.unnamed, checked.missing) == ([], [])


@pytest.mark.parametrize("data, name, message", [
    (b"Ini bukan foto sama sekali.\n" * 20, "foto.jpg", "judged by its content"),
    (png_declaring(20000, 20000), "bom.png", "at most 50 megapixels"),
    (image_bytes("PNG", size=(50, 50))[:60], "potong.png", "could not be read"),
])
def test_a_file_that_is_no_usable_photo_is_refused(app, client, admin, data, name, message):
    before = count(AuditEvent)
    response = upload_photo(client, site_by_code("PGK-01"), data, name)
    assert response.status_code == 422 and message in text(response)
    assert site_by_code("PGK-01").photo is None and count(AuditEvent) == before
