"""Stories assigned at ingest (bot.news.story_window) on real SQLite and PostgreSQL:
one story per event across outlets and languages, stable ids, exactly one story when
several instances ingest at once, and articles stored before stories existed."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import random
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.__main__ import search_stems
from bot.news.articles import PreparedArticle, Publisher, prepare_articles
from bot.news.ingest import ingest_articles
from bot.news.snapshot import Article
from bot.news.store import Batch, Stored, store_batches, store_by_time, store_each
from bot.news.stories import FEATURES_VERSION, features, name_key
from bot.news.story_window import features_of
from storage import repo, stories
from storage.db import make_engine, open_session
from storage.migrate import upgrade_schema
from storage.models import ArticleRecord, SnapshotRecord

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
FIXTURES = Path(__file__).parent / "stories" / "articles.jsonl"
MAIN_EVENTS = {
    "kg-tj-water-treaty", "rogun-third-unit", "casa1000-dushanbe-meeting", "ca-summit-awaza",
    "kz-almaty-earthquake", "kz-syrdarya-ice-flood", "kg-customs-verdict", "kz-akim-elections",
    "kg-tashkumyr-mine-collapse", "tapi-herat-section", "qosh-tepa-canal-completed",
    "nasaf-al-hilal-acl", "tokayev-costa-astana", "uz-wto-accession", "bishkek-chp-outage",
    "kabul-power-outage",
}  # fmt: skip

TREATY = [
    (
        "steppe", "en", "Kyrgyzstan and Tajikistan Sign a Treaty on the Isfara River's Water",
        "Presidents Sadyr Japarov and Emomali Rahmon signed a treaty in Khujand on Monday on the"
        " shared use of the Isfara river. It covers 980 km of the border and the Golovnoy intake.",
    ),
    (
        "oasis", "en", "Japarov and Rahmon Seal the Isfara Water Deal in Khujand",
        "Kyrgyz President Sadyr Japarov and Tajik President Emomali Rahmon sealed a treaty in"
        " Khujand that splits the Isfara river equally. It covers 980 kilometres of border.",
    ),
    (
        "tau", "ru", "Жапаров и Рахмон подписали в Худжанде договор о воде Исфары",
        "Президенты Садыр Жапаров и Эмомали Рахмон в понедельник подписали в Худжанде договор о"
        " воде реки Исфара. Документ охватывает 980 километров границы и водозабор «Головной».",
    ),
    (
        "kaktus", "ru", "Воду Исфары разделят поровну: что записано в договоре",
        "По договору, подписанному в Худжанде Садыром Жапаровым и Эмомали Рахмоном, сток реки"
        " Исфара делится поровну, а 980 километров границы обслуживает совместная комиссия.",
    ),
]  # fmt: skip
HOSPITAL = (
    "steppe", "en", "Japarov Opens a Children's Hospital in Osh",
    "President Sadyr Japarov opened a children's hospital with 300 beds in Osh on Wednesday."
    " The hospital cost 2.1 billion som, the health ministry said.",
)  # fmt: skip


def store(engine: Engine, reports: Sequence[tuple[str, str, str, str]], at: dt.datetime) -> None:
    for outlet, language, title, body in reports:
        article = Article(
            title, (body,), False, url=f"https://{outlet}.example/{abs(hash(title))}", published=at
        )
        ingest_articles(
            engine,
            source=f"https://{outlet}.example/feed",
            content=f"{outlet}:{title}".encode(),
            articles=[article],
            outlet=Publisher(outlet, outlet.title(), (language,)),
            now=at,
        )


def story_of(engine: Engine) -> dict[str, int]:
    with open_session(engine) as session:
        return {a.title: a.story for a in repo.latest_articles(session=session, limit=100)}


def test_one_event_from_four_outlets_in_two_languages_is_one_story(engine: Engine) -> None:
    store(engine, TREATY[:2], NOW)
    store(engine, [HOSPITAL], NOW + dt.timedelta(hours=1))
    store(engine, TREATY[2:], NOW + dt.timedelta(hours=3))
    found = story_of(engine)
    treaty = {found[title] for _o, _l, title, _b in TREATY}
    assert len(treaty) == 1 and found[HOSPITAL[2]] not in treaty
    [story] = treaty
    assert story == min(a for a in found.values()), "a story's id is its first article's"
    with open_session(engine) as session:
        members = stories.story_articles(session=session, story_ids=[story])[story]
        assert [a.title for a in members] == [title for _o, _l, title, _b in TREATY]
        [newest, _hospital] = stories.latest_stories(session=session, limit=2)
        assert {a.id for a in newest} == {a.id for a in members}


def test_outside_the_window_the_same_event_starts_a_new_story(engine: Engine) -> None:
    store(engine, TREATY[:1], NOW)
    store(engine, TREATY[1:2], NOW + dt.timedelta(hours=80))  # past 72 hours
    found = story_of(engine)
    assert found[TREATY[0][2]] != found[TREATY[1][2]]


def _ingest(
    start: threading.Barrier,
    engine: Engine,
    reports: list[tuple[str, str, str, str]],
    at: dt.datetime,
) -> None:
    start.wait()
    store(engine, reports, at)


def test_instances_ingesting_at_once_give_an_event_exactly_one_story(
    database_url: str,
) -> None:
    """Two processes (here two engines, so two in-memory windows) store reports of one
    event at the same moment: the ingest lock and the window's top-up give one story."""
    if not database_url.startswith("postgresql"):
        pytest.skip("several instances share a PostgreSQL database")
    engines = [make_engine(database_url) for _ in range(2)]
    upgrade_schema(engines[0])
    try:
        for round_ in range(3):
            at = NOW + dt.timedelta(days=5 * round_)  # each round out of the others' window
            reports = [
                (f"{outlet}{round_}", language, f"{title} ({round_})", body)
                for outlet, language, title, body in TREATY
            ]
            start = threading.Barrier(2)
            threads = [
                threading.Thread(target=_ingest, args=(start, engines[0], reports[0::2], at)),
                threading.Thread(target=_ingest, args=(start, engines[1], reports[1::2], at)),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            found = story_of(engines[0])
            assert len({found[title] for _o, _l, title, _b in reports}) == 1, round_
    finally:
        for engine in engines:
            engine.dispose()


def test_articles_stored_before_stories_start_one_each_and_can_be_joined(
    database_url: str,
) -> None:
    """0011: every older article is a story of its own (its id); a new report of the
    same event, in the window, joins it, its features computed from the stored text."""
    engine = make_engine(database_url)
    upgrade_schema(engine, "0010")
    outlet, _language, title, body = TREATY[0]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO article (title_key, title, body, truncated, summary, published_on,"
                " page_position, first_seen, updated_at, url, source, outlet, language)"
                " VALUES (:key, :title, :body, false, '', :day, 0, :now, :now, :url, :source,"
                " :outlet, 'en')"
            ),
            {"key": title.lower(), "title": title, "body": body, "day": NOW.date(), "now": NOW,
             "url": "https://steppe.example/old", "source": "Steppe", "outlet": outlet},
        )  # fmt: skip
    upgrade_schema(engine, search_stems=search_stems)
    [old] = story_of(engine).values()
    store(engine, TREATY[1:2], NOW + dt.timedelta(hours=2))
    assert set(story_of(engine).values()) == {old}
    engine.dispose()


