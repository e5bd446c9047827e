"""What every form of the app shares: WTForms' own messages in the UI language, dates written
the Indonesian way, Rupiah typed with thousands dots and uploads checked by their content.

Forms derive from ``BaseForm`` (a FlaskForm, with CSRF) or, for rows inside a ``FormField``,
``SubForm``. WTForms ships no Indonesian catalog, so its messages ("This field is required.")
are translated in ``billboard/translations`` like every other string, and both base classes
hand them to WTForms once, here.
"""
from __future__ import annotations

import re
from datetime import date

import wtforms
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Field
from wtforms.validators import Length, ValidationError
from wtforms.widgets import TextInput

from . import uploads
from .i18n import long_date, rupiah
from .models import MAX_RUPIAH, max_length


class _CatalogTranslations:
    """WTForms' ``gettext``/``ngettext`` protocol answered from the app's merged catalogs."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


_TRANSLATIONS = _CatalogTranslations()


class _TranslatedMeta:
    def get_translations(self, form):
        return _TRANSLATIONS


def fits(column) -> Length:
    """The length validator of a field stored in ``column``: the column's own limit, the one the
    API applies too."""
    return Length(max=max_length(column))


class BaseForm(FlaskForm):
    """A form of the app: CSRF-protected, its built-in messages in the UI language."""

    class Meta(_TranslatedMeta):
        pass


class SubForm(wtforms.Form):
    """A group of fields repeated inside a form (``FieldList(FormField(...))``); no CSRF of its
    own, since the enclosing form carries it."""

    class Meta(_TranslatedMeta):
        pass


# Month names people write, Indonesian and English, full and short (lower case).
_MONTHS = {
    name: number
    for number, names in enumerate((
        ("januari", "january", "jan"), ("februari", "february", "feb", "pebruari"),
        ("maret", "march", "mar"), ("april", "apr"), ("mei", "may"),
        ("juni", "june", "jun"), ("juli", "july", "jul"),
        ("agustus", "august", "agu", "agt", "ags", "aug"),
        ("september", "sep", "sept"), ("oktober", "october", "okt", "oct"),
        ("november", "nov", "nop", "nopember"), ("desember", "december", "des", "dec"),
    ), start=1)
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_WORDS = re.compile(r"(\d{1,2})\s+([^\W\d_]+)\.?\s+(\d{4})")


def parse_date(text: str) -> date | None:
    """``27 November 2024``, ``27 Nov 2024``, ``27-11-2024``, ``27/11/2024`` or ISO
    ``2024-11-27`` as a date; None for anything else (or a day that does not exist)."""
    text = " ".join(text.split())
    try:
        if match := _ISO.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
        elif match := _NUMERIC.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
        elif (match := _WORDS.fullmatch(text)) and match[2].lower() in _MONTHS:
            day, month, year = int(match[1]), _MONTHS[match[2].lower()], int(match[3])
        else:
            return None
        return date(year, month, day)
    except ValueError:
        return None


class DateField(Field):
    """A date typed as people write it (see ``parse_date``) and shown as ``27 November 2024``.

    A text box rather than ``<input type=date>``: the browser's own picker follows the
    browser's language and shows ``mm/dd/yyyy`` to many Indonesian users.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs["render_kw"] = {"autocomplete": "off", "placeholder": _l("e.g. 27 November 2024"),
                               "class": "date-input", **kwargs.get("render_kw", {})}
        super().__init__(label, validators, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return long_date(self.data) if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip()
        self.data = parse_date(text) if text else None
        if text and self.data is None:
            raise ValueError(_("Write the date like 27 November 2024 or 27-11-2024."))


_RUPIAH = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")


def parse_rupiah(text: str) -> int | None:
    """``12.000.000``, ``Rp 12.000.000``, ``Rp12.000.000,-`` or ``12000000`` as 12000000;
    None for anything else (a decimal comma with cents, a misplaced dot)."""
    text = re.sub(r"^rp\.?", "", text.strip().lower()).strip()
    text = re.sub(r",(-|0+)$", "", text).replace(" ", "")
    return int(text.replace(".", "")) if _RUPIAH.fullmatch(text) else None


class RupiahField(Field):
    """Whole Rupiah, typed with dots between thousands as Indonesians write them: ``12.000.000``
    is twelve million (a plain number field would read it as 12). Shown the same way."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs["render_kw"] = {"inputmode": "numeric", "autocomplete": "off",
                               "class": "rupiah-input", **kwargs.get("render_kw", {})}
        super().__init__(label, validators, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:,}".replace(",", ".") if self.data is not None else ""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip()
        self.data = parse_rupiah(text) if text else None
        if text and self.data is None:
            raise ValueError(_("Write whole Rupiah with dots between thousands, like 12.000.000."))
        if self.data is not None and self.data > MAX_RUPIAH:
            self.data = None
            raise ValueError(_("Enter an amount from Rp 0 to %(max)s.", max=rupiah(MAX_RUPIAH)))


class UploadField(FileField):
    """A file accepted only if its content is one of ``types`` and it is within the size limit.

    After validation ``upload`` holds the checked file, not yet written anywhere.
    """

    def __init__(self, label=None, validators=None, *, types: tuple[str, ...], **kwargs):
        super().__init__(label, validators, **kwargs)
        self.types = types
        self.upload: uploads.Upload | None = None

    def post_validate(self, form, validation_stopped):
        if validation_stopped or self.data is None:
            return
        try:
            self.upload = uploads.check(self.data, self.types)
        except uploads.UploadError as error:
            raise ValidationError(str(error)) from None
