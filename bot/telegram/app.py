"""The running bot: a python-telegram-bot Application wired to our handlers.

`build_bot` wires the Application, its handlers (each command family registers
its own: bot/telegram/handlers/) and the jobs; `serve` runs it until SIGINT or
SIGTERM, receiving updates by long polling, or by webhook when WEBHOOK_URL is set
(bot/telegram/webhook.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import re
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.delivery.alerts import ALERT_TICK_SECONDS, AlertPlanner
from bot.delivery.chatlimit import ChatRates
from bot.delivery.digest_jobs import DigestPlanner, Dispatcher, wall_clock
from bot.delivery.instance import HEARTBEAT_SECONDS, INSTANCE_NAME, InstanceRegistry
from bot.delivery.sender import Sender
from bot.sources.fetch_round import FetchRound
from bot.sources.fetcher import Fetcher
from bot.sources.snapshot_folder import SnapshotWatcher
from bot.store import Store
from bot.telegram import texts
from bot.telegram.aiohttp_request import AiohttpRequest
from bot.telegram.handlers import Shell, register_handlers
from bot.telegram.updates import PerChatUpdateProcessor
from bot.telegram.webhook import WebhookServer
from storage import repo, sources, updates

log = logging.getLogger(__name__)

# "123456789:AA…": the bot's id, a colon, and a 35-character secret.
TOKEN_SHAPE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
CONCURRENT_UPDATES = 64
# A webhook update is leased to the instance handling it a little longer than it
# may take to answer; Telegram's copies meanwhile are told to come again later.
UPDATE_LEASE = dt.timedelta(seconds=60)
FORGET_EVERY = 1000  # update ids: every thousandth claim also forgets day-old ones
FLOOD_RESTRAINT_SECONDS = 60.0  # a chat that flooded gets no reply burst for this long
STARTUP_RETRY_SECONDS = (1, 2, 5, 10, 30)


class TokenError(ValueError):
    """The bot token is missing, malformed or refused: fix the setting and start again."""


def bot_token(settings: Settings) -> str:
    if settings.telegram_bot_token is None:
        raise TokenError("TELEGRAM_BOT_TOKEN is not set (ask @BotFather for one)")
    token = settings.telegram_bot_token.get_secret_value().strip()
    if not TOKEN_SHAPE.match(token):
        raise TokenError(
            "TELEGRAM_BOT_TOKEN is malformed: expected the form 123456789:AAE…, "
            "as @BotFather gives it"
        )
    return token


@dataclass
class Newsbot:
    """Everything `newsbot run` runs, wired once: the Application and the jobs."""

    application: Application  # type: ignore[type-arg]
    shell: Shell  # what the handlers share: settings, store, sender, clock
    planner: DigestPlanner
    alerts: AlertPlanner
    dispatcher: Dispatcher
    watcher: SnapshotWatcher
    instances: InstanceRegistry
    http: tuple[AiohttpRequest, ...]  # closed by hand if start-up fails before PTB owns them
    fetcher: Fetcher
    fetch_round: FetchRound  # over SOURCES and what operators add with /source


def file_url(api_url: str) -> str:
    """Where the Bot API serves files, beside its methods: https://api.telegram.org/bot →
    https://api.telegram.org/file/bot (a local Bot API server or the stand-in likewise)."""
    head, separator, _tail = api_url.rstrip("/").rpartition("/bot")
    return f"{head}/file/bot" if separator else api_url.rstrip("/") + "/file/bot"


