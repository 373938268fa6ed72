"""The one path every message takes to Telegram.

- Per chat (`ChatLimiter`): about one message a second to a private chat and
  20 a minute to a group, a small burst allowed for replies; digest parts keep
  whole intervals. A chat waits for its own turn before it takes a slot of...
- ...the global `RateGate`: at most SEND_RATE_PER_SECOND messages in any
  one-second window, replies to commands ahead of digest traffic.
- 429: Telegram's answer does not say whether it concerns one chat or the whole
  bot, so the sender infers it: a 429 pauses its chat for `retry_after`; 429s
  for two or more chats within `GLOBAL_429_WINDOW` mean the bot as a whole is
  over the limit, and then every send pauses. The message is retried after the
  pause; a `retry_after` over an hour is not waited for (`Deferred`): the caller
  reschedules the digest instead of blocking anyone.
- 5xx, timeouts, network errors: bounded retries with backoff, then raised.
- 403 (blocked, kicked, deactivated) and "chat not found": `ChatGone`, never retried.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.delivery.chatlimit import ChatLimiter, ChatRates
from bot.delivery.ratelimit import RateGate

log = logging.getLogger(__name__)
T = TypeVar("T")

REPLY, DIGEST = 0, 1  # gate priorities: lower goes first
ATTEMPTS = 4
THROTTLED_TRIES = 30  # 429s one message may wait out (each its retry_after) before deferring
BACKOFF_SECONDS = (0.5, 1.0, 2.0)
LONGEST_WAIT = 3600.0  # a retry_after beyond this reschedules instead of waiting
# 429s for this many chats within this many seconds: the whole bot is over its limit.
GLOBAL_429_CHATS, GLOBAL_429_WINDOW = 2, 1.0


class ChatGone(Exception):
    """The chat can no longer receive messages (blocked, kicked, deleted)."""

    def __init__(self, chat_id: int, reason: str) -> None:
        super().__init__(f"chat {chat_id}: {reason}")
        self.chat_id, self.reason = chat_id, reason


class Deferred(Exception):
    """Telegram asked for a pause longer than is worth waiting for."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"Telegram asked to wait {retry_after:.0f} s")
        self.retry_after = retry_after


@dataclass
class SendStats:
    sent: int = 0
    retried: int = 0


def is_gone(error: Exception) -> bool:
    if isinstance(error, Forbidden):
        return True
    return isinstance(error, BadRequest) and "chat not found" in error.message.lower()


def is_topic_gone(error: Exception) -> bool:
    """A forum topic was deleted (or closed to the bot): "message thread not found"."""
    return isinstance(error, BadRequest) and "thread not found" in error.message.lower()


