"""Store prepared articles: a group of batches in one short write transaction.

A *batch* is what one source gave at once (a snapshot file, a feed's body, an article
page), every article of it already prepared (`bot.news.articles`: language, summary,
tags, story features, search stems). The transaction only reads what it must and
writes: which of the batches' bodies and articles are stored already (one query per
kind, not one per article), the new articles in one INSERT, their countries and
search rows in one each, and their stories (`bot.news.story_window`). Nothing slow
runs while it holds the write lock.

It takes the lock when it begins (`storage.db.write_session`, BEGIN IMMEDIATE on
SQLite; the ingest lock on PostgreSQL), so ids grow in commit order and an article
gets exactly one story. A transaction that fails for a passing reason (another
process held the lock past the timeout, a deadlock) is tried again
(`storage.db.retrying`): a busy database never loses a source's articles. A group's
batches stand or fall together; a batch that cannot be stored for its own reason
(bad data) is retried alone by the caller (`store_each`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from bot.news.articles import PreparedArticle, is_fuller, replaces, title_key
from bot.news.snapshot import Article
from bot.news.stories import Embed, Features, meaning
from bot.news.story_window import (
    DEFAULT_WINDOW_HOURS,
    article_time,
    assign_stories,
    encode_meanings,
    forget_window,
    story_time,
)
from storage import repo, search
from storage.db import open_session, retrying, write_session
from storage.models import ArticleRecord

log = logging.getLogger(__name__)

_CHUNK = 500  # values per IN (...): under every driver's parameter limit
# Articles stored in one transaction at most (a batch bigger than that is one
# transaction, unless `store_by_time` stores it): the write lock is held for a fraction
# of a second, so readers and other writers never wait long.
GROUP_ARTICLES = 300

Rate = tuple[str, str, float, str]  # currency, base, rate, change


@dataclass(frozen=True)
class Batch:
    """What one source gave at once, prepared."""

    source: str  # a snapshot's path or a feed's URL
    digest: str  # of the body as read: a body stored before is not stored again
    articles: Sequence[PreparedArticle]
    page_date: dt.date | None = None  # a snapshot page's date
    rates: Sequence[Rate] = ()
    unchanged: int = 0  # its articles stored before and not prepared again (`unchanged`)
    # A part of a bigger batch (`store_by_time`): its articles' places in the source,
    # and how many of the batch's articles other transactions store before and after.
    positions: Sequence[int] | None = None
    earlier: int = 0
    later: int = 0

    @property
    def size(self) -> int:
        """The articles the source gave, in every part."""
        return self.earlier + len(self.articles) + self.later + self.unchanged


class Stored(NamedTuple):
    new: int
    updated: int


def unchanged(engine: Engine, articles: Sequence[Article], outlet: str) -> list[bool]:
    """Whether each article is stored already, with a text it would not replace.

    Storing such an article changes nothing (`_update`: it is a copy by its URL, or by
    its title within its outlet when it has none, and not fuller), so it need not be
    prepared: a feed that changed by one item gives its other items again, and a
    snapshot page its earlier articles, each ~10 ms of text work. A copy found only by
    title while it has a URL may still lend the stored one its link, so it is prepared.
    If the database cannot be read now, every article is prepared and stored as usual.
    """
    urls = [a.url for a in articles if a.url]
    keys = [title_key(a.title) for a in articles if not a.url]
    if not urls and not keys:
        return [False] * len(articles)
    try:
        with open_session(engine) as session:
            by_url, by_title = repo.stored_texts(
                session=session, urls=urls, outlet=outlet, title_keys=keys
            )
    except DBAPIError as error:
        log.info("stored copies not read (%s): every article prepared", error.orig)
        return [False] * len(articles)
    found = []
    for article in articles:
        stored = by_url.get(article.url) if article.url else by_title.get(title_key(article.title))
        found.append(
            stored is not None
            and not replaces(len(article.body), article.truncated, stored[0], stored[1])
        )
    return found


def store_batches(
    engine: Engine,
    batches: Sequence[Batch],
    *,
    now: dt.datetime,
    story_window_hours: float = DEFAULT_WINDOW_HOURS,
    embed: Embed = meaning.embed,
) -> list[Stored | None]:
    """Each batch's new and updated counts (None: its body was stored before), all in
    one transaction, tried again while the database is busy. Prepared articles carry
    their meanings; before the transaction, outside the lock, those the stories may
    still need (of rows stored without one) are encoded (`embed`)."""
    if not batches:
        return []
    batches = _with_meaning(engine, batches, now, story_window_hours, embed)
    return retrying(
        lambda: _store(engine, batches, now, story_window_hours, embed),
        what=f"storing {sum(len(b.articles) for b in batches)} articles",
    )


def _with_meaning(
    engine: Engine,
    batches: Sequence[Batch],
    now: dt.datetime,
    story_window_hours: float,
    embed: Embed,
) -> list[Batch]:
    """The batches, their articles' features timed and, where it may decide a story,
    with their meaning. A database too busy for this read only costs the meanings."""
    timed = [
        [dataclasses.replace(a, story=_timed(a.story, story_at(a, now))) for a in b.articles]
        for b in batches
    ]
    try:
        with open_session(engine) as session:
            found = iter(encode_meanings(
                session, engine, [a.story for articles in timed for a in articles],
                embed=embed, window_hours=story_window_hours,
            ))  # fmt: skip
            timed = [[dataclasses.replace(a, story=next(found)) for a in arts] for arts in timed]
    except DBAPIError as error:
        forget_window(engine)
        log.warning("stories' window not read (%s): meanings left out this time", error.orig)
    return [dataclasses.replace(b, articles=arts) for b, arts in zip(batches, timed, strict=True)]


def story_at(article: Article | PreparedArticle, now: dt.datetime) -> float:
    """`story_window.article_time` of the article once stored now."""
    return (min(article.published, now) if article.published else now).timestamp()


def store_each(
    engine: Engine,
    batches: Sequence[Batch],
    *,
    now: dt.datetime,
    story_window_hours: float = DEFAULT_WINDOW_HOURS,
    embed: Embed = meaning.embed,
) -> list[Stored | Exception | None]:
    """As `store_batches`; if the group fails, each batch alone, so one batch's bad
    data costs only that batch (its error in its place)."""
    store = functools.partial(
        store_batches, engine, now=now, story_window_hours=story_window_hours, embed=embed
    )
    try:
        return list(store(batches))
    except Exception:
        if len(batches) == 1:
            raise
        log.warning("a group of %d batches failed; storing each alone", len(batches))
    results: list[Stored | Exception | None] = []
    for batch in batches:
        try:
            results.extend(store([batch]))
        except Exception as error:  # one source's surprise must not cost the others
            log.exception("storing %s failed; nothing of it was kept", batch.source)
            results.append(error)
    return results


def store_by_time(
    engine: Engine,
    batches: Sequence[Batch],
    *,
    now: dt.datetime,
    story_window_hours: float = DEFAULT_WINDOW_HOURS,
    embed: Embed = meaning.embed,
    group: int = GROUP_ARTICLES,
) -> list[Stored | Exception | None]:
    """As `store_each`, for batches of any total size: their articles stored oldest first
    (by story time), in transactions of at most `group` articles.

    A round bigger than one transaction (a first fetch, a feed back after an outage)
    then gets the stories of its articles day by day, not those of the order its
    sources answered in: stored a source at a time, the first feed's odd angle begins a
    story that the event's plain reports from other feeds, stored after it, never join.
    A batch's articles may so be stored by several transactions (`store_in_order`)."""
    store = functools.partial(
        store_each, engine, now=now, story_window_hours=story_window_hours, embed=embed
    )
    if sum(len(batch.articles) for batch in batches) <= group:
        return store(batches)
    return store_in_order(transactions_by_time(batches, now, group), len(batches), store)


