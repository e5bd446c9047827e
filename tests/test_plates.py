"""The QR plate of a site: an A4 sign in Bahasa Indonesia whose QR code opens the site's public
page at PUBLIC_URL, never at whatever host the request named."""
import re

import pytest

from billboard.extensions import db
from billboard.models import Site, SiteStatus
from billboard.review.plates import qr_svg


@pytest.fixture
def app_config():
    return {"PUBLIC_URL": "https://baliho.pangkalpinangkota.go.id/"}


def test_the_plate_names_the_site_and_links_its_public_page(as_reviewer):
    html = as_reviewer.get("/review/sites/PGK-01/plate").get_data(as_text=True)
    site = db.session.scalar(db.select(Site).filter_by(code="PGK-01"))
    assert "https://baliho.pangkalpinangkota.go.id/sites/PGK-01" in html
    assert "//localhost" not in html  # the host this request named
    assert site.name in html and site.asset_register_no in html
    # The sign is Indonesian even though the page around it reads English.
    assert "Titik Baliho Milik Pemerintah Kota Pangkalpinang" in html
    assert "QR plate" in html
    assert re.search(r'<svg [^>]*viewBox="0 0 \d+ \d+"', html)


def test_the_qr_code_encodes_the_address():
    # Decoding needs a camera; compare with segno's own matrix of the same address instead.
    import segno

    address = "https://baliho.pangkalpinangkota.go.id/sites/PGK-01"
    svg = qr_svg(address, "Kode QR PGK-01")
    expected = segno.make(address, error="m").svg_inline(scale=1, border=4, omitsize=True,
                                                         title="Kode QR PGK-01")
    assert str(svg) == expected
    assert str(qr_svg(address + "x", "t")) != str(qr_svg(address, "t"))


def test_user_text_on_the_plate_is_escaped(as_reviewer):
    site = db.session.scalar(db.select(Site).filter_by(code="PGK-02"))
    site.name = "<script>alert(1)</script>"
    db.session.commit()
    html = as_reviewer.get("/review/sites/PGK-02/plate").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_a_retired_site_has_no_plate(as_reviewer):
    site = db.session.scalar(db.select(Site).filter_by(code="PGK-03"))
    site.status = SiteStatus.RETIRED
    db.session.commit()
    assert as_reviewer.get("/review/sites/PGK-03/plate").status_code == 404
    listing = as_reviewer.get("/review/plates").get_data(as_text=True)
    assert "PGK-03" not in listing and "/review/sites/PGK-01/plate" in listing
