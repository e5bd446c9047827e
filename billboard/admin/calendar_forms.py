from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired

from ..elections import ELECTION_FIELDS
from ..forms import BaseForm, DateField, fits
from ..labels import CATEGORY_LABELS
from ..models import Blackout, Category, Election
from ..text import PlainText


def _date(label, required: str) -> DateField:
    return DateField(label, validators=[InputRequired(required)])


def _optional_id(value) -> int | None:
    return int(value) if value not in (None, "") else None


def _optional_category(value) -> Category | None:
    return Category(value) if value not in (None, "") else None


class BlackoutForm(BaseForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("The name is required.")), fits(Blackout.name), PlainText()])
    # Choices (every site that is not retired) are filled in by the view.
    site = SelectField(_l("Site"), coerce=_optional_id,
                       invalid_value_message=_l("Choose a site or all sites."),
                       invalid_choice_message=_l("Choose a site or all sites."))
    category = SelectField(
        _l("Content category"), coerce=_optional_category,
        choices=[SelectChoice("", _l("All categories")),
                 *(SelectChoice(c.value, label) for c, label in CATEGORY_LABELS.items())],
        invalid_value_message=_l("Choose a category or all categories."),
        invalid_choice_message=_l("Choose a category or all categories."))
    start_on = _date(_l("From"), _l("The start date is required."))
    end_on = _date(_l("Until (inclusive)"), _l("The end date is required."))


class ElectionForm(BaseForm):
    # Field names are the Election columns, so that ``obj=election`` fills the form.
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("The name is required.")), fits(Election.name), PlainText()])
    campaign_start_on = _date(_l("Campaign period from"), _l("Every date is required."))
    campaign_end_on = _date(_l("Campaign period until"), _l("Every date is required."))
    quiet_start_on = _date(_l("Masa tenang from"), _l("Every date is required."))
    quiet_end_on = _date(_l("Masa tenang until"), _l("Every date is required."))
    polling_on = _date(_l("Polling day"), _l("Every date is required."))

    def values(self) -> dict:
        """The election's fields as entered."""
        return {key: self[key].data for key in ELECTION_FIELDS}
