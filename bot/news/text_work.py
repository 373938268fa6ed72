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

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.news.articles import SNAPSHOT_TEXT, PreparedArticle, Publisher, prepare_articles
from bot.news.snapshot import Article

log = logging.getLogger(__name__)

POOL_MIN_ARTICLES = 40  # a batch this big is prepared on the pool; smaller ones inline
CHUNK = 25  # articles a worker prepares at a time (its meanings encoded together)


def _warm() -> None:
    """Load the models in a new worker, so its first chunk is not the slow one."""
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

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
