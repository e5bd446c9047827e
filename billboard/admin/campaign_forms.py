from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms import BaseForm, DateField


class DesignationForm(BaseForm):
    basis = TextAreaField(_l("Basis (the Wali Kota's decision)"), validators=[
        DataRequired(_l("The basis (the Wali Kota's decision) is required.")),
        Length(max=2000)])
    basis_number = StringField(_l("Decision number"), validators=[Optional(), Length(max=100)])
    basis_date = DateField(_l("Decision date"), validators=[Optional()])
    tier = IntegerField(_l("Visibility tier (1 = most visible; optional)"), validators=[
        Optional(), NumberRange(1, 9, _l("The tier is a whole number from 1 (most visible) "
                                         "to 9."))])


class ContestantForm(BaseForm):
    number = IntegerField(_l("Nomor urut"), validators=[
        InputRequired(_l("The nomor urut is required.")), NumberRange(1, 999)])
    name = StringField(_l("Name of the contestant"), validators=[
        DataRequired(_l("The contestant's name is required.")), Length(max=200)])
    liaison = StringField(_l("Liaison officer (LO)"), validators=[Optional(), Length(max=200)])
    liaison_contact = StringField(_l("LO's contact (never public)"),
                                  validators=[Optional(), Length(max=200)])
