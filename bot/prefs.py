"""What a chat's commands do to its preferences: pure rules over `ChatPrefs`.

Also the parsing of command arguments, so handlers only move data between
Telegram, these rules and storage.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.i18n import N_
from bot.news.regions import BY_CODE, COUNTRIES, MAX_NAME_WORDS, parse_country
from storage.subscribers import ALL_DAYS, ChatPrefs

LATEST_DEFAULT = 5
LATEST_MAX = 20
TIME_EXAMPLE = "/time 08:30"
ZONE_EXAMPLE = "/timezone Asia/Tashkent"
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]?([0-5]\d)$")
# Bounds on what a command's arguments may be: a message is at most 4,096
# characters, and no valid argument list comes near these.
MAX_ARGS = 16  # six countries in two words each, and a number, fit
MAX_ECHO = 40  # characters of a user's word quoted back in an error
# Unicode categories removed from arguments: controls (NUL…) and format
# characters (bidi overrides, zero-width joiners) that only hide what a word is.
_INVISIBLE = {"Cc", "Cf"}


_LANGUAGE_WORDS = {
    **dict.fromkeys(("en", "eng", "english", "английский", "англ"), "en"),
    **dict.fromkeys(("ru", "rus", "russian", "русский", "рус", "по-русски"), "ru"),
}


class BadArgument(ValueError):
    """A command argument the user must correct; the message says how.

    `message` is the English text with `{placeholders}`, marked for translation;
    the reply translates it into the chat's language and fills in `params`.
    """

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params))
        self.message, self.params = message, params


def next_digest_at(
    now: dt.datetime, local_time: dt.time, zone: str, days: tuple[int, ...] = ALL_DAYS
) -> dt.datetime:
    """The first instant after `now` when the wall clock in `zone` shows `local_time`
    on one of `days` (ISO weekdays of the local date: 1 is Monday).

    Computed through the zone's rules for that very day, so it stays right
    across DST changes: a time skipped by a spring-forward gap resolves to the
    same offset as before the gap (02:30 becomes 03:30), a repeated autumn hour
    is taken at its first occurrence.
    """
    tz = ZoneInfo(zone)
    local_day = now.astimezone(tz).date()
    for ahead in range(9):
        day = local_day + dt.timedelta(days=ahead)
        if day.isoweekday() not in days:
            continue
        at = dt.datetime.combine(day, local_time, tz).astimezone(dt.UTC)
        if at > now:
            return at
    raise AssertionError("a weekday recurs within nine days")  # pragma: no cover


def new_chat(
    chat_id: int,
    chat_type: str,
    digest_time: dt.time,
    zone: str,
    *,
    now: dt.datetime,
    language: str = "en",
) -> ChatPrefs:
    """A chat that first talks to the bot at `now` (its first digest reaches back from then)."""
    return ChatPrefs(
        chat_id=chat_id, chat_type=chat_type, status="active", countries=(),
        digest_time=digest_time, timezone=zone, subscribed_at=now, language=language,
        brevity=DEFAULT_BREVITY,
    )  # fmt: skip


def set_language(prefs: ChatPrefs, language: str) -> ChatPrefs:
    return replace(prefs, language=language)


# News languages (/news): the languages whose articles a chat reads. English and
# Russian are chosen one by one; "all" also brings in Uzbek, Kazakh, Kyrgyz, Tajik,
# Turkmen, Dari and Pashto, which the bot stores but neither splits nor stems.
ALL_LANGUAGES = "all"
_NEWS_WORDS = {
    **_LANGUAGE_WORDS,
    **dict.fromkeys(("all", "any", "все", "всё", "любые", "все языки"), ALL_LANGUAGES),
}
NEWS_USAGE = N_("Send /news en, /news ru, /news ru en or /news all (not “{word}”).")


def parse_news_languages(args: list[str]) -> tuple[str, ...]:
    """`/news en`, `/news ru en`, `/news all` (Russian words too: `/news русский все`)."""
    _at_most(args, "/news")
    words = [w for arg in args for w in arg.split(",") if w]
    if not words:
        raise BadArgument(NEWS_USAGE, word="")
    chosen: list[str] = []
    for word in words:
        code = _NEWS_WORDS.get(word.casefold())
        if code is None:
            raise BadArgument(NEWS_USAGE, word=quoted(word))
        if code == ALL_LANGUAGES:
            return (ALL_LANGUAGES,)
        if code not in chosen:
            chosen.append(code)
    return tuple(chosen)


def set_news_languages(prefs: ChatPrefs, codes: tuple[str, ...]) -> ChatPrefs:
    return replace(prefs, news_languages=codes)


def news_languages(prefs: ChatPrefs) -> frozenset[str] | None:
    """The languages of the articles a chat reads; None: every language.

    Until `/news` chooses, the chat's own language and English: a Russian reader
    gets Russian and English outlets, an English one English outlets only."""
    if ALL_LANGUAGES in prefs.news_languages:
        return None
    return frozenset(prefs.news_languages or (prefs.language, "en"))


def reads(prefs: ChatPrefs) -> Callable[[str, str], bool]:
    """Whether the chat reads an article in a language from an outlet: one of its news
    languages, and an outlet it has not switched off (digests, alerts and /latest)."""
    languages = news_languages(prefs)
    hidden = frozenset(prefs.hidden_outlets)
    return lambda language, outlet: (
        (languages is None or language in languages) and outlet not in hidden
    )


MAX_HIDDEN_OUTLETS = 200  # more than the catalog and any operator's sources hold


def set_outlet(prefs: ChatPrefs, outlet: str, *, on: bool) -> ChatPrefs:
    """Switch one outlet off, or back on (all are on until switched off). Saying which
    way, rather than toggling, makes a double tap on a button harmless."""
    hidden = tuple(o for o in prefs.hidden_outlets if o != outlet)
    if not on:
        hidden = (*hidden, outlet)[-MAX_HIDDEN_OUTLETS:]
    return replace(prefs, hidden_outlets=hidden)


def show_all_outlets(prefs: ChatPrefs) -> ChatPrefs:
    return replace(prefs, hidden_outlets=())


# How much of each story a digest and /latest show. New chats start "short": one
# sentence a story is what a reader skims on a phone, and twice as many stories fit
# in a message; "full" (three sentences) is one command away, "headlines" another.
BREVITIES = ("headlines", "short", "full")
DEFAULT_BREVITY = "short"
_BREVITY_WORDS = {
    **dict.fromkeys(("headlines", "titles", "заголовки"), "headlines"),
    **dict.fromkeys(("short", "brief", "кратко", "коротко"), "short"),
    **dict.fromkeys(("full", "long", "полностью", "подробно"), "full"),
}


def set_brevity(prefs: ChatPrefs, brevity: str) -> ChatPrefs:
    return replace(prefs, brevity=brevity)


def parse_brevity(args: list[str]) -> str:
    """`/brief headlines | short | full` (Russian: заголовки | кратко | полностью)."""
    refusal = N_("Send /brief headlines, /brief short or /brief full (not “{word}”).")
    return _one_of(args, "/brief", _BREVITY_WORDS, refusal)


def parse_language(args: list[str]) -> str:
    """`/language ru`, `/language English`, `/language русский`."""
    refusal = N_("I don't know the language “{word}”. Send /language ru or /language en.")
    return _one_of(args, "/language", _LANGUAGE_WORDS, refusal)


def _one_of(
    args: list[str], command: str, words: dict[str, str], refusal: str, **params: object
) -> str:
    """The choice `args` name among `words` (any case), or `refusal` with the word."""
    _at_most(args, command)
    word = " ".join(args).strip().casefold()
    if word in words:
        return words[word]
    raise BadArgument(refusal, word=quoted(word), **params)


def _rescheduled(prefs: ChatPrefs, now: dt.datetime) -> ChatPrefs:
    due = next_digest_at(now, prefs.digest_time, prefs.timezone, prefs.days)
    return replace(prefs, next_digest_at=due if prefs.status == "active" else None)


def subscribe(prefs: ChatPrefs, now: dt.datetime) -> ChatPrefs:
    """/start: active again, with the next digest at the chosen local time."""
    return _rescheduled(replace(prefs, status="active"), now)


def pause(prefs: ChatPrefs) -> ChatPrefs:
    """/stop: no more digests; every preference is kept for /start."""
    return replace(prefs, status="paused", next_digest_at=None)


def forget_topic(prefs: ChatPrefs) -> ChatPrefs:
    """The forum topic digests went to was deleted: the general topic from now on."""
    return replace(prefs, thread_id=None)


def set_topic(prefs: ChatPrefs, thread_id: int | None) -> ChatPrefs:
    """/start in a forum topic: digests go to that topic (None: the general topic)."""
    return replace(prefs, thread_id=thread_id)


def set_alerts(prefs: ChatPrefs, on: bool, newest_article_id: int | None) -> ChatPrefs:
    """/alerts on|off. Turned on, alerts start from the articles that come next."""
    if on == prefs.alerts:
        return prefs
    cursor = newest_article_id or 0 if on else prefs.alert_cursor
    return replace(prefs, alerts=on, alert_cursor=cursor)


def parse_switch(args: list[str], command: str) -> bool:
    """`on` or `off` (Russian: вкл / выкл)."""
    refusal = N_("Send {switch} on or {switch} off (not “{word}”).")
    chosen = _one_of(args, command, _SWITCH_WORDS, refusal, switch=command)
    return chosen == "on"


_SWITCH_WORDS = {
    **dict.fromkeys(("on", "yes", "1", "вкл", "включить", "да"), "on"),
    **dict.fromkeys(("off", "no", "0", "выкл", "выключить", "нет"), "off"),
}


# A public channel's username: 5 to 32 letters, digits and underscores, from a letter.
_CHANNEL_NAME = re.compile(r"^(?:@|(?:https?://)?t\.me/)([A-Za-z][A-Za-z0-9_]{3,31})/?$")


def parse_channel(args: list[str]) -> tuple[str, str | None]:
    """`/channel` → ("show", None); `/channel done` → ("done", None);
    `/channel @name` → ("on", "@name"); `/channel @name off` → ("off", "@name").
    A t.me link names a channel too."""
    _at_most(args, "/channel")
    words = [word.casefold() if word.casefold() in ("off", "done") else word for word in args]
    if not words:
        return "show", None
    if words == ["done"]:
        return "done", None
    switch = "on"
    if len(words) == 2 and words[1] == "off":
        switch, words = "off", words[:1]
    match = _CHANNEL_NAME.match(words[0]) if len(words) == 1 else None
    if match is None:
        raise BadArgument(
            N_(
                "Send /channel @name (a public channel's name), /channel @name off "
                "or /channel done."
            )
        )
    return switch, "@" + match.group(1)


def edit_channel(prefs: ChatPrefs, channel_id: int | None) -> ChatPrefs:
    """This private chat's settings commands set up `channel_id` (None: the chat itself)."""
    return replace(prefs, editing=channel_id)


