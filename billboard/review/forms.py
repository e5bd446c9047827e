from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileRequired
from wtforms import (
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional

from .. import uploads
from ..forms import BaseForm, DateField, UploadField, fits
from ..models import Booking, Handover
from ..text import PlainText


class DecisionForm(BaseForm):
    # Where to come back to: the queue, a request page or the timeline.
    next = HiddenField()


class ApproveForm(DecisionForm):
    """The numbers of a decision; which are required (a city office's internal use has no
    agreement) is the booking service's rule."""

    agreement_number = StringField(
        _l("Agreement number (pinjam pakai)"),
        validators=[Optional(), fits(Booking.agreement_number), PlainText()])
    agreement_date = DateField(_l("Date of the agreement"), validators=[Optional()])
    approval_letter_number = StringField(
        _l("Number of the city's approval letter"),
        validators=[Optional(), fits(Booking.approval_letter_number), PlainText()])
    approval_letter_date = DateField(
        _l("Date of the approval letter"), validators=[Optional()])


class ReasonForm(DecisionForm):
    """Reject or cancel: both need a reason the organisation will read."""

    reason = TextAreaField(_l("Reason"),
                           validators=[DataRequired(_l("A reason is required.")),
                                       fits(Booking.reason), PlainText(multiline=True)])


class CancelForm(ReasonForm):
    """Cancel: an approved use that has started ends early, on this day (today if empty)."""

    ends_on = DateField(_l("Last day of use, if it has started (empty: today)"),
                        validators=[Optional()])


class QueueFilterForm(BaseForm):
    """The queue's filters; a GET form, so without a CSRF token."""

    class Meta:
        csrf = False

    organization = SelectField(_l("Organisation"), validators=[Optional()])
    site = SelectField(_l("Site"), validators=[Optional()])
    category = SelectField(_l("Category"), validators=[Optional()])
    start = DateField(_l("Dates from"), validators=[Optional()])
    end = DateField(_l("Dates until"), validators=[Optional()])


class HandoverForm(DecisionForm):
    """A BAST of an approved item: of the handover, or of the return."""

    number = StringField(_l("BAST number"),
                         validators=[DataRequired(_l("The BAST number is required.")),
                                     fits(Handover.bast_number), PlainText()])
    # InputRequired, not DataRequired: a date that does not parse keeps its own message.
    on = DateField(_l("BAST date"),
                   validators=[InputRequired(_l("The BAST date is required."))])
    condition = TextAreaField(
        _l("Condition of the face"),
        validators=[DataRequired(_l("The condition of the face is required.")),
                    fits(Handover.condition), PlainText(multiline=True)])


class ScanForm(BaseForm):
    """A signed scan Bakeuda uploads back: of the approval letter, the agreement or a BAST."""

    kind = SelectField(_l("Signed document"), validate_choice=False)
    # The item a BAST belongs to; the view offers the request's approved items.
    item = SelectField(_l("Item (for a BAST)"), validate_choice=False,
                       coerce=lambda value: int(value) if str(value or "").isdigit() else None)
    scan = UploadField(_l("Scan (PDF, JPEG or PNG)"),
                       [FileRequired(_l("Attach the signed scan."))], types=uploads.SCAN_TYPES)