def seconds(value: int | float | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class Sender:
    def __init__(self, bot: Bot, rate_per_second: int, chat_rates: ChatRates | None = None) -> None:
        self.bot = bot
        self.gate = RateGate(rate_per_second)
        self.chats = ChatLimiter(chat_rates)
        self.stats = SendStats()
        self._recent_429: list[tuple[float, int]] = []  # (loop time, chat), the last second's

    async def spaced(self, chat_id: int) -> None:
        """Wait until this chat may get its next bulk message, holding nothing meanwhile."""
        await self.chats.ready(chat_id, burst=False)

    def _throttled(self, chat_id: int, wait: float) -> None:
        """A 429 for `chat_id`: pause the chat; pause everyone if several chats met one."""
        now = asyncio.get_running_loop().time()
        self._recent_429 = [(t, c) for t, c in self._recent_429 if t > now - GLOBAL_429_WINDOW]
        self._recent_429.append((now, chat_id))
        self.chats.pause(chat_id, wait)
        if len({c for _, c in self._recent_429}) >= GLOBAL_429_CHATS:
            log.warning("429 from Telegram for several chats: pausing all sends for %.0f s", wait)
            self.gate.pause_until(now + wait)
        else:
            log.warning("429 from Telegram for chat %s: pausing it for %.0f s", chat_id, wait)

    async def call(
        self,
        chat_id: int,
        request: Callable[[], Awaitable[T]],
        *,
        priority: int = REPLY,
        stats: SendStats | None = None,
    ) -> T:
        """Run one Bot API call that sends a message, under the rules above.

        Retries are counted in `self.stats` and, if given, in `stats` too."""
        counters = [self.stats] if stats is None else [self.stats, stats]
        attempt = 0  # failed attempts (network, 5xx); a 429 is a wait, not a failure
        for _ in range(ATTEMPTS + THROTTLED_TRIES):
            try:
                async with (
                    self.chats.turn(chat_id, burst=priority == REPLY),
                    self.gate.slot(priority),
                ):
                    result = await request()
            except RetryAfter as error:
                wait = seconds(error.retry_after)
                for counter in counters:
                    counter.retried += 1
                if wait > LONGEST_WAIT:
                    raise Deferred(wait) from error
                self._throttled(chat_id, wait)
                continue
            except (Forbidden, BadRequest) as error:
                if is_gone(error):
                    raise ChatGone(chat_id, error.message) from error
                raise
            except NetworkError as error:  # includes TimedOut and 5xx answers
                attempt += 1
                if attempt == ATTEMPTS:
                    raise
                for counter in counters:
                    counter.retried += 1
                pause = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS)) - 1]
                log.warning(
                    "sending to chat %s failed (%s); retry in %.1f s", chat_id, error, pause
                )
                await asyncio.sleep(pause)
                continue
            for counter in counters:
                counter.sent += 1
            return result
        raise Deferred(1.0)  # throttled over and over: let the caller reschedule

    async def send(
        self,
        chat_id: int,
        text: str,
        *,
        priority: int = REPLY,
        reply_markup: InlineKeyboardMarkup | None = None,
        stats: SendStats | None = None,
        thread_id: int | None = None,
    ) -> Message:
        return await self.call(
            chat_id,
            lambda: self.bot.send_message(
                chat_id, text, reply_markup=reply_markup, message_thread_id=thread_id
            ),
            priority=priority,
            stats=stats,
        )

    async def send_digest_part(
        self,
        chat_id: int,
        text: str,
        *,
        stats: SendStats,
        thread_id: int | None = None,
        before: Callable[[], None] | None = None,
    ) -> int:
        """One digest message; returns its Telegram message id.

        Bulk traffic skips building a full `Message` object from the answer (a
        measurable share of each send at a thousand a second): only the id is
        needed, for the ledger. `before` runs just before each request goes out,
        after the waits for the rate limits, and may raise to stop it (the
        caller's lease ran out meanwhile)."""

        arguments: dict[str, object] = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": True},
        }
        if thread_id is not None:  # a forum topic
            arguments["message_thread_id"] = thread_id

        async def request() -> int:
            if before is not None:
                before()
            result = await self.bot.do_api_request("sendMessage", api_kwargs=arguments)
            return int(result["message_id"])

        return await self.call(chat_id, request, priority=DIGEST, stats=stats)

    async def send_document(
        self,
        chat_id: int,
        content: bytes,
        filename: str,
        *,
        caption: str | None = None,
        thread_id: int | None = None,
    ) -> Message:
        """A file as a reply (an operator's export), under the same rules as a message."""
        return await self.call(
            chat_id,
            lambda: self.bot.send_document(
                chat_id,
                InputFile(content, filename=filename),
                caption=caption,
                message_thread_id=thread_id,
            ),
        )

    async def send_texts(
        self,
        chat_id: int,
        texts: Sequence[str],
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
        thread_id: int | None = None,
    ) -> list[Message]:
        """A reply of one or more messages (into a forum topic with `thread_id`);
        the keyboard goes under the last one."""
        sent = []
        for index, text in enumerate(texts):
            markup = reply_markup if index == len(texts) - 1 else None
            sent.append(await self.send(chat_id, text, reply_markup=markup, thread_id=thread_id))
        return sent
