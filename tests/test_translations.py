"""Indonesian is the default language: every string the UI can show has a translation."""
import glob
import os

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(__file__))
METHODS = [("billboard/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}


def _catalogs():
    for path in sorted(glob.glob(os.path.join(ROOT, "billboard", "**", "id", "LC_MESSAGES",
                                              "messages.po"), recursive=True)):
        with open(path, "rb") as po:
            yield os.path.relpath(path, ROOT), read_po(po, locale="id")


def test_no_catalog_is_marked_fuzzy():
    # pybabel compile silently skips a catalog whose header is fuzzy: the UI would be English.
    assert [path for path, catalog in _catalogs() if catalog.fuzzy] == []


def _translated() -> set[str]:
    return {
        message.id if isinstance(message.id, str) else message.id[0]
        for _path, catalog in _catalogs()
        for message in catalog
        if message.id and message.string and not message.fuzzy
        and (isinstance(message.string, str) or all(message.string))
    }


def test_every_ui_string_has_an_indonesian_translation():
    translated = _translated()
    missing = sorted({
        (msgid if isinstance(msgid, str) else msgid[0], f"{filename}:{lineno}")
        for filename, lineno, msgid, *_rest in extract_from_dir(
            ROOT, METHODS, keywords=KEYWORDS)
        if (msgid if isinstance(msgid, str) else msgid[0]) not in translated
    })
    assert missing == [], f"{len(missing)} strings without Indonesian translation"


def test_wtforms_own_messages_have_an_indonesian_translation():
    # WTForms and Flask-WTF ship no Indonesian; billboard/forms.py hands every form the app's
    # catalogs, so each message they can show must be translated there.
    import flask_wtf
    import wtforms

    keywords = {"gettext": None, "ngettext": (1, 2)}
    messages = {
        msgid if isinstance(msgid, str) else msgid[0]
        for package in (wtforms, flask_wtf)
        for _file, _line, msgid, *_rest in extract_from_dir(
            os.path.dirname(package.__file__), [("**.py", "python")], keywords=keywords)
    }
    assert len(messages) > 30  # the extraction found them at all
    assert sorted(messages - _translated()) == []
