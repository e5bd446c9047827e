"""Forms of Bakeuda's desk: tariffs, rentals and maintenance, payments, reports."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from ..finance import PaymentState
from ..forms import BaseForm, DateField, RupiahField, SubForm, fits
from ..labels import PAYMENT_LABELS
from ..models import Booking, BookingKind, Payment


class TariffForm(BaseForm):
    """A site's monthly rate from a day on."""

    monthly_rate_idr = RupiahField(_l("Monthly rate"),
                                   validators=[InputRequired(_l("The monthly rate is required."))])
    valid_from = DateField(_l("In force from"),
                           validators=[InputRequired(_l("The first day is required."))])


class EntryForm(BaseForm):
    """A commercial rental or a maintenance block, recorded directly on a face (or, for
    maintenance, on every face of its site)."""

    face = SelectField(_l("Site and face"), coerce=int,
                       validators=[InputRequired(_l("Choose a face."))])
    whole_site = BooleanField(_l("Every face of this site (maintenance only)"))
    kind = SelectField(_l("Kind"), choices=[
        SelectChoice(BookingKind.COMMERCIAL.value, _l("Commercial rental")),
        SelectChoice(BookingKind.MAINTENANCE.value, _l("Maintenance")),
    ])
    start = DateField(_l("From"), validators=[InputRequired(_l("The start date is required."))])
    end = DateField(_l("Until (inclusive)"),
                    validators=[InputRequired(_l("The end date is required."))])
    tenant_name = StringField(_l("Tenant (commercial rental)"),
                              validators=[Optional(), fits(Booking.tenant_name)])
    fee_idr = RupiahField(_l("Fee, if not the tariff's"), validators=[Optional()])
    fee_reason = TextAreaField(_l("Why the fee differs from the tariff"),
                               validators=[Optional(), fits(Booking.fee_reason)])
    agreement_number = StringField(_l("Agreement number"),
                                   validators=[Optional(), fits(Booking.agreement_number)])
    reason = TextAreaField(_l("Note (e.g. what the maintenance is)"),
                           validators=[Optional(), fits(Booking.reason)])


class DatesForm(BaseForm):
    start = DateField(_l("From"), validators=[InputRequired(_l("The start date is required."))])
    end = DateField(_l("Until (inclusive)"),
                    validators=[InputRequired(_l("The end date is required."))])


class EndForm(BaseForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("A reason is required.")),
                                                      fits(Booking.reason)])


class PaymentForm(BaseForm):
    receipt_number = StringField(_l("Receipt number"), validators=[
        DataRequired(_l("The receipt number is required.")), fits(Payment.receipt_number)])
    paid_on = DateField(_l("Paid on"),
                        validators=[InputRequired(_l("The payment date is required."))])
    amount_idr = RupiahField(_l("Amount"),
                             validators=[InputRequired(_l("The amount is required."))])


class EntryFilterForm(SubForm):
    """The filters of the list of rentals and maintenance blocks (a GET form)."""

    kind = SelectField(_l("Kind"), choices=[
        SelectChoice("", _l("All")),
        SelectChoice(BookingKind.COMMERCIAL.value, _l("Commercial rental")),
        SelectChoice(BookingKind.MAINTENANCE.value, _l("Maintenance")),
    ], default="")
    site = SelectField(_l("Site"), default="")
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("Until (inclusive)"), validators=[Optional()])
    payment = SelectField(_l("Payment"), choices=[
        SelectChoice("", _l("All")),
        *(SelectChoice(state.value, PAYMENT_LABELS[state]) for state in PaymentState)], default="")


class PeriodForm(SubForm):
    """The period of a report (a GET form; the page opens on the current month)."""

    start = DateField(_l("From"), validators=[DataRequired(_l("The start date is required."))])
    end = DateField(_l("Until (inclusive)"),
                    validators=[DataRequired(_l("The end date is required."))])