def test_a_feed_dated_in_the_future_does_not_move_the_window(engine: Engine) -> None:
    """An item dated a year ahead counts as published when first seen: the window stays
    where the news is, and the next report of an event still joins its story."""
    store(engine, TREATY[:1], NOW)
    outlet, _language, title, body = HOSPITAL
    ahead = Article(title, (body,), False, url="https://steppe.example/ahead",
                    published=NOW + dt.timedelta(days=365))  # fmt: skip
    ingest_articles(engine, source="https://steppe.example/feed", content=b"ahead",
                    articles=[ahead], outlet=Publisher(outlet, "Steppe", ("en",)),
                    now=NOW + dt.timedelta(hours=1))  # fmt: skip
    store(engine, TREATY[1:2], NOW + dt.timedelta(hours=2))
    stories_of = story_of(engine)
    assert stories_of[TREATY[0][2]] == stories_of[TREATY[1][2]] != stories_of[title]


def test_features_stored_by_older_rules_are_computed_anew() -> None:
    """A story's old reports and new ones are read by the same rules: features stored
    before the rules changed (FEATURES_VERSION) come from the article's text again."""
    _outlet, language, title, body = TREATY[2]
    stale = {"l": language, "w": {}, "n": ["stale"], "t": NOW.timestamp()}
    record = ArticleRecord(title_key=title.lower(), title=title, body=body, truncated=False,
                           summary="", published_on=NOW.date(), first_seen=NOW,
                           language=language, story_features=stale)  # fmt: skip
    found = features_of(record)
    assert "stale" not in found.names and name_key("Жапаров") in found.names
    record.story_features = found.as_json()
    assert features_of(record) == found
    record.story_features = {**stale, "v": FEATURES_VERSION}
    assert features_of(record).names == {"stale"}


