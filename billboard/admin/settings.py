"""The settings page: every setting of ``billboard.settings``, grouped, in one form."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .. import images, settings, uploads
from ..auth.permissions import acting_user
from ..forms import BaseForm, UploadField
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


class EmblemForm(BaseForm):
    emblem = UploadField(_l("The city's emblem for the letterhead (JPEG or PNG)"),
                         [FileRequired(_l("Attach the emblem."))], types=uploads.PHOTO_TYPES)


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
    return _settings_page(form, EmblemForm(formdata=None))


def _settings_page(form: BaseForm, emblem_form: EmblemForm, status: int = 200):
    groups = [(group.title, [(known, form[_field_name(known.key)]) for known in group.settings])
              for group in settings.GROUPS]
    return render_template("admin/settings.html", form=form, groups=groups,
                           emblem_form=emblem_form, emblem=settings.emblem(),
                           is_placeholder=settings.is_placeholder), status


@bp.post("/settings/emblem")
def emblem():
    """A new emblem for the letterhead, checked by its content and made small enough to print;
    the one it replaces is named in the audit trail."""
    form = EmblemForm()
    if form.validate_on_submit():
        try:
            stored = images.emblem(form.emblem.upload)
        except uploads.UploadError as refused:
            form.emblem.errors.append(str(refused))
        else:
            with unit_of_work(stored):
                replaced = settings.set_emblem(stored, form.emblem.upload, acting_user())
            uploads.discard(replaced)
            flash(_("The emblem is saved: the documents print it from now on."), "success")
            return redirect(url_for("admin.settings_page"))
    return _settings_page(settings_form(settings.values()), form, status=422)
