"""Webhook mode: Telegram POSTs each update to us instead of being polled.

An aiohttp server (the HTTP stack the bot already uses) with two routes:
- `POST <WEBHOOK_URL's path>`: an update. Without the matching
  `X-Telegram-Bot-Api-Secret-Token` header it is refused with 403 and never
  reaches a handler. Accepted updates join the Application's update queue,
  exactly where long polling puts them, so handling is the same in both modes.
  The answer waits until the update has been handled: Telegram sends again
  an update it got no answer for, so a crash mid-way loses nothing. Several
  instances may serve one URL, so which updates are taken is kept in the
  database (`storage.updates`): a copy of an update already handled, by
  this instance or another, is acknowledged without being handled again; a
  copy of one still being handled elsewhere gets 503 and comes again later.
- `GET /healthz`: 200 while the bot runs and its database answers, else 503,
  for the platform's health checks and load balancers.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.telegram.updates import PerChatUpdateProcessor
from storage.updates import Claim

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
MAX_UPDATE_BYTES = 1 << 20  # an update is a few kB; anything near this is not Telegram
# Telegram gives up on a webhook request after about a minute; answer before that
# even if handling takes longer (it goes on, and a redelivery would repeat it).
HANDLING_WAIT_SECONDS = 45.0


class WebhookServer:
    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        *,
        path: str,
        secret: str,
        database_ok: Callable[[], Awaitable[bool]],
        claim: Callable[[int], Awaitable[Claim]],
        finish: Callable[[int], Awaitable[None]],
        release: Callable[[int], Awaitable[None]],
    ) -> None:
        self.application, self.path = application, path
        self._secret = secret.encode()
        self._database_ok = database_ok
        self._claim, self._finish, self._release = claim, finish, release
        self._finishing: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self, host: str, port: int) -> None:
        app = web.Application(client_max_size=MAX_UPDATE_BYTES)
        app.router.add_post(self.path, self._update)
        app.router.add_get(HEALTH_PATH, self._health)
        self._runner = web.AppRunner(app, access_log=None)  # the access log would be noise
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.port = int(self._runner.addresses[0][1])
        log.info("webhook server listening on %s:%s, path %s", host, self.port, self.path)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook request from %s refused: wrong secret token", request.remote)
            return web.json_response({"ok": False, "error": "forbidden"}, status=403)
        try:
            data = await request.json()
            update = Update.de_json(data, self.application.bot)
        except (json.JSONDecodeError, UnicodeDecodeError, TypeError, KeyError, ValueError) as error:
            # Telegram never sends this; answering 400 keeps a bad client from retrying for ever.
            log.warning("webhook request refused: not an update (%s)", error)
            return web.json_response({"ok": False, "error": "not an update"}, status=400)
        try:
            claim = await self._claim(update.update_id)
        except Exception as error:  # no database, no way to know: Telegram will send it again
            log.warning("update %s: could not be claimed (%s); asked again", update.update_id,
                        error)  # fmt: skip
            return web.json_response({"ok": False, "error": "try again"}, status=503)
        if claim == "done":  # Telegram's retry of one handled already, here or elsewhere
            return web.json_response({"ok": True})
        if claim == "busy":
            return web.json_response({"ok": False, "error": "being handled"}, status=503)
        processor = self.application.update_processor
        assert isinstance(processor, PerChatUpdateProcessor)
        handled = processor.handled(update.update_id)
        await self.application.update_queue.put(update)
        try:
            await asyncio.wait_for(asyncio.shield(handled), HANDLING_WAIT_SECONDS)
        except TimeoutError:
            log.warning("update %s still being handled; acknowledged anyway", update.update_id)
            task = asyncio.get_running_loop().create_task(self._finish_after(handled, update))
            self._finishing.add(task)
            task.add_done_callback(self._finishing.discard)
            return web.json_response({"ok": True})
        await self._finish_after(handled, update)
        if not handled.result():  # dropped unhandled as the bot stops: Telegram sends it again
            return web.json_response({"ok": False, "error": "stopping"}, status=503)
        return web.json_response({"ok": True})

    async def _finish_after(self, handled: asyncio.Future[bool], update: Update) -> None:
        if not await handled:
            try:  # released, so the copy Telegram sends is handled by whoever gets it
                await self._release(update.update_id)
            except Exception as error:  # its lease runs out instead
                log.warning("update %s: could not be released: %s", update.update_id, error)
            return
        try:
            await self._finish(update.update_id)
        except Exception as error:  # the lease runs out instead: a redelivery is handled again
            log.warning("update %s: could not be marked handled: %s", update.update_id, error)

    async def _health(self, _request: web.Request) -> web.Response:
        running = self.application.running
        try:
            database = await self._database_ok()
        except Exception as error:  # any failure to answer is "unhealthy", never a crash
            log.warning("health check: database unavailable: %s", error)
            database = False
        healthy = running and database
        body = {
            "status": "ok" if healthy else "unavailable",
            "bot": "running" if running else "stopped",
            "database": "ok" if database else "unavailable",
        }
        return web.json_response(body, status=200 if healthy else 503)
