"""Inline keyboards: the country picker (edited in place as countries are toggled),
the outlet picker, the buttons under /settings and the remove buttons of /keywords."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import NamedTuple

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, say
from bot.news.compose import country_name
from bot.news.regions import BY_CODE, COUNTRIES
from bot.sources.catalog import Outlet
from bot.topics import keyword_token
from storage.subscribers import ChatPrefs

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
    """One button: switch to the other language."""
    return InlineKeyboardMarkup([[_language_button(current)]])


def _language_button(current: str) -> InlineKeyboardButton:
    other = "ru" if current == "en" else "en"
    return InlineKeyboardButton(_LANGUAGE_BUTTONS[other], callback_data=LANGUAGE_PREFIX + other)


SETTING_PREFIX = "setting:"
WEEKDAYS = (1, 2, 3, 4, 5)
EVERY_DAY = (1, 2, 3, 4, 5, 6, 7)
_NEXT_BREVITY = {"headlines": "short", "short": "full", "full": "headlines"}
_BREVITY_LABELS = {
    "headlines": N_("📰 Titles only"),
    "short": N_("📝 One sentence"),
    "full": N_("📄 Three sentences"),
}


def settings_markup(prefs: ChatPrefs, language: str | None = None) -> InlineKeyboardMarkup:
    """Under /settings, the common changes, each one tap: brevity (the next of three),
    alerts on or off, weekdays or every day, the language. Edited in place.

    Labelled in `language` (the reader's; the chat's own by default)."""
    language = language or prefs.language
    brevity = _NEXT_BREVITY.get(prefs.brevity, "short")
    alerts = "off" if prefs.alerts else "on"
    days = "all" if tuple(prefs.days) != EVERY_DAY else "weekdays"
    labels = {
        "alerts": say(language, "🔕 Alerts off") if prefs.alerts else say(language, "🔔 Alerts on"),
        "days": say(language, "📅 Every day") if days == "all" else say(language, "📅 Mon–Fri"),
    }
    rows = [
        [InlineKeyboardButton(say(language, _BREVITY_LABELS[brevity]),
                              callback_data=f"{SETTING_PREFIX}brief:{brevity}")],
        [InlineKeyboardButton(labels["alerts"], callback_data=f"{SETTING_PREFIX}alerts:{alerts}"),
         InlineKeyboardButton(labels["days"], callback_data=f"{SETTING_PREFIX}days:{days}")],
        [InlineKeyboardButton(say(language, "🌍 Countries"),
                              callback_data=f"{SETTING_PREFIX}countries:pick"),
         InlineKeyboardButton(say(language, "🗞 Outlets"),
                              callback_data=f"{OUTLET_PREFIX}page:0")],
        [_language_button(prefs.language)],
    ]  # fmt: skip
    return InlineKeyboardMarkup(rows)


_SETTING_CHOICES = {
    "brief": set(_NEXT_BREVITY),
    "alerts": {"on", "off"},
    "days": {"all", "weekdays"},
    "countries": {"pick"},  # the settings message becomes the country picker
}


def parse_setting_callback(data: str | None) -> tuple[str, str] | None:
    """("brief", "full"), ("alerts", "on"), ("days", "weekdays"), ("language", "ru")…
    for a settings button of ours; None for anything stale or forged."""
    if language := parse_language_callback(data):
        return "language", language
    if not data or not data.startswith(SETTING_PREFIX):
        return None
    name, _, value = data.removeprefix(SETTING_PREFIX).partition(":")
    return (name, value) if value in _SETTING_CHOICES.get(name, ()) else None


OUTLET_PREFIX = "outlet:"
OUTLETS_PER_PAGE = 10


class OutletChoice(NamedTuple):
    key: str  # a catalog name, or "url:…" for another source
    name: str  # as readers know it
    heard: bool  # articles of it are stored


def outlet_choices(
    catalog: Sequence[Outlet],
    countries: Collection[str],
    languages: Collection[str] | None,
    known: Sequence[tuple[str, str]],
    fetched: Sequence[tuple[str, str]] = (),
) -> list[OutletChoice]:
    """What /outlets lists for a chat: the catalog's outlets of its countries (all, for
    a chat with none) in its news languages (None: any), whether heard from or not, and
    every other source the bot fetches or has articles of (the operators' sources,
    SOURCES' URLs), by name. `known`: (key, name) of the outlets with stored articles;
    `fetched`: (key, name) of the sources fetched that are not in the catalog."""
    heard = dict(known)
    chosen = {
        outlet.name: OutletChoice(outlet.name, outlet.display, outlet.name in heard)
        for outlet in catalog
        if (not countries or set(countries) & set(outlet.countries))
        and (languages is None or set(languages) & set(outlet.languages))
    }
    # One outlet's two editions share a name: each is told by its language ("24.kg (ru)").
    names: dict[str, int] = {}
    for listed in chosen.values():
        names[listed.name] = names.get(listed.name, 0) + 1
    for outlet in catalog:
        edition = chosen.get(outlet.name)
        if edition is not None and names[edition.name] > 1 and outlet.languages:
            chosen[outlet.name] = edition._replace(name=f"{edition.name} ({outlet.languages[0]})")
    catalogued = {outlet.name for outlet in catalog}
    for key, name in [*known, *fetched]:
        if key not in catalogued:
            chosen.setdefault(key, OutletChoice(key, name, key in heard))
    return sorted(chosen.values(), key=lambda c: (c.name.casefold(), c.key))


# An outlet's key in a button: a catalog name or "url:" and 16 hex digits, so
# "outlet:off:12:" and the key stay far under Telegram's 64 bytes.
_OUTLET_KEY = re.compile(r"^(?:[a-z0-9][a-z0-9-]{0,39}|url:[0-9a-f]{16}|host:[a-z0-9.:-]{1,40})$")


def outlets_markup(
    outlets: Sequence[OutletChoice], hidden: Collection[str], page: int, language: str
) -> InlineKeyboardMarkup:
    """One page of outlets, each a toggle (⏳ after one not heard from yet); ◀ ▶ between
    pages."""
    pages = max(1, -(-len(outlets) // OUTLETS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = outlets[page * OUTLETS_PER_PAGE : (page + 1) * OUTLETS_PER_PAGE]
    buttons = [
        InlineKeyboardButton(
            f"{'▫️' if key in hidden else '✅'} {name[:40]}{'' if heard else ' ⏳'}",
            callback_data=f"{OUTLET_PREFIX}{'on' if key in hidden else 'off'}:{page}:{key}",
        )
        for key, name, heard in shown
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    moves = []
    if page > 0:
        moves.append(InlineKeyboardButton("◀", callback_data=f"{OUTLET_PREFIX}page:{page - 1}"))
    if page < pages - 1:
        moves.append(InlineKeyboardButton("▶", callback_data=f"{OUTLET_PREFIX}page:{page + 1}"))
    if moves:
        rows.append(moves)
    rows.append(
        [
            InlineKeyboardButton(say(language, "All on"), callback_data=f"{OUTLET_PREFIX}all:0"),
            InlineKeyboardButton(say(language, "Done"), callback_data=f"{OUTLET_PREFIX}{DONE}"),
        ]
    )
    return InlineKeyboardMarkup(rows)


def parse_outlet_callback(data: str | None) -> tuple[str, int, str] | None:
    """("off" | "on", page, key), ("page" | "all", page, ""), ("done", 0, "") for an
    outlet button of ours; None for anything stale or forged."""
    if not data or not data.startswith(OUTLET_PREFIX):
        return None
    action, _, rest = data.removeprefix(OUTLET_PREFIX).partition(":")
    if action == DONE and not rest:
        return DONE, 0, ""
    page, _, key = rest.partition(":")
    if not page.isdigit() or len(page) > 3:
        return None
    if action in ("page", "all") and not key:
        return action, int(page), ""
    if action in ("on", "off") and _OUTLET_KEY.match(key):
        return action, int(page), key
    return None


KEYWORD_PREFIX = "keyword:"


def keywords_markup(prefs: ChatPrefs) -> InlineKeyboardMarkup | None:
    """A remove button per followed or muted word (its data names it by a short hash)."""
    buttons = [
        InlineKeyboardButton(
            f"✖ {mark} {keyword}", callback_data=KEYWORD_PREFIX + keyword_token(keyword)
        )
        for mark, words in (("➕", prefs.follows), ("🔇", prefs.mutes))
        for keyword in words
    ]
    if not buttons:
        return None
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def parse_keyword_callback(data: str | None) -> str | None:
    if not data or not data.startswith(KEYWORD_PREFIX):
        return None
    token = data.removeprefix(KEYWORD_PREFIX)
    return token if len(token) == 12 and all(c in "0123456789abcdef" for c in token) else None


def parse_language_callback(data: str | None) -> str | None:
    """ "ru" or "en" for a language button of ours; None for anything else."""
    choice = (data or "").removeprefix(LANGUAGE_PREFIX)
    return (
        choice
        if data and data.startswith(LANGUAGE_PREFIX) and choice in _LANGUAGE_BUTTONS
        else None
    )
