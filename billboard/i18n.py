"""Language choice (Indonesian by default), WIB dates and Rupiah amounts for templates."""
import functools
from collections.abc import Mapping
from datetime import date, datetime

from babel import dates
from flask import Blueprint, Flask, current_app, has_request_context, redirect, request, session
from flask_babel import format_date, format_datetime, get_locale

from .extensions import babel
from .redirects import is_safe_path

bp = Blueprint("i18n", __name__)

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def select_locale() -> str:
    # Outside a request (CLI, mail, tests of the service) the default language applies.
    return locale_of(session if has_request_context() else {}, current_app.config)


def locale_of(visit: Mapping, config: Mapping) -> str:
    """The language a visitor's session chose, else the default."""
    lang = visit.get("lang")
    return lang if lang in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]


@bp.get("/language/<code>")
def switch_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    target = request.args.get("next", "/")
    return redirect(target if is_safe_path(target) else "/")


def rupiah(amount: int | None) -> str:
    """``Rp 1.250.000``: the Indonesian grouping, whatever the UI language."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(int(amount)):,}".replace(",", ".")


def long_date(value: date | datetime | None) -> str:
    """``27 November 2024`` in the UI language; datetimes are shown in WIB."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_date(value, "d MMMM y")
    return _day_name(value, str(get_locale()))


@functools.lru_cache(maxsize=4096)
def _day_name(day: date, locale: str) -> str:
    # Pages and messages name the same days again and again (the queue, a clash, a calendar):
    # Babel takes longer to format one than the rest of such a line.
    return dates.format_date(day, "d MMMM y", locale=locale)


def date_time(value: datetime | None) -> str:
    """``27 November 2024 14.05 WIB``-style timestamp in WIB."""
    if value is None:
        return ""
    return format_datetime(value, "d MMMM y HH.mm") + " WIB"


def _template_context() -> dict:
    current = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    other = "en" if current == "id" else "id"
    return {
        "current_language": current,
        "other_language": other,
        "other_language_name": LANGUAGE_NAMES[other],
    }


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)
    app.jinja_env.filters.update(rupiah=rupiah, long_date=long_date, date_time=date_time)
    app.context_processor(_template_context)
