"""`bot.news.store_read.store_read`, a fetch round's writer, on real SQLite and
PostgreSQL: the sources' articles prepared in the order they are stored (oldest first
across the sources), giving the stories of the same articles prepared first and stored
by time, and one source's text that no rule expected costing only that source."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.__main__ import search_stems
from bot.news import store_read as storing
from bot.news.articles import PreparedArticle, Publisher, prepare_articles
from bot.news.snapshot import Article
from bot.news.store import Batch, Stored, store_by_time, story_at
from bot.news.store_read import ReadBatch, store_read
from bot.news.text_work import TextWork
from storage import repo
from storage.db import make_engine, open_session
from storage.migrate import upgrade_schema
from storage.models import ArticleRecord

FIXTURES = Path(__file__).parent / "stories" / "articles.jsonl"
A_FEW = 25  # articles a transaction: the fixtures' two weeks are five of them


class _RecordingWork(TextWork):
    """Text work in this process that notes what each `start_each` was given."""

    def __init__(self) -> None:
        super().__init__(workers=1)
        self.calls: list[list[tuple[Article, Publisher]]] = []

    def start_each(
        self, articles: Sequence[tuple[Article, Publisher]]
    ) -> Callable[[], list[PreparedArticle]]:
        self.calls.append(list(articles))
        return super().start_each(articles)


def _feeds(seed: int) -> list[ReadBatch]:
    """tests/stories/articles.jsonl as each outlet's feed (all its days in one body),
    read, not prepared, the feeds in a random order."""
    by_outlet: dict[str, list[Article]] = {}
    outlets: dict[str, Publisher] = {}
    for line in FIXTURES.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        at = dt.datetime.fromisoformat(row["published"])
        article = Article(row["title"], (row["body"],), False, url=row["url"], published=at)
        by_outlet.setdefault(row["outlet"], []).append(article)
        outlets[row["outlet"]] = Publisher(row["outlet"], row["outlet"], (row["language"],))
    feeds = [ReadBatch(f"{name}/feed", f"{name}/feed", found, outlets[name])
             for name, found in sorted(by_outlet.items())]  # fmt: skip
    random.Random(seed).shuffle(feeds)
    return feeds


def _engine(url: str) -> Engine:
    engine = make_engine(url)
    upgrade_schema(engine, search_stems=search_stems)
    return engine


def _stories(engine: Engine) -> dict[str, set[str]]:
    """Each article's URL: the URLs of its story."""
    with open_session(engine) as session:
        records = session.exec(select(ArticleRecord)).all()
    by_story: dict[int, set[str]] = {}
    for record in records:
        by_story.setdefault(record.story_id or 0, set()).add(record.url or "")
    return {url: urls for urls in by_story.values() for url in urls}


@pytest.mark.parametrize("seed", [1, 2])
def test_read_feeds_are_prepared_oldest_first_and_stored_as_if_prepared_first(
    database_url: str, tmp_path: Path, seed: int
) -> None:
    feeds = _feeds(seed)
    now = max(a.published for feed in feeds for a in feed.articles if a.published)
    prepared = [Batch(feed.source, feed.digest, prepare_articles(feed.articles, feed.outlet))
                for feed in feeds]  # fmt: skip
    first = _engine(f"sqlite:///{tmp_path / 'prepared_first.db'}")
    read = _engine(database_url)
    work = _RecordingWork()
    try:
        expected = store_by_time(first, prepared, now=now, group=A_FEW)
        found = store_read(read, feeds, work, now=now, group=A_FEW)
        assert found == expected == [Stored(len(feed.articles), 0) for feed in feeds]
        assert _stories(read) == _stories(first)
    finally:
        first.dispose()
        read.dispose()
    # One call of text work a transaction, oldest first across the feeds, each article once.
    assert len(work.calls) == -(-sum(len(feed.articles) for feed in feeds) // A_FEW)
    times = [[story_at(article, now) for article, _outlet in call] for call in work.calls]
    assert all(max(before) <= min(after) for before, after in itertools.pairwise(times))
    assert sorted(a.url or "" for call in work.calls for a, _o in call) == sorted(
        a.url or "" for feed in feeds for a in feed.articles
    )


def test_a_sources_text_that_cannot_be_prepared_costs_only_that_source(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Preparing a transaction's articles at once fails; each source's are prepared
    alone, and only the source whose text fails again is not stored (its error in its
    place, its body not recorded, so the next round reads it again)."""
    feeds = _feeds(3)
    now = max(a.published for feed in feeds for a in feed.articles if a.published)
    broken = max(feeds, key=lambda feed: len(feed.articles))

    class FailingWork(TextWork):
        def start_each(self, articles: Sequence[tuple[Article, Publisher]]) -> Any:
            if any(outlet == broken.outlet for _article, outlet in articles):

                def fail() -> list[PreparedArticle]:
                    raise ValueError("a text no rule expected")

                return fail
            return super().start_each(articles)

    def prepare(articles: Sequence[Article], outlet: Publisher) -> list[PreparedArticle]:
        if outlet == broken.outlet:
            raise ValueError("a text no rule expected")
        return prepare_articles(articles, outlet)

    monkeypatch.setattr(storing, "prepare_articles", prepare)
    engine = _engine(database_url)
    try:
        results = store_read(engine, feeds, FailingWork(workers=1), now=now, group=A_FEW)
        with open_session(engine) as session:
            urls = {r.url for r in session.exec(select(ArticleRecord)).all()}
            row = repo.find_snapshot(session=session, content_hash=broken.digest)
    finally:
        engine.dispose()
    assert isinstance(results[feeds.index(broken)], ValueError)
    assert [r for feed, r in zip(feeds, results, strict=True) if feed is not broken] == [
        Stored(len(feed.articles), 0) for feed in feeds if feed is not broken
    ]
    assert urls == {a.url for feed in feeds if feed is not broken for a in feed.articles}
    assert row is None  # its first part already failed: nothing of it was stored
