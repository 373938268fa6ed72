"""Updates of different chats run concurrently; those of one chat run in order.

A slow /latest in one chat must not hold up everybody else, yet two taps on
the same picker must be applied one after the other, as the user made them.

A chat that floods the bot must not starve the others either. So:
- at most `running` handlers run at once, and an update waiting for its
  chat's earlier ones holds none of those places (PTB's own semaphore is made
  wide enough never to be the limit: it would count the waiting too);
- each chat keeps at most `MAX_WAITING_PER_CHAT` updates waiting; beyond that
  they are dropped, so memory does not grow with a flood;
- a command equal to one already waiting in the same chat (the same command
  with the same arguments) is coalesced into it: it is answered once (button
  presses are not: a second tap on a toggle means something);
- a chat whose updates are dropped is reported to `on_flood` every time (the
  sender then gives it no burst) and gets at most one short "slow down" notice
  a minute (`on_shed`).

`handled(update_id)` lets the webhook server answer Telegram only once an
update has been handled (or shed), so an update is never acknowledged and
then lost in a crash (Telegram sends again what was not acknowledged).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

# The update a handler is working on (its task's context): a handler's database
# write records the update as handled in the same transaction (`storage.updates`).
CURRENT_UPDATE: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "current_update", default=None
)

MAX_WAITING_PER_CHAT = 8
SHED_NOTICE_SECONDS = 60.0  # one "slow down" notice a minute at most, per chat
ADMITTED_AT_ONCE = 100_000  # PTB's own limit: only a backstop, never reached in practice
COALESCE_KEY_CHARS = 256  # a key is built from this much of a text at most


@dataclass
class _ChatQueue:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    holders: int = 0  # updates admitted: running or waiting
    waiting: dict[Hashable, int] = field(default_factory=dict)  # coalescing key -> count


def queue_of(update: object) -> int | None:
    """Whose updates an update waits behind: its chat's; an inline query (which has no
    chat) its user's, so a user typing fast queues behind their own queries only."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.inline_query is not None:
        return update.inline_query.from_user.id
    return None


def coalescing_key(update: object) -> Hashable | None:
    """What makes two updates the same request; None: never coalesced."""
    if not isinstance(update, Update):
        return None
    message = update.message
    if message is not None and message.text and message.text.startswith("/"):
        return " ".join(message.text[:COALESCE_KEY_CHARS].casefold().split())
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(
        self,
        running: int,
        on_shed: Callable[[int], Coroutine[Any, Any, None]] | None = None,
        on_flood: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(ADMITTED_AT_ONCE)
        self.on_flood = on_flood
        self._running = asyncio.Semaphore(running)
        self._chats: dict[int, _ChatQueue] = {}
        # update id -> resolved True once handled (or shed for good), False if dropped
        # because the bot is stopping: the webhook then asks Telegram to send it again.
        self._awaited: dict[int, asyncio.Future[bool]] = {}
        self._dropped_at_stop: set[int] = set()
        self._noticed: dict[int, float] = {}  # chat -> loop time of its last "slow down"
        self._notices: set[asyncio.Task[None]] = set()
        self.on_shed = on_shed
        self.shed = 0  # updates dropped or coalesced, for tests and logs
        self._stopping = False

    def stop_waiting(self) -> None:
        """The bot is stopping: updates still waiting for their chat's turn are dropped
        when they reach it, so a flooding chat's backlog cannot hold up the stop (what
        is running finishes). In webhook mode Telegram sends them again."""
        self._stopping = True

    def handled(self, update_id: int) -> asyncio.Future[bool]:
        """A future resolved when the update with this id has been handled."""
        return self._awaited.setdefault(update_id, asyncio.get_running_loop().create_future())

    def _done(self, update: object) -> None:
        if isinstance(update, Update):
            waiter = self._awaited.pop(update.update_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(update.update_id not in self._dropped_at_stop)
            self._dropped_at_stop.discard(update.update_id)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await self._in_chat_order(update, coroutine)
        finally:
            self._done(update)

    async def _in_chat_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat_id = queue_of(update)
        if chat_id is None:
            async with self._running:
                await self._run(update, coroutine)
            return
        queue = self._chats.setdefault(chat_id, _ChatQueue())
        key = coalescing_key(update)
        waiting = sum(queue.waiting.values())
        if (key is not None and key in queue.waiting) or waiting >= MAX_WAITING_PER_CHAT:
            # A user typing inline queries faster than they are answered: those beyond
            # the queue are dropped quietly (there is no chat to tell; they type on).
            inline = isinstance(update, Update) and update.inline_query is not None
            self._shed(chat_id, coroutine, coalesced=key in queue.waiting or inline)
            if not queue.holders:
                del self._chats[chat_id]
            return
        queue.holders += 1
        queue.waiting[key] = queue.waiting.get(key, 0) + 1
        try:
            async with queue.lock:  # asyncio.Lock wakes waiters first in, first out
                queue.waiting[key] -= 1
                if not queue.waiting[key]:
                    del queue.waiting[key]
                if self._stopping:
                    self._shed(chat_id, coroutine, coalesced=True)  # quietly: no notice now
                    if isinstance(update, Update):
                        self._dropped_at_stop.add(update.update_id)
                    return
                async with self._running:
                    await self._run(update, coroutine)
        finally:
            queue.holders -= 1
            if not queue.holders:
                del self._chats[chat_id]

    @staticmethod
    async def _run(update: object, coroutine: Awaitable[Any]) -> None:
        token = CURRENT_UPDATE.set(update.update_id if isinstance(update, Update) else None)
        try:
            await coroutine
        finally:
            CURRENT_UPDATE.reset(token)

    def _shed(self, chat_id: int, coroutine: Awaitable[Any], *, coalesced: bool) -> None:
        if asyncio.iscoroutine(coroutine):
            coroutine.close()  # never run: no "was never awaited" warning
        self.shed += 1
        if coalesced:
            log.debug("chat %s: an update equal to one still waiting was coalesced", chat_id)
            return
        if self.on_flood is not None:
            self.on_flood(chat_id)
        now = asyncio.get_running_loop().time()
        last = self._noticed.get(chat_id)
        if last is not None and now - last < SHED_NOTICE_SECONDS:
            return
        if len(self._noticed) > 10_000:  # forget notices older than their minute
            self._noticed = {
                c: t for c, t in self._noticed.items() if now - t < SHED_NOTICE_SECONDS
            }
        self._noticed[chat_id] = now
        log.info("chat %s sends faster than it can be answered: updates dropped", chat_id)
        if self.on_shed is not None:
            task = asyncio.get_running_loop().create_task(self.on_shed(chat_id))
            self._notices.add(task)  # kept until done: a task nobody holds may vanish
            task.add_done_callback(self._notices.discard)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
