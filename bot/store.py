"""The bot's door to storage: reads in worker threads, writes through one writer.

Storage is synchronous SQLModel (one code path for the CLI, ingest and the
bot); the event loop never waits on the database.

- `run(work)`: `work(session)` in a worker thread, in its own transaction.
- `write(work)`: queued for the single writer, which commits whatever has
  queued up together, in one transaction (group commit). SQLite allows one
  writer at a time: many threads writing at once would spend their time in
  its busy-wait, and one commit per digest message would cap delivery at a
  few hundred a second. A batch that fails for a passing reason (a lock held
  too long, a deadlock) is tried again whole; one that fails otherwise is
  replayed one unit at a time, so one bad unit cannot fail the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage.db import open_session, retrying

log = logging.getLogger(__name__)
T = TypeVar("T")
Work = Callable[[Session], Any]
MAX_BATCH = 256


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writes: asyncio.Queue[tuple[Work, asyncio.Future[Any]]] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer")

    def run_sync(self, work: Callable[[Session], T]) -> T:
        """`work` inside one transaction: committed if it returns, rolled back if it raises."""
        with open_session(self.engine) as session, session.begin():
            return work(session)

    async def run(self, work: Callable[[Session], T]) -> T:
        return await asyncio.to_thread(self.run_sync, work)

    async def write(self, work: Callable[[Session], T]) -> T:
        if self._writes is None:
            self._writes = asyncio.Queue()
            self._writer = asyncio.create_task(self._write_batches(self._writes), name="db-writer")
        done: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._writes.put_nowait((work, done))
        return await done

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        self._thread.shutdown(wait=True)

    async def _write_batches(self, queue: asyncio.Queue[tuple[Work, asyncio.Future[Any]]]) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await queue.get()]
            while not queue.empty() and len(batch) < MAX_BATCH:
                batch.append(queue.get_nowait())
            outcomes = await loop.run_in_executor(
                self._thread, self._commit, [work for work, _ in batch]
            )
            for (_, done), (value, error) in zip(batch, outcomes, strict=True):
                if done.cancelled():
                    continue
                if error is None:
                    done.set_result(value)
                else:
                    done.set_exception(error)

    def _commit(self, works: list[Work]) -> list[tuple[Any, BaseException | None]]:
        try:
            # A transaction that failed for a passing reason (SQLite's lock held past the
            # timeout, a PostgreSQL deadlock between two instances) is rolled back whole
            # and tried again: the works only act through the session.
            values = retrying(lambda: self._transaction(works), what="a bot write")
            return [(value, None) for value in values]
        except Exception as error:
            if len(works) == 1:
                return [(None, error)]
            log.warning("a batch of %d writes failed (%s); replaying one by one", len(works), error)
            return [self._commit([work])[0] for work in works]

    def _transaction(self, works: list[Work]) -> list[Any]:
        with open_session(self.engine) as session, session.begin():
            return [work(session) for work in works]
