"""One fetch round over the sources: fetch, read, store, and record each source's health.

Every source is fetched on its own task: a slow or failing one delays no other,
and its failure is recorded, never raised. A source that fails waits before its
next try, twice as long after each failure in a row (from `FETCH_INTERVAL_MINUTES`
up to `MAX_BACKOFF`), or as long as its `Retry-After` asks. Nothing already stored
changes when a source returns garbage: what cannot be read is not stored at all.

The work is cut by what it needs: fetching waits on the network (the event loop);
reading a feed runs in a thread, or on a text worker when it is big; and one writer,
the round's `GroupWriter`, gathers what the sources gave and stores it oldest first in
short transactions, several sources at a time, its text work (language, summary, tags,
story features, meaning) done on every core in the order it is stored
(`bot.news.store_read`). A write that meets a busy database is tried again there, so
it never counts as the source's failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from typing import NamedTuple

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.clock import Clock
from bot.news.articles import Publisher
from bot.news.ingest import content_hash
from bot.news.snapshot import Article
from bot.news.store import GROUP_ARTICLES, Stored, unchanged
from bot.news.store_read import ReadBatch, store_read
from bot.news.story_window import DEFAULT_WINDOW_HOURS
from bot.news.text_work import TextWork
from bot.sources.catalog import outlet_for_url
from bot.sources.charset import UndecodableError, decode_body
from bot.sources.feeds import parse_feed
from bot.sources.fetcher import Fetcher, FetchError, Response
from bot.sources.pages import parse_page
from bot.sources.urls import canonical_url, source_name
from storage import repo
from storage import sources as health
from storage.db import open_session, retrying, write_session
from storage.models import SourceRecord

log = logging.getLogger(__name__)

MAX_BACKOFF = dt.timedelta(hours=6)
# Sources fetched and read at once (their stores wait outside). Fetching is mostly
# waiting, on the network and on each host's interval (a feed is fetched a second after
# its host's robots.txt): with 8 at once, a 3,000-article first fetch of 30 feeds spent
# 7 s of its 24 s in four such waves while the text workers idled. Reading is bounded by
# the text workers anyway; this bounds the bodies held at once (5 MB each at most).
MAX_CONCURRENT_SOURCES = 32
# How long the round's writer waits for the next batch of the sources still being fetched
# and read, before it stores what it has (`GroupWriter`): each batch that arrives gives
# the others this long again. Fetches to one host are a second apart (FetchLimits), and
# MAX_CONCURRENT_SOURCES sources are read at once, so a round's batches come in waves
# about a second apart however many sources it has.
GATHER_SECONDS = 3.0
# ...and at most this long after the group's first batch: a round of the catalog's feeds
# on one host takes about a minute; the group's first batch waits no longer than this.
GATHER_MAX_SECONDS = 120.0
GATHER_POLL = 0.05  # how often it looks again whether a source ended with no batch
# Articles the writer gathers at most before it stores them, oldest first, in
# transactions of GROUP_ARTICLES: a first fetch of the whole catalog (33 outlets' feeds
# of 20 to 200 items) is one gathering. They wait read, not prepared (prepared a
# transaction at a time, `store_read`): 10,000 whole CNN texts as 50 feeds raised the
# round's peak RSS from 527 MB (gathered 3,000 at most) to 594 MB, at the same rate.
GATHER_ARTICLES = 10_000
# How long a claimed source is this instance's: longer than a round can take.
CLAIM = dt.timedelta(minutes=10)
# Article pages fetched per source and round for the whole text of an excerpt.
MAX_FULL_TEXT_FETCHES = 5
MAX_DISPLAY_NAME = 80  # characters of a feed's own title kept as the outlet's name


@dataclass
class SourceResult:
    url: str
    status: str  # "ok", "not_modified", "failed" or "skipped"
    http_status: int | None = None
    articles_new: int = 0
    articles_updated: int = 0
    error: str | None = None


@dataclass
class FetchReport:
    sources: list[SourceResult]

    def as_json(self) -> dict[str, object]:
        return {
            "sources": [asdict(s) for s in self.sources],
            "articles_new": sum(s.articles_new for s in self.sources),
            "articles_updated": sum(s.articles_updated for s in self.sources),
        }


def next_try(
    *, now: dt.datetime, interval: dt.timedelta, failures: int, retry_after: float | None
) -> dt.datetime:
    """When a source is fetched next: at the interval, later after failures in a row."""
    wait = interval if failures == 0 else min(interval * 2 ** min(failures - 1, 16), MAX_BACKOFF)
    if retry_after is not None:
        wait = max(wait, min(dt.timedelta(seconds=retry_after), MAX_BACKOFF))
    return now + wait


# A body this big (a feed of many items, or whole texts) is read on a text worker; a
# smaller one in a thread here.
HEAVY_BODY = 64_000


class Source(NamedTuple):
    """What one source's body holds."""

    kind: str  # "feed" or "page"
    articles: tuple[Article, ...]
    outlet: Publisher


