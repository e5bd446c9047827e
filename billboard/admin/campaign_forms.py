from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from ..forms import BaseForm, DateField, fits
from ..models import CampaignLocation, Contestant


class DesignationForm(BaseForm):
    basis = TextAreaField(_l("Basis (the Wali Kota's decision)"), validators=[
        DataRequired(_l("The basis (the Wali Kota's decision) is required.")),
        fits(CampaignLocation.basis)])
    basis_number = StringField(_l("Decision number"),
                               validators=[Optional(), fits(CampaignLocation.basis_number)])
    basis_date = DateField(_l("Decision date"), validators=[Optional()])
    tier = IntegerField(_l("Visibility tier (1 = most visible; optional)"), validators=[
        Optional(), NumberRange(1, 9, _l("The tier is a whole number from 1 (most visible) "
                                         "to 9."))])


class ContestantForm(BaseForm):
    number = IntegerField(_l("Nomor urut"), validators=[
        InputRequired(_l("The nomor urut is required.")), NumberRange(1, 999)])
    name = StringField(_l("Name of the contestant"), validators=[
        DataRequired(_l("The contestant's name is required.")), fits(Contestant.name)])
    liaison = StringField(_l("Liaison officer (LO)"),
                          validators=[Optional(), fits(Contestant.liaison)])
    liaison_contact = StringField(_l("LO's contact (never public)"),
                                  validators=[Optional(), fits(Contestant.liaison_contact)])
