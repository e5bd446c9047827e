"""The site register imported through the browser: every row and every error shown before
anything is written, with the checks of ``billboard import-sites`` (billboard/sites.py)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..sites import SiteImportError, parse_sites, preview_sites, save_sites
from ..unit_of_work import unit_of_work
from . import bp
from .forms import SiteImportForm


def _uploaded_text(form: SiteImportForm) -> str | None:
    """The CSV as text: the file just chosen, or the text of the preview being confirmed."""
    if "confirm" in request.form:
        return form.content.data or None
    upload = form.csv_file.data
    if not upload:
        return None
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SiteImportError([_("The file is not UTF-8 text: save it as CSV UTF-8.")]) \
            from None


@bp.route("/sites/import", methods=["GET", "POST"])
def import_sites():
    form = SiteImportForm()
    errors, previews, text = [], None, None
    if form.validate_on_submit():
        try:
            text = _uploaded_text(form)
            if text is None:
                raise SiteImportError([_("Choose the CSV file of the register.")])
            rows = parse_sites(text)
        except SiteImportError as refused:
            errors = refused.errors
        else:
            if "confirm" in request.form:
                with unit_of_work():
                    created, updated = save_sites(rows)
                flash(_("Imported %(n)s site(s): %(created)s new, %(updated)s updated.",
                        n=len(rows), created=created, updated=updated), "success")
                return redirect(url_for(".import_sites"), 303)
            previews = preview_sites(rows)
    status = 422 if errors or form.errors else 200
    return render_template("admin/sites_import.html", form=form, errors=errors,
                           previews=previews, text=text if previews else None), status
