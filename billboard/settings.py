"""Values an administrator edits at /admin/settings: Bakeuda's contact details, the letterhead,
signatory and copies of the official documents.

Every setting the product knows is declared once, in ``GROUPS`` below: its key, the label shown
to the administrator, a default and whether it is one line or several. Pages read values with
``values(*keys)`` or ``group(name)``; a key nobody has saved yet gives its default. Defaults are
placeholders that say so (``CONTOH``), so that every page and document is complete from the
first day and nobody mistakes a placeholder for the real address. To add settings, add a
``Group`` here: the admin page, its form and its audit trail follow.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from . import audit
from .audit import Action
from .extensions import db
from .models import Setting, User
from .uploads import Upload

PLACEHOLDER_MARK = "CONTOH"
MAX_LENGTH = 2000


@dataclass(frozen=True)
class Known:
    """One setting: ``key`` (``area.name``), its label, its default, one line or several, and
    whether it may be left empty."""

    key: str
    label: str
    default: str
    multiline: bool = False
    required: bool = True


@dataclass(frozen=True)
class Group:
    """Settings read together (``group(name)``) and shown under one heading on the admin page."""

    name: str
    title: str
    settings: tuple[Known, ...]


GROUPS: tuple[Group, ...] = (
    Group("contact", _l("Bakeuda's contact (shown on the public information page)"), (
        Known("contact.office", _l("Office name"), "Badan Keuangan Daerah Kota Pangkalpinang"),
        Known("contact.address", _l("Address"),
              "CONTOH — Jl. Merdeka No. 1, Pangkalpinang, Kepulauan Bangka Belitung 33121 "
              "(alamat contoh, ganti di Pengaturan)", multiline=True),
        Known("contact.phone", _l("Telephone"), "CONTOH — (0717) 000000"),
        Known("contact.email", _l("Email"), "CONTOH — bakeuda@pangkalpinangkota.go.id"),
        Known("contact.hours", _l("Office hours"),
              "CONTOH — Senin–Kamis 08.00–16.00 WIB, Jumat 08.00–16.30 WIB"),
    )),
    # The official documents (DESIGN §6a) print these: the kop, who signs, who gets a copy.
    Group("letterhead", _l("Letterhead of the official documents"), (
        Known("letterhead.government", _l("Government name"), "Pemerintah Kota Pangkalpinang"),
        Known("letterhead.agency", _l("Agency name"), "Badan Keuangan Daerah"),
        Known("letterhead.address", _l("Address"),
              "CONTOH — Jl. Merdeka No. 1, Pangkalpinang 33121"),
        Known("letterhead.phone", _l("Telephone"), "CONTOH — (0717) 000000"),
        Known("letterhead.email", _l("Email"), "CONTOH — bakeuda@pangkalpinangkota.go.id"),
        Known("letterhead.website", _l("Website"), "CONTOH — bakeuda.pangkalpinangkota.go.id"),
        Known("letterhead.place", _l("Place of signing"), "Pangkalpinang"),
    )),
    Group("signatory", _l("Signatory of the letters and agreements"), (
        Known("signatory.on_behalf", _l("On behalf of (a.n.) line"),
              "a.n. Wali Kota Pangkalpinang"),
        Known("signatory.position", _l("Position (jabatan)"),
              "CONTOH — Kepala Badan Keuangan Daerah"),
        Known("signatory.name", _l("Name"), "CONTOH — Nama Pejabat Penandatangan"),
        Known("signatory.rank", _l("Rank and grade (pangkat/golongan)"),
              "CONTOH — Pembina Utama Muda (IV/c)"),
        Known("signatory.nip", _l("NIP"), "CONTOH — 19700101 199503 1 001"),
    )),
    Group("tembusan", _l("Copies (tembusan) of the letters"), (
        Known("tembusan.lines", _l("One recipient a line"),
              "CONTOH — Wali Kota Pangkalpinang (sebagai laporan)\n"
              "CONTOH — Inspektur Kota Pangkalpinang\nArsip", multiline=True),
    )),
)
KNOWN: dict[str, Known] = {known.key: known for group in GROUPS for known in group.settings}


def values(*keys: str) -> dict[str, str]:
    """The current value of each of ``keys`` (all known ones when none is given), one query."""
    wanted = keys or tuple(KNOWN)
    unknown = set(wanted) - set(KNOWN)
    if unknown:
        raise KeyError(f"unknown settings: {sorted(unknown)}")
    saved = dict(db.session.execute(
        db.select(Setting.key, Setting.value).where(Setting.key.in_(wanted))).all())
    return {key: saved.get(key, KNOWN[key].default) for key in wanted}


def group(name: str) -> dict[str, str]:
    """The current values of the group called ``name``, by key."""
    found = next(group for group in GROUPS if group.name == name)
    return values(*(known.key for known in found.settings))


def is_placeholder(value: str) -> bool:
    return PLACEHOLDER_MARK in value


def placeholders() -> list[str]:
    """The keys whose value is still a placeholder: ``billboard check`` warns about them."""
    return [key for key, value in values().items() if is_placeholder(value)]


# The stored name of the emblem an administrator uploaded; without one the letters print the
# placeholder emblem shipped in static/. A file, not text: kept apart from ``KNOWN``.
EMBLEM_KEY = "letterhead.emblem_file"


def emblem() -> str | None:
    """The stored name of the uploaded emblem, or None."""
    return db.session.scalar(db.select(Setting.value).where(Setting.key == EMBLEM_KEY))


def set_emblem(stored: Upload, sent: Upload, actor: User) -> str | None:
    """Make ``stored`` (made from the file ``sent``) the letterhead's emblem; the stored name
    it replaces, for the caller to remove once the change is committed. Only flushes."""
    row = db.session.scalar(db.select(Setting).where(Setting.key == EMBLEM_KEY))
    replaced = row.value if row else None
    if row:
        row.value = stored.name
    else:
        db.session.add(Setting(key=EMBLEM_KEY, value=stored.name))
    audit.record(actor, Action.SETTING_CHANGE, "setting",
                 detail=f"{EMBLEM_KEY}: {replaced!r} -> {stored.name!r} "
                        f"(sha256 {sent.sha256})")
    db.session.flush()
    return replaced


def save(changes: dict[str, str], actor: User) -> list[str]:
    """Store ``changes`` (key -> new value); return the keys whose value changed.

    Each change is audited with the old and new value (settings hold no secrets). Only flushes:
    the caller's unit of work commits.
    """
    current = values(*changes)
    rows = {row.key: row for row in db.session.scalars(
        db.select(Setting).where(Setting.key.in_(changes)))}
    changed = []
    for key, value in changes.items():
        value = value.strip()
        if len(value) > MAX_LENGTH:
            raise ValueError(f"{key} is longer than {MAX_LENGTH} characters")
        if value == current[key]:
            continue
        if key in rows:
            rows[key].value = value
        else:
            db.session.add(Setting(key=key, value=value))
        audit.record(actor, Action.SETTING_CHANGE, "setting",
                     detail=f"{key}: {current[key]!r} -> {value!r}")
        changed.append(key)
    db.session.flush()
    return changed
