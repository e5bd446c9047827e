"""An administrator uploads a site's photo from a phone; a citizen sees it on the site page,
resized for the page, without the page growing wider than the phone."""
import io

import pytest
from PIL import Image, ImageDraw

from billboard.auth.passwords import hash_password
from billboard.extensions import db
from billboard.models import Organization, OrganizationKind, Role, Site, User

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-foto-lokasi-2026"


def billboard_picture(path) -> None:
    """A drawn stand-in for a camera's photo: 2400 × 1600, larger than the page's 1600 px."""
    image = Image.new("RGB", (2400, 1600), (135, 190, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 1150, 2400, 1600), fill=(90, 140, 80))
    draw.rectangle((1130, 900, 1270, 1300), fill=(80, 80, 80))
    draw.rectangle((500, 200, 1900, 950), fill=(245, 245, 240), outline=(60, 60, 60), width=30)
    draw.rectangle((620, 330, 1780, 820), fill=(180, 30, 40))
    image.save(path, "JPEG", quality=90)


@pytest.fixture
def admin_of(live_server):
    with live_server.app_context():
        db.session.add(User(email="admin@bakeuda.example", name="Admin", role=Role.ADMIN,
                            password_hash=hash_password(PASSWORD),
                            organization=Organization(name="Bakeuda",
                                                      kind=OrganizationKind.BAKEUDA)))
        db.session.commit()
        site_id = db.session.scalar(db.select(Site.id).filter_by(code="PGK-02"))
    return live_server, site_id


def test_a_photo_uploaded_on_a_phone_shows_on_the_site_page(page, admin_of, browser_problems,
                                                            tmp_path):
    served, site_id = admin_of
    picture = tmp_path / "baliho.jpg"
    billboard_picture(picture)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(served.url + "/login")
    page.fill("input[name=email]", "admin@bakeuda.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{served.url}/admin/sites/{site_id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_input_files("input[name=photo]", str(picture))
    page.click("#photo ~ form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".flash, [role=status]").first.is_visible()
    page.goto(served.url + "/sites/PGK-02")
    photo = page.locator("img.site-photo")
    photo.wait_for()
    page.wait_for_function("() => document.querySelector('img.site-photo').complete")
    assert photo.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [1600, 1067]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    served_photo = page.request.get(served.url + photo.get_attribute("src"))
    stored = Image.open(io.BytesIO(served_photo.body()))
    assert (stored.format, stored.size) == ("JPEG", (1600, 1067))
    # The picture of docs/phone-site-photo.png (run with --basetemp to keep it).
    page.screenshot(path=str(tmp_path / "phone-site-photo.png"))
    assert browser_problems == []
