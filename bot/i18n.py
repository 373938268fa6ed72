"""Languages: which one a chat reads, its catalog, and dates and numbers written its way.

Messages go through gettext: `translator(language).gettext("...")` and `ngettext`
for a number (Russian has three plural forms: 1 статья, 2 статьи, 5 статей). The
catalogs are `bot/locale/<language>/LC_MESSAGES/newsbot.po`, in the repository,
read with Babel at first use: nothing is compiled at install, nothing downloaded.
`tests/test_i18n.py` fails when a message in the code has no translation, a fuzzy
one, or one whose placeholders differ. English is the source language.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import cache
from pathlib import Path

from babel.dates import format_date as babel_format_date
from babel.dates import get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LANGUAGES: tuple[str, ...] = ("en", "ru")
DEFAULT_LANGUAGE = "en"
LOCALES = Path(__file__).resolve().parent / "locale"
DOMAIN = "newsbot"
# Telegram's language_code of people who mostly read Russian in the region and around it.
RUSSIAN_READERS = frozenset({"ru", "kk", "ky", "uz", "tg", "tk", "be", "uk"})


def language_for(language_code: str | None) -> str:
    """The language to greet a user in, from Telegram's `language_code` ("ru-RU", "kk")."""
    base = (language_code or "").split("-")[0].lower()
    return "ru" if base in RUSSIAN_READERS else DEFAULT_LANGUAGE


def catalog_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translator(language: str) -> gettext.NullTranslations:
    """The language's translations; English (and an unknown language) are the source."""
    path = catalog_path(language)
    if language == DEFAULT_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # a fuzzy guess is no translation
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def format_day(day: dt.date, language: str) -> str:
    """ "2 Dec 2026"; "2 декабря 2026"."""
    if language == "ru":
        return babel_format_date(day, "d MMMM y", locale="ru")
    return f"{day.day} {day:%b %Y}"


def weekday_names(language: str) -> dict[int, str]:
    """Short weekday names by ISO weekday (1: "Mon" / "пн"), from Babel's locale data."""
    names = get_day_names("abbreviated", locale=language)  # Babel: 0 is Monday
    return {day + 1: str(names[day]) for day in range(7)}


def format_number(value: float, decimals: int, language: str) -> str:
    """12,500 and 518.1; 12 500 and 518,1 in Russian."""
    if language == "ru":
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, pattern, locale="ru")
    return f"{value:,.{decimals}f}"


def N_(message: str) -> str:
    """Marks `message` for the catalog; it is translated where it is shown."""
    return message


def say(language: str, message: str, /, **params: object) -> str:
    """`message` in `language`, its `{placeholders}` filled in."""
    text = translator(language).gettext(message)
    return text.format(**params) if params else text
