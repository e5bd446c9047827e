"""Loading the site register from CSV: validate every row first, then write all or nothing."""
from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import selectinload

from . import clock, finance
from .booking.rules import OPEN_STATES
from .extensions import db
from .models import MAX_RUPIAH, Booking, Face, Site, SiteStatus, Tariff
from .text import text_problem

COLUMNS = (
    "code", "name", "address", "kelurahan", "kecamatan", "lat", "lon", "width_m", "height_m",
    "illuminated", "asset_register_no", "status", "monthly_rate_idr", "faces", "description",
)
REQUIRED = tuple(c for c in COLUMNS if c not in ("description", "status", "illuminated"))
# Indonesia's extent, generously rounded: a point outside it is a typo, not a billboard.
LAT_RANGE = (-11.5, 6.5)
LON_RANGE = (94.5, 141.5)
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
FACE_PATTERN = re.compile(r"^[A-Z]$")
# The widths of the text columns (models.Site): longer text is an error of its line, not a
# database error at the end.
TEXT_LIMITS = {name: Site.__table__.c[name].type.length
               for name in ("name", "address", "kelurahan", "kecamatan", "asset_register_no")}
# Every column a person typed, held to the rule of text.py (the code and faces have patterns).
TEXT_COLUMNS = ("name", "address", "kelurahan", "kecamatan", "asset_register_no", "description")
TRUE_WORDS = {"yes", "ya", "true", "1"}
FALSE_WORDS = {"no", "tidak", "false", "0", ""}


@dataclass
class SiteRow:
    line: int
    values: dict
    faces: list[str] = field(default_factory=list)


