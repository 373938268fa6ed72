"""The bot's door to storage: each unit of work runs in a worker thread.

Storage is synchronous SQLModel (one code path for the CLI, ingest and the
bot); the event loop must never wait on the database, so handlers hand it a
function of a session and await the result.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage.db import open_session

T = TypeVar("T")


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def run_sync(self, work: Callable[[Session], T]) -> T:
        """`work` inside one transaction: committed if it returns, rolled back if it raises."""
        with open_session(self.engine) as session, session.begin():
            return work(session)

    async def run(self, work: Callable[[Session], T]) -> T:
        return await asyncio.to_thread(self.run_sync, work)