Transaction = Sequence[tuple[int, Batch | Exception]]  # (batch, its part or why none)
# `store_each` with its engine and options given: a group of batches in, their results out.
StoreEach = Callable[[Sequence[Batch]], list[Stored | Exception | None]]


def store_in_order(
    transactions: Iterable[Transaction], count: int, store: StoreEach
) -> list[Stored | Exception | None]:
    """Each of `count` batches' counts, its parts stored transaction by transaction
    (`store`), as `transactions` gives them: (the batch's place, its part here, or
    the error that kept the part from being made).

    A batch's body is recorded as ingested with its last part (until then "storing"),
    so a failure in between loses nothing: the body is read again next time, and what
    is not stored yet is stored then. A batch whose part fails is not stored further
    (its error in its place); the other batches go on."""
    found: list[list[Stored | None]] = [[] for _ in range(count)]
    failed: dict[int, Exception] = {}
    for transaction in transactions:
        going: list[tuple[int, Batch]] = []
        for n, part in transaction:
            if isinstance(part, Exception):
                failed.setdefault(n, part)
            elif n not in failed:
                going.append((n, part))
        results = store([part for _n, part in going]) if going else []
        for (n, _part), result in zip(going, results, strict=True):
            if isinstance(result, Exception):
                failed[n] = result
            else:
                found[n].append(result)
    return [failed[n] if n in failed else _summed(results) for n, results in enumerate(found)]


