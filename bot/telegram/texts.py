"""Every reply the bot writes that is not an article: plain functions, HTML out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.news.compose import escape, format_date
from bot.news.regions import BY_CODE
from storage.subscribers import ChatPrefs

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Subscribe, or resume daily digests"),
    ("country", "Choose countries: /country kz uz"),
    ("latest", "Newest articles: /latest [country] [n]"),
    ("digest", "Your digest now: what you have not seen"),
    ("time", "Daily digest time: /time 08:30"),
    ("timezone", "Your time zone: /timezone Asia/Tashkent"),
    ("settings", "Your countries, time and status"),
    ("stop", "Pause daily digests (settings are kept)"),
    ("help", "What I can do"),
)

PICKER_PROMPT = "Which countries do you follow? Tap to choose, then Done."
UNKNOWN_COMMAND = "I don't know {command}. /help lists what I can do."
PLAIN_TEXT = "I answer commands — /help lists them."
NOTHING_STORED = "No news stored yet — I check for new articles every few minutes."
NOT_SUBSCRIBED = "You're not subscribed yet. Send /start to begin."
ADMINS_ONLY = "Only this group's admins can change its settings."
STATS_REFUSED = "Sorry, /stats is for the bot's operators."
STALE_BUTTON = "That button has expired. Send /country for a fresh picker."
SLOW_DOWN = "⏳ That's more than I can answer at once: I skipped some. One at a time, please."
ERROR = "Sorry, something went wrong on my side. Please try again in a minute."


def help_text() -> str:
    lines = [f"/{name} — {escape(description)}" for name, description in COMMANDS]
    return "<b>newsbot</b>: short daily digests of Central Asia news.\n\n" + "\n".join(lines)


def greeting(first_name: str | None, resumed: bool) -> str:
    name = f", {escape(first_name)}" if first_name else ""
    if resumed:
        return f"Welcome back{name}! Your daily digest is on again."
    return (
        f"Hello{name}! I send a short daily digest of Central Asia news, "
        "summarised from The Times of Central Asia.\n"
        "Pick your countries below; /help lists everything else."
    )


def country_list(codes: tuple[str, ...]) -> str:
    return ", ".join(f"{BY_CODE[c].flag} {BY_CODE[c].name}" for c in codes) or "none yet"


def schedule_line(prefs: ChatPrefs) -> str:
    line = f"{prefs.digest_time:%H:%M} {escape(prefs.timezone)}"
    if prefs.next_digest_at is not None:
        local = prefs.next_digest_at.astimezone(ZoneInfo(prefs.timezone))
        line += f" (next: {format_date(local.date())}, {local:%H:%M})"
    return line


def picked(prefs: ChatPrefs) -> str:
    if not prefs.countries:
        return "No countries chosen, so no digest will come. /country to pick some."
    return (
        f"Following: {country_list(prefs.countries)}.\n"
        f"Daily digest at {schedule_line(prefs)}. /latest shows the newest now."
    )


def settings_text(prefs: ChatPrefs) -> str:
    status = {
        "active": "subscribed",
        "paused": "paused — /start resumes",
        "blocked": "inactive (messages could not be delivered)",
    }[prefs.status]
    return (
        "<b>Your settings</b>\n"
        f"Countries: {country_list(prefs.countries)}\n"
        f"Daily digest: {schedule_line(prefs)}\n"
        f"Status: {status}"
    )


def time_set(prefs: ChatPrefs) -> str:
    return f"Daily digest time set: {schedule_line(prefs)}."


def paused() -> str:
    return "Daily digests paused. Your countries and time are kept; /start resumes."


def nothing_new(countries: tuple[str, ...]) -> str:
    return (
        f"Nothing new for {country_list(countries)} since your last digest. "
        "/latest shows the newest anyway."
    )


def run_line(started_at: dt.datetime, report: str | None) -> str:
    return f"{started_at:%Y-%m-%d %H:%M} UTC, " + (report or "still delivering")


@dataclass(frozen=True)
class SourceHealth:
    url: str
    failures: int
    last_status: int | None
    last_success_at: dt.datetime | None
    last_error: str | None


MAX_SOURCES_SHOWN = 20


def _when(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "never"


def stats_text(
    subscribers: Mapping[str, int],
    articles: int,
    last_ingest: dt.datetime | None,
    last_digest_run: str | None,
    sources: Sequence[SourceHealth] = (),
) -> str:
    lines = [
        "<b>newsbot stats</b>",
        f"Subscribers: {subscribers.get('active', 0)} active, "
        f"{subscribers.get('paused', 0)} paused, {subscribers.get('blocked', 0)} inactive",
        f"Articles stored: {articles}",
        f"Last ingest: {_when(last_ingest)}",
        f"Last digest run: {escape(last_digest_run or 'none yet')}",
    ]
    if sources:
        lines.append("<b>Sources</b>")
    for source in sources[:MAX_SOURCES_SHOWN]:
        state = "✅" if source.failures == 0 else f"⚠️ {source.failures} failures in a row"
        error = (
            f": {escape(source.last_error[:120])}" if source.failures and source.last_error else ""
        )
        lines.append(
            f"{state} {escape(source.url[:120])} (HTTP {source.last_status or '—'},"
            f" last success {_when(source.last_success_at)}){error}"
        )
    if len(sources) > MAX_SOURCES_SHOWN:
        lines.append(f"… and {len(sources) - MAX_SOURCES_SHOWN} more: newsbot sources")
    return "\n".join(lines)
