from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import BaseForm, fits
from ..models import ApiToken, User
from ..text import PlainText
from .passwords import MAX_LENGTH


class LoginForm(BaseForm):
    # Field names are part of the interface: tests and scripts post ``email`` and ``password``.
    email = StringField(_l("Email"), validators=[DataRequired(), fits(User.email), PlainText()],
                        render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})


class NewPasswordMixin:
    new_password = PasswordField(_l("New password"), validators=[DataRequired()],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(BaseForm, NewPasswordMixin):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})


class TokenForm(BaseForm):
    name = StringField(_l("Name of the token (what it is for)"),
                       validators=[DataRequired(), fits(ApiToken.name), PlainText()])
    password = PasswordField(_l("Your password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
