"""Forms of the asset register: a site's fields, its faces and its photo.

The fields are text as typed: ``sites.check_site`` (the import's rule) judges them, so that the
form and ``import-sites`` never disagree on what a register entry may hold.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileRequired
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField

from .. import uploads
from ..forms import BaseForm, RupiahField, UploadField
from ..labels import SITE_STATUS_LABELS
from ..models import SiteStatus
from ..register import SITE_FIELDS


class SiteForm(BaseForm):
    code = StringField(_l("Code"), description=_l("Like PGK-11: capital letters, digits and -."))
    name = StringField(_l("Name"))
    address = StringField(_l("Address"))
    kelurahan = StringField(_l("Kelurahan"))
    kecamatan = StringField(_l("Kecamatan"))
    lat = StringField(_l("Latitude"), description=_l("Decimal degrees, south negative: -2.1301."))
    lon = StringField(_l("Longitude"), description=_l("Decimal degrees: 106.1129."))
    width_m = StringField(_l("Width (m)"))
    height_m = StringField(_l("Height (m)"))
    illuminated = BooleanField(_l("Illuminated"))
    asset_register_no = StringField(_l("Asset register number"))
    status = SelectField(_l("Status"), choices=[
        SelectChoice(status.value, SITE_STATUS_LABELS[status])
        for status in (SiteStatus.ACTIVE, SiteStatus.MAINTENANCE)])
    description = TextAreaField(_l("Description"))

    def raw(self) -> dict[str, str]:
        """The fields as the register's checks read them (a CSV row's text)."""
        values = {name: (self[name].data or "").strip() for name in SITE_FIELDS
                  if name != "illuminated"}
        values["illuminated"] = "yes" if self.illuminated.data else "no"
        return values


class NewSiteForm(SiteForm):
    monthly_rate_idr = RupiahField(_l("Monthly tariff (commercial rent)"),
                                   description=_l("Whole Rupiah, like 12.000.000."))
    faces = StringField(_l("Faces"), default="A",
                        description=_l("One letter each, separated by ;  (A;B)."))

    def raw(self) -> dict[str, str]:
        rate = self.monthly_rate_idr.data
        return {**super().raw(), "faces": (self.faces.data or "").strip(),
                "monthly_rate_idr": "" if rate is None else str(rate)}


class FaceForm(BaseForm):
    label = StringField(_l("Face"), description=_l("One letter, A to Z."))


class SitePhotoForm(BaseForm):
    photo = UploadField(_l("Photo (JPEG or PNG)"), [FileRequired(_l("Attach the photo."))],
                        types=uploads.PHOTO_TYPES)
