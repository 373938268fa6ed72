"""Ingest under load (issue "ingest at scale with nothing lost"): two writers at once
lose nothing, and a write that meets a locked database is tried again, never lost.

On real SQLite and PostgreSQL files and servers; the feeds come from a local server."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot.__main__ import search_stems
from bot.news.articles import Publisher, prepare_articles
from bot.news.ingest import content_hash, ingest_paths
from bot.news.snapshot import Article
from bot.news.store import Batch, store_batches
from bot.sources.fetch_round import FetchRound
from bot.sources.fetcher import Fetcher, FetchLimits
from bot.store import Store
from storage import db
from storage.db import make_engine, open_session
from storage.migrate import upgrade_schema
from storage.models import ArticleRecord
from tests.sources_server import item, rss, serve
from tests.sources_server import text as served_text

SEEDS = Path(__file__).parent / "seeds"
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
QUICK = FetchLimits(max_bytes=2_000_000, connect_timeout=5, total_timeout=20, host_interval=0)
FEEDS, ITEMS = 12, 25


def _feed(number: int) -> bytes:
    items = [
        item(
            f"Feed {number} reports story {n} about the Naryn cascade",
            link=f"https://steppe{number}.example/{n}",
            description=f"Story {n} of feed {number}: engineers in Naryn region said on Monday "
            f"that unit {n} of plant {number} would start next spring.",
        )
        for n in range(ITEMS)
    ]
    return rss(*items, title=f"Steppe Wire {number}").encode()


def _stored(engine: Engine) -> int:
    with open_session(engine) as session:
        return int(session.exec(select(func.count()).select_from(ArticleRecord)).one())


def test_a_fetch_round_and_a_snapshot_ingest_at_once_lose_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    """The fetch round's writer and `newsbot ingest` write to one database at the same
    time (two threads here, two processes in life): every article of both is stored,
    no source or file fails, and each article has its story."""
    for snapshot in sorted(SEEDS.glob("*.txt")):
        shutil.copy(snapshot, tmp_path / snapshot.name)
    routes = {f"/feed/{n}": served_text(_feed(n), "application/rss+xml") for n in range(FEEDS)}
    done: dict[str, object] = {}

    def snapshots() -> None:
        done["ingest"] = ingest_paths(engine, [tmp_path], group_articles=6)

    async def scenario() -> None:
        async with serve(routes) as (base, _served):
            fetcher = Fetcher(allow_private=True, limits=QUICK)
            runner = FetchRound(engine, fetcher, interval=dt.timedelta(minutes=15),
                                clock=lambda: NOW)  # fmt: skip
            writer = threading.Thread(target=snapshots)
            writer.start()
            try:
                done["fetch"] = await runner.run([f"{base}/feed/{n}" for n in range(FEEDS)])
            finally:
                await fetcher.close()
                await asyncio.to_thread(writer.join)

    asyncio.run(scenario())
    fetched = done["fetch"].as_json()  # type: ignore[attr-defined]
    ingested = done["ingest"]
    assert [s["status"] for s in fetched["sources"]] == ["ok"] * FEEDS
    assert fetched["articles_new"] == FEEDS * ITEMS
    assert ingested.failed == [] and ingested.snapshots_new == 5  # type: ignore[attr-defined]
    assert _stored(engine) == FEEDS * ITEMS + ingested.articles_new  # type: ignore[attr-defined]
    with open_session(engine) as session:
        orphans = session.exec(
            select(func.count()).where(ArticleRecord.story_id == None)  # noqa: E711
        ).one()
    assert orphans == 0


def test_a_write_that_meets_a_locked_database_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds SQLite's write lock past the busy timeout: the store fails
    once with "database is locked", waits, and is tried again until the lock is free."""
    path = tmp_path / "locked.db"
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=100)
    upgrade_schema(engine, search_stems=search_stems)
    articles = [Article("Rogun's third unit starts", ("The third unit of the Rogun plant "
                        "started on Monday, the energy ministry in Dushanbe said.",), False,
                        url="https://asiaplus.example/rogun")]  # fmt: skip
    batch = Batch(
        "https://asiaplus.example/feed",
        content_hash(b"rogun"),
        prepare_articles(articles, Publisher("asiaplus-en", "Asia-Plus", ("en",))),
    )
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, holding the lock
    tries: list[float] = []

    def release_after_two_waits(seconds: float) -> None:
        tries.append(seconds)
        if len(tries) == 2:
            holder.execute("COMMIT")  # the other writer is done

    monkeypatch.setattr(db, "_sleep", release_after_two_waits)
    try:
        [stored] = store_batches(engine, [batch], now=NOW)
    finally:
        holder.close()
    assert stored is not None and stored.new == 1
    assert len(tries) == 2 and tries[1] == 2 * tries[0]  # waited longer each time
    assert _stored(engine) == 1
    engine.dispose()


def test_a_bot_write_that_meets_a_locked_database_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bot's one writer (a digest run's plans, a /country change) meets a lock held
    past the busy timeout, or a deadlock with another instance: the transaction is tried
    again, not logged as a crash of the job."""
    path = tmp_path / "bot.db"
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=100)
    upgrade_schema(engine, search_stems=search_stems)
    # Another process, holding the write lock (released from the writer's thread).
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    tries: list[float] = []

    def release_after_one_wait(seconds: float) -> None:
        tries.append(seconds)
        holder.execute("COMMIT")

    monkeypatch.setattr(db, "_sleep", release_after_one_wait)
    insert = text("INSERT INTO snapshot (content_hash, source, status, article_count, "
                  "ingested_at) VALUES ('h', 'bot', 'ingested', 0, '2026-12-01')")  # fmt: skip

    async def write() -> None:
        store = Store(engine)
        try:
            await store.write(lambda session: session.execute(insert))
        finally:
            await store.close()

    try:
        asyncio.run(write())
    finally:
        holder.close()
    assert len(tries) == 1
    with open_session(engine) as session:
        assert session.execute(text("SELECT count(*) FROM snapshot")).scalar_one() == 1
    engine.dispose()


def test_a_write_that_keeps_failing_for_its_data_is_not_retried() -> None:
    calls: list[int] = []

    def broken() -> None:
        calls.append(1)
        raise OperationalError("INSERT", {}, Exception("no such table: article"))

    with pytest.raises(OperationalError):
        db.retrying(broken, what="a broken write", sleep=lambda _s: None)
    assert calls == [1]
    assert not db.is_busy(OperationalError("INSERT", {}, Exception("no such table: article")))
    assert db.is_busy(OperationalError("INSERT", {}, Exception("database is locked")))


def test_readers_answer_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    """WAL: /latest reads while a long write transaction is open."""
    path = tmp_path / "wal.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine, search_stems=search_stems)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO snapshot (content_hash, source, status, article_count, "
                   "ingested_at) VALUES ('x', 'y', 'ingested', 0, '2026-12-01')")  # fmt: skip
    try:
        with open_session(engine) as session:
            assert session.connection().execute(text("SELECT count(*) FROM article")).scalar() == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        engine.dispose()
