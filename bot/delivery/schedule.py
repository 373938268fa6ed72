"""Who gets which digest when: pure decisions over plain data.

The database keeps, per chat, `next_digest_at` (UTC) and a cursor (the highest
article id its digests covered). A tick asks `plan_digest` for every chat whose
`next_digest_at` has passed; the plan says what to send and how the chat moves on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.i18n import N_, say
from bot.news.compose import ArticleView, RateView, compose_digest
from bot.news.keywords import ArticleIndex
from bot.prefs import next_digest_at, reads
from storage.repo import StoredArticle
from storage.subscribers import ALL_DAYS, ChatPrefs

FIRST_DIGEST_WINDOW = dt.timedelta(hours=24)  # a new chat also gets the day before it came
OLDEST_NEWS = dt.timedelta(days=7)  # never older than this, however long a chat was away
# Chats with the same countries, language, brevity and unsent articles get the same messages.
DigestKey = tuple[tuple[str, ...], str, str, tuple[int, ...]]
TOPIC_GONE = N_(
    "The forum topic your digests went to is gone, so they come here now. "
    "Send /start in a topic to have them there."
)
NOTHING_NEW_TODAY = N_("📰 Nothing new for your countries today. /latest shows the newest.")


def latest_occurrence(
    now: dt.datetime, local_time: dt.time, zone: str, days: tuple[int, ...] = ALL_DAYS
) -> dt.datetime:
    """The last instant at or before `now` when the wall clock in `zone` showed
    `local_time` on one of `days` (ISO weekdays)."""
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    for back in range(9):
        day = today - dt.timedelta(days=back)
        if day.isoweekday() not in days:
            continue
        at = dt.datetime.combine(day, local_time, tz).astimezone(dt.UTC)
        if at <= now:
            return at
    raise AssertionError("a weekday recurs within nine days")  # pragma: no cover


def chooser(prefs: ChatPrefs, index: ArticleIndex) -> Callable[[StoredArticle], bool]:
    """Whether the chat reads an article of `index`: in one of its news languages,
    from an outlet it has not switched off, and then one of its countries or a
    followed word, and no muted word (a muted word wins over both)."""
    countries = set(prefs.countries)
    readable = reads(prefs)
    muted = index.having_any(prefs.mutes) if prefs.mutes else frozenset()
    followed = index.having_any(prefs.follows) if prefs.follows else frozenset()
    return lambda a: (
        readable(a.language, a.outlet)
        and a.id not in muted
        and (not countries.isdisjoint(a.countries) or a.id in followed)
    )


def unsent(
    prefs: ChatPrefs,
    articles: Iterable[StoredArticle],
    due_at: dt.datetime,
    *,
    index: ArticleIndex | None = None,
    alerted: Collection[int] = (),
) -> list[StoredArticle]:
    """The chat's articles its digests have not covered yet, in the given order.

    Before its first digest a chat has no cursor: it is owed what was first
    seen since the day before it subscribed (a skipped first digest loses nothing).
    Articles already sent to the chat as alerts are left out. `index`: the words of
    `articles` (built here if not given).
    """
    since = due_at - OLDEST_NEWS
    if prefs.digest_cursor is None:
        start = prefs.subscribed_at or due_at
        since = max(since, start - FIRST_DIGEST_WINDOW)
    articles = list(articles)
    wanted = chooser(prefs, index if index is not None else ArticleIndex(articles))
    return [
        a
        for a in articles
        if a.first_seen > since
        and (prefs.digest_cursor is None or a.id > prefs.digest_cursor)
        and a.id not in alerted
        and wanted(a)
    ]


def compose_for(
    prefs: ChatPrefs,
    articles: Sequence[StoredArticle],
    rates: Iterable[RateView],
    max_per_country: int,
) -> list[str]:
    """The digest of the chat's chosen `articles`: by country, then "Your topics"
    for those a followed word brought in from none of its countries."""
    wanted = set(prefs.countries)
    by_country: list[ArticleView] = [a for a in articles if wanted & set(a.countries)]
    topics: list[ArticleView] = [a for a in articles if not wanted & set(a.countries)]
    return compose_digest(
        by_country,
        prefs.countries,
        rates=rates,
        max_per_country=max_per_country,
        language=prefs.language,
        brevity=prefs.brevity,
        topics=topics,
    )


@dataclass(frozen=True)
class DigestPlan:
    chat_id: int
    planned_from: dt.datetime  # the chat's next_digest_at when planned: a change since voids it
    due_at: dt.datetime  # the scheduled instant this digest stands for
    next_digest_at: dt.datetime
    skipped: bool  # later than the grace period: nothing sent, the articles wait
    messages: tuple[str, ...]
    through_article_id: int | None  # the chat's new cursor; None leaves it
    previous_cursor: int | None = None  # restored if a pre-planned digest is voided
    thread_id: int | None = None  # the forum topic it goes to


def plan_digest(
    prefs: ChatPrefs,
    articles: Sequence[StoredArticle],
    rates: Iterable[RateView],
    *,
    now: dt.datetime,
    newest_article_id: int | None,
    grace: dt.timedelta,
    max_per_country: int,
    send_empty: bool = False,
    composed: dict[DigestKey, list[str]] | None = None,
    index: ArticleIndex | None = None,
    alerted: Collection[int] = (),
) -> DigestPlan:
    """The digest of a chat whose `next_digest_at` has come, or is about to.

    `articles` are the candidates, newest first (any chat's); the plan keeps
    this chat's unsent ones. Chats with the same countries and the same unsent
    articles get the same messages: pass one `composed` dict to a batch of calls
    and each distinct digest is composed once (ten thousand chats, a few dozen
    distinct digests). The dict must not outlive one set of `rates`; `index`
    (of `articles`) likewise shares the articles' words between chats. `alerted`: ids of articles
    this chat already received as alerts.
    """
    assert prefs.next_digest_at is not None
    if prefs.next_digest_at > now:  # planned ahead: composed now, sent at its time
        due_at = prefs.next_digest_at
    else:
        due_at = latest_occurrence(now, prefs.digest_time, prefs.timezone, prefs.days)
    upcoming = next_digest_at(max(now, due_at), prefs.digest_time, prefs.timezone, prefs.days)
    if now - due_at > grace:
        return DigestPlan(
            prefs.chat_id, prefs.next_digest_at, due_at, upcoming, True, (), None,
            prefs.digest_cursor,
        )  # fmt: skip
    mine = unsent(prefs, articles, due_at, index=index, alerted=alerted)
    key = (prefs.countries, prefs.language, prefs.brevity, tuple(a.id for a in mine))
    cache = composed if composed is not None else {}
    if key not in cache:
        cache[key] = compose_for(prefs, mine, rates, max_per_country)
    messages = cache[key]
    if not messages and send_empty and (prefs.countries or prefs.follows):
        messages = [say(prefs.language, NOTHING_NEW_TODAY)]
    return DigestPlan(
        chat_id=prefs.chat_id,
        planned_from=prefs.next_digest_at,
        due_at=due_at,
        next_digest_at=upcoming,
        skipped=False,
        messages=tuple(messages),
        through_article_id=newest_article_id,
        previous_cursor=prefs.digest_cursor,
        thread_id=prefs.thread_id,
    )
