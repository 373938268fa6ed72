"""Per-chat pacing: Telegram's limit of about one message a second to one chat.

Telegram asks bots for at most about one message a second to a private chat
and 20 a minute to a group or channel, and answers more with 429 *for that
chat*. Every message to a chat (replies, edits, digest parts) takes a turn
here before it takes a slot of the bot-wide `RateGate`, so a chat that asks
for more than its share waits on its own, and the gate stays free for others.

The rule is a GCRA (a leaky bucket kept as one number per chat, its
"theoretical arrival time"): a chat may receive a message once `tat - burst`
has passed, and each message moves `tat` one interval on. Replies may use the
small burst in a private chat (a greeting and a picker, a two-part /latest);
digest parts never do: bulk traffic keeps whole intervals. One message at a time per chat, and the
interval is counted from the moment Telegram answered, so spacing holds at
Telegram's end whatever the network delay.

A 429 for a chat pauses that chat alone for its `retry_after`. Time is the
event loop's monotonic clock: pacing measures intervals, never the hour.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

MAX_TRACKED_CHATS = 50_000  # beyond this, chats whose bucket is full again are forgotten


@dataclass(frozen=True)
class ChatRates:
    private_interval: float = 1.0  # seconds between messages to a private chat, sustained
    group_interval: float = 3.0  # 20 a minute to a group, supergroup or channel
    # Messages a reply to a private chat may send back to back before the interval
    # applies. Groups get none: a burst there would break "20 in any minute".
    burst: int = 3


@dataclass
class _Chat:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    tat: float = 0.0  # theoretical arrival time of the next message (loop time)
    paused_until: float = 0.0
    no_burst_until: float = 0.0  # a chat that flooded the bot keeps whole intervals


def is_group(chat_id: int) -> bool:
    """Groups, supergroups and channels have negative ids in the Bot API."""
    return chat_id < 0


class ChatLimiter:
    def __init__(self, rates: ChatRates | None = None) -> None:
        self.rates = rates or ChatRates()
        self._chats: dict[int, _Chat] = {}

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    def interval(self, chat_id: int) -> float:
        return self.rates.group_interval if is_group(chat_id) else self.rates.private_interval

    def pause(self, chat_id: int, seconds: float) -> None:
        """Telegram said 429 for this chat: nothing more to it for `seconds`."""
        chat = self._chat(chat_id)
        chat.paused_until = max(chat.paused_until, self._now() + seconds)

    def restrain(self, chat_id: int, seconds: float) -> None:
        """The chat sends more than it can be answered: no burst for it for `seconds`.

        The burst it may already have had is then repaid before its next message,
        so over the flood it gets one message an interval, on average, and no more."""
        chat = self._chat(chat_id)
        chat.no_burst_until = max(chat.no_burst_until, self._now() + seconds)

    def _tolerance(self, chat_id: int, burst: bool) -> float:
        chat = self._chats.get(chat_id)
        restrained = chat is not None and chat.no_burst_until > self._now()
        if not burst or is_group(chat_id) or restrained:
            return 0.0
        return (self.rates.burst - 1) * self.interval(chat_id)

    async def ready(self, chat_id: int, *, burst: bool = False) -> None:
        """Wait until the chat may receive a message, without taking its turn.

        For bulk senders, before they take a scarce sending slot: the wait is spent
        holding nothing."""
        chat = self._chat(chat_id)
        tolerance = self._tolerance(chat_id, burst)
        while (wait := max(chat.paused_until, chat.tat - tolerance) - self._now()) > 0:
            await asyncio.sleep(wait)  # a 429 met meanwhile may move the time on: look again

    @contextlib.asynccontextmanager
    async def turn(self, chat_id: int, *, burst: bool) -> AsyncIterator[None]:
        """Wait until the chat may receive a message; hold its turn while it is sent."""
        chat = self._chat(chat_id)
        interval = self.interval(chat_id)
        async with chat.lock:
            await self.ready(chat_id, burst=burst)
            try:
                yield
            finally:
                # Counted from the answer (or the failure): the message reached Telegram by then.
                chat.tat = max(chat.tat, self._now()) + interval

    def _chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            if len(self._chats) >= MAX_TRACKED_CHATS:
                self._forget_idle()
            chat = self._chats[chat_id] = _Chat()
        return chat

    def _forget_idle(self) -> None:
        """Drop chats nobody is sending to whose bucket has drained: they start afresh."""
        now = self._now()
        self._chats = {
            chat_id: chat
            for chat_id, chat in self._chats.items()
            if chat.lock.locked() or max(chat.tat, chat.paused_until, chat.no_burst_until) > now
        }