def block(prefs: ChatPrefs) -> ChatPrefs:
    """Telegram said 403 (blocked, kicked) or "chat not found": never send again."""
    return replace(prefs, status="blocked", next_digest_at=None)


def set_countries(prefs: ChatPrefs, codes: tuple[str, ...], now: dt.datetime) -> ChatPrefs:
    """Keep the picker's order; the first country picked refines a guessed time zone."""
    ordered = tuple(c.code for c in COUNTRIES if c.code in codes)
    changed = replace(prefs, countries=ordered)
    if ordered and not prefs.countries and not prefs.timezone_chosen:
        first = next(code for code in codes if code in ordered)
        changed = replace(changed, timezone=BY_CODE[first].timezone)
    return _rescheduled(changed, now)


def toggle_country(prefs: ChatPrefs, code: str, now: dt.datetime) -> ChatPrefs:
    if code in prefs.countries:
        return set_countries(prefs, tuple(c for c in prefs.countries if c != code), now)
    return set_countries(prefs, (*prefs.countries, code), now)


def set_time(prefs: ChatPrefs, local_time: dt.time, now: dt.datetime) -> ChatPrefs:
    return _rescheduled(replace(prefs, digest_time=local_time), now)


def set_zone(prefs: ChatPrefs, zone: str, now: dt.datetime) -> ChatPrefs:
    return _rescheduled(replace(prefs, timezone=zone, timezone_chosen=True), now)


