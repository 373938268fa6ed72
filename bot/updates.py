"""Updates of different chats run concurrently; those of one chat run in order.

A slow /latest in one chat must not hold up everybody else, yet two taps on
the same picker must be applied one after the other, as the user made them.

`handled(update_id)` lets the webhook server answer Telegram only once an
update has been handled, so an update is never acknowledged and then lost in
a crash (Telegram sends again what was not acknowledged).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, int] = {}
        self._awaited: dict[int, asyncio.Future[None]] = {}

    def handled(self, update_id: int) -> asyncio.Future[None]:
        """A future resolved when the update with this id has been handled."""
        return self._awaited.setdefault(update_id, asyncio.get_running_loop().create_future())

    def _done(self, update: object) -> None:
        if isinstance(update, Update):
            waiter = self._awaited.pop(update.update_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await self._in_chat_order(update, coroutine)
        finally:
            self._done(update)

    async def _in_chat_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._holders[chat.id] = self._holders.get(chat.id, 0) + 1
        try:
            async with lock:  # asyncio.Lock wakes waiters first in, first out
                await coroutine
        finally:
            self._holders[chat.id] -= 1
            if not self._holders[chat.id]:
                del self._holders[chat.id], self._locks[chat.id]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
