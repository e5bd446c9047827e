"""Forms of Bakeuda's desk: tariffs, rentals and maintenance, payments, reports."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired

from ..forms import BaseForm, DateField, RupiahField


class TariffForm(BaseForm):
    """A site's monthly rate from a day on."""

    monthly_rate_idr = RupiahField(_l("Monthly rate"),
                                   validators=[InputRequired(_l("The monthly rate is required."))])
    valid_from = DateField(_l("In force from"),
                           validators=[InputRequired(_l("The first day is required."))])