# -- command arguments ------------------------------------------------------------------------


def clean_args(args: list[str]) -> list[str]:
    """Arguments as the user meant them: full-width forms made plain (an East Asian
    keyboard's ９:００ is 9:00; superscripts and the like stay what they are), control
    and format characters dropped, then empty arguments. Linear in the text."""
    cleaned = []
    # One more than any command takes is enough to refuse the rest: the work stays bounded.
    for arg in args[: MAX_ARGS + 1]:
        text = clean_text(arg)
        if text.strip():
            cleaned.append(text.strip())
    return cleaned


def clean_text(text: str) -> str:
    """`text` without control and format characters, full-width forms made plain."""
    return text if text.isascii() and text.isprintable() else text.translate(_cleaning_table())


@cache
def _cleaning_table() -> dict[int, int | None]:
    """For str.translate: controls and format characters dropped, full-width forms
    made plain. Built once, on first use, from the Basic and Supplementary
    Multilingual Planes and the tag characters (where every format character lies)."""
    table: dict[int, int | None] = {}
    for code in [*range(0x20000), *range(0xE0000, 0xE0080)]:
        ch = chr(code)
        if unicodedata.category(ch) in _INVISIBLE:
            table[code] = None
        elif unicodedata.decomposition(ch).startswith(("<wide>", "<narrow>")):
            table[code] = ord(unicodedata.normalize("NFKC", ch)[0])
    return table


