"""Each new article joins a story or starts one, inside the transaction that stores it.

The rules are `bot.news.stories` (pure); this is their shell. It runs under the
ingest lock (`storage.repo.lock_for_ingest`): one writer at a time, across every
instance sharing a PostgreSQL database, so an article gets exactly one story and
two instances never start two stories for one event at the same moment.

A story is its articles: its id is the id of its first article, so it never changes.
When a late article would link two stories, it joins the one it matches best and the
two stay apart (README, "One story, many outlets"): ids stay stable and a story
already sent is never re-sent under another id.

The window's articles are kept in memory between transactions, one window per
database engine, and topped up with the articles stored since: ids grow in commit
order under the lock, so "ids above the last one read" is exactly what other
instances added meanwhile. A transaction that fails drops the window (it may hold
articles that were never stored); the next one reads it again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.news.stories import FEATURES_VERSION, Features, StoryIndex, features
from storage import stories as stored_stories
from storage.models import ArticleRecord

log = logging.getLogger(__name__)

DEFAULT_WINDOW_HOURS = 72.0
# Articles of the window read into memory at most: the catalog's 33 outlets write
# about 5,000 in 72 hours; beyond this the oldest of the window are left out.
WINDOW_LOAD_LIMIT = 20_000


@dataclass
class _Window:
    index: StoryIndex
    hours: float
    last_id: int  # every article up to this id that has a story is in the index


_windows: WeakKeyDictionary[Engine, _Window] = WeakKeyDictionary()


def article_time(record: ArticleRecord) -> float:
    """When the article reported its event: its publication time, else when first seen.
    Never later than first seen: a feed's clock set ahead (a wrong time zone, a year's
    typo) would otherwise move the window past every other article, and none of them
    could join a story until the clock caught up."""
    if record.published_at is None:
        return record.first_seen.timestamp()
    return min(record.published_at, record.first_seen).timestamp()


def features_of(record: ArticleRecord) -> Features:
    """The stored features, or computed from the text (articles stored before stories, or
    by older rules: FEATURES_VERSION)."""
    if record.story_features and record.story_features.get("v") == FEATURES_VERSION:
        return Features.from_json(record.story_features)
    return features(record.title, record.body, record.language, article_time(record))


def _window(session: Session, engine: Engine, now: dt.datetime, hours: float) -> _Window:
    window = _windows.get(engine)
    if window is None or window.hours != hours:
        window = _Window(StoryIndex(hours * 3600), hours, 0)
        _windows[engine] = window
    since = now - dt.timedelta(hours=hours)
    stored = stored_stories.window_articles(
        session=session, since=since, after_id=window.last_id, limit=WINDOW_LOAD_LIMIT
    )
    for record in stored:
        assert record.id is not None and record.story_id is not None
        window.index.add(features_of(record), record.story_id)
        window.last_id = max(window.last_id, record.id)
    return window


def assign_stories(
    session: Session,
    engine: Engine,
    records: Sequence[ArticleRecord],
    *,
    now: dt.datetime,
    window_hours: float = DEFAULT_WINDOW_HOURS,
) -> None:
    """Give each of `records` (new, flushed, in the order stored) its story."""
    if not records:
        return
    window = _window(session, engine, now, window_hours)
    for record in records:
        assert record.id is not None
        found = features_of(record)
        story = window.index.choose(found)
        record.story_id = record.id if story is None else story
        record.story_features = found.as_json()
        window.index.add(found, record.story_id)
        window.last_id = max(window.last_id, record.id)
        session.add(record)


def forget_window(engine: Engine) -> None:
    """After a failed transaction: the window may hold articles that were never stored."""
    _windows.pop(engine, None)
