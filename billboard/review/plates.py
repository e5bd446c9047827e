"""The QR plate of a site: an A4 sign for the billboard's post, with a QR code of its public
page, so that a citizen or Bawaslu standing in front of it can check who may use it."""
import segno
from flask import render_template
from markupsafe import Markup

from .. import settings
from ..auth.permissions import role_required
from ..links import public_url
from ..listing import public_site_or_404, public_sites
from . import bp


def qr_svg(address: str, title: str) -> Markup:
    """The address as an inline SVG QR code (error correction M: readable when weathered)."""
    code = segno.make(address, error="m")
    # segno escapes the title; the path is its own output.
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True, title=title))


@bp.get("/sites/<code>/plate")
@role_required("reviewer", "admin")
def site_plate(code: str):
    """The printable plate of one listed site (the sign itself is always in Bahasa Indonesia)."""
    site = public_site_or_404(code)
    address = public_url("public.site", code=site.code)
    return render_template("review/plate.html", site=site, address=address,
                           qr=qr_svg(address, f"Kode QR {site.code}"),
                           contact=settings.group("contact"))


@bp.get("/plates")
@role_required("reviewer", "admin")
def plates():
    """Every listed site, each with a link to its plate."""
    return render_template("review/plates.html", sites=public_sites())
