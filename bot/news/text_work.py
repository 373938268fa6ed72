"""The CPU work of ingest (language, summary, tags, story features, meaning, search
stems: `bot.news.articles.prepare_articles`) on every core, before anything is written.

A process pool, one worker per core, started on the first batch big enough to pay
for it (POOL_MIN_ARTICLES: a worker takes a few seconds to start and load the language,
sentence and meaning models), or when a fetch round begins a source's first fetch
(`start_workers`), and kept for the life of the process. Smaller batches, the usual
few new items of a feed, are prepared in the calling thread. Work is cut in chunks of
CHUNK articles, so one big feed keeps every worker busy. Workers are spawned, not
forked: the bot's threads and event loop are not copied into them.

**The writer never waits for the encoder.** Every article's meaning is encoded while it
is prepared, one batch a chunk. Encoding only the meanings a write turned out to need
put them on the one writer's path: in a 3,000-article fetch round the writer waited
12.5 s of its 24 s for them (the ones it found ahead, on the pool, and one or two at a
time inside the transaction for stories the round itself had just begun), while most
articles of a regional news window need their meaning anyway. Meanings the writer may
still need (rows stored without one) are submitted straight away, ahead of preparing,
which is fed to the pool at most one task a worker at a time (`_Feeder`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

import threadpoolctl

from bot.news.articles import (
    SNAPSHOT_TEXT,
    PreparedArticle,
    Publisher,
    prepare_each,
)
from bot.news.snapshot import Article
from bot.news.stories import meaning

log = logging.getLogger(__name__)

T = TypeVar("T")

POOL_MIN_ARTICLES = 40  # a batch this big is prepared on the pool; smaller ones inline
CHUNK = 25  # articles a worker prepares at a time
POOL_MIN_TEXTS = 16  # meanings encoded on the pool from this many; fewer in the caller
TEXT_CHUNK = 32  # meanings a worker encodes at a time (one batch of the encoder)


def _one_thread() -> None:
    """A new worker keeps to one BLAS thread: the pool is one worker a core, and more
    would only spin against each other. Its models load on its first text work (a
    second or so): a round's first tasks are reading its feeds, which need none."""
    threadpoolctl.threadpool_limits(limits=1)