def transactions_by_time(
    batches: Sequence[Batch], now: dt.datetime, group: int
) -> list[list[tuple[int, Batch]]]:
    """The transactions of `store_by_time`: the batches' articles by story time, cut
    every `group` articles, each transaction's part of each batch (with its place in
    `batches`). A batch with no articles to store goes with the first."""
    times = [[story_at(article, now) for article in batch.articles] for batch in batches]
    done = [0] * len(batches)  # articles of each batch in the transactions so far
    transactions: list[list[tuple[int, Batch]]] = []
    for cut in cut_by_time(times, group):
        transaction = []
        for n, places in cut:
            batch = batches[n]
            articles = [batch.articles[place] for place in places]
            transaction.append((n, part_of(batch, len(batch.articles), places, articles, done[n])))
            done[n] += len(places)
        transactions.append(transaction)
    return transactions


def cut_by_time(times: Sequence[Sequence[float]], group: int) -> list[list[tuple[int, list[int]]]]:
    """Batches' articles by their `times` (of each batch, each article's story time),
    cut every `group` articles oldest first: each transaction's (batch, places of its
    articles in it, in order). A batch with no articles goes with the first."""
    by_time = sorted(
        (at, n, place) for n, found in enumerate(times) for place, at in enumerate(found)
    )
    cuts = [by_time[start : start + group] for start in range(0, len(by_time), group)] or [[]]
    transactions: list[list[tuple[int, list[int]]]] = [[] for _ in cuts]
    transactions[0] += [(n, []) for n, found in enumerate(times) if not found]
    for transaction, cut in zip(transactions, cuts, strict=True):
        places: dict[int, list[int]] = {}
        for _at, n, place in cut:
            places.setdefault(n, []).append(place)
        transaction += [(n, sorted(chosen)) for n, chosen in sorted(places.items())]
    return transactions


def part_of(
    batch: Batch,
    total: int,
    places: Sequence[int],
    articles: Sequence[PreparedArticle],
    done: int,
) -> Batch:
    """The part of `batch` (of `total` articles to store) that stores `articles`, those
    at `places`, after `done` of its articles in parts before: only the first part
    carries a page's rates, and only the last one has nothing `later`."""
    return dataclasses.replace(
        batch,
        articles=list(articles),
        positions=[(batch.positions or range(total))[place] for place in places],
        rates=batch.rates if done == 0 else (),
        earlier=batch.earlier + done,
        later=batch.later + total - done - len(places),
    )


def _summed(results: Sequence[Stored | None]) -> Stored | None:
    """A batch's counts over its parts; None when its body was stored before."""
    stored = [result for result in results if result is not None]
    if not stored:
        return None
    return Stored(sum(s.new for s in stored), sum(s.updated for s in stored))


