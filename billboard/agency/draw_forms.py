"""Forms of the draw pages: the draw itself, its annulment, a design and its approval."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired

from .. import uploads
from ..forms import BaseForm, UploadField, fits
from ..models import Design, Draw


class DrawForm(BaseForm):
    seed = StringField(_l("Seed made at the meeting"), validators=[
        DataRequired(_l("The seed is required.")), fits(Draw.seed)])
    witnesses = TextAreaField(_l("Witnesses present (one per line)"), validators=[
        DataRequired(_l("Name at least one witness."))])

    def witness_names(self) -> list[str]:
        return [line.strip() for line in self.witnesses.data.splitlines() if line.strip()]


class AnnulForm(BaseForm):
    reason = TextAreaField(_l("Reason for annulling the draw"), validators=[
        DataRequired(_l("A reason is required to annul a draw.")), fits(Draw.annul_reason)])


class DesignForm(BaseForm):
    design = UploadField(_l("Design (JPEG, PNG or PDF)"),
                         [FileRequired(_l("Attach the design."))], types=uploads.ARTWORK_TYPES)


class DesignApprovalForm(BaseForm):
    approved_by = StringField(_l("Approved by (KPU)"), validators=[
        DataRequired(_l("Name who approved the design.")), fits(Design.approved_by)])
    witnesses = StringField(_l("Witnessed by (Bawaslu, the LO)"), validators=[
        DataRequired(_l("Name who witnessed the approval.")), fits(Design.approval_witnesses)])
