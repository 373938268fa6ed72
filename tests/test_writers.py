"""Ingest under load (issue "ingest at scale with nothing lost"): two writers at once
lose nothing, and a write that meets a locked database is tried again, never lost.

On real SQLite and PostgreSQL files and servers; the feeds come from a local server."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import shutil
import sqlite3
import threading
from email.utils import format_datetime
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot.__main__ import search_stems
from bot.news.articles import Publisher, prepare_articles
from bot.news.ingest import content_hash, ingest_paths
from bot.news.snapshot import Article
from bot.news.store import Batch, store_batches
from bot.sources import fetch_round
from bot.sources.fetch_round import FetchReport, FetchRound
from bot.sources.fetcher import Fetcher, FetchLimits
from bot.store import Store
from storage import db
from storage.db import make_engine, open_session
from storage.migrate import upgrade_schema
from storage.models import ArticleRecord
from tests.sources_server import Handler, item, rss, serve
from tests.sources_server import text as served_text

SEEDS = Path(__file__).parent / "seeds"
FIXTURE_STORIES = Path(__file__).parent / "stories" / "articles.jsonl"
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


# A mine collapse reported by five outlets in two languages, and the inspections ordered
# two days later (tests/stories/articles.jsonl). Stored outlet by outlet in this order,
# the inspections' Russian report meets a story of English reports only and joins it at
# the cross-language bar, and the collapse ends up in three stories (bench/stories.py's
# one-round model gives that partition); matched together, oldest first, the two events
# are two stories, as day by day.
MINE_EVENTS = {"kg-tashkumyr-mine-collapse", "kg-coal-mine-inspections"}
ANSWER_ORDER = ["24kg-en", "akipress", "kloop", "24kg-ru", "kaktus", "timesca"]
MINE_NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def _mine_feeds() -> dict[str, list[dict[str, str]]]:
    rows = [json.loads(line) for line in FIXTURE_STORIES.read_text("utf-8").splitlines()]
    feeds: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        if row["event"] in MINE_EVENTS:
            feeds.setdefault(row["outlet"], []).append(row)
    return feeds


def _assert_collapse_and_inspections_apart(
    engine: Engine, feeds: dict[str, list[dict[str, str]]]
) -> None:
    """Every one of the feeds' seven articles stored, as two stories: the mine collapse
    and the inspections that followed it."""
    events = {row["title"]: row["event"] for rows in feeds.values() for row in rows}
    with open_session(engine) as session:
        stored = session.exec(select(ArticleRecord.title, ArticleRecord.story_id)).all()
    stories: dict[int | None, set[str]] = {}
    for title, story in stored:
        stories.setdefault(story, set()).add(events[title])
    assert len(stored) == 7
    assert sorted(sorted(found) for found in stories.values()) == [
        ["kg-coal-mine-inspections"], ["kg-tashkumyr-mine-collapse"]
    ]
    engine.dispose()


def _fetch_round(
    engine: Engine, routes: dict[str, Handler], paths: list[str], now: dt.datetime
) -> FetchReport:
    """One fetch round over `paths` of a local server serving `routes` (a minute at most:
    a writer that kept waiting would fail the test, not hang it)."""

    async def scenario() -> FetchReport:
        async with serve(routes) as (base, _served):
            fetcher = Fetcher(allow_private=True, limits=QUICK)
            runner = FetchRound(engine, fetcher, interval=dt.timedelta(minutes=15),
                                clock=lambda: now)  # fmt: skip
            try:
                return await asyncio.wait_for(runner.run([base + p for p in paths]), 60)
            finally:
                await fetcher.close()

    return asyncio.run(scenario())


def _delayed_feed(rows: list[dict[str, str]], delay: float) -> Handler:
    items = [
        item(
            html.escape(row["title"]),
            link=f"https://{row['outlet']}.example/{row['id']}",
            date=format_datetime(dt.datetime.fromisoformat(row["published"])),
            content="".join(f"<p>{html.escape(p)}</p>" for p in row["body"].split("\n\n")),
        )
        for row in rows
    ]
    body = rss(*items, title=rows[0]["outlet"]).encode()

    async def handler(_: web.Request) -> web.Response:
        await asyncio.sleep(delay)
        return web.Response(body=body, content_type="application/rss+xml")

    return handler


@pytest.mark.parametrize(
    ("order", "delays", "gather", "transaction"),
    [
        (ANSWER_ORDER, [0.2 * n for n in range(6)], None, None),
        (ANSWER_ORDER[::-1], [0.2 * n for n in range(6)], None, None),
        (ANSWER_ORDER, [0.4] * 6, 1.0, None),
        (ANSWER_ORDER, [0.2 * n for n in range(6)], None, 2),
        (ANSWER_ORDER[::-1], [0.2 * n for n in range(6)], None, 2),
    ],
    ids=["one", "reversed", "longer-than-the-wait", "in-transactions-of-2",
         "reversed-in-transactions-of-2"],
)
def test_a_rounds_stories_do_not_depend_on_the_order_its_feeds_answer_in(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    order: list[str],
    delays: list[float],
    gather: float | None,
    transaction: int | None,
) -> None:
    """Six outlets' feeds on one host answer one after another (the fetcher asks a host
    one request at a time; each answers after its `delays`), in either order: the
    round's writer gathers their batches and matches them oldest first, so the mine
    collapse's five reports are one story and the inspections' two another. The writer
    waits GATHER_SECONDS for each next batch, not from the first: feeds answering 0.4 s
    apart over 2 s are one group with a 1 s wait (as a round's feeds come in waves a
    second apart, however many there are). Cut after the first 1 s, the first three
    feeds would be stored alone and the inspections joined to the collapse. A round
    bigger than a transaction (here cut to 2 articles) is stored oldest first across
    the feeds, so its stories are the same; cut in the order the feeds came (whole
    feeds to a transaction), the first order would join the inspections to the
    collapse."""
    if gather is not None:
        monkeypatch.setattr(fetch_round, "GATHER_SECONDS", gather)
    if transaction is not None:
        monkeypatch.setattr(fetch_round, "GROUP_ARTICLES", transaction)
    # The text models loaded before the round, so the first batch is not held back
    # while they load and the batches arrive as the feeds answer.
    prepare_articles([Article("Warm up", ("Bishkek, Kyrgyzstan. A first sentence.",), False)])
    engine = make_engine(f"sqlite:///{tmp_path / 'round.db'}")
    upgrade_schema(engine, search_stems=search_stems)
    feeds = _mine_feeds()
    assert sorted(feeds) == sorted(order)
    routes = {f"/{outlet}": _delayed_feed(feeds[outlet], delay) for delay, outlet in
              zip(delays, order, strict=True)}  # fmt: skip

    report = _fetch_round(engine, routes, [f"/{outlet}" for outlet in order], MINE_NOW)
    assert [s.status for s in report.sources] == ["ok"] * len(order)
    _assert_collapse_and_inspections_apart(engine, feeds)


def test_a_rounds_few_new_articles_far_apart_are_stored_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day's round: most feeds bring nothing new (here they fail, 0.4 s each), and the
    six feeds with the mine's reports answer between them, each more than the writer's
    wait (1 s here) after the one before, but never 1 s after the last source that
    ended. Each source that ends gives the others the wait again, so the six are one
    group, matched oldest first: the collapse and the inspections are two stories (by
    the batches alone, each feed would be stored on its own, and this order joins the
    inspections to the collapse)."""
    monkeypatch.setattr(fetch_round, "GATHER_SECONDS", 1.0)
    prepare_articles([Article("Warm up", ("Bishkek, Kyrgyzstan. A first sentence.",), False)])
    engine = make_engine(f"sqlite:///{tmp_path / 'round.db'}")
    upgrade_schema(engine, search_stems=search_stems)
    feeds = _mine_feeds()

    async def quiet(_: web.Request) -> web.Response:
        await asyncio.sleep(0.4)
        return web.Response(status=503)

    routes: dict[str, Handler] = {}
    paths: list[str] = []
    for outlet in ANSWER_ORDER:
        routes[f"/{outlet}"] = _delayed_feed(feeds[outlet], 0.0)
        paths.append(f"/{outlet}")
        for n in range(3):
            routes[f"/{outlet}-quiet-{n}"] = quiet
            paths.append(f"/{outlet}-quiet-{n}")
    report = _fetch_round(engine, routes, paths, MINE_NOW)
    assert sorted({s.status for s in report.sources}) == ["failed", "ok"]
    _assert_collapse_and_inspections_apart(engine, feeds)


def test_the_rounds_writer_waits_no_longer_than_the_sources_still_awaited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source that fails brings no batch: the writer stops gathering when the last
    source is done, not after GATHER_SECONDS (set here far past the test's own time)."""
    monkeypatch.setattr(fetch_round, "GATHER_SECONDS", 600.0)
    engine = make_engine(f"sqlite:///{tmp_path / 'round.db'}")
    upgrade_schema(engine, search_stems=search_stems)
    routes: dict[str, Handler] = {"/feed/0": served_text(_feed(0), "application/rss+xml")}

    async def broken(_: web.Request) -> web.Response:
        await asyncio.sleep(0.3)
        return web.Response(status=503)

    routes["/broken"] = broken
    report = _fetch_round(engine, routes, ["/feed/0", "/broken"], NOW)
    assert sorted(s.status for s in report.sources) == ["failed", "ok"]
    assert _stored(engine) == ITEMS
    engine.dispose()
