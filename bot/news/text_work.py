"""The CPU work of ingest (language, summary, tags, story features, meaning, search
stems: `bot.news.articles.prepare_articles`) on every core, before anything is written.

A process pool, one worker per core, started on the first batch big enough to pay
for it (POOL_MIN_ARTICLES: a worker takes a few seconds to load the language, sentence
and meaning models) and kept for the life of the process. Smaller batches, the usual
few new items of a feed, are prepared in the calling thread. Work is cut in chunks of
CHUNK articles, so one big feed keeps every worker busy. Workers are spawned, not
forked: the bot's threads and event loop are not copied into them.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

import threadpoolctl

from bot.news.articles import SNAPSHOT_TEXT, PreparedArticle, Publisher, prepare_articles
from bot.news.snapshot import Article
from bot.news.stories import meaning

log = logging.getLogger(__name__)

T = TypeVar("T")

POOL_MIN_ARTICLES = 40  # a batch this big is prepared on the pool; smaller ones inline
CHUNK = 25  # articles a worker prepares at a time
POOL_MIN_TEXTS = 16  # meanings encoded on the pool from this many; fewer in the caller
TEXT_CHUNK = 32  # meanings a worker encodes at a time (one batch of the encoder)


def _warm() -> None:
    """A new worker keeps to one BLAS thread (the pool is one worker a core: more would
    only spin against each other), and loads its models before its first chunk."""
    threadpoolctl.threadpool_limits(limits=1)
    prepare_articles([Article("Warm up", ("Astana, Kazakhstan. A first sentence.",), False)])


class TextWork:
    """Prepares articles, on a pool of `workers` processes (default: one per core)."""

    def __init__(self, workers: int | None = None, pool_min: int = POOL_MIN_ARTICLES) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.pool_min = pool_min
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_warm,
                )
            return self._pool

    def submit(
        self, articles: Sequence[Article], outlet: Publisher = SNAPSHOT_TEXT
    ) -> list[Future[list[PreparedArticle]]]:
        """Futures of the prepared articles, chunk by chunk, in order (on the pool)."""
        pool = self._executor()
        return [
            pool.submit(prepare_articles, list(articles[start : start + CHUNK]), outlet)
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
        if self.workers < 2 or len(articles) < self.pool_min:
            return lambda: prepare_articles(articles, outlet)
        chunks = self.submit(articles, outlet)

        def result() -> list[PreparedArticle]:
            try:
                return [p for chunk in chunks for p in chunk.result()]
            except BrokenProcessPool:  # a worker died (out of memory, killed): work inline
                log.exception("a text worker died; preparing in this process instead")
                self.close()
                return prepare_articles(articles, outlet)

        return result

    async def call(self, work: Callable[..., T], *args: Any, heavy: bool) -> T:
        """`work(*args)` on a worker if it is `heavy` (and there is more than one core),
        else in a thread of this process; awaited either way."""
        if heavy and self.workers >= 2:
            try:
                return await asyncio.wrap_future(self._executor().submit(work, *args))
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
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
