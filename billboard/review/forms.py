from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..forms import BaseForm, DateField, RupiahField
from ..i18n import rupiah
from ..models import MAX_RUPIAH, BookingKind
from ..text import PlainText


def amount_of_rupiah(form, field) -> None:
    """Whole Rupiah from 0 to MAX_RUPIAH (WTForms' NumberRange turns a very long number into
    a float and fails with an OverflowError)."""
    if field.data is not None and not 0 <= field.data <= MAX_RUPIAH:
        raise ValidationError(_("Enter an amount from Rp 0 to %(max)s.", max=rupiah(MAX_RUPIAH)))


class DecisionForm(BaseForm):
    # Where to come back to: the queue, a request page or the timeline.
    next = HiddenField()


class ApproveForm(DecisionForm):
    agreement_number = StringField(
        _l("Agreement number (pinjam pakai)"),
        validators=[DataRequired(_l("The agreement number is required.")), Length(max=100),
                    PlainText()])
    approval_letter_number = StringField(_l("Number of the city's approval letter"),
                                         validators=[Optional(), Length(max=100), PlainText()])
    approval_letter_date = DateField(
        _l("Date of the approval letter"), validators=[Optional()])


class ReasonForm(DecisionForm):
    """Reject or cancel: both need a reason the organisation will read."""

    reason = TextAreaField(_l("Reason"),
                           validators=[DataRequired(_l("A reason is required.")),
                                       Length(max=2000), PlainText(multiline=True)])


class OccupancyForm(BaseForm):
    """A commercial rental or a maintenance block, recorded directly on a face."""

    face = SelectField(_l("Site and face"), coerce=int,
                       validators=[InputRequired(_l("Choose a face."))])
    kind = SelectField(_l("Kind"), choices=[
        SelectChoice(BookingKind.COMMERCIAL.value, _l("Commercial rental")),
        SelectChoice(BookingKind.MAINTENANCE.value, _l("Maintenance")),
    ])
    start = DateField(_l("From"), validators=[InputRequired(_l("The start date is required."))])
    end = DateField(_l("Until (inclusive)"),
                    validators=[InputRequired(_l("The end date is required."))])
    tenant_name = StringField(_l("Tenant (commercial rental)"),
                              validators=[Optional(), Length(max=200), PlainText()])
    fee_idr = RupiahField(_l("Fee in Rupiah"), default=0,
                          validators=[Optional(), amount_of_rupiah])
    agreement_number = StringField(_l("Agreement number"),
                                   validators=[Optional(), Length(max=100), PlainText()])
    reason = TextAreaField(_l("Note (e.g. what the maintenance is)"),
                           validators=[Optional(), Length(max=2000), PlainText(multiline=True)])


class QueueFilterForm(BaseForm):
    """The queue's filters; a GET form, so without a CSRF token."""

    class Meta:
        csrf = False

    organization = SelectField(_l("Organisation"), validators=[Optional()])
    site = SelectField(_l("Site"), validators=[Optional()])
    category = SelectField(_l("Category"), validators=[Optional()])
    start = DateField(_l("Dates from"), validators=[Optional()])
    end = DateField(_l("Dates until"), validators=[Optional()])