def test_a_meaning_stored_by_older_rules_is_kept_when_read_from_the_same_text() -> None:
    """New rules need not encode the window's meanings again: the meaning depends only on
    the title and lede it was read from."""
    _outlet, language, title, body = TREATY[2]
    current = features(title, body, language, NOW.timestamp())
    vector = bytes(range(256)) * 2
    older = {"l": language, "n": ["stale"], "e": base64.b64encode(vector).decode(), "v": 1}
    record = ArticleRecord(title_key=title.lower(), title=title, body=body, truncated=False,
                           summary="", published_on=NOW.date(), first_seen=NOW,
                           language=language, story_features={**older, "x": current.text})  # fmt: skip
    found = features_of(record)
    assert found.meaning == vector and "stale" not in found.names
    record.story_features = {**older, "x": "another title. another lede"}
    assert features_of(record).meaning == b""


def _fixture_batches(days: Sequence[dt.date] | None = None) -> list[tuple[dt.datetime, Batch]]:
    """The main events of tests/stories/articles.jsonl, each moved 0, 1 or 2 weeks on (so
    they span three weeks), as one batch per outlet and day: (when, batch)."""
    rows = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines()]
    main = sorted({r["event"] for r in rows if r["event"] in MAIN_EVENTS})
    by_key: dict[tuple[dt.date, str], list[tuple[dt.datetime, dict[str, str]]]] = {}
    for row in rows:
        if row["event"] not in main:
            continue
        at = dt.datetime.fromisoformat(row["published"]) + dt.timedelta(
            weeks=main.index(row["event"]) % 3
        )
        by_key.setdefault((at.date(), row["outlet"]), []).append((at, row))
    batches = []
    for (day, outlet), found in sorted(by_key.items()):
        articles = [Article(r["title"], (r["body"],), False, url=r["url"], published=at)
                    for at, r in found]  # fmt: skip
        language = found[0][1]["language"]
        prepared = prepare_articles(articles, Publisher(outlet, outlet, (language,)))
        latest = max(at for at, _row in found).astimezone(dt.UTC)
        batches.append((latest, Batch(f"{outlet}/{day}", f"{outlet}/{day}", prepared)))
    return batches


def _partition(engine: Engine) -> set[frozenset[str]]:
    with open_session(engine) as session:
        records = session.exec(select(ArticleRecord)).all()
    stories: dict[int, set[str]] = {}
    for record in records:
        stories.setdefault(record.story_id or 0, set()).add(record.url or "")
    return {frozenset(urls) for urls in stories.values()}