def _store(
    engine: Engine,
    batches: Sequence[Batch],
    now: dt.datetime,
    story_window_hours: float,
    embed: Embed,
) -> list[Stored | None]:
    with _window_dropped_on_failure(engine), write_session(engine) as session, session.begin():
        repo.lock_for_ingest(session=session)
        stored_before = repo.ingested_hashes(session=session, hashes=[b.digest for b in batches])
        fresh: dict[str, int] = {}  # digest -> snapshot id, for the batches stored now
        for batch in batches:
            if batch.digest in stored_before or batch.digest in fresh:
                continue
            snapshot = repo.save_snapshot(
                session=session,
                content_hash=batch.digest,
                source=batch.source,
                # Not yet "ingested" while a part is still to come: a failure between
                # the parts leaves the body to be read again, not passed over.
                status="storing" if batch.later else "ingested",
                page_date=batch.page_date,
                article_count=batch.size,
                now=now,
            )
            assert snapshot.id is not None
            fresh[batch.digest] = snapshot.id
            repo.save_rates(session=session, snapshot_id=snapshot.id, rates=batch.rates)
        known = _Known.read(session, [a for b in batches if b.digest in fresh for a in b.articles])
        results: list[Stored | None] = []
        inserted: list[tuple[ArticleRecord, PreparedArticle]] = []
        for batch in batches:
            snapshot_id = fresh.pop(batch.digest, None)
            if snapshot_id is None:
                results.append(None)
                continue
            new = updated = 0
            positions = batch.positions or range(len(batch.articles))
            for position, article in zip(positions, batch.articles, strict=True):
                stored = known.copy_of(article)
                if stored is None:
                    record = _record(article, batch.page_date, position, snapshot_id, now)
                    known.add(record, len(inserted))
                    inserted.append((record, article))
                    new += 1
                elif id(stored) in known.inserted_now:
                    # The same article twice in what is stored now: once, the fuller text.
                    place = known.inserted_now[id(stored)]
                    if _fuller(article, stored):
                        _take_text(stored, article)
                        inserted[place] = (stored, dataclasses.replace(
                            article, url=stored.url, outlet=stored.outlet
                        ))  # fmt: skip
                elif _update(session, known, stored, article, now):
                    updated += 1
            results.append(Stored(new, updated))
        _insert(session, inserted)
        assign_stories(
            session,
            engine,
            [(record, _timed(article.story, article_time(record))) for record, article in inserted],
            embed=embed,
            now=now,
            window_hours=story_window_hours,
        )
    return results


def _timed(found: Features, at: float) -> Features:
    """Its features at its story time."""
    return dataclasses.replace(found, at=at)


@dataclass
class _Known:
    """The stored articles that the batches' articles may be copies of, by URL and by
    (outlet, title), and those inserted in this transaction."""

    by_url: dict[str, ArticleRecord]
    by_title: dict[tuple[str, str], ArticleRecord]
    # Inserted in this transaction, by id(record): where they are in the insert list.
    inserted_now: dict[int, int] = dataclasses.field(default_factory=dict)

    @classmethod
    def read(cls, session: Session, articles: Sequence[PreparedArticle]) -> _Known:
        urls = sorted({a.url for a in articles if a.url})
        keys = sorted({a.key for a in articles})
        by_url: dict[str, ArticleRecord] = {}
        by_title: dict[tuple[str, str], ArticleRecord] = {}
        for start in range(0, len(urls), _CHUNK):
            chunk = urls[start : start + _CHUNK]
            for record in session.exec(
                select(ArticleRecord).where(col(ArticleRecord.url).in_(chunk))
            ):
                by_url[record.url or ""] = record
        for start in range(0, len(keys), _CHUNK):
            for record in session.exec(
                select(ArticleRecord).where(
                    col(ArticleRecord.title_key).in_(keys[start : start + _CHUNK])
                )
            ):
                by_title[(record.outlet, record.title_key)] = record
        return cls(by_url, by_title)

    def copy_of(self, article: PreparedArticle) -> ArticleRecord | None:
        """The stored article this one is a copy of, if any.

        An article's identity is its canonical URL. Its normalised title identifies it
        only within its own outlet (a feed's item re-titled keeps its URL; a snapshot
        re-read has no URL), and among snapshot text, which names no outlet: a feed's
        article claims the snapshot copy with its title, giving it a link. Two outlets
        with the same headline are two articles.
        """
        if article.url and article.url in self.by_url:
            return self.by_url[article.url]
        stored = self.by_title.get((article.outlet, article.key))
        if stored is None and article.outlet and article.url:
            stored = self.by_title.get(("", article.key))
        return stored

    def add(self, record: ArticleRecord, place: int) -> None:
        self.inserted_now[id(record)] = place
        self.link(record)

    def link(self, record: ArticleRecord) -> None:
        if record.url:
            self.by_url[record.url] = record
        self.by_title[(record.outlet, record.title_key)] = record


