"""Each new article joins a story or starts one, inside the transaction that stores it.

The rules are `bot.news.stories` (pure); this is their shell. It runs under the
ingest lock (`storage.repo.lock_for_ingest`): one writer at a time, across every
instance sharing a PostgreSQL database, so an article gets exactly one story and
two instances never start two stories for one event at the same moment.

A story is its articles: its id is the id of its first article. When a late article
would link two stories, it joins the one it matches best and the two stay apart
(README, "One story, many outlets"). A small story (a lone report, or an event's two
or three reports in one language) near a transaction's articles may move into a story
they grew, if every one of its reports joins it (`StoryIndex.rehome`): one UPDATE,
logged in `story_move`, which every instance reads with the articles stored since its
last look.

**Order does not matter.** An article is compared with the stories around its own
time (`article_time`), not with those of the newest article seen; a transaction's new
articles are matched oldest first, so a backfill that spans weeks, or a first fetch of
feeds that hold weeks of items, clusters as if its articles had arrived day by day.

The stories are kept in memory between transactions (`StoryIndex`, one per database
engine) with the time spans whose stored articles it holds (`known`). An article needs
the window on each side of its time: a span not held is read from the database by
`article.story_at` (indexed), at most LOAD_LIMIT articles a span, the latest of it if
there are more. Articles stored since the last look by other instances are read by id:
ids grow in commit order under the lock, so "ids above the last one read" is exactly
what others added. The index forgets its oldest articles past `CAPACITY`. A transaction
that fails drops it all (it may hold articles that were never stored); the next one
reads what it needs again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from bot.news.stories import FEATURES_VERSION, Embed, Features, StoryIndex, features
from bot.news.stories.features import stored_meaning
from storage import stories as stored_stories
from storage.models import ArticleRecord

log = logging.getLogger(__name__)

DEFAULT_WINDOW_HOURS = 72.0
# Articles read from the database for one span of time at most (the catalog's 33 outlets
# write about 5,000 in 72 hours), and for the articles other instances stored meanwhile.
LOAD_LIMIT = 20_000

Span = tuple[float, float]  # [start, end) in POSIX seconds


@dataclass
class _Window:
    index: StoryIndex
    hours: float
    last_id: int  # articles up to this id were stored before, or read since
    last_move: int = 0  # story moves up to this id were applied (stories.moves_after)
    known: list[Span] = field(default_factory=list)  # sorted, apart: every article held


_windows: WeakKeyDictionary[Engine, _Window] = WeakKeyDictionary()


def article_time(record: ArticleRecord) -> float:
    """When the article reported its event: its publication time, else when first seen.
    Never later than first seen: a feed's clock set ahead (a wrong time zone, a year's
    typo) would otherwise put it past every other article, where no story is."""
    if record.published_at is None:
        return record.first_seen.timestamp()
    return min(record.published_at, record.first_seen).timestamp()


def story_time(record: ArticleRecord) -> dt.datetime:
    """`article_time` as the datetime stored in `article.story_at`."""
    return dt.datetime.fromtimestamp(article_time(record), dt.UTC)


def features_of(record: ArticleRecord) -> Features:
    """The stored features, or computed from the text (articles stored before stories, or
    by older rules: FEATURES_VERSION). A meaning stored by older rules is kept when it
    was read from the same text: rules that change what is compared leave it as it was,
    and encoding the window's meanings again after an upgrade would cost seconds."""
    stored = record.story_features
    if stored and stored.get("v") == FEATURES_VERSION:
        found = Features.from_json(stored)
        # Its outlet is the record's: a snapshot's copy may have been claimed by a feed since.
        return (
            found
            if found.outlet == record.outlet
            else dataclasses.replace(found, outlet=record.outlet)
        )
    found = features(record.title, record.body, record.language, article_time(record),
                     record.outlet)  # fmt: skip
    if stored and stored.get("x") == found.text:
        return dataclasses.replace(found, meaning=stored_meaning(stored))
    return found


def missing(known: Sequence[Span], wanted: Iterable[Span]) -> list[Span]:
    """The parts of the `wanted` spans that no `known` span covers."""
    gaps: list[Span] = []
    for start, end in merged(wanted):
        for known_start, known_end in known:
            if known_end <= start or known_start >= end:
                continue
            if known_start > start:
                gaps.append((start, known_start))
            start = max(start, known_end)
        if start < end:
            gaps.append((start, end))
    return gaps


def merged(spans: Iterable[Span]) -> list[Span]:
    """The union of `spans`, sorted, each apart from the next."""
    union: list[Span] = []
    for start, end in sorted(spans):
        if union and start <= union[-1][1]:
            union[-1] = (union[-1][0], max(union[-1][1], end))
        else:
            union.append((start, end))
    return union