def test_a_batch_spanning_three_weeks_clusters_as_the_same_articles_day_by_day(
    database_url: str, tmp_path: Path
) -> None:
    """A first fetch of feeds that hold three weeks of items (one transaction, the
    outlets in any order) gives the stories the same articles give day by day."""
    batches = _fixture_batches()
    spread = max(at for at, _b in batches) - min(at for at, _b in batches)
    assert spread > dt.timedelta(days=14)
    at_once = make_engine(database_url)
    upgrade_schema(at_once, search_stems=search_stems)
    shuffled = [batch for _at, batch in batches]
    random.Random(5).shuffle(shuffled)
    store_batches(at_once, shuffled, now=max(at for at, _b in batches))
    day_by_day = make_engine(f"sqlite:///{tmp_path / 'daily.db'}")
    upgrade_schema(day_by_day, search_stems=search_stems)
    for day, group in itertools.groupby(batches, key=lambda pair: pair[0].date()):
        del day
        found = list(group)
        store_batches(day_by_day, [b for _at, b in found], now=max(at for at, _b in found))
    together = _partition(at_once)
    assert together == _partition(day_by_day)
    assert len(together) < len(MAIN_EVENTS) * 2  # events came together, not one story each
    at_once.dispose()
    day_by_day.dispose()


def _fixture_feeds() -> tuple[list[list[Batch]], list[Batch]]:
    """Every article of tests/stories/articles.jsonl (two weeks, 29 outlets, its hard
    distractors too), prepared: each day's, one batch an outlet, and each outlet's feed
    holding all its days in one body."""
    rows = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines()]
    rows.sort(key=lambda row: dt.datetime.fromisoformat(row["published"]))
    by_outlet: dict[str, list[PreparedArticle]] = {}
    by_day: dict[dt.date, dict[str, list[PreparedArticle]]] = {}
    for row in rows:
        at = dt.datetime.fromisoformat(row["published"])
        article = Article(row["title"], (row["body"],), False, url=row["url"], published=at)
        outlet = Publisher(row["outlet"], row["outlet"], (row["language"],))
        [prepared] = prepare_articles([article], outlet)
        by_outlet.setdefault(row["outlet"], []).append(prepared)
        day = by_day.setdefault(at.astimezone(dt.UTC).date(), {})
        day.setdefault(row["outlet"], []).append(prepared)
    days = [[Batch(f"{outlet}/{day}", f"{outlet}/{day}", found)
             for outlet, found in sorted(outlets.items())]
            for day, outlets in sorted(by_day.items())]  # fmt: skip
    feeds = [Batch(f"{outlet}/feed", f"{outlet}/feed", found)
             for outlet, found in sorted(by_outlet.items())]  # fmt: skip
    return days, feeds


def _in_the_order_they_came(engine: Engine, feeds: Sequence[Batch], now: dt.datetime) -> None:
    """As a writer that stores whole feeds, GROUP feeds' articles at a time, would."""
    group: list[Batch] = []
    for feed in feeds:
        if group and sum(len(b.articles) for b in [*group, feed]) > A_FEW:
            store_each(engine, group, now=now)
            group = []
        group.append(feed)
    store_each(engine, group, now=now)


