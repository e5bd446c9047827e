"""The settings page: every setting of ``billboard.settings``, grouped, in one form."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .. import settings
from ..auth.permissions import acting_user
from ..forms import BaseForm
from ..text import PlainText
from ..unit_of_work import unit_of_work
from . import bp


def _field_name(key: str) -> str:
    return key.replace(".", "__")


def settings_form(current: dict[str, str]) -> BaseForm:
    """A form with one field per known setting, filled with ``current``."""
    fields = {
        _field_name(known.key): (TextAreaField if known.multiline else StringField)(
            known.label, default=current[known.key],
            validators=[DataRequired() if known.required else Optional(),
                        Length(max=settings.MAX_LENGTH), PlainText(multiline=known.multiline)])
        for known in settings.KNOWN.values()
    }
    return type("SettingsForm", (BaseForm,), fields)()


@bp.route("/settings", methods=["GET", "POST"])
def settings_page():
    form = settings_form(settings.values())
    if form.validate_on_submit():
        with unit_of_work():
            changed = settings.save(
                {key: form[_field_name(key)].data or "" for key in settings.KNOWN},
                acting_user())
        flash(_("Settings saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("admin.settings_page"))
    groups = [(group.title, [(known, form[_field_name(known.key)]) for known in group.settings])
              for group in settings.GROUPS]
    return render_template("admin/settings.html", form=form, groups=groups,
                           is_placeholder=settings.is_placeholder)
