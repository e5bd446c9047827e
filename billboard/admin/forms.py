from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired

from ..auth.forms import NewPasswordMixin
from ..forms import BaseForm, fits
from ..labels import ORGANIZATION_KIND_NAMES, ROLE_NAMES
from ..models import Organization, User
from ..text import PlainText


def _role_field() -> SelectField:
    choices = [SelectChoice(role.value, name) for role, name in ROLE_NAMES.items()]
    return SelectField(_l("Role"), choices=choices, validators=[DataRequired()])


class OrganizationForm(BaseForm):
    name = StringField(_l("Name"),
                       validators=[DataRequired(), fits(Organization.name), PlainText()])
    kind = SelectField(
        _l("Kind"), validators=[DataRequired()],
        choices=[SelectChoice(kind.value, name) for kind, name in ORGANIZATION_KIND_NAMES.items()],
    )


class UserForm(BaseForm, NewPasswordMixin):
    email = StringField(_l("Email"), validators=[DataRequired(), fits(User.email), PlainText()])
    name = StringField(_l("Name"), validators=[DataRequired(), fits(User.name), PlainText()])
    role = _role_field()
    # Choices (the active organisations) are filled in by the view.
    organization = SelectField(_l("Organisation"), coerce=int, validators=[DataRequired()])


class RoleForm(BaseForm):
    role = _role_field()


class ResetPasswordForm(BaseForm, NewPasswordMixin):
    pass


class SiteImportForm(BaseForm):
    """The register as CSV: uploaded for a preview, then sent again as text to be written."""

    csv_file = FileField(_l("The register (CSV, the columns of the shipped file)"))
    content = HiddenField()