A_FEW = 25  # articles a transaction in the tests below: the round is over four times that


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_round_bigger_than_a_transaction_is_stored_by_time_not_by_feed(
    database_url: str, tmp_path: Path, seed: int
) -> None:
    """Feeds that each hold two weeks of items, five transactions' worth in all,
    answering in any order: stored oldest first across the feeds (`store_by_time`), they
    give the stories of day by day. Stored a few whole feeds at a time, in the order they
    came, they would not (the first feeds' reports build stories of their own)."""
    days, feeds = _fixture_feeds()
    random.Random(seed).shuffle(feeds)
    assert sum(len(feed.articles) for feed in feeds) > 4 * A_FEW
    now = max(a.published for feed in feeds for a in feed.articles if a.published)
    day_by_day = make_engine(f"sqlite:///{tmp_path / 'daily.db'}")
    upgrade_schema(day_by_day, search_stems=search_stems)
    for day in days:
        store_batches(day_by_day, day, now=max(a.published or now for b in day for a in b.articles))
    by_feed = make_engine(f"sqlite:///{tmp_path / 'by_feed.db'}")
    upgrade_schema(by_feed, search_stems=search_stems)
    _in_the_order_they_came(by_feed, feeds, now)
    by_time = make_engine(database_url)
    upgrade_schema(by_time, search_stems=search_stems)
    try:
        results = store_by_time(by_time, feeds, now=now, group=A_FEW)
        assert results == [Stored(len(feed.articles), 0) for feed in feeds]
        assert _partition(by_time) == _partition(day_by_day) != _partition(by_feed)
        with open_session(by_time) as session:
            snapshots = session.exec(select(SnapshotRecord)).all()
        assert sorted((s.content_hash, s.status, s.article_count) for s in snapshots) == sorted(
            (feed.digest, "ingested", len(feed.articles)) for feed in feeds
        )
    finally:
        for engine in (day_by_day, by_feed, by_time):
            engine.dispose()