def read_source(url: str, body: bytes, content_type: str | None, name: str | None) -> Source:
    """Read a fetched body: ValueError says why nothing could be read."""
    headers = {"Content-Type": content_type} if content_type else {}
    reading = read_articles(Response(url, 200, headers, body))
    outlet = publisher(url, name=name, feed_title=reading.title)
    articles = reading.articles
    catalogued = outlet_for_url(url)
    if catalogued is not None and catalogued.shape == "teaser":
        # Its feed carries leads: each story's page has the whole text.
        articles = tuple(replace(a, truncated=True) for a in articles)
    return Source(reading.kind, articles, outlet)


class Reading(NamedTuple):
    kind: str  # "feed" or "page"
    articles: tuple[Article, ...]
    title: str = ""  # the feed's channel title ("" for a page)


def read_articles(response: Response) -> Reading:
    """What a fetched body holds; ValueError says why no article could be read."""
    try:
        text = decode_body(response.body, response.content_type)
    except UndecodableError as error:
        raise ValueError(str(error)) from None
    feed = parse_feed(text, response.url)
    if feed is not None:
        if not feed.articles and not feed.empty:
            raise ValueError("a feed with no readable entries")
        return Reading("feed", feed.articles, feed.title)
    page = parse_page(text, response.url)
    if page is None or not page.articles:
        raise ValueError("neither a feed nor a page with articles")
    return Reading("page", page.articles)


def publisher(source_url: str, *, name: str | None = None, feed_title: str = "") -> Publisher:
    """Who publishes what a source serves, as stored with each of its articles.

    The display name is the catalog's, else the name an operator gave the source,
    else the feed's own title, else the host. The key that makes a title unique
    is the catalog outlet's name, else one made from the source's URL: two feeds
    on one host (two local test feeds, a site's two editions) are two outlets.
    """
    outlet = outlet_for_url(source_url)
    if outlet is not None:
        return Publisher(outlet.name, outlet.display, outlet.languages)
    digest = hashlib.sha256(source_url.encode()).hexdigest()[:16]
    display = name or feed_title.strip()[:MAX_DISPLAY_NAME] or source_name(source_url)
    return Publisher(f"url:{digest}", display)