def _instant(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def _window(session: Session, engine: Engine, hours: float) -> _Window:
    window = _windows.get(engine)
    if window is None or window.hours != hours:
        # Everything stored so far is read by time, when an article needs it.
        last_id = session.exec(select(func.max(col(ArticleRecord.id)))).one() or 0
        last_move = stored_stories.last_move(session=session)
        window = _Window(StoryIndex(hours * 3600), hours, last_id, last_move)
        _windows[engine] = window
        return window
    stored = stored_stories.articles_after(
        session=session, after_id=window.last_id, limit=LOAD_LIMIT
    )
    if len(stored) == LOAD_LIMIT:  # more than it can read: start afresh, reading by time
        _windows.pop(engine, None)
        return _window(session, engine, hours)
    for record in stored:
        assert record.id is not None and record.story_id is not None
        found = features_of(record)
        if _held_span(window.known, found.at) and record.id not in window.index.ids:
            window.index.add(found, record.story_id, article_id=record.id)
        window.last_id = max(window.last_id, record.id)
    # Lone stories another instance merged into others (`assign_stories`), as stored.
    for move in stored_stories.moves_after(session=session, after_id=window.last_move):
        if move.from_story in window.index.stories:
            window.index.merge(move.from_story, move.to_story)
        window.last_move = max(window.last_move, move.id or 0)
    return window


def _held_span(known: Sequence[Span], at: float) -> bool:
    return any(start <= at < end for start, end in known)


def _load(session: Session, window: _Window, gap: Span) -> None:
    """Read the stored articles of one span of time into the index."""
    start, end = gap
    stored = stored_stories.articles_between(
        session=session, since=_instant(start), until=_instant(end), limit=LOAD_LIMIT
    )
    for record in stored:
        assert record.id is not None and record.story_id is not None
        if record.id not in window.index.ids:
            window.index.add(features_of(record), record.story_id, article_id=record.id)
    if len(stored) == LOAD_LIMIT:  # the latest LOAD_LIMIT of the span: the rest is not held
        start = math.nextafter(article_time(stored[0]), math.inf)
        log.info("story window: %d articles in one span, the earliest left out", LOAD_LIMIT)
    window.known = merged([*window.known, (start, end)])


def encode_meanings(
    session: Session,
    engine: Engine,
    articles: Sequence[Features],
    *,
    embed: Embed,
    window_hours: float = DEFAULT_WINDOW_HOURS,
) -> list[Features]:
    """The new articles with the meanings their stories are likely to need encoded
    ahead (`StoryIndex.encode`), before the write transaction (encoding is slow, and
    this way runs on the text workers). The stored articles that got theirs are
    written with the next transaction."""
    window = _window(session, engine, window_hours)
    _load_around(session, window, articles)
    return window.index.encode(articles, embed)


def _load_around(session: Session, window: _Window, articles: Sequence[Features]) -> None:
    """Read the stored articles within a window of each article's time that are not held."""
    reach = window.hours * 3600
    # The window on each side of every article, end inclusive (half-open spans).
    wanted = [(found.at - reach, found.at + reach + 1) for found in articles]
    for gap in missing(window.known, wanted):
        _load(session, window, gap)


def assign_stories(
    session: Session,
    engine: Engine,
    articles: Sequence[tuple[ArticleRecord, Features]],
    *,
    embed: Embed,
    now: dt.datetime,
    window_hours: float = DEFAULT_WINDOW_HOURS,
) -> None:
    """Give each new, flushed article its story, oldest first (`articles`: each record
    with its features, its meaning encoded and its time its story time; `now`: when,
    for the log of story moves)."""
    if not articles:
        return
    window = _window(session, engine, window_hours)
    _load_around(session, window, [found for _record, found in articles])

    # A small story near an article whose report now joins a story it grew is moved
    # into it (`StoryIndex.rehome`), in this transaction, logged for other instances.
    def move(small: int, into: int, size: int) -> bool:
        return stored_stories.move_story(
            session=session, story=small, into=into, size=size, now=now
        )

    # Article by article, each followed by its moves: a transaction of 300 articles then
    # gives the stories of 300 transactions of one, so a round's stories do not depend
    # on how it was cut into transactions, or into rounds (one a day, or one in all).
    ordered = sorted(articles, key=lambda pair: (pair[1].at, pair[0].id or 0))
    for record, found in ordered:
        assert record.id is not None
        story, found = window.index.decide(found, embed)
        record.story_id = record.id if story is None else story
        record.story_features = found.as_json()
        window.index.add(found, record.story_id, article_id=record.id)
        window.last_id = max(window.last_id, record.id)
        session.add(record)
        window.index.rehome([(found, record.story_id)], embed, move)
    if window.index.encoded:  # stored articles whose meaning was encoded since
        stored_stories.save_features(
            session=session, features={i: f.as_json() for i, f in window.index.encoded.items()}
        )
        window.index.encoded.clear()
    forgotten = window.index.forget_oldest()
    if forgotten is not None:
        after = math.nextafter(forgotten, math.inf)
        window.known = [(max(s, after), e) for s, e in window.known if e > after]


def forget_window(engine: Engine) -> None:
    """After a failed transaction: the window may hold articles that were never stored."""
    _windows.pop(engine, None)