def build_bot(settings: Settings, engine: Engine, *, clock: Clock = system_clock) -> Newsbot:
    pool_size = CONCURRENT_UPDATES + settings.send_concurrency
    application = (
        ApplicationBuilder()
        .token(bot_token(settings))
        .base_url(settings.telegram_api_url)
        .base_file_url(file_url(settings.telegram_api_url))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(processor := PerChatUpdateProcessor(CONCURRENT_UPDATES))
        # Replies and up to SEND_CONCURRENCY digest sends share the pool.
        .request(requests := AiohttpRequest(connection_pool_size=pool_size))
        .get_updates_request(polling := AiohttpRequest(connection_pool_size=1))
        .build()
    )
    store = Store(engine)
    sender = Sender(
        application.bot,
        settings.send_rate_per_second,
        ChatRates(
            private_interval=settings.chat_send_interval_seconds,
            group_interval=settings.group_send_interval_seconds,
            burst=settings.chat_send_burst,
        ),
    )
    # Built even when SOURCES is empty: operators may add sources from Telegram.
    fetcher = Fetcher(allow_private=settings.sources_allow_private, contact=settings.fetch_contact)
    interval = dt.timedelta(minutes=settings.fetch_interval_minutes)
    fetch_round = FetchRound(
        engine, fetcher, interval=interval, clock=clock,
        story_window_hours=settings.story_window_hours,
    )  # fmt: skip
    shell = Shell(settings=settings, store=store, sender=sender, clock=clock, fetcher=fetcher)
    processor.on_shed = shell.slow_down
    processor.on_flood = lambda chat_id: sender.chats.restrain(chat_id, FLOOD_RESTRAINT_SECONDS)
    register_handlers(application, shell)
    dispatcher = Dispatcher(store, sender, settings, clock)
    planner = DigestPlanner(store, settings, clock, on_planned=dispatcher.wake)
    alerts = AlertPlanner(store, settings, clock, on_planned=dispatcher.wake)
    watcher = SnapshotWatcher(engine, settings, clock)
    instances = InstanceRegistry(store, sender.gate, settings.send_rate_per_second)
    return Newsbot(
        application,
        shell,
        planner,
        alerts,
        dispatcher,
        watcher,
        instances,
        (requests, polling),
        fetcher,
        fetch_round,
    )


def _schedule_jobs(bot: Newsbot, settings: Settings) -> None:
    """Named jobs, replaced if present; a job never runs twice at once."""
    jobs = bot.application.job_queue
    assert jobs is not None, "python-telegram-bot[job-queue] is required"

    async def ingest(_context: object) -> None:
        await bot.watcher.run_once()

    async def digest_tick(_context: object) -> None:
        await bot.planner.tick()

    async def alert_tick(_context: object) -> None:
        await bot.alerts.tick()

    async def heartbeat(_context: object) -> None:
        await bot.instances.beat()

    async def fetch(_context: object) -> None:
        urls = await bot.shell.store.run(
            lambda s: sources.to_fetch(session=s, configured=settings.sources)
        )
        if urls:
            await bot.fetch_round.run(urls)

    once = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
    # The fetch job ticks at least once a minute; each source's own next_fetch_at
    # (its interval, or its backoff after failures) says whether it is fetched.
    fetch_tick = min(settings.fetch_interval_minutes * 60, 60.0)
    for name, callback, interval in [
        ("fetch", fetch, fetch_tick),
        ("ingest", ingest, settings.ingest_interval_minutes * 60),
        ("digest-tick", digest_tick, settings.digest_tick_seconds),
        ("alert-tick", alert_tick, min(ALERT_TICK_SECONDS, settings.digest_tick_seconds)),
        ("heartbeat", heartbeat, HEARTBEAT_SECONDS),
    ]:
        for old in jobs.get_jobs_by_name(name):
            old.schedule_removal()
        jobs.run_repeating(callback, interval=interval, first=0.1, name=name, job_kwargs=once)


async def register_commands(application: Application) -> None:  # type: ignore[type-arg]
    """The command menu: English for everyone, Russian for users whose Telegram is Russian."""
    for language, code in (("en", None), ("ru", "ru")):
        menu = [BotCommand(name, description) for name, description in texts.commands(language)]
        try:
            await application.bot.set_my_commands(menu, language_code=code)
        except NetworkError as error:  # the menu is a convenience; the bot works without it
            log.warning("could not register the %s command menu: %s", language, error)


class StoppedWhileStarting(Exception):
    """SIGTERM or SIGINT came while start-up was still waiting for Telegram."""


async def _initialize(application: Application, stop: asyncio.Event) -> None:  # type: ignore[type-arg]
    """getMe until Telegram answers: a bot started during an outage waits, a bad token stops."""
    await _until_reachable(application.initialize, "Telegram API", stop)


async def _until_reachable(
    call: Callable[[], Awaitable[object]], what: str, stop: asyncio.Event
) -> None:
    for attempt in range(10**9):
        try:
            await call()
            return
        except InvalidToken:
            raise TokenError("Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized)") from None
        except NetworkError as error:
            pause = STARTUP_RETRY_SECONDS[min(attempt, len(STARTUP_RETRY_SECONDS) - 1)]
            log.warning("%s unreachable (%s); retrying in %s s", what, error, pause)
            with contextlib.suppress(TimeoutError):  # a stop request ends the wait at once
                await asyncio.wait_for(stop.wait(), timeout=pause)
            if stop.is_set():
                raise StoppedWhileStarting from None


