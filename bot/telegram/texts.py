"""Every reply the bot writes that is not an article: plain functions, HTML out, any language.

Each text is English in the code, marked for the catalog (`N_` or `say`), and
shown in the chat's language (`bot.i18n`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.i18n import N_, say, weekday_names
from bot.news.compose import country_name, escape, format_date
from bot.news.regions import BY_CODE
from bot.prefs import BadArgument
from storage.subscribers import ChatPrefs

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Subscribe, or resume daily digests")),
    ("country", N_("Choose countries: /country kz uz")),
    ("latest", N_("Newest articles: /latest [country] [n]")),
    ("search", N_("Search all stories: /search Rogun dam")),
    ("digest", N_("Your digest now: what you have not seen")),
    ("time", N_("Daily digest time: /time 08:30")),
    ("timezone", N_("Your time zone: /timezone Asia/Tashkent")),
    ("language", N_("Language: /language ru or /language en")),
    ("brief", N_("How much of each story: /brief headlines | short | full")),
    ("follow", N_('Follow a word or "phrase", even beyond your countries')),
    ("mute", N_('Leave out stories that mention a word or "phrase"')),
    ("unfollow", N_("Stop following a word: /unfollow election")),
    ("unmute", N_("Stop muting a word: /unmute football")),
    ("keywords", N_("Your followed and muted words")),
    ("alerts", N_("Followed words at once: /alerts on | off")),
    ("days", N_("Digest days: /days mon-fri | sat | all")),
    ("news", N_("News languages: /news en | ru | all")),
    ("outlets", N_("Switch single outlets off and on")),
    ("channel", N_("Post a digest in your channel: /channel @name")),
    ("settings", N_("Your countries, time and status")),
    ("stop", N_("Pause daily digests (settings are kept)")),
    ("help", N_("What I can do")),
)

PICKER_PROMPT = N_("Which countries do you follow? Tap to choose, then Done.")
PICKER_DONE = N_("Done")
UNKNOWN_COMMAND = N_("I don't know {command}. /help lists what I can do.")
PLAIN_TEXT = N_("I answer commands — /help lists them.")
NOTHING_STORED = N_("No news stored yet — I check for new articles every few minutes.")
NOTHING_STORED_FOR = N_(
    "No news stored for {countries} yet — I check for new articles every few minutes."
)
NOT_SUBSCRIBED = N_("You're not subscribed yet. Send /start to begin.")
ADMINS_ONLY = N_("Only this group's admins can change its settings.")
OPERATORS_ONLY = N_("Sorry, {command} is for the bot's operators.")
STALE_BUTTON = N_("That button has expired. Send /country for a fresh picker.")
SLOW_DOWN = N_("⏳ That's more than I can answer at once: I skipped some. One at a time, please.")
ERROR = N_("Sorry, something went wrong on my side. Please try again in a minute.")
COUNTRY_ADDED = N_("{country} added")
COUNTRY_REMOVED = N_("{country} removed")
SEARCH_USAGE = N_(
    "Send the words to look for: /search Rogun dam, or a phrase in quotes. In any other "
    "chat, type my @username and the words to share a story there."
)
NOTHING_FOUND = N_("🔎 Nothing found for “{query}”. Fewer or other words may find it.")
LATEST_HEADING = N_("📰 <b>Latest</b> — {countries}")
SCHEDULE_NOW = N_("Now: {schedule}. To change it: {example}")
SCHEDULE_HOW = N_("To change it: {example}")
BREVITY_NAMES = {
    "headlines": N_("titles only"),
    "short": N_("one sentence a story"),
    "full": N_("three sentences a story"),
}
BREVITY_SET = N_("Digests and /latest now show {brevity}.")
BREVITY_HOW = N_("Now: {brevity}. To change it: /brief headlines, /brief short or /brief full")
FOLLOWED = N_(
    "Following {words}. Stories that mention them come into your digest, "
    "under “Your topics” when they are from none of your countries."
)
MUTED = N_("Muted {words}. Stories that mention them are left out of your digests and /latest.")
UNFOLLOWED = N_("No longer following {words}.")
UNMUTED = N_("No longer muted: {words}.")
NOT_LISTED = N_("{words}: not on your list. /keywords shows it.")
KEYWORDS_HOW = N_('Send a word or a phrase in quotes: {command} election or {command} "gas prices"')
KEYWORD_REMOVED = N_("“{word}” removed")
DAYS_HOW = N_("Digest days: {days}. To change them: /days mon-fri, /days sat or /days all")
SETTING_CHANGED = N_("Saved")
CHANNEL_PRIVATE_ONLY = N_("Send /channel in a private chat with me.")
CHANNEL_NOT_FOUND = N_(
    "I can't find a public channel {channel}. Check the name, and add me to the channel first."
)
CHANNEL_NOT_YOURS = N_("Only an administrator of {channel} can set up its digest.")
CHANNEL_BOT_NOT_ADMIN = N_(
    "Make me an administrator of {channel} who may post messages, "
    "then send /channel {channel} again."
)
CHANNEL_ON = N_(
    "Setting up the digest of {channel}. From now on /country, /time, /timezone, /follow, "
    "/mute, /brief, /days, /language and /settings here change the channel's digest; "
    "/channel done returns to yours, /channel {channel} off ends it.\n\n"
    "Which countries should the channel follow?"
)
CHANNEL_OFF = N_("Digests to {channel} have stopped. /channel {channel} starts them again.")
CHANNEL_DONE = N_("Your commands change your own settings again.")
CHANNEL_HEADER = N_("📣 A channel's settings: /channel done returns to yours.")
LANGUAGE_SET = N_("I'll write in English from now on.")
LANGUAGE_HOW = N_("Language: English. To change it: /language ru or /language en")


def say_escaped(language: str, message: str, /, **params: object) -> str:
    """A marked message in `language`, its parameters HTML-escaped."""
    return say(language, message, **{k: escape(str(v)) for k, v in params.items()})


def refusal(language: str, error: BadArgument) -> str:
    """What a user must correct, in their language."""
    return say_escaped(language, error.message, **error.params)


def commands(language: str) -> list[tuple[str, str]]:
    """The command menu, as `setMyCommands` shows it in `language`."""
    return [(name, say(language, description)) for name, description in COMMANDS]


def help_text(language: str) -> str:
    lines = [f"/{name} — {escape(description)}" for name, description in commands(language)]
    intro = say(language, "<b>newsbot</b>: short daily digests of Central Asia news.")
    return intro + "\n\n" + "\n".join(lines)


def greeting(language: str, first_name: str | None, resumed: bool) -> str:
    name = f", {escape(first_name)}" if first_name else ""
    if resumed:
        return say(language, "Welcome back{name}! Your daily digest is on again.", name=name)
    return say(
        language,
        "Hello{name}! I send a short daily digest of Central Asia news, "
        "summarised from the region's outlets in English and Russian.\n"
        "Pick your countries below; /help lists everything else.",
        name=name,
    )


def country_list(language: str, codes: tuple[str, ...]) -> str:
    shown = ", ".join(f"{BY_CODE[c].flag} {country_name(c, language)}" for c in codes)
    return shown or say(language, "none yet")


def schedule_line(language: str, prefs: ChatPrefs) -> str:
    line = f"{prefs.digest_time:%H:%M} {escape(prefs.timezone)}"
    if prefs.next_digest_at is not None:
        local = prefs.next_digest_at.astimezone(ZoneInfo(prefs.timezone))
        when = f"{format_date(local.date(), language)}, {local:%H:%M}"
        line += " " + say(language, "(next: {when})", when=when)
    return line


def picked(language: str, prefs: ChatPrefs) -> str:
    if not prefs.countries:
        return say(language, "No countries chosen, so no digest will come. /country to pick some.")
    return say(
        language,
        "Following: {countries}.\nDaily digest at {schedule}. /latest shows the newest now.",
        countries=country_list(language, prefs.countries),
        schedule=schedule_line(language, prefs),
    )


def settings_text(language: str, prefs: ChatPrefs, alerts_per_day: int = 10) -> str:
    status = STATUS_NAMES[prefs.status]
    alerts = say(language, "on, up to {n} a day", n=alerts_per_day) if prefs.alerts else None
    words = say(
        language,
        "{follows} followed, {mutes} muted (/keywords)",
        follows=len(prefs.follows),
        mutes=len(prefs.mutes),
    )
    topic = say(language, "this topic") if prefs.thread_id is not None else None
    lines = [
        say(
            language,
            "<b>Your settings</b>\nCountries: {countries}\nDaily digest: {schedule}\n"
            "Stories: {brevity}\nLanguage: {language}\nStatus: {status}",
            countries=country_list(language, prefs.countries),
            schedule=schedule_line(language, prefs),
            brevity=say(language, BREVITY_NAMES.get(prefs.brevity, BREVITY_NAMES["full"])),
            language=say(language, "English"),
            status=say(language, status),
        ),
        say(language, "Days: {days}", days=day_list(language, prefs.days)),
        say(language, "Words: {words}", words=words),
        say(language, "Alerts: {state}", state=alerts or say(language, "off")),
        say(
            language,
            "News in: {languages}",
            languages=news_languages_line(language, prefs.news_languages, prefs.language),
        ),
        say(language, "Outlets: {outlets}", outlets=outlets_line(language, prefs)),
    ]
    if topic:
        lines.append(say(language, "Digests go to: {topic}", topic=topic))
    if prefs.chat_type == "channel":
        lines.insert(0, say(language, CHANNEL_HEADER))
    return "\n".join(lines)


def keyword_list(keywords: Sequence[str]) -> str:
    """Keywords quoted and escaped: “election”, “gas prices”."""
    return ", ".join(f"“{escape(keyword)}”" for keyword in keywords)


def keywords_text(language: str, prefs: ChatPrefs) -> str:
    if not prefs.follows and not prefs.mutes:
        return say(
            language,
            "You follow and mute no words yet.\n"
            '/follow election (or a phrase in quotes: /follow "gas prices") brings stories in, '
            "even from other countries; /mute football leaves them out.",
        )
    none = say(language, "none")
    lines = [
        say(language, "<b>Your words</b>"),
        say(language, "Following: {words}", words=keyword_list(prefs.follows) or none),
        say(language, "Muted: {words}", words=keyword_list(prefs.mutes) or none),
        say(language, "Tap a word to remove it."),
    ]
    return "\n".join(lines)


def day_list(language: str, days: Sequence[int]) -> str:
    """ "every day", "Mon–Fri", "Sat", "Mon, Wed, Fri" (runs of 3 or more as ranges)."""
    if len(days) == 7:
        return say(language, "every day")
    names = weekday_names(language)
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = [
        f"{names[run[0]]}–{names[run[-1]]}" if len(run) >= 3 else ", ".join(names[d] for d in run)
        for run in runs
    ]
    return ", ".join(parts)


def days_set(language: str, prefs: ChatPrefs) -> str:
    return say(
        language,
        "Digest days: {days}. Daily digest at {schedule}.",
        days=day_list(language, prefs.days),
        schedule=schedule_line(language, prefs),
    )


def alerts_state(language: str, prefs: ChatPrefs | None, per_day: int) -> str:
    if prefs is None or not prefs.alerts:
        return say(language, "Alerts are off. /alerts on sends stories with your words at once.")
    answer = say(
        language,
        "Alerts are on: a story that mentions a word you follow comes as soon as I have it, "
        "up to {n} a day. /alerts off stops them.",
        n=per_day,
    )
    if not prefs.follows:
        answer += "\n" + say(language, "You follow no words yet: /follow election")
    return answer


STATUS_NAMES = {
    "active": N_("subscribed"),
    "paused": N_("paused — /start resumes"),
    "blocked": N_("inactive (messages could not be delivered)"),
}


def channel_state(language: str, editing: ChatPrefs | None) -> str:
    if editing is None:
        return say(
            language,
            "To post a daily digest in a channel: make me an administrator of it who may post "
            "messages, then send /channel @name here.",
        )
    return say(
        language,
        "Your commands here set up a channel's digest (status: {status}). /channel done "
        "returns to your own settings.",
        status=say(language, STATUS_NAMES[editing.status]),
    )


def time_set(language: str, prefs: ChatPrefs) -> str:
    return say(
        language, "Daily digest time set: {schedule}.", schedule=schedule_line(language, prefs)
    )


def paused(language: str) -> str:
    return say(language, "Daily digests paused. Your countries and time are kept; /start resumes.")


def nothing_new(language: str, countries: tuple[str, ...]) -> str:
    return say(
        language,
        "Nothing new for {countries} since your last digest. /latest shows the newest anyway.",
        countries=country_list(language, countries),
    )


def run_line(language: str, started_at: dt.datetime, report: str | None) -> str:
    return f"{started_at:%Y-%m-%d %H:%M} UTC, " + (report or say(language, "still delivering"))


@dataclass(frozen=True)
class SourceHealth:
    url: str
    failures: int
    last_status: int | None
    last_success_at: dt.datetime | None
    last_error: str | None
    name: str | None = None  # the name an operator gave it
    removed: bool = False  # `/source remove`: no longer fetched


MAX_SOURCES_SHOWN = 20


def _when(language: str, moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else say(language, "never")


def source_lines(language: str, sources: Sequence[SourceHealth]) -> list[str]:
    """A line a source, with its health; at most MAX_SOURCES_SHOWN, then how many more."""
    lines = []
    for source in sources[:MAX_SOURCES_SHOWN]:
        state = "✅"
        if source.removed:
            state = "⛔ " + say(language, "removed")
        elif source.failures:
            state = "⚠️ " + say(language, "{n} failures in a row", n=source.failures)
        failing = source.failures and source.last_error
        error = f": {escape((source.last_error or '')[:120])}" if failing else ""
        health = say(
            language,
            "(HTTP {status}, last success {when})",
            status=source.last_status or "—",
            when=_when(language, source.last_success_at),
        )
        name = f"<b>{escape(source.name[:80])}</b> " if source.name else ""
        lines.append(f"{state} {name}{escape(source.url[:120])} {health}{error}")
    if len(sources) > MAX_SOURCES_SHOWN:
        more = len(sources) - MAX_SOURCES_SHOWN
        lines.append(say(language, "… and {n} more: newsbot sources", n=more))
    return lines


def stats_text(
    language: str,
    subscribers: Mapping[str, int],
    articles: int,
    last_ingest: dt.datetime | None,
    last_digest_run: str | None,
    sources: Sequence[SourceHealth] = (),
) -> str:
    # Not nested in the call below: the catalog's extractor reads one call at a time.
    last_run = last_digest_run or say(language, "not yet")
    lines = [
        say(language, "<b>newsbot stats</b>"),
        say(
            language,
            "Subscribers: {active} active, {paused} paused, {blocked} inactive",
            active=subscribers.get("active", 0),
            paused=subscribers.get("paused", 0),
            blocked=subscribers.get("blocked", 0),
        ),
        say(language, "Articles stored: {count}", count=articles),
        say(language, "Last ingest: {when}", when=_when(language, last_ingest)),
        say(language, "Last digest run: {run}", run=escape(last_run)),
    ]
    if sources:
        lines.append(say(language, "<b>Sources</b>"))
    lines.extend(source_lines(language, sources))
    return "\n".join(lines)


# -- news languages and outlets (/news, /outlets) ------------------------------------------

# Not "English": that message names the interface language, "русский" in Russian.
LANGUAGE_NAMES = {"en": N_("English (en)"), "ru": N_("Russian (ru)")}
NEWS_HOW = N_(
    "News in: {languages}. To change it: /news en, /news ru, /news ru en or /news all "
    "(all also brings Uzbek, Kazakh, Kyrgyz, Tajik, Turkmen, Dari and Pashto news)."
)
OUTLETS_PROMPT = N_(
    "Outlets whose news you get: tap one to switch it off or on (✅ on, ▫️ off; ⏳ nothing "
    "from it yet). Switching one off leaves out its articles, not the stories other "
    "outlets report."
)
OUTLETS_NONE = N_("No outlets yet: the bot fetches none for your countries and languages.")
OUTLET_OFF = N_("{outlet} off")
OUTLET_ON = N_("{outlet} on")


def news_languages_line(language: str, codes: tuple[str, ...], own: str) -> str:
    """ "English and Russian"; "all languages"; the default says it is the default."""
    if "all" in codes:
        return say(language, "all languages")
    chosen = codes or tuple(dict.fromkeys((own, "en")))
    names = [say(language, LANGUAGE_NAMES.get(code, code)) for code in chosen]
    shown = say(language, "{first} and {second}", first=names[0], second=names[1]) if len(
        names) == 2 else names[0]  # fmt: skip
    return shown if codes else say(language, "{languages} (the default)", languages=shown)


def news_text(language: str, prefs: ChatPrefs | None, own: str) -> str:
    codes = prefs.news_languages if prefs else ()
    current = news_languages_line(language, codes, prefs.language if prefs else own)
    return say(language, NEWS_HOW, languages=current)


def outlets_line(language: str, prefs: ChatPrefs) -> str:
    if not prefs.hidden_outlets:
        return say(language, "all on (/outlets)")
    return say(language, "{n} switched off (/outlets)", n=len(prefs.hidden_outlets))


# -- operators' sources (/source) ------------------------------------------------------------

SOURCE_USAGE = N_(
    "/source add URL [name] — fetch a feed or page from the next round on\n"
    "/source remove NAME|URL — stop fetching it (its articles stay)\n"
    "/source list — every source and its health\n"
    "/source export — the sources as an OPML file\n"
    "/source import — send an OPML file with this caption to add its feeds"
)
SOURCE_IMPORT_USAGE = N_(
    "Send the OPML file (as a file, not a photo) with the caption /source import."
)
SOURCE_IMPORT_REFUSED = N_("Not imported: {reason}. Nothing was added.")
SOURCE_IMPORTED = N_("Imported {added} feeds; {known} were fetched already; {failed} failed.")
SOURCE_IMPORT_FAILED = N_("{title}: {reason}")
SOURCE_EXPORTED = N_("{count} sources, as OPML: any feed reader imports it.")
SOURCE_NOT_ADDED = N_("Not added: {reason}. Nothing was stored.")
SOURCE_ADDED = N_(
    "Added {name}: {url} ({count} articles read just now). It is fetched from the next round on."
)
SOURCE_REMOVED = N_("{name} is no longer fetched: {url}. Its articles stay.")
SOURCE_UNKNOWN = N_("No source “{name}”. /source list shows them.")
SOURCE_AMBIGUOUS = N_("“{name}” names several sources; remove one by its URL.")
SOURCES_HEADING = N_("<b>Sources</b> ({count})")