class Phases(dict[str, float]):
    """Seconds spent in each phase of a round, summed over its sources (phases overlap:
    while one source's text is prepared another's is fetched)."""

    @contextlib.contextmanager
    def timing(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self[phase] = self.get(phase, 0.0) + time.perf_counter() - started

    def shares(self) -> str:
        total = sum(self.values()) or 1.0
        return ", ".join(f"{phase} {seconds:.1f} s ({seconds / total:.0%})"
                         for phase, seconds in self.items())  # fmt: skip


class GroupWriter:
    """The one writer of a round: every source's batch, read, waits in a queue, and one
    task prepares and stores what is waiting, up to GATHER_ARTICLES articles, oldest
    first in transactions of up to GROUP_ARTICLES (`store_read`, in a thread), the text
    workers preparing the next transactions while it stores one. Sources never wait on
    each other's locks, and a thousand-article first fetch is a few short transactions.

    **The order feeds answer in does not decide the stories.** After a batch arrives the
    writer gathers the batches of the sources still being fetched and read (`awaited`),
    up to GATHER_ARTICLES articles, while each comes within GATHER_SECONDS of the one
    before (GATHER_MAX_SECONDS after the first at most), so that a round's
    articles are matched together, oldest first, as if they had arrived day by day
    (bench/stories.py: the same stories as day by day on our sets), instead of the first
    feed to answer building stories from its reports alone. A round bigger than a
    transaction is cut by time, not by source (`store.cut_by_time`); one larger than
    GATHER_ARTICLES, or slower than the waits, is stored in gatherings of the order
    its feeds answered in."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        story_window_hours: float,
        phases: Phases,
        work: TextWork,
    ) -> None:
        self.engine, self.clock, self.story_window_hours = engine, clock, story_window_hours
        self.phases, self.work = phases, work
        self._queue: asyncio.Queue[tuple[ReadBatch, asyncio.Future[Stored | None]]] = (
            asyncio.Queue()
        )
        self._task: asyncio.Task[None] | None = None
        # Sources of the round whose batch may still come: fetched, read or prepared now.
        self.awaited: set[str] = set()

    async def store(self, batch: ReadBatch) -> Stored | None:
        """The batch's new and updated counts once stored (None: stored before)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="group-writer")
        done: asyncio.Future[Stored | None] = asyncio.get_running_loop().create_future()
        self.awaited.discard(batch.source)
        await self._queue.put((batch, done))
        return await done

    async def _gather(self) -> list[tuple[ReadBatch, asyncio.Future[Stored | None]]]:
        """The next group: what is waiting, and what the awaited sources bring, each
        batch within GATHER_SECONDS of the one before or of the last source that ended
        without one (a round's unchanged feeds: a day's few new articles come from feeds
        far apart in a long round), up to GATHER_ARTICLES articles."""
        group = [await self._queue.get()]
        size = len(group[0][0].articles)
        last = time.monotonic()
        cap = last + GATHER_MAX_SECONDS
        awaited = len(self.awaited)
        while size < GATHER_ARTICLES:
            if self._queue.empty():
                if len(self.awaited) < awaited:  # a source ended, with no batch: the round
                    awaited, last = len(self.awaited), time.monotonic()  # goes on, so wait on
                left = min(last + GATHER_SECONDS, cap) - time.monotonic()
                if not self.awaited or left <= 0:
                    break
                try:  # looked at again every GATHER_POLL: a source may end with no batch
                    group.append(await asyncio.wait_for(self._queue.get(), min(left, GATHER_POLL)))
                except TimeoutError:
                    continue
            else:
                group.append(self._queue.get_nowait())
            size += len(group[-1][0].articles)
            last = time.monotonic()
        return group

    async def _run(self) -> None:
        while True:
            group = await self._gather()
            try:
                results = await asyncio.to_thread(
                    store_read,
                    self.engine,
                    [batch for batch, _ in group],
                    self.work,
                    now=self.clock(),
                    story_window_hours=self.story_window_hours,
                    group=GROUP_ARTICLES,
                    phases=self.phases,
                )
            except Exception as error:  # reported to each source waiting on it
                results = [error] * len(group)
            for (_batch, done), result in zip(group, results, strict=True):
                if done.done():
                    continue
                if isinstance(result, Exception):
                    done.set_exception(result)
                else:
                    done.set_result(result)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


class FetchRound:
    def __init__(
        self,
        engine: Engine,
        fetcher: Fetcher,
        *,
        interval: dt.timedelta,
        clock: Clock,
        story_window_hours: float = DEFAULT_WINDOW_HOURS,
        work: TextWork | None = None,
    ) -> None:
        self.engine, self.fetcher, self.interval, self.clock = engine, fetcher, interval, clock
        self.story_window_hours = story_window_hours
        self.work = work or TextWork()
        self._running = asyncio.Lock()
        # Sources fetched and read at once; a source's batch waits for the writer outside
        # it, so the sources after it go on meanwhile (the writer gathers their batches).
        self._gate = asyncio.Semaphore(MAX_CONCURRENT_SOURCES)
        self.phases = Phases()
        self._writer: GroupWriter | None = None

    async def run(self, urls: Sequence[str], *, force: bool = False) -> FetchReport:
        """Fetch the sources in `urls` that are due (all of them when `force`)."""
        if self._running.locked():
            log.info("the last fetch round is still running; this one is skipped")
            return FetchReport([])
        async with self._running:
            canonical = list(dict.fromkeys(canonical_url(u) or u for u in urls))
            now = self.clock()
            records = await asyncio.to_thread(self._records, canonical, now, force)
            if any(mine and record.last_success_at is None for record, mine in records):
                self.work.start_workers()  # a first fetch: every article of it is new
            self.phases = Phases()
            self._gate = asyncio.Semaphore(MAX_CONCURRENT_SOURCES)  # of this round's loop
            writer = self._writer = GroupWriter(
                self.engine, self.clock, self.story_window_hours, self.phases, self.work
            )
            writer.awaited.update(record.url for record, mine in records if mine)
            started = time.perf_counter()

            async def one(record: SourceRecord, mine: bool) -> SourceResult:
                if not mine:
                    when = record.next_fetch_at.isoformat() if record.next_fetch_at else "?"
                    return SourceResult(record.url, "skipped", error=f"next try at {when}")
                try:
                    return await self._fetch(record)
                finally:  # with no batch (failed, unchanged): the writer waits no more for it
                    writer.awaited.discard(record.url)

            try:
                results = await asyncio.gather(*(one(r, mine) for r, mine in records))
            finally:
                await self._writer.close()
            report = FetchReport(list(results))
            log.info(
                "fetch round: %d sources, %d new articles in %.1f s; busy time: %s",
                len(results), sum(r.articles_new for r in results),
                time.perf_counter() - started, self.phases.shares(),
            )  # fmt: skip
            return report

    def _records(
        self, urls: list[str], now: dt.datetime, force: bool
    ) -> list[tuple[SourceRecord, bool]]:
        """Each source's record, and whether this round fetches it.

        A due source is claimed for `CLAIM` first, so another instance's round skips
        it; the claim ends when the fetch records its result (or runs out, if this
        process dies). `force` (the command line) fetches every source regardless.
        """
        for attempt in range(2):
            try:
                with write_session(self.engine) as session, session.begin():
                    records = health.known_sources(session=session, urls=urls)
            except IntegrityError:  # another instance created the same rows just now
                if attempt:
                    raise
                continue
            break
        chosen = []
        with write_session(self.engine) as session, session.begin():
            for record in records:
                mine = force or health.claim(
                    session=session, url=record.url, now=now, until=now + CLAIM
                )
                chosen.append((record, mine))
        return chosen

    async def _fetch(self, record: SourceRecord) -> SourceResult:
        url = record.url
        try:
            return await self._fetch_and_store(record)
        except Exception as error:  # one source's surprise must not end the round
            log.exception("fetching %s failed unexpectedly", url)
            result = SourceResult(url, "failed", error=f"{type(error).__name__}: {error}")
            await asyncio.to_thread(self._record, record, result, None, None)
            return result

    async def _fetch_and_store(self, record: SourceRecord) -> SourceResult:
        async with self._gate:
            read = await self._fetch_and_read(record)
        if isinstance(read, SourceResult):
            return read
        source, fresh, seen, digest, response = read
        url = record.url
        stored = await self._write(ReadBatch(url, digest, fresh, source.outlet, unchanged=seen))
        new, updated = stored or (0, 0)
        if stored is not None:  # a body not seen before: its excerpts may be new too
            async with self._gate:
                updated += await self._full_texts(source.articles, source.outlet)
        result = SourceResult(url, "ok", 200, new, updated)
        await asyncio.to_thread(self._record, record, result, response, None)
        return result

    async def _fetch_and_read(
        self, record: SourceRecord
    ) -> SourceResult | tuple[Source, list[Article], int, str, Response]:
        """The source fetched and read (its result, recorded, where there is nothing to
        store): what its batch needs."""
        url = record.url
        try:
            if not await self.fetcher.allowed(url):
                result = SourceResult(url, "skipped", error="robots.txt does not allow it")
                await asyncio.to_thread(self._record, record, result, None, None)
                return result
            with self.phases.timing("fetch"):
                response = await self.fetcher.get(
                    url, etag=record.etag, last_modified=record.last_modified
                )
        except FetchError as error:
            result = SourceResult(url, "failed", error.status, error=str(error))
            log.warning("source %s: %s", url, error)
            await asyncio.to_thread(self._record, record, result, None, error.retry_after)
            return result
        if response.status == 304:
            result = SourceResult(url, "not_modified", 304)
            await asyncio.to_thread(self._record, record, result, response, None)
            return result
        digest = content_hash(response.body)
        if await asyncio.to_thread(self._stored_before, digest):  # this very body, again
            result = SourceResult(url, "ok", 200)
            await asyncio.to_thread(self._record, record, result, response, None)
            return result
        try:
            source, fresh, seen = await self._read(record, response)
        except ValueError as error:
            result = SourceResult(url, "failed", response.status, error=str(error))
            log.warning("source %s: %s", url, error)
            await asyncio.to_thread(self._record, record, result, None, None)
            return result
        record.kind = source.kind
        return source, fresh, seen, digest, response

    async def _read(
        self, record: SourceRecord, response: Response
    ) -> tuple[Source, list[Article], int]:
        """The body read, the articles that storing would change, and how many are stored
        unchanged. A feed that gained one item gives all the others again: those are
        looked up (`unchanged`) and not prepared. A source never fetched before has none
        stored."""
        heavy = len(response.body) >= HEAVY_BODY
        arguments = (record.url, response.body, response.content_type, record.name)
        with self.phases.timing("read"):
            source = await self.work.call(read_source, *arguments, heavy=heavy)
        if record.last_success_at is None:
            return source, list(source.articles), 0
        seen = await asyncio.to_thread(unchanged, self.engine, source.articles, source.outlet.key)
        fresh = [article for article, old in zip(source.articles, seen, strict=True) if not old]
        return source, fresh, sum(seen)

    async def _full_texts(self, articles: Sequence[Article], outlet: Publisher) -> int:
        """Fetch the pages of up to MAX_FULL_TEXT_FETCHES excerpts; how many it upgraded.

        A feed's summary or a listing's teaser is cut; the story's own page has the
        whole text, which the "fuller text upgrades" rule then stores in its place.
        A page that fails is skipped: the excerpt stays, and nothing else changes.
        """
        upgraded = 0
        excerpts = [a for a in articles if a.truncated and a.url][:MAX_FULL_TEXT_FETCHES]
        for excerpt in excerpts:
            assert excerpt.url is not None
            try:
                if not await self.fetcher.allowed(excerpt.url):
                    continue
                response = await self.fetcher.get(excerpt.url)
                if response.status != 200:
                    continue
                page = parse_page(decode_body(response.body, response.content_type), response.url)
            except (FetchError, UndecodableError) as error:
                log.info("full text of %s not fetched: %s", excerpt.url, error)
                continue
            if page is None or page.kind != "article" or page.articles[0].truncated:
                continue
            # The feed's title and URL: the page's <h1> may word the title differently.
            full = replace(page.articles[0], title=excerpt.title, url=excerpt.url)
            full = replace(full, published=excerpt.published)
            stored = await self._store(excerpt.url, response.body, [full], outlet)
            upgraded += stored.updated if stored else 0
        return upgraded

    async def _store(
        self, source: str, content: bytes, articles: Sequence[Article], outlet: Publisher
    ) -> Stored | None:
        """Hand the articles to the round's writer (skipping a body stored before);
        None when this exact body was stored before."""
        digest = content_hash(content)
        if await asyncio.to_thread(self._stored_before, digest):
            return None
        return await self._write(ReadBatch(source, digest, articles, outlet))

    async def _write(self, batch: ReadBatch) -> Stored | None:
        if self._writer is None:  # outside a round (tests): a writer of its own
            self._writer = GroupWriter(
                self.engine, self.clock, self.story_window_hours, self.phases, self.work
            )
        return await self._writer.store(batch)

    def _stored_before(self, digest: str) -> bool:
        with open_session(self.engine) as session:
            return bool(repo.ingested_hashes(session=session, hashes=[digest]))

    def _record(
        self,
        record: SourceRecord,
        result: SourceResult,
        response: Response | None,
        retry_after: float | None,
    ) -> None:
        """Write the source's health after a fetch (tried again while the database is busy)."""

        def write() -> None:
            now = self.clock()
            with write_session(self.engine) as session, session.begin():
                stored = health.get_source(session=session, url=record.url)
                if stored is None:
                    return
                stored.last_fetch_at, stored.last_status = now, result.http_status
                stored.kind = record.kind
                if result.status in ("ok", "not_modified"):
                    stored.last_success_at, stored.failures, stored.last_error = now, 0, None
                    if response is not None:
                        stored.etag = response.headers.get("ETag") or stored.etag
                        stored.last_modified = response.headers.get("Last-Modified") or (
                            stored.last_modified
                        )
                elif result.status == "failed":
                    stored.failures += 1
                    stored.last_error = (result.error or "")[:1000]
                else:  # skipped: robots.txt, or not due
                    stored.last_error = result.error
                stored.next_fetch_at = next_try(
                    now=now,
                    interval=self.interval,
                    failures=stored.failures,
                    retry_after=retry_after,
                )
                health.save_source(session=session, record=stored)

        retrying(write, what=f"recording how {record.url} went")