class _Feeder:
    """Work ahead, handed to the pool at most `limit` tasks at a time, in order: what is
    submitted to the pool directly meanwhile starts after at most `limit` of these.

    A thread of its own hands the tasks over (a pool's completion callbacks run on the
    pool's own manager thread, which must not submit to it)."""

    def __init__(self, pool: Executor, limit: int) -> None:
        self.pool, self.limit = pool, limit
        self._waiting: deque[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = deque()
        self._running = 0
        self._closed = False
        self._ready = threading.Condition()
        threading.Thread(target=self._feed, name="text-work-feeder", daemon=True).start()

    def submit(self, work: Callable[..., T], *args: Any) -> Future[T]:
        outer: Future[T] = Future()
        with self._ready:
            if self._closed:
                raise RuntimeError("the text workers are closed")
            self._waiting.append((outer, work, args))
            self._ready.notify()
        return outer

    def close(self) -> None:
        """Stop feeding; what still waits is cancelled."""
        with self._ready:
            self._closed = True
            waiting, self._waiting = self._waiting, deque()
            self._ready.notify()
        for outer, _work, _args in waiting:
            outer.cancel()

    def _feed(self) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(
                    lambda: self._closed or (bool(self._waiting) and self._running < self.limit)
                )
                if self._closed:
                    return
                outer, work, args = self._waiting.popleft()
                self._running += 1
            if not outer.set_running_or_notify_cancel():  # cancelled while it waited
                self._finished()
                continue
            try:
                inner = self.pool.submit(work, *args)
            except Exception as error:  # a broken or closed pool: the caller sees why
                outer.set_exception(error)
                self._finished()
                continue
            inner.add_done_callback(functools.partial(self._pass_on, outer))

    def _pass_on(self, outer: Future[Any], inner: Future[Any]) -> None:
        error = inner.exception() if not inner.cancelled() else BrokenProcessPool("cancelled")
        if error is None:
            outer.set_result(inner.result())
        else:
            outer.set_exception(error)
        self._finished()

    def _finished(self) -> None:
        with self._ready:
            self._running -= 1
            self._ready.notify()


class TextWork:
    """Prepares articles, on a pool of `workers` processes (default: one per core)."""

    def __init__(self, workers: int | None = None, pool_min: int = POOL_MIN_ARTICLES) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.pool_min = pool_min
        self._pool: ProcessPoolExecutor | None = None
        self._ahead: _Feeder | None = None  # preparing, fed to the pool a task a worker
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_one_thread,
                )
                self._ahead = _Feeder(self._pool, self.workers)
            return self._pool

    def start_workers(self) -> None:
        """Start the pool now, before its first work: each worker takes a second or two
        to load its models, which a round that will read and prepare much (a source's
        first fetch) spends while its sources are fetched."""
        if self.workers >= 2:
            pool = self._executor()
            for _ in range(self.workers):
                pool.submit(int)  # nothing to do: it only spawns a worker

    def _work_ahead(self) -> _Feeder:
        self._executor()
        assert self._ahead is not None
        return self._ahead

    def _submit(
        self, articles: Sequence[tuple[Article, Publisher]]
    ) -> list[Future[list[PreparedArticle]]]:
        """Futures of the prepared articles, chunk by chunk, in order (on the pool)."""
        ahead = self._work_ahead()
        return [
            ahead.submit(prepare_each, list(articles[start : start + CHUNK]))
            for start in range(0, len(articles), CHUNK)
        ]

    def prepare(
        self, articles: Sequence[Article], outlet: Publisher = SNAPSHOT_TEXT
    ) -> list[PreparedArticle]:
        """The articles prepared, in order: on the pool when there are enough of them."""
        return self.start(articles, outlet)()

    def start(
        self, articles: Sequence[Article], outlet: Publisher = SNAPSHOT_TEXT
    ) -> Callable[[], list[PreparedArticle]]:
        """Start preparing (on the pool, when there are enough articles); the returned
        call waits for the result, so the caller can store what came before meanwhile."""
        return self.start_each([(article, outlet) for article in articles])

    def start_each(
        self, articles: Sequence[tuple[Article, Publisher]]
    ) -> Callable[[], list[PreparedArticle]]:
        """`start`, for articles of several outlets (each with its own)."""
        if self.workers < 2 or len(articles) < self.pool_min:
            return lambda: prepare_each(articles)
        chunks = self._submit(articles)

        def result() -> list[PreparedArticle]:
            try:
                return [p for chunk in chunks for p in chunk.result()]
            except BrokenProcessPool:  # a worker died (out of memory, killed): work inline
                log.exception("a text worker died; preparing in this process instead")
                self.close()
                return prepare_each(articles)

        return result

    async def call(self, work: Callable[..., T], *args: Any, heavy: bool) -> T:
        """`work(*args)` on a worker if it is `heavy` (and there is more than one core),
        else in a thread of this process; awaited either way."""
        if heavy and self.workers >= 2:
            try:
                return await asyncio.wrap_future(self._work_ahead().submit(work, *args))
            except BrokenProcessPool:
                log.exception("a text worker died; working in this process instead")
                self.close()
        return await asyncio.to_thread(work, *args)

    def embed(self, texts: Sequence[str]) -> list[bytes]:
        """The texts' meanings (`bot.news.stories.meaning.embed`), on the pool when there
        are enough of them."""
        if self.workers < 2 or len(texts) < POOL_MIN_TEXTS:
            return meaning.embed(texts)
        pool = self._executor()
        chunks = [
            pool.submit(meaning.embed, list(texts[start : start + TEXT_CHUNK]))
            for start in range(0, len(texts), TEXT_CHUNK)
        ]
        try:
            return [vector for chunk in chunks for vector in chunk.result()]
        except BrokenProcessPool:
            log.exception("a text worker died; encoding in this process instead")
            self.close()
            return meaning.embed(texts)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
            ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.close()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
