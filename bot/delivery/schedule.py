"""Who gets which digest when: pure decisions over plain data.

The database keeps, per chat, `next_digest_at` (UTC) and a cursor (the highest
article id its digests covered). A tick asks `plan_digest` for every chat whose
`next_digest_at` has passed; the plan says what to send and how the chat moves on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.i18n import N_, say
from bot.news.compose import ArticleView, RateView, compose_digest
from bot.news.coverage import Preference, by_coverage, story_item
from bot.news.keywords import ArticleIndex
from bot.prefs import next_digest_at, reads
from storage.repo import StoredArticle
from storage.subscribers import ALL_DAYS, ChatPrefs

FIRST_DIGEST_WINDOW = dt.timedelta(hours=24)  # a new chat also gets the day before it came
OLDEST_NEWS = dt.timedelta(days=7)  # never older than this, however long a chat was away
# Chats with the same countries, language, brevity and stories shown the same way
# (lead article and linked ones) get the same messages.
DigestKey = tuple[tuple[str, ...], str, str, tuple[tuple[int, tuple[str, ...], int], ...]]
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
    followed word. (A muted word, in any article of a story, hides the story.)"""
    countries = set(prefs.countries)
    readable = reads(prefs)
    followed = index.having_any(prefs.follows) if prefs.follows else frozenset()
    return lambda a: (
        readable(a.language, a.outlet)
        and (not countries.isdisjoint(a.countries) or a.id in followed)
    )


def brought_by(prefs: ChatPrefs, index: ArticleIndex) -> Preference:
    """How surely an article is what brought its story to the chat: a followed word in
    its title (3), in its text (2), one of the chat's countries (1). The item leads with
    it (`bot.news.coverage.lead_article`), so a report joined to another event's story
    still reaches the reader who follows it under its own title."""
    countries = set(prefs.countries)
    followed = index.having_any(prefs.follows) if prefs.follows else frozenset()

    def preference(article: StoredArticle) -> int:
        if article.id in followed:
            return 3 if index.in_title(article.id, prefs.follows) else 2
        return 1 if not countries.isdisjoint(article.countries) else 0

    return preference


Stories = Mapping[int, Sequence[StoredArticle]]  # story id -> all its articles


def every_article(articles: Iterable[StoredArticle], stories: Stories) -> list[StoredArticle]:
    """`articles` and every article of `stories`, each once: what a word index covers."""
    every = {a.id: a for members in stories.values() for a in members}
    every.update((a.id, a) for a in articles)
    return list(every.values())


def stories_of(
    prefs: ChatPrefs,
    new: Iterable[StoredArticle],
    stories: Stories | None,
    *,
    index: ArticleIndex,
    seen_through: int | None,
    already: Collection[int] = (),
) -> list[StoredArticle]:
    """One item per story for the chat, in the order of `new` (its articles the
    chat reads that it has not been given): a story none of whose articles has a
    muted word, that is not in `already` (stories sent as alerts), and none of whose
    articles up to `seen_through` (the cursor of what the chat was given) the chat
    reads: that story was delivered then, and an outlet joining it later sends
    nothing new. `stories`: every article of each story (None: each article alone)."""
    wanted = chooser(prefs, index)
    muted = index.having_any(prefs.mutes) if prefs.mutes else frozenset()
    readable = reads(prefs)
    prefer = brought_by(prefs, index)
    items: list[StoredArticle] = []
    done: set[int] = set(already)
    for article in new:
        if article.story in done:
            continue
        done.add(article.story)
        members = (stories or {}).get(article.story) or [article]
        if any(m.id in muted for m in members):
            continue
        if seen_through is not None and any(m.id <= seen_through and wanted(m) for m in members):
            continue
        item = story_item(
            members, language=prefs.language, readable=readable,
            hidden_outlets=prefs.hidden_outlets, prefer=prefer,
        )  # fmt: skip
        if item is not None:
            items.append(item)
    return items


def unsent(
    prefs: ChatPrefs,
    articles: Iterable[StoredArticle],
    due_at: dt.datetime,
    *,
    index: ArticleIndex | None = None,
    alerted: Collection[int] = (),
    stories: Stories | None = None,
) -> list[StoredArticle]:
    """The chat's stories its digests have not covered yet, one item each, in the
    order of `articles`.

    Before its first digest a chat has no cursor: it is owed what was first
    seen since the day before it subscribed (a skipped first digest loses nothing).
    Stories already sent to the chat as alerts (`alerted`: story ids) are left out.
    `index`: the words of `articles` and of `stories` (built here if not given).
    """
    since = due_at - OLDEST_NEWS
    if prefs.digest_cursor is None:
        start = prefs.subscribed_at or due_at
        since = max(since, start - FIRST_DIGEST_WINDOW)
    articles = list(articles)
    if index is None:
        index = ArticleIndex(every_article(articles, stories or {}))
    wanted = chooser(prefs, index)
    new = [
        a
        for a in articles
        if a.first_seen > since
        and (prefs.digest_cursor is None or a.id > prefs.digest_cursor)
        and wanted(a)
    ]
    return stories_of(
        prefs, new, stories, index=index, seen_through=prefs.digest_cursor, already=alerted
    )


def compose_for(
    prefs: ChatPrefs,
    items: Sequence[StoredArticle],
    rates: Iterable[RateView],
    max_per_country: int,
) -> list[str]:
    """The digest of the chat's story `items`: by country, stories covered by more
    outlets first, then newer; then "Your topics" for those a followed word brought
    in from none of its countries."""
    wanted = set(prefs.countries)
    ranked = by_coverage(items)
    by_country: list[ArticleView] = [a for a in ranked if wanted & set(a.countries)]
    topics: list[ArticleView] = [a for a in ranked if not wanted & set(a.countries)]
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
    stories: Stories | None = None,
) -> DigestPlan:
    """The digest of a chat whose `next_digest_at` has come, or is about to.

    `articles` are the candidates, newest first (any chat's); the plan keeps
    this chat's unsent ones. Chats with the same countries and the same unsent
    articles get the same messages: pass one `composed` dict to a batch of calls
    and each distinct digest is composed once (ten thousand chats, a few dozen
    distinct digests). The dict must not outlive one set of `rates`; `index`
    (of `articles` and `stories`) likewise shares the articles' words between chats.
    `alerted`: ids of the stories this chat already received as alerts; `stories`:
    every article of the stories of `articles` (None: each article is its own story).
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
    mine = unsent(prefs, articles, due_at, index=index, alerted=alerted, stories=stories)
    shown = tuple((a.id, tuple(url for _name, url, _lang in a.also), a.more_outlets) for a in mine)
    key = (prefs.countries, prefs.language, prefs.brevity, shown)
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