def test_a_round_stored_by_time_that_fails_half_way_loses_nothing(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feed whose later part cannot be stored (here: its transaction fails) reports
    the error, its body is not recorded as ingested, and storing it again (the next
    round reads the body again) stores the rest: nothing lost, nothing twice."""
    from bot.news import store as storing

    _days, feeds = _fixture_feeds()
    now = max(a.published for feed in feeds for a in feed.articles if a.published)
    engine = make_engine(database_url)
    upgrade_schema(engine, search_stems=search_stems)
    broken = max(feeds, key=lambda feed: len(feed.articles))
    newest = {a.url for a in sorted(broken.articles, key=lambda a: a.published or now)[-3:]}
    insert = storing._insert

    def failing(session: Any, inserted: Sequence[tuple[ArticleRecord, PreparedArticle]]) -> None:
        if any(article.url in newest for _record, article in inserted):
            raise RuntimeError("the disk is full")
        insert(session, inserted)

    monkeypatch.setattr(storing, "_insert", failing)
    try:
        first = store_by_time(engine, feeds, now=now, group=A_FEW)
        [error] = [r for r in first if isinstance(r, Exception)]
        assert first[feeds.index(broken)] is error
        with open_session(engine) as session:
            row = repo.find_snapshot(session=session, content_hash=broken.digest)
            assert row is not None and row.status == "storing"
            kept = len(session.exec(select(ArticleRecord)).all())
        total = sum(len(feed.articles) for feed in feeds)
        assert 3 <= total - kept <= len(broken.articles)  # only the broken feed's were lost
        monkeypatch.setattr(storing, "_insert", insert)
        again = store_by_time(engine, feeds, now=now, group=A_FEW)
        stored_now = again[feeds.index(broken)]
        assert isinstance(stored_now, Stored) and stored_now.new == total - kept
        assert all(r is None for n, r in enumerate(again) if feeds[n] is not broken)
        with open_session(engine) as session:
            urls = [r.url for r in session.exec(select(ArticleRecord)).all()]
            row = repo.find_snapshot(session=session, content_hash=broken.digest)
            assert row is not None and row.status == "ingested"
        assert sorted(urls) == sorted(a.url for feed in feeds for a in feed.articles)
    finally:
        engine.dispose()


def _hard_case_batches(ids: Sequence[str]) -> list[Batch]:
    """Rows of tests/stories/hard_cases.jsonl as one feed batch each, prepared."""
    rows = {json.loads(line)["id"]: json.loads(line) for line in
            (FIXTURES.parent / "hard_cases.jsonl").read_text(encoding="utf-8").splitlines()}
    batches = []
    for key in ids:
        row = rows[key]
        at = dt.datetime.fromisoformat(row["published"])
        article = Article(row["title"], (row["body"],), False, url=row["url"], published=at)
        outlet = Publisher(row["outlet"], row["outlet"], (row["language"],))
        batches.append(Batch(key, key, prepare_articles([article], outlet)))
    return batches  # fmt: skip


def test_a_lone_report_moves_into_the_story_its_event_built_and_other_instances_follow(
    database_url: str,
) -> None:
    """The feed with the visit's odd angle answered first (one transaction); the visit's
    plain reports came in the next and built their own story. The lone report moves into
    it, logged; another instance (another engine, another window) reads the move and
    holds the stories as stored."""
    from bot.news import story_window

    visit = ["erdogan-ashgabat-visit/" + outlet
             for outlet in ("tass", "anadolu", "turkmenportal", "timesca")]  # fmt: skip
    lone, *reports = _hard_case_batches(["erdogan-ashgabat-visit/hronikatm", *visit])
    fuel = _hard_case_batches(["kz-fuel-price-freeze-extended/tengrinews",
                               "kz-fuel-price-freeze-extended/kazinform-en"])  # fmt: skip
    first, other = make_engine(database_url), make_engine(database_url)
    upgrade_schema(first, search_stems=search_stems)
    when = dt.datetime(2027, 3, 16, 12, 0, tzinfo=dt.UTC)
    try:
        store_batches(first, [lone], now=when)
        store_batches(other, fuel[:1], now=when)  # its window now holds the lone story
        [lone_story] = {s for s in _stories(first).values()} - {_stories(first)[fuel[0].source]}
        assert lone_story in story_window._windows[other].index.stories
        store_batches(first, reports, now=when)
        found = _stories(first)
        [into] = {found[b.source] for b in reports}
        assert found[lone.source] == into != lone_story
        with open_session(first) as session:
            assert [(m.from_story, m.to_story) for m in stories.moves_after(
                session=session, after_id=0)] == [(lone_story, into)]  # fmt: skip
        store_batches(other, fuel[1:], now=when)  # the other instance looks again
        index = story_window._windows[other].index
        assert lone_story not in index.stories and index.alive[into] == len(reports) + 1
    finally:
        first.dispose()
        other.dispose()


def test_a_story_moves_only_with_the_articles_it_was_judged_by(database_url: str) -> None:
    """`move_story` merges a story of the size the index judged; if the database holds
    another article of it (another instance stored one meanwhile), nothing moves."""
    engine = make_engine(database_url)
    upgrade_schema(engine)
    with open_session(engine) as session:
        for n, (_outlet, language, title, body) in enumerate(TREATY):
            session.add(ArticleRecord(title_key=f"{n}", title=title, body=body, truncated=False,
                                      summary="", published_on=NOW.date(), first_seen=NOW,
                                      language=language, story_id=10 if n < 2 else 20))  # fmt: skip
        session.commit()
        assert not stories.move_story(session=session, story=10, into=20, size=1, now=NOW)
        assert stories.move_story(session=session, story=10, into=20, size=2, now=NOW)
        session.commit()
        held = session.exec(select(ArticleRecord.story_id)).all()
        assert held == [20] * len(TREATY)
        assert [(m.from_story, m.to_story) for m in stories.moves_after(
            session=session, after_id=0)] == [(10, 20)]  # fmt: skip
    engine.dispose()


def _stories(engine: Engine) -> dict[str, int]:
    """Each article's story, by the source (batch) it came in."""
    with open_session(engine) as session:
        records = session.exec(select(ArticleRecord)).all()
        sources = {s.id: s.source for s in session.exec(select(SnapshotRecord)).all()}
    return {sources[r.snapshot_id]: r.story_id or 0 for r in records}
