"""Forms of the agency pages: a request with its items, and a handover photo."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileRequired
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, StopValidation

from .. import uploads
from ..booking import REQUEST_CATEGORIES, ItemInput
from ..forms import BaseForm, DateField, SubForm, UploadField, fits
from ..labels import CATEGORY_LABELS
from ..models import Request
from ..text import PlainText

BLANK_ROWS = 3
MAX_ROWS = 50


class RequiredUnlessKept(FileRequired):
    """A file is required, unless the form carries the token of one kept from a refused
    submission (``<field>_kept``): that one is used, and a newly chosen file replaces it."""

    def __call__(self, form, field):
        if not field.data:
            kept = uploads.kept(form[f"{field.name}_kept"].data)
            if kept is not None:
                field.upload = kept
                raise StopValidation()
        super().__call__(form, field)


def _optional_id(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def face_value(site_code: str, face_label: str) -> str:
    """How a face is named in the form: ``PGK-01/A``."""
    return f"{site_code}/{face_label}"


def _item(value: str, start, end) -> ItemInput:
    site, _slash, face = value.partition("/")
    return ItemInput(site=site, face=face, start=start, end=end)


class ItemRow(SubForm):
    """One extra item with its own dates. Site and face are not limited to the offered choices:
    the booking service names an unknown one in its refusal."""

    face = SelectField(_l("Site and face"), validate_choice=False, validators=[Optional()])
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("Until"), validators=[Optional()])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        given = {"face": bool(self.face.data), "start": self.start.data is not None,
                 "end": self.end.data is not None}
        if any(given.values()) and not all(given.values()):
            for name, present in given.items():
                if not present and not self[name].errors:
                    self[name].errors.append(_("Fill in site, face and both dates, or "
                                               "leave the whole row empty."))
            valid = False
        return valid


class RequestForm(BaseForm):
    """A request: the letter and its purpose, and the faces wanted with their dates.

    Items come from two places: faces ticked in the checklist share the common dates (the usual
    case: all sites for the same weeks); each extra row has a face and dates of its own.
    """

    purpose = TextAreaField(_l("Purpose"), validators=[DataRequired(), fits(Request.purpose),
                                                       PlainText(multiline=True)])
    # Not limited to the offered choices: the booking service explains why commercial use or
    # an unknown category is refused.
    category = SelectField(
        _l("Content category"), validate_choice=False, validators=[DataRequired()],
        choices=[SelectChoice(c.value, CATEGORY_LABELS[c]) for c in REQUEST_CATEGORIES],
    )
    # Choices (every election) are filled in by the view; the booking service says when one
    # is missing or not wanted.
    election = SelectField(_l("Election (campaign props only)"), coerce=_optional_id,
                           validate_choice=False)
    letter_number = StringField(
        _l("Letter number"),
        validators=[DataRequired(), fits(Request.letter_number), PlainText()])
    letter_date = DateField(_l("Letter date"), validators=[DataRequired()])
    letter = UploadField(_l("Signed letter (PDF)"),
                         [RequiredUnlessKept(_l("Attach the signed letter as a PDF."))],
                         types=uploads.LETTER_TYPES)
    artwork = UploadField(_l("Artwork (JPEG, PNG or PDF)"),
                          [RequiredUnlessKept(_l("Attach the artwork that will be displayed."))],
                          types=uploads.ARTWORK_TYPES)
    # Tokens of the files kept from a refused submission (uploads.keep).
    letter_kept = HiddenField()
    artwork_kept = HiddenField()
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("Until"), validators=[Optional()])
    faces = SelectMultipleField(_l("Faces"), validate_choice=False)
    rows = FieldList(FormField(ItemRow), min_entries=BLANK_ROWS, max_entries=MAX_ROWS)

    def __init__(self, *args, face_choices: list[SelectChoice],
                 election_choices: list[SelectChoice], **kwargs):
        super().__init__(*args, **kwargs)
        self.faces.choices = face_choices
        self.election.choices = [SelectChoice("", _("— none —")), *election_choices]
        for row in self.rows:
            row.face.choices = [SelectChoice("", _("— choose —")), *face_choices]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.faces.data and not (self.start.errors or self.end.errors) and (
                self.start.data is None or self.end.data is None):
            self.start.errors.append(_("Choose the dates for the ticked faces."))
            valid = False
        return valid

    def keep_files(self) -> dict[str, str]:
        """After a refusal: stage each checked file for the next submission and put its token
        in the form; returns the names shown as kept (field name → file name). A file
        refused by its check is not kept: the person chooses one again."""
        shown = {}
        for field in (self.letter, self.artwork):
            upload = field.upload
            self[f"{field.name}_kept"].data = uploads.keep(upload) if upload else ""
            if upload:
                shown[field.name] = upload.filename or upload.name
        return shown

    def items(self) -> list[ItemInput]:
        """The wished items: every ticked face for the common dates, then each filled row."""
        ticked = [_item(value, self.start.data, self.end.data) for value in self.faces.data]
        extra = [_item(row.face.data, row.start.data, row.end.data)
                 for row in self.rows if row.face.data]
        return ticked + extra


class FilesForm(BaseForm):
    """The letter and artwork of a request made without them (through the API), or new ones."""

    letter = UploadField(_l("Signed letter (PDF)"), types=uploads.LETTER_TYPES)
    artwork = UploadField(_l("Artwork (JPEG, PNG or PDF)"), types=uploads.ARTWORK_TYPES)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and not (self.letter.upload or self.artwork.upload):
            self.letter.errors.append(_("Choose a letter, an artwork or both."))
            valid = False
        return valid


class PhotoForm(BaseForm):
    """The photo proving that the material was put up, or taken down, and when."""

    which = SelectField(_l("Photo of"), choices=[SelectChoice("installed", _l("Installation")),
                                                 SelectChoice("removed", _l("Removal"))])
    taken_on = DateField(_l("Taken on"), validators=[DataRequired()])
    photo = UploadField(_l("Photo (JPEG or PNG)"),
                        [FileRequired(_l("Attach the photo."))], types=uploads.PHOTO_TYPES)