class SiteImportError(Exception):
    """The file was refused; ``errors`` holds one message per problem, with its line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _number(raw: str, column: str, problems: list[tuple[str, str]], kind=float):
    try:
        value = kind(raw.strip().replace(" ", ""))
    except ValueError:
        value = None
    # float() also reads "nan" and "inf", which no JSON (the GeoJSON of the sites) can carry.
    if value is None or not math.isfinite(value):
        problems.append((column, _("%(column)s is not a number: %(value)s", column=column,
                                   value=repr(raw))))
        return None
    return value


@dataclass
class SiteCheck:
    """One record of the register, checked: its values, its faces, and every problem found as
    (column, message) — the import names the line, the admin form the field."""

    values: dict
    faces: list[str]
    problems: list[tuple[str, str]]

    def refuses(self, column: str) -> bool:
        return any(refused == column for refused, _message in self.problems)


def check_site(raw: dict[str, str]) -> SiteCheck:
    """Check the columns of one site record that ``raw`` holds (stripped text, as typed).

    The one rule of the register, for a CSV row (every column) and for the admin's form (the
    columns it edits): a column ``raw`` does not hold is not checked and not in ``values``.
    """
    problems: list[tuple[str, str]] = []
    for column in REQUIRED:
        if column in raw and not raw[column]:
            problems.append((column, _("%(column)s is missing", column=column)))
    values: dict = {}
    if "code" in raw:
        values["code"] = code = raw["code"].upper()
        if code and not CODE_PATTERN.match(code):
            problems.append(("code", _("code %(value)s is not a valid site code",
                                       value=repr(raw["code"]))))
    values.update((k, raw[k]) for k in TEXT_COLUMNS if k in raw)
    for column, limit in TEXT_LIMITS.items():
        if len(raw.get(column, "")) > limit:
            problems.append((column, _("%(column)s is longer than %(limit)s characters",
                                       column=column, limit=limit)))
    for column in TEXT_COLUMNS:
        problem = text_problem(raw.get(column, ""), multiline=column == "description")
        if problem:
            problems.append((column, f"{column}: {problem}"))
    for column, kind in (("lat", float), ("lon", float), ("width_m", float),
                         ("height_m", float), ("monthly_rate_idr", int)):
        if raw.get(column):
            values[column] = _number(raw[column], column, problems, kind)
    lat, lon = values.get("lat"), values.get("lon")
    if lat is not None and lon is not None and not (
        LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]
    ):
        problems.append(("lat", _("coordinates %(lat)s, %(lon)s are outside Indonesia",
                                  lat=lat, lon=lon)))
    for column in ("width_m", "height_m"):
        if values.get(column) is not None and values[column] <= 0:
            problems.append((column, _("%(column)s must be positive, not %(value)s",
                                       column=column, value=values[column])))
    rate = values.get("monthly_rate_idr")
    if rate is not None and not 0 <= rate <= MAX_RUPIAH:
        problems.append(("monthly_rate_idr", _("monthly_rate_idr must be from 0 to %(max)s",
                                               max=MAX_RUPIAH)))
    if "illuminated" in raw:
        illuminated = raw["illuminated"].lower()
        if illuminated not in TRUE_WORDS | FALSE_WORDS:
            problems.append(("illuminated", _("illuminated must be yes or no, not %(value)s",
                                              value=repr(illuminated))))
        values["illuminated"] = illuminated in TRUE_WORDS
    if "status" in raw:
        status = raw["status"].lower() or SiteStatus.ACTIVE.value
        try:
            values["status"] = SiteStatus(status)
        except ValueError:
            problems.append(("status", _("status %(value)s is not one of %(statuses)s",
                                         value=repr(status),
                                         statuses=", ".join(s.value for s in SiteStatus))))
    faces = [f.strip().upper() for f in raw.get("faces", "").split(";") if f.strip()]
    if faces and (not all(FACE_PATTERN.match(f) for f in faces) or len(set(faces)) != len(faces)):
        problems.append(("faces", _("faces must be distinct letters like A;B, not %(value)s",
                                    value=repr(raw["faces"]))))
    return SiteCheck(values, faces, problems)


def open_use_problem(faces: Sequence[Face], what: str) -> str | None:
    """Why ``faces`` cannot be retired today: requests items, rentals or blocks on them that are
    pending or approved and not yet over, which retiring would leave hanging. The retire
    buttons of the register and a CSV row that sets ``retired`` are held to this one rule."""
    if not faces:
        return None
    count = db.session.scalar(db.select(db.func.count(Booking.id)).where(
        Booking.face_id.in_([face.id for face in faces]), Booking.status.in_(OPEN_STATES),
        Booking.end_on >= clock.today_wib()))
    if not count:
        return None
    return ngettext(
        "%(what)s still has %(num)d pending or approved use that has not ended: decide, "
        "cancel or let it end first.",
        "%(what)s still has %(num)d pending or approved uses that have not ended: decide, "
        "cancel or let them end first.", count, what=what)


def _retiring_problem(code: str) -> str | None:
    site = db.session.scalar(db.select(Site).filter_by(code=code))
    if site is None or not site.is_listed:
        return None
    return open_use_problem(site.faces, code)


def parse_sites(text: str) -> list[SiteRow]:
    """Check every row of a site CSV, against the register too where a row retires a site in
    use; raise SiteImportError listing every problem found."""
    reader = csv.DictReader(io.StringIO(text))
    missing_columns = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing_columns:
        raise SiteImportError([_("line 1: missing column(s): %(columns)s",
                                 columns=", ".join(missing_columns))])
    rows: list[SiteRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    # A quoted value may span lines: a row is named by the line it starts on.
    last_line = reader.line_num
    for record in reader:
        line, last_line = last_line + 1, reader.line_num
        checked = check_site({k: (record.get(k) or "").strip() for k in COLUMNS})
        row_errors = [_("line %(line)s: %(problem)s", line=line, problem=message)
                      for _column, message in checked.problems]
        code = checked.values["code"]
        # A code refused already (missing, malformed) is no duplicate of anything.
        if not checked.refuses("code"):
            if code in seen:
                row_errors.append(_("line %(line)s: duplicate code %(code)s (first on line "
                                    "%(first)s)", line=line, code=code, first=seen[code]))
            else:
                seen[code] = line
            if checked.values.get("status") == SiteStatus.RETIRED and (
                    problem := _retiring_problem(code)):
                row_errors.append(_("line %(line)s: %(problem)s", line=line, problem=problem))
        errors.extend(row_errors)
        rows.append(SiteRow(line=line, values=checked.values, faces=checked.faces))
    if not rows and not errors:
        errors.append(_("the file holds no sites"))
    if errors:
        raise SiteImportError(errors)
    return rows


def save_sites(rows: list[SiteRow], *, overwrite: bool = True) -> tuple[int, int]:
    """Insert new sites and (if ``overwrite``) update existing ones by code; add missing faces.

    A new site's rate is its tariff from the first day; an existing site whose rate differs
    from today's tariff gets a new tariff from today, so that uses already valued keep theirs.
    Faces are never removed here: they may carry bookings. Returns (created, updated).
    """
    existing = {s.code: s for s in db.session.scalars(
        db.select(Site).options(selectinload(Site.faces)))}
    today = clock.today_wib()
    rates = finance.rates_on(today)
    created = updated = 0
    for row in rows:
        values = dict(row.values)
        rate = values.pop("monthly_rate_idr")
        site = existing.get(values["code"])
        if site is None:
            # The first tariff comes with the site, as the site comes with the register.
            site = Site(**values)
            db.session.add_all([site, Tariff(site=site, monthly_rate_idr=rate,
                                             valid_from=finance.FIRST_DAY)])
            created += 1
        elif overwrite:
            for key, value in values.items():
                setattr(site, key, value)
            if rates.get(site.id) != rate:
                finance.set_tariff(None, site, rate, today)
            updated += 1
        else:
            continue
        labels = {f.label for f in site.faces}
        site.faces.extend(Face(label=label) for label in row.faces if label not in labels)
    db.session.flush()
    return created, updated


def shipped_sites_csv() -> str:
    return resources.files("billboard").joinpath("data/sites.csv").read_text(encoding="utf-8")


@dataclass
class RowPreview:
    """What importing one checked row would do, for a person to read before it is written."""

    line: int
    code: str
    name: str
    is_new: bool
    changed: list[str]  # the columns whose value differs from the register's
    new_faces: list[str]


def preview_sites(rows: list[SiteRow]) -> list[RowPreview]:
    """What ``save_sites(rows)`` would change, row by row, without changing anything."""
    existing = {s.code: s for s in db.session.scalars(
        db.select(Site).options(selectinload(Site.faces)))}
    rates = finance.rates_on(clock.today_wib())
    previews = []
    for row in rows:
        site = existing.get(row.values["code"])
        if site is None:
            previews.append(RowPreview(row.line, row.values["code"], row.values["name"], True,
                                       [], list(row.faces)))
            continue
        changed = [key for key, value in row.values.items() if key != "monthly_rate_idr"
                   and getattr(site, key) != value]
        if rates.get(site.id) != row.values["monthly_rate_idr"]:
            changed.append("monthly_rate_idr")
        labels = {face.label for face in site.faces}
        previews.append(RowPreview(row.line, site.code, row.values["name"], False, changed,
                                   [label for label in row.faces if label not in labels]))
    return previews
