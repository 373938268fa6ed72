"""Inline keyboards: the country picker (edited in place as countries are toggled) and
the language switch under /settings."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import say
from bot.news.compose import country_name
from bot.news.regions import BY_CODE, COUNTRIES

PREFIX = "country:"
DONE = "done"


def picker_markup(selected: tuple[str, ...], language: str = "en") -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            f"{'✅ ' if c.code in selected else ''}{c.flag} {country_name(c.code, language)}",
            callback_data=f"{PREFIX}{c.code}",  # "country:KZ": far under Telegram's 64 bytes
        )
        for c in COUNTRIES
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(say(language, "Done"), callback_data=f"{PREFIX}{DONE}")])
    return InlineKeyboardMarkup(rows)


def parse_callback(data: str | None) -> str | None:
    """ "KZ" … or "done" for a button of ours; None for anything stale or forged."""
    if not data or not data.startswith(PREFIX):
        return None
    choice = data.removeprefix(PREFIX)
    return choice if choice == DONE or choice in BY_CODE else None


LANGUAGE_PREFIX = "language:"
# Each language's button is labelled in that language: a reader finds their own.
_LANGUAGE_BUTTONS = {"en": "🇬🇧 English", "ru": "🇷🇺 Русский"}


def language_markup(current: str) -> InlineKeyboardMarkup:
    """One button under /settings: switch to the other language."""
    other = "ru" if current == "en" else "en"
    button = InlineKeyboardButton(_LANGUAGE_BUTTONS[other], callback_data=LANGUAGE_PREFIX + other)
    return InlineKeyboardMarkup([[button]])


def parse_language_callback(data: str | None) -> str | None:
    """ "ru" or "en" for a language button of ours; None for anything else."""
    choice = (data or "").removeprefix(LANGUAGE_PREFIX)
    return (
        choice
        if data and data.startswith(LANGUAGE_PREFIX) and choice in _LANGUAGE_BUTTONS
        else None
    )
