"""The stand-in's side of a webhook: Telegram POSTs each update to the bot's URL.

As Telegram does, updates go out in order, each with the secret in the
`X-Telegram-Bot-Api-Secret-Token` header, and an update the bot did not accept
(a non-2xx answer, a refused connection, a timeout) is sent again after a pause.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

JSON = dict[str, Any]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class Webhook:
    url: str
    secret_token: str | None
    allowed_updates: list[str] | None = None
    # (update_id, HTTP status or None for no answer), every attempt in order.
    attempts: list[tuple[int, int | None]] = field(default_factory=list)
    last_error: str | None = None


async def push_updates(
    webhook: Webhook,
    *,
    next_update: Callable[[], Awaitable[JSON | None]],
    delivered: Callable[[int], None],
    still_set: Callable[[], bool],
    retry_seconds: float = 0.5,
) -> None:
    """Deliver until the webhook is deleted or replaced (`still_set` turns false)."""
    headers = {SECRET_HEADER: webhook.secret_token} if webhook.secret_token else {}
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        while still_set():
            update = await next_update()
            if update is None:
                continue
            status: int | None = None
            try:
                async with session.post(webhook.url, json=update, headers=headers) as answer:
                    status = answer.status
                    webhook.last_error = None if answer.ok else f"{status} {answer.reason}"
            except (aiohttp.ClientError, TimeoutError) as error:
                webhook.last_error = f"{type(error).__name__}: {error}"
            webhook.attempts.append((int(update["update_id"]), status))
            if status is not None and 200 <= status < 300:
                delivered(int(update["update_id"]))
            else:
                await asyncio.sleep(retry_seconds)
