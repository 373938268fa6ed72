"""What a chat's commands do to its preferences: pure rules over `ChatPrefs`.

Also the parsing of command arguments, so handlers only move data between
Telegram, these rules and storage.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.regions import BY_CODE, COUNTRIES, parse_country
from storage.subscribers import ChatPrefs

LATEST_DEFAULT = 5
LATEST_MAX = 20
TIME_EXAMPLE = "/time 08:30"
ZONE_EXAMPLE = "/timezone Asia/Tashkent"
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]?([0-5]\d)$")


class BadArgument(ValueError):
    """A command argument the user must correct; the message says how."""


def next_digest_at(now: dt.datetime, local_time: dt.time, zone: str) -> dt.datetime:
    """The first instant after `now` when the wall clock in `zone` shows `local_time`.

    Computed through the zone's rules for that very day, so it stays right
    across DST changes: a time skipped by a spring-forward gap resolves to the
    same offset as before the gap (02:30 becomes 03:30), a repeated autumn hour
    is taken at its first occurrence.
    """
    tz = ZoneInfo(zone)
    local_day = now.astimezone(tz).date()
    for days in range(3):
        candidate = dt.datetime.combine(local_day + dt.timedelta(days=days), local_time, tz)
        at = candidate.astimezone(dt.UTC)
        if at > now:
            return at
    raise AssertionError("a local time recurs within three days")  # pragma: no cover


def new_chat(chat_id: int, chat_type: str, digest_time: dt.time, zone: str) -> ChatPrefs:
    return ChatPrefs(
        chat_id=chat_id, chat_type=chat_type, status="active", countries=(),
        digest_time=digest_time, timezone=zone,
    )  # fmt: skip


def _rescheduled(prefs: ChatPrefs, now: dt.datetime) -> ChatPrefs:
    due = next_digest_at(now, prefs.digest_time, prefs.timezone)
    return replace(prefs, next_digest_at=due if prefs.status == "active" else None)


def subscribe(prefs: ChatPrefs, now: dt.datetime) -> ChatPrefs:
    """/start: active again, with the next digest at the chosen local time."""
    return _rescheduled(replace(prefs, status="active"), now)


def pause(prefs: ChatPrefs) -> ChatPrefs:
    """/stop: no more digests; every preference is kept for /start."""
    return replace(prefs, status="paused", next_digest_at=None)


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


def parse_countries(args: list[str]) -> tuple[str, ...]:
    """`/country kz uz`, `/country kazakhstan`, `/country kyrgyz republic`, `/country all`."""
    if [a.lower() for a in args] == ["all"]:
        return tuple(c.code for c in COUNTRIES)
    codes: list[str] = []
    words = [w.strip(",;") for w in args if w.strip(",;")]
    index = 0
    while index < len(words):
        # Try the longest run of words first, so two-word names parse whole.
        for end in range(len(words), index, -1):
            try:
                codes.append(parse_country(" ".join(words[index:end])).code)
            except ValueError:
                continue
            index = end
            break
        else:
            raise BadArgument(unknown_country(words[index]))
    return tuple(dict.fromkeys(codes))


def unknown_country(word: str) -> str:
    valid = ", ".join(f"{c.code.lower()} ({c.name})" for c in COUNTRIES)
    return f"I don't know the country “{word}”. Choose from: {valid}."


def parse_latest(args: list[str]) -> tuple[str | None, int]:
    """`/latest`, `/latest kz`, `/latest 10`, `/latest uz 3`, `/latest 3 uz`."""
    numbers = [a for a in args if a.lstrip("+-").isdigit()]
    names = [a for a in args if a not in numbers]
    if len(numbers) > 1:
        raise BadArgument("Give one number at most, e.g. /latest kz 10.")
    count = LATEST_DEFAULT
    if numbers:
        count = int(numbers[0])
        if count < 1:
            raise BadArgument("The number must be 1 or more, e.g. /latest 10.")
        count = min(count, LATEST_MAX)
    if not names:
        return None, count
    codes = parse_countries(names)
    if len(codes) > 1:
        raise BadArgument("Name one country at a time, e.g. /latest uz.")
    return codes[0], count


def parse_time(args: list[str]) -> dt.time:
    text = "".join(args).strip()
    match = _TIME.match(text)
    if match is None:
        raise BadArgument(
            f"That isn't a time I understand. Send 24-hour local time: {TIME_EXAMPLE}"
        )
    return dt.time(int(match.group(1)), int(match.group(2)))


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def parse_zone(args: list[str]) -> str:
    """An IANA zone in any case (`asia/tashkent`), or a country's capital zone (`uz`)."""
    text = "".join(args).strip()
    if zone := _zones_by_folded_name().get(text.casefold()):
        return zone
    try:
        return parse_country(text).timezone
    except ValueError:
        pass
    raise BadArgument(f"I don't know the time zone “{text}”. Send an IANA name: {ZONE_EXAMPLE}")


def digest_sent(prefs: ChatPrefs, through_article_id: int, now: dt.datetime) -> ChatPrefs:
    """Every article up to `through_article_id` now counts as sent to this chat."""
    cursor = max(through_article_id, prefs.digest_cursor or 0)
    return replace(prefs, digest_cursor=cursor, last_digest_at=now)