def quoted(word: str) -> str:
    """A user's word, shortened, for an error message."""
    return word if len(word) <= MAX_ECHO else word[: MAX_ECHO - 1] + "…"


def _at_most(args: list[str], what: str) -> None:
    if len(args) > MAX_ARGS:
        raise BadArgument(
            N_("That's too many words for {command}: {most} at most."), command=what, most=MAX_ARGS
        )


def parse_countries(args: list[str]) -> tuple[str, ...]:
    """`/country kz uz`, `/country kazakhstan`, `/country kyrgyz republic`, `/country all`."""
    _at_most(args, "/country")
    if [a.lower() for a in args] in (["all"], ["все"]):
        return tuple(c.code for c in COUNTRIES)
    codes: list[str] = []
    words = [w.strip(",;") for w in args if w.strip(",;")]
    index = 0
    while index < len(words):
        # Try the longest run of words first, so two-word names parse whole; no
        # name is longer than MAX_NAME_WORDS, so the work is linear in the words.
        for end in range(min(len(words), index + MAX_NAME_WORDS), index, -1):
            try:
                codes.append(parse_country(" ".join(words[index:end])).code)
            except ValueError:
                continue
            index = end
            break
        else:
            raise unknown_country(words[index])
    return tuple(dict.fromkeys(codes))


def unknown_country(word: str) -> BadArgument:
    valid = ", ".join(f"{c.code.lower()} ({c.name})" for c in COUNTRIES)
    return BadArgument(
        N_("I don't know the country “{word}”. Choose from: {valid}."),
        word=quoted(word),
        valid=valid,
    )


def parse_latest(args: list[str]) -> tuple[str | None, int]:
    """`/latest`, `/latest kz`, `/latest 10`, `/latest uz 3`, `/latest 3 uz`."""
    _at_most(args, "/latest")
    numbers = [a for a in args if a.lstrip("+-").isdecimal()]
    names = [a for a in args if a not in numbers]
    if len(numbers) > 1:
        raise BadArgument(N_("Give one number at most, e.g. /latest kz 10."))
    count = LATEST_DEFAULT
    if numbers:
        negative = numbers[0].startswith("-")
        digits = numbers[0].lstrip("+-").lstrip("0") or "0"
        # A 30-digit number is simply "many": no huge int is built from a user's text.
        count = int(digits) if len(digits) <= 6 else LATEST_MAX
        if negative or count < 1:
            raise BadArgument(N_("The number must be 1 or more, e.g. /latest 10."))
        count = min(count, LATEST_MAX)
    if not names:
        return None, count
    codes = parse_countries(names)
    if len(codes) > 1:
        raise BadArgument(N_("Name one country at a time, e.g. /latest uz."))
    return (codes[0] if codes else None), count  # "/latest ," names no country


