"""Per-chat pacing and per-chat 429s in the one delivery path.

No figure here is a speed target: lower bounds on spacing only (a busy machine
makes spacing longer, never shorter), and orders of events.
"""

from __future__ import annotations

import asyncio
import itertools

from telegram.error import RetryAfter

from bot.delivery.chatlimit import ChatLimiter, ChatRates
from bot.delivery.sender import Sender

FAST = ChatRates(private_interval=0.1, group_interval=0.3, burst=3)
SLACK = 0.01  # timer and clock granularity (libfaketime, a loaded machine); far below the interval


async def _send_times(
    limiter: ChatLimiter, chat_id: int, count: int, *, burst: bool
) -> list[float]:
    loop = asyncio.get_running_loop()
    times = []
    for _ in range(count):
        async with limiter.turn(chat_id, burst=burst):
            times.append(loop.time())
    return times


def test_replies_may_burst_then_keep_the_interval() -> None:
    async def scenario() -> list[float]:
        return await _send_times(ChatLimiter(FAST), 5, 8, burst=True)

    times = asyncio.run(scenario())
    # Any run of messages takes at least its length less the burst in intervals: the
    # burst is the only credit. (Not each gap after the burst: a message a busy machine
    # delayed leaves credit that the next may use, so one gap may be shorter.)
    for i, j in itertools.combinations(range(len(times)), 2):
        assert times[j] - times[i] >= (j - i - (3 - 1)) * 0.1 - SLACK, (i, j)
    assert times[-1] - times[0] >= (8 - 3) * 0.1 - SLACK


def test_digest_parts_and_groups_never_burst() -> None:
    async def scenario() -> tuple[list[float], list[float]]:
        limiter = ChatLimiter(FAST)
        return (
            await _send_times(limiter, 6, 4, burst=False),
            await _send_times(limiter, -100, 3, burst=True),
        )

    private, group = asyncio.run(scenario())
    assert all(b - a >= 0.1 - SLACK for a, b in itertools.pairwise(private))
    assert all(b - a >= 0.3 - SLACK for a, b in itertools.pairwise(group))


class _Gate:
    """A fake Bot API call: the first call for each chat in `throttle` answers 429."""

    def __init__(self, throttle: set[int], retry_after: int) -> None:
        self.throttle, self.retry_after = set(throttle), retry_after
        self.done: list[int] = []

    def request(self, chat_id: int):  # type: ignore[no-untyped-def]
        async def call() -> int:
            if chat_id in self.throttle:
                self.throttle.discard(chat_id)
                raise RetryAfter(self.retry_after)
            self.done.append(chat_id)
            return chat_id

        return call


def test_a_429_for_one_chat_pauses_that_chat_only() -> None:
    async def scenario() -> list[int]:
        sender = Sender(bot=None, rate_per_second=100, chat_rates=FAST)  # type: ignore[arg-type]
        api = _Gate({1}, retry_after=2)
        throttled = asyncio.create_task(sender.call(1, api.request(1)))
        await asyncio.sleep(0.1)  # chat 1 has met its 429 and waits out its 2 s
        assert not throttled.done()
        for chat_id in range(2, 12):  # everyone else goes on meanwhile
            await sender.call(chat_id, api.request(chat_id))
        assert not throttled.done()
        assert sender.gate._paused_until == 0.0  # the bot as a whole was never paused
        throttled.cancel()
        return api.done

    assert asyncio.run(scenario()) == list(range(2, 12))


def test_429s_for_several_chats_at_once_pause_all_sending() -> None:
    async def scenario() -> float:
        sender = Sender(bot=None, rate_per_second=100, chat_rates=FAST)  # type: ignore[arg-type]
        api = _Gate({1, 2}, retry_after=3)
        tasks = [asyncio.create_task(sender.call(c, api.request(c))) for c in (1, 2)]
        await asyncio.sleep(0.1)
        paused_for = sender.gate._paused_until - asyncio.get_running_loop().time()
        for task in tasks:
            task.cancel()
        return paused_for

    assert 2.5 < asyncio.run(scenario()) <= 3.0