def _record(
    article: PreparedArticle,
    page_date: dt.date | None,
    position: int,
    snapshot_id: int,
    now: dt.datetime,
) -> ArticleRecord:
    published = article.published.date() if article.published else None
    record = ArticleRecord(
        title_key=article.key,
        title=article.title,
        body=article.body,
        truncated=article.truncated,
        summary="\n".join(article.summary),
        page_date=page_date or published,
        # Newest first means by the story's own date: a feed's, else the page's, else today.
        published_on=min(published or page_date or now.date(), now.date()),
        page_position=position,
        first_seen=now,
        updated_at=now,
        snapshot_id=snapshot_id,
        url=article.url,
        source=article.source,
        published_at=article.published,
        language=article.language,
        outlet=article.outlet,
    )
    record.story_at = story_time(record)
    return record


def _insert(session: Session, inserted: Sequence[tuple[ArticleRecord, PreparedArticle]]) -> None:
    """The new articles in one INSERT, then their countries and search rows."""
    if not inserted:
        return
    session.add_all(record for record, _article in inserted)
    session.flush()
    countries = []
    documents = []
    for record, article in inserted:
        assert record.id is not None
        countries += [(record.id, code) for code in sorted(set(article.countries))]
        documents.append((record.id, *article.search))
    repo.add_article_countries(session=session, rows=countries)
    search.index_articles(session=session, rows=documents)


def _update(
    session: Session,
    known: _Known,
    stored: ArticleRecord,
    article: PreparedArticle,
    now: dt.datetime,
) -> bool:
    """Link a stored copy to the article's URL and outlet, and give it the fuller text;
    whether anything changed."""
    linked = _link(known, stored, article)
    if _fuller(article, stored):
        _upgrade(session, stored, article, now)
        return True
    if linked:
        session.add(stored)
    return linked


def _link(known: _Known, stored: ArticleRecord, article: PreparedArticle) -> bool:
    """Give a stored story (a snapshot copy, say) the URL and outlet a feed knows for it."""
    if not article.url or stored.url is not None:
        return False
    if article.url in known.by_url:
        return False  # another story already has that URL: keep both as they are
    if stored.outlet != article.outlet and (article.outlet, stored.title_key) in known.by_title:
        return False  # the outlet has its own article of that title already
    known.by_title.pop((stored.outlet, stored.title_key), None)
    stored.url, stored.source, stored.outlet = article.url, article.source, article.outlet
    stored.published_at = stored.published_at or article.published
    stored.story_at = story_time(stored)
    known.link(stored)
    return True


def _fuller(article: PreparedArticle, stored: ArticleRecord) -> bool:
    return is_fuller(
        new_body=article.body,
        new_truncated=article.truncated,
        old_body=stored.body,
        old_truncated=stored.truncated,
    )


def _take_text(stored: ArticleRecord, article: PreparedArticle) -> None:
    stored.body, stored.truncated = article.body, article.truncated
    stored.summary = "\n".join(article.summary)
    stored.language = article.language  # the fuller text tells it better


def _upgrade(
    session: Session, stored: ArticleRecord, article: PreparedArticle, now: dt.datetime
) -> None:
    """The fuller text replaces the stored one; its story stays, and later articles
    compare with the fuller text."""
    _take_text(stored, article)
    found = dataclasses.replace(article.story, outlet=stored.outlet)
    stored.story_features = _timed(found, article_time(stored)).as_json()
    stored.updated_at = now
    session.add(stored)
    assert stored.id is not None
    repo.set_article_countries(session=session, article_id=stored.id, countries=article.countries)
    title, body = article.search
    search.index_article(session=session, article_id=stored.id, title=title, body=body)


@contextlib.contextmanager
def _window_dropped_on_failure(engine: Engine) -> Iterator[None]:
    """A transaction that fails drops the story window: it may hold its articles."""
    try:
        yield
    except BaseException:
        forget_window(engine)
        raise
