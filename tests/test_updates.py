"""Admission of updates: per-chat order, bounded queues, coalescing, nobody starves."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from telegram import Update

from bot.telegram.updates import MAX_WAITING_PER_CHAT, PerChatUpdateProcessor

_ids = itertools.count(1)


def _update(chat_id: int, text: str) -> Update:
    update = Update.de_json(
        {
            "update_id": next(_ids),
            "message": {
                "message_id": next(_ids),
                "date": 0,
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "T"},
                "text": text,
            },
        },
        None,
    )
    assert update is not None
    return update


class _Handlers:
    """Records what ran; chat 1's first handler blocks until released."""

    def __init__(self) -> None:
        self.ran: list[tuple[int, str]] = []
        self.release = asyncio.Event()

    async def handle(self, update: Update) -> None:
        assert update.effective_chat is not None and update.message is not None
        if not self.ran and update.effective_chat.id == 1:
            self.ran.append((1, str(update.message.text)))
            await self.release.wait()
            return
        self.ran.append((update.effective_chat.id, str(update.message.text)))


async def _flood(processor: PerChatUpdateProcessor, texts: list[str]) -> list[tuple[int, str]]:
    handlers = _Handlers()
    noticed: list[int] = []

    async def on_shed(chat_id: int) -> None:
        noticed.append(chat_id)

    processor.on_shed = on_shed
    tasks: list[asyncio.Task[Any]] = []
    for text in texts:
        update = _update(1, text)
        tasks.append(asyncio.create_task(processor.process_update(update, handlers.handle(update))))
    await asyncio.sleep(0.05)
    # While chat 1's backlog waits, another chat is served at once.
    other = _update(2, "/help")
    await asyncio.wait_for(processor.process_update(other, handlers.handle(other)), 5)
    assert (2, "/help") in handlers.ran
    handlers.release.set()
    await asyncio.gather(*tasks)
    assert noticed.count(1) <= 1  # at most one "slow down" notice
    return [r for r in handlers.ran if r[0] == 1]


def test_a_repeated_command_is_answered_once_more_at_most() -> None:
    async def scenario() -> list[tuple[int, str]]:
        return await _flood(PerChatUpdateProcessor(4), ["/latest"] * 300)

    # The first runs; of the 299 that came while it ran, one waits and the rest join it.
    assert asyncio.run(scenario()) == [(1, "/latest"), (1, "/latest")]


def test_a_flood_of_different_commands_is_cut_to_a_bounded_queue_in_order() -> None:
    async def scenario() -> list[tuple[int, str]]:
        return await _flood(PerChatUpdateProcessor(4), [f"/latest {n}" for n in range(300)])

    ran = asyncio.run(scenario())
    assert ran == [(1, f"/latest {n}") for n in range(MAX_WAITING_PER_CHAT + 1)]


def test_waiting_chats_hold_no_running_place() -> None:
    """Two running places; chat 1 floods: chats 2 and 3 still run while it waits."""

    async def scenario() -> None:
        processor = PerChatUpdateProcessor(2)
        await _flood(processor, ["/latest a", "/latest b", "/latest c"])

    asyncio.run(scenario())


def test_stopping_drops_the_waiting_and_says_so() -> None:
    async def scenario() -> tuple[list[tuple[int, str]], list[bool]]:
        processor = PerChatUpdateProcessor(4)
        handlers = _Handlers()
        updates = [_update(1, f"/latest {n}") for n in range(4)]
        futures = [processor.handled(u.update_id) for u in updates]
        tasks = [
            asyncio.create_task(processor.process_update(u, handlers.handle(u))) for u in updates
        ]
        await asyncio.sleep(0.05)  # the first runs (and blocks); three wait
        processor.stop_waiting()
        handlers.release.set()
        await asyncio.gather(*tasks)
        return handlers.ran, [f.result() for f in futures]

    ran, results = asyncio.run(scenario())
    assert ran == [(1, "/latest 0")]  # what was running finished; the rest never ran
    assert results == [True, False, False, False]  # the webhook asks Telegram for those again


def _inline(user_id: int, query: str) -> Update:
    update = Update.de_json(
        {
            "update_id": next(_ids),
            "inline_query": {
                "id": str(next(_ids)),
                "from": {"id": user_id, "is_bot": False, "first_name": "T"},
                "query": query,
                "offset": "",
            },
        },
        None,
    )
    assert update is not None
    return update


def test_inline_queries_queue_per_user_and_a_flood_of_them_is_cut_quietly() -> None:
    async def scenario() -> tuple[list[str], list[int]]:
        processor = PerChatUpdateProcessor(4)
        noticed: list[int] = []

        async def on_shed(chat_id: int) -> None:
            noticed.append(chat_id)

        processor.on_shed = on_shed
        release, ran = asyncio.Event(), []

        async def handle(update: Update) -> None:
            assert update.inline_query is not None
            ran.append(update.inline_query.query)
            if len(ran) == 1:
                await release.wait()

        typed = [_inline(7, "rogun"[:n]) for n in range(1, 6)] * 4  # 20, the first blocks
        tasks = [asyncio.create_task(processor.process_update(u, handle(u))) for u in typed]
        await asyncio.sleep(0.05)
        release.set()
        await asyncio.gather(*tasks)
        return ran, noticed

    ran, noticed = asyncio.run(scenario())
    assert len(ran) == MAX_WAITING_PER_CHAT + 1 and ran[0] == "r"  # in order, bounded
    assert noticed == []  # no "slow down" message to a user typing in another chat
