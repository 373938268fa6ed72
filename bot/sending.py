"""Sending a reply: Telegram's transient errors are retried, permanent ones raised.

429 waits the `retry_after` Telegram gives; 5xx, timeouts and network errors
are retried a bounded number of times with backoff. 403 (blocked, kicked) and
"chat not found" raise `ChatGone`: the caller marks the chat inactive and never
tries it again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 4
BACKOFF_SECONDS = (0.5, 1.0, 2.0)
MAX_RETRY_AFTER = 60.0  # a reply later than this is worth less than a clear failure


class ChatGone(Exception):
    """The chat can no longer receive messages (blocked, kicked, deleted)."""

    def __init__(self, chat_id: int, reason: str) -> None:
        super().__init__(f"chat {chat_id}: {reason}")
        self.chat_id, self.reason = chat_id, reason


def is_gone(error: Exception) -> bool:
    if isinstance(error, Forbidden):
        return True
    return isinstance(error, BadRequest) and "chat not found" in error.message.lower()


def seconds(value: int | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


async def with_retries(chat_id: int, call: Callable[[], Awaitable[T]]) -> T:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await call()
        except RetryAfter as error:
            wait = seconds(error.retry_after)
            if wait > MAX_RETRY_AFTER or attempt == ATTEMPTS:
                raise
            log.warning("Telegram asked to wait %.0f s before writing to chat %s", wait, chat_id)
            await asyncio.sleep(wait)
        except (Forbidden, BadRequest) as error:
            if is_gone(error):
                raise ChatGone(chat_id, error.message) from error
            raise
        except NetworkError as error:  # includes TimedOut and 5xx answers
            if attempt == ATTEMPTS:
                raise
            pause = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS)) - 1]
            log.warning("sending to chat %s failed (%s); retry in %.1f s", chat_id, error, pause)
            await asyncio.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover


async def send_texts(
    bot: Bot,
    chat_id: int,
    texts: Sequence[str],
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> list[Message]:
    """Send `texts` in order; the keyboard, if any, goes under the last one."""
    sent = []
    for index, text in enumerate(texts):
        markup = reply_markup if index == len(texts) - 1 else None

        async def call(text: str = text, markup: InlineKeyboardMarkup | None = markup) -> Message:
            return await bot.send_message(chat_id, text, reply_markup=markup)

        sent.append(await with_retries(chat_id, call))
    return sent