def parse_time(args: list[str]) -> dt.time:
    _at_most(args, "/time")
    text = "".join(args).strip()
    match = _TIME.match(text)
    if match is None:
        raise BadArgument(
            N_("That isn't a time I understand. Send 24-hour local time: {example}"),
            example=TIME_EXAMPLE,
        )
    return dt.time(int(match.group(1)), int(match.group(2)))


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def parse_zone(args: list[str]) -> str:
    """An IANA zone in any case (`asia/tashkent`), or a country's capital zone (`uz`).

    Only names in the zone database's own list are accepted, so a "zone" that is a
    path (`../../etc/passwd`) never reaches the file system."""
    _at_most(args, "/timezone")
    text = "".join(args).strip()
    if zone := _zones_by_folded_name().get(text.casefold()):
        return zone
    try:
        return parse_country(text).timezone
    except ValueError:
        pass
    raise BadArgument(
        N_("I don't know the time zone “{zone}”. Send an IANA name: {example}"),
        zone=quoted(text),
        example=ZONE_EXAMPLE,
    )


# -- which days ----------------------------------------------------------------------------

_WEEKDAYS = {
    **{name: day for day, names in enumerate(
        (("mon", "monday", "пн", "пон", "понедельник"),
         ("tue", "tues", "tuesday", "вт", "вторник"),
         ("wed", "wednesday", "ср", "среда"),
         ("thu", "thur", "thurs", "thursday", "чт", "четверг"),
         ("fri", "friday", "пт", "пятница"),
         ("sat", "saturday", "сб", "суббота"),
         ("sun", "sunday", "вс", "воскресенье")), start=1) for name in names},
}  # fmt: skip
_DAY_SETS = {
    **dict.fromkeys(("all", "daily", "every", "все", "ежедневно", "каждый"), ALL_DAYS),
    **dict.fromkeys(("weekdays", "workdays", "будни"), (1, 2, 3, 4, 5)),
    **dict.fromkeys(("weekend", "weekends", "выходные"), (6, 7)),
}
_DAY_RANGE = re.compile(r"^(\w+)\s*[-–—]\s*(\w+)$")


def parse_days(args: list[str]) -> tuple[int, ...]:
    """`/days mon-fri`, `/days sat`, `/days mon wed fri`, `/days all`, `/days пн-пт`.

    A range may wrap the week end (`fri-mon`). Returns ISO weekdays, Monday first."""
    _at_most(args, "/days")
    chosen: set[int] = set()
    for part in re.split(r"[\s,;]+", " ".join(args).casefold().replace(" - ", "-")):
        if not part:
            continue
        if part in _DAY_SETS:
            chosen.update(_DAY_SETS[part])
            continue
        if part in _WEEKDAYS:
            chosen.add(_WEEKDAYS[part])
            continue
        span = _DAY_RANGE.match(part)
        if span and span.group(1) in _WEEKDAYS and span.group(2) in _WEEKDAYS:
            first, last = _WEEKDAYS[span.group(1)], _WEEKDAYS[span.group(2)]
            length = (last - first) % 7 + 1
            chosen.update((first - 1 + step) % 7 + 1 for step in range(length))
            continue
        raise BadArgument(
            N_("I don't know the day “{word}”. Send e.g. /days mon-fri, /days sat or /days all."),
            word=quoted(part),
        )
    if not chosen:
        raise BadArgument(N_("Name the days, e.g. /days mon-fri, /days sat or /days all."))
    return tuple(sorted(chosen))


def set_days(prefs: ChatPrefs, days: tuple[int, ...], now: dt.datetime) -> ChatPrefs:
    return _rescheduled(replace(prefs, days=days), now)


def digest_sent(prefs: ChatPrefs, through_article_id: int, now: dt.datetime) -> ChatPrefs:
    """Every article up to `through_article_id` now counts as sent to this chat."""
    cursor = max(through_article_id, prefs.digest_cursor or 0)
    return replace(prefs, digest_cursor=cursor, last_digest_at=now)