def _claim_update(session: Session, update_id: int) -> updates.Claim:
    now = wall_clock()
    if update_id % FORGET_EVERY == 0:  # now and then, in passing: no job of its own
        updates.forget_updates(session=session, now=now)
    return updates.claim_update(
        session=session, update_id=update_id, claimant=INSTANCE_NAME, now=now, lease=UPDATE_LEASE
    )


async def _receive_updates(
    bot: Newsbot, settings: Settings, stop: asyncio.Event
) -> WebhookServer | None:
    """Start polling, or serve the webhook and register it; returns the server if any."""
    application = bot.application
    if not settings.webhook_url:
        assert application.updater is not None
        # PTB's start_polling deletes any webhook first: Telegram allows only one of the two.
        await application.updater.start_polling(
            allowed_updates=ALLOWED_UPDATES, timeout=dt.timedelta(seconds=30)
        )
        return None
    assert settings.webhook_secret is not None  # Settings refuses a URL without one
    secret = settings.webhook_secret.get_secret_value()
    store = bot.shell.store
    server = WebhookServer(
        application,
        path=settings.webhook_path,
        secret=secret,
        database_ok=lambda: store.run(lambda session: repo.database_answers(session=session)),
        claim=lambda update_id: store.write(lambda session: _claim_update(session, update_id)),
        finish=lambda update_id: store.write(
            lambda session: updates.finish_update(session=session, update_id=update_id)
        ),
        release=lambda update_id: store.write(
            lambda session: updates.release_update(session=session, update_id=update_id)
        ),
    )
    await server.start(settings.webhook_listen, settings.webhook_port)

    async def register() -> None:
        await application.bot.set_webhook(
            url=settings.webhook_url or "",
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
            max_connections=CONCURRENT_UPDATES,
        )

    # Every instance registers the same URL (idempotent at Telegram); none deletes
    # it on the way out, as the others still serve it and Telegram queues meanwhile.
    try:
        await _until_reachable(register, "Telegram API (setWebhook)", stop)
    except BaseException:
        await server.stop()
        raise
    return server


async def _deliver_digests(bot: Newsbot, stop: asyncio.Event) -> None:
    if bot.instances.live > 1:
        # The instances already running still send at their old share until their
        # next heartbeat: digests from here wait for it, so the total stays capped.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=HEARTBEAT_SECONDS)
    await bot.dispatcher.run(stop)


async def serve(bot: Newsbot, stop: asyncio.Event | None = None) -> None:
    """Receive updates and run the jobs until `stop` is set, or SIGINT/SIGTERM arrives."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Not possible off the main thread or off POSIX: the caller's `stop` still works.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    application = bot.application
    try:
        await _initialize(application, stop)
    except BaseException as error:
        for http in bot.http:
            await http.shutdown()
        await bot.shell.store.close()
        if isinstance(error, StoppedWhileStarting):
            log.info("stopped while waiting for Telegram")
            return
        raise
    dispatcher: asyncio.Task[None] | None = None
    webhook: WebhookServer | None = None
    settings = bot.shell.settings
    try:
        await register_commands(application)
        await bot.instances.beat()  # this instance's share of the send cap, before any send
        await application.start()
        webhook = await _receive_updates(bot, settings, stop)
        _schedule_jobs(bot, settings)
        dispatcher = asyncio.create_task(_deliver_digests(bot, stop), name="digest-dispatcher")
        log.info(
            "newsbot is running as @%s (%s)",
            application.bot.username,
            "webhook" if webhook else "long polling",
        )
        await stop.wait()
        log.info("stopping")
    except StoppedWhileStarting:
        log.info("stopped while waiting for Telegram")
    finally:
        processor = application.update_processor
        if isinstance(processor, PerChatUpdateProcessor):
            processor.stop_waiting()  # a flood's backlog is dropped, not answered at 1/s
        if webhook is not None:
            await webhook.stop()  # no new updates; those running are still handled below
        if dispatcher is not None:
            bot.dispatcher.wake()  # it notices `stop` at once instead of at its next poll
            await dispatcher
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.job_queue is not None and application.job_queue.scheduler.running:
            # JobQueue.stop waits for the jobs running now, then shuts the scheduler down, which
            # cancels any job started in between (and APScheduler logs the CancelledError as a
            # traceback). Pausing first means no job starts after that wait.
            application.job_queue.scheduler.pause()
        if application.running:
            await application.stop()
        await application.shutdown()
        if bot.fetcher is not None:
            await bot.fetcher.close()
        await bot.instances.leave()
        await bot.shell.store.close()
