"""The daily digest: a planner that runs every tick, a dispatcher that delivers.

The planner finds the chats whose `next_digest_at` has passed, composes each
digest (`bot.delivery.schedule.plan_digest`) and, in one transaction per batch, writes
it to the delivery ledger and moves the chat on to its next digest. The
dispatcher claims pending ledger rows and sends them through the one delivery
path, recording each message as it goes out. The database is the only record
of who is due and what is owed, so a restart, or a crash mid-run, loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable

from sqlmodel import Session
from telegram.error import BadRequest, TelegramError

from bot import prefs as rules
from bot.clock import Clock
from bot.config import Settings
from bot.delivery.instance import INSTANCE_NAME
from bot.delivery.schedule import (
    OLDEST_NEWS,
    TOPIC_GONE,
    DigestKey,
    DigestPlan,
    every_article,
    plan_digest,
)
from bot.delivery.sender import DIGEST, ChatGone, Deferred, Sender, SendStats, is_topic_gone
from bot.i18n import say
from bot.news.keywords import ArticleIndex
from bot.store import Store
from storage import alerts, digests, repo, stories, subscribers
from storage.digests import Delivery

log = logging.getLogger(__name__)

PLAN_BATCH = 500
# A wave of digests is composed this long before it is due, so at 09:00 sending
# starts at full speed instead of sharing the machine with composing.
PLAN_AHEAD = dt.timedelta(minutes=2)
OPEN_DIGESTS = 2048  # digests being delivered at once (most wait on per-chat spacing)
CLAIM_CHUNK = 256
# Hold no more digests than a few seconds of sending at this instance's rate:
# enough to keep the rate gate busy, and the rest stays for other instances.
HOLD_SECONDS = 4
# Digests planned ahead become claimable at their time, which nothing signals: poll.
IDLE_POLL_SECONDS = 0.25
MAX_ATTEMPTS = 6  # delivery rounds that meet transient failures before giving up
RETRY_DELAYS = (30, 120, 600, 1800, 3600)  # seconds, after the sender's own quick retries


# Times a send re-checks its lease after waiting for a slot, before leaving the digest.
LEASE_CHECKS = 3


class LeaseRunOut(Exception):
    """This process no longer surely holds the digest: it must not send it."""


def wall_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Planner:
    """A job the scheduler ticks that writes deliveries to the ledger, then wakes the
    dispatcher (`on_planned`). One tick at a time: a tick that finds the previous one
    still planning returns, since that one will see everything this one would."""

    def __init__(
        self, store: Store, settings: Settings, clock: Clock, on_planned: Callable[[], None]
    ) -> None:
        self.store, self.settings, self.clock = store, settings, clock
        self.on_planned = on_planned
        self._running = asyncio.Lock()

    async def tick(self) -> None:
        if self._running.locked():
            return
        async with self._running:
            await self._tick()

    async def _tick(self) -> None:
        raise NotImplementedError


class DigestPlanner(Planner):
    async def _tick(self) -> None:
        now = self.clock()
        run_id: int | None = None
        for _ in range(10_000):  # bounded: each batch moves the chats it read on
            # Composing is read-only work in a reader thread; the single writer
            # is held only for the short write, so digests keep flowing meanwhile.
            plans = await self.store.run(lambda s: self._plan(s, now))
            if not plans:
                break
            run_id = await self.store.write(
                lambda s, run_id=run_id, plans=plans: self._record(s, run_id, plans, now)  # type: ignore[misc]
            )
            self.on_planned()  # delivery starts while later batches are planned
            if len(plans) < PLAN_BATCH:
                break

    def _plan(self, session: Session, now: dt.datetime) -> list[DigestPlan]:
        chats = digests.due_chats(session=session, now=now + PLAN_AHEAD, limit=PLAN_BATCH)
        if not chats:
            return []
        grace = dt.timedelta(minutes=self.settings.digest_grace_minutes)
        candidates = digests.candidate_articles(
            session=session,
            after_id=min(chat.digest_cursor or 0 for chat in chats),
            first_seen_after=now - grace - OLDEST_NEWS,
        )
        rates = repo.latest_rates(session=session)
        newest = repo.newest_article_id(session=session)  # same snapshot as the candidates
        alerted = alerts.alerted_stories(
            session=session,
            chat_ids=[chat.chat_id for chat in chats],
            after_id=min(chat.digest_cursor or 0 for chat in chats),
        )
        members = stories.story_articles(
            session=session, story_ids={article.story for article in candidates}
        )
        composed: dict[DigestKey, list[str]] = {}
        index = ArticleIndex(every_article(candidates, members))
        return [
            plan_digest(
                chat,
                candidates,
                rates,
                now=now,
                newest_article_id=newest,
                grace=grace,
                max_per_country=self.settings.digest_max_per_country,
                send_empty=self.settings.digest_send_empty,
                composed=composed,
                index=index,
                alerted=alerted.get(chat.chat_id, ()),
                stories=members,
            )
            for chat in chats
        ]

    def _record(
        self, session: Session, run_id: int | None, plans: list[DigestPlan], now: dt.datetime
    ) -> int:
        wall = wall_clock()
        if run_id is None:
            run_id = digests.start_run(session=session, started_at=wall)
        digests.record_plans(session=session, run_id=run_id, plans=plans, wall_now=wall, now=now)
        skipped = sum(plan.skipped for plan in plans)
        digests.count_skipped(session=session, run_id=run_id, due=len(plans), skipped=skipped)
        if skipped:
            log.info("%d digests due longer ago than the grace period: left for tomorrow", skipped)
        return run_id


class Dispatcher:
    """Delivers pending digests until stopped.

    Many digests are open at once (a chat's second message waits a second after
    its first, and that wait must not idle the sender); the sends themselves are
    limited to SEND_CONCURRENCY by the sender.
    """

    def __init__(
        self,
        store: Store,
        sender: Sender,
        settings: Settings,
        clock: Clock,
    ) -> None:
        self.store, self.sender, self.settings, self.clock = store, sender, settings, clock
        self.lease = dt.timedelta(seconds=settings.delivery_lease_seconds)
        self._wake = asyncio.Event()
        self._held: set[int] = set()  # ledger rows this process holds (queued or sending)
        self._lost: set[int] = set()  # held rows whose lease ran out: never send them again
        # When each held row's lease surely ends, on this process's monotonic clock: the
        # moment before the write that set it, plus the lease (see `_holds`).
        self._leased_until: dict[int, float] = {}
        self._renewal = asyncio.Lock()
        self._renewed_at = 0.0
        self._queue: asyncio.Queue[Delivery] = asyncio.Queue()
        self._busy = 0
        self._in_flight = asyncio.Semaphore(settings.send_concurrency)

    def wake(self) -> None:
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        workers = [asyncio.create_task(self._worker()) for _ in range(OPEN_DIGESTS)]
        try:
            while not stop.is_set():
                await self._renew_leases()
                claimed = 0
                # Claim in chunks, as workers free up and within the hold limit. Not
                # a handful at a time while the queue has work: small claims cost
                # the one writer a query each (uncapped: 850 against 1,150 sends/s).
                want = min(CLAIM_CHUNK, self._hold_limit() - len(self._held))
                worth_it = want == CLAIM_CHUNK or (want > 0 and self._queue.empty())
                if self._queue.qsize() < CLAIM_CHUNK and worth_it:
                    claimed = await self._claim(want)
                if not claimed and not self._busy and self._queue.empty():
                    await self._finish_runs()
                if claimed < CLAIM_CHUNK or self._queue.qsize() >= CLAIM_CHUNK:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), timeout=IDLE_POLL_SECONDS)
                    self._wake.clear()
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    def _hold_limit(self) -> int:
        # At most a chunk beyond what the workers can take: none of them waits for a claim.
        ceiling = OPEN_DIGESTS + CLAIM_CHUNK
        return min(ceiling, max(CLAIM_CHUNK, self.sender.gate.rate * HOLD_SECONDS))

    async def _claim(self, limit: int) -> int:
        asked = time.monotonic()
        try:
            rows = await self.store.write(
                lambda s: digests.claim_deliveries(
                    session=s,
                    wall_now=wall_clock(),
                    now=self.clock(),
                    lease=self.lease,
                    limit=limit,
                    claimant=INSTANCE_NAME,
                )
            )
        except Exception:
            log.exception("could not read the delivery ledger; trying again shortly")
            return 0
        fresh = [row for row in rows if row.id not in self._held]
        for row in fresh:
            self._held.add(row.id)
            self._leased_until[row.id] = asked + self.lease.total_seconds()
            self._queue.put_nowait(row)
        return len(fresh)

    def _holds(self, delivery_id: int) -> bool:
        """Whether this process surely still holds the row, long enough for one send.

        Renewals normally keep every held row leased, but a stalled process (a busy
        machine, a long pause of the event loop, a slow writer queue) may miss
        them; its lease then runs out and another instance may claim the row. Only
        what this process knows for sure counts: the lease ends at the latest one
        lease after the write that set it began, and a send needs a third of a
        lease of it left (a slow request stays inside the lease)."""
        left = self._leased_until.get(delivery_id, 0.0) - time.monotonic()
        return delivery_id not in self._lost and left > self.lease.total_seconds() / 3

    async def _still_held(self, delivery_id: int) -> bool:
        """`_holds`, renewing every lease first if this one may be running out."""
        if self._holds(delivery_id):
            return True
        await self._renew_leases(force=True)
        return self._holds(delivery_id)

    async def _renew_leases(self, *, force: bool = False) -> None:
        """Every third of a lease (or now, with `force`, unless a renewal that began
        meanwhile did it), extend the leases of every row held here."""
        asked = time.monotonic()
        async with self._renewal:
            since = time.monotonic() - self._renewed_at
            if not self._held or (since < self.lease.total_seconds() / 3 and not force):
                return
            if force and self._renewed_at > asked:
                return  # another task renewed while this one waited for the lock
            await self._renew(set(self._held))

    async def _renew(self, held: set[int]) -> None:
        started = time.monotonic()
        try:
            kept = await self.store.write(
                lambda s: digests.renew_leases(
                    session=s, ids=held, claimant=INSTANCE_NAME, until=wall_clock() + self.lease
                )
            )
        except Exception:
            log.exception("could not renew delivery leases; trying again shortly")
            return
        self._renewed_at = started
        for delivery_id in kept & self._held:
            self._leased_until[delivery_id] = started + self.lease.total_seconds()
        lost = (held - kept) & self._held  # rows finished meanwhile are not "lost"
        if lost:
            log.warning(
                "%d digests were taken over by another instance: not sending them", len(lost)
            )
            self._lost |= lost

    async def _finish_runs(self) -> None:
        try:
            closed = await self.store.write(
                lambda s: digests.finish_runs(session=s, finished_at=wall_clock())
            )
        except Exception:
            log.exception("could not close digest runs")
            return
        for run in closed:
            log.info("digest run %s finished: %s", run.id, run.report)

    async def _worker(self) -> None:
        while True:
            delivery = await self._queue.get()
            self._busy += 1
            if self._queue.qsize() < CLAIM_CHUNK:
                self._wake.set()  # the queue runs low: claim more
            try:
                await self._deliver(delivery)
            finally:
                self._busy -= 1
                self._held.discard(delivery.id)
                self._lost.discard(delivery.id)
                self._leased_until.pop(delivery.id, None)
                if self._queue.empty():
                    self._wake.set()

    async def _send_part(
        self, delivery: Delivery, part: int, stats: SendStats, thread_id: int | None
    ) -> None:
        """Send one message and record it, holding one of SEND_CONCURRENCY slots throughout.

        A message is at risk of being sent twice from the moment it goes out until
        its record is committed; holding the slot over both bounds how many
        messages a crash can repeat by SEND_CONCURRENCY. It goes out only while
        this process surely holds the digest's lease (`_holds`, checked again
        just before the request, after any wait for the rate limits); otherwise
        `LeaseRunOut`.
        """

        def still_ours() -> None:
            if not self._holds(delivery.id):
                raise LeaseRunOut(delivery.id)

        async with self._in_flight:
            for _ in range(LEASE_CHECKS):
                if not await self._still_held(delivery.id):
                    raise LeaseRunOut(delivery.id)
                try:
                    message_id = await self.sender.send_digest_part(
                        delivery.chat_id,
                        delivery.messages[part],
                        stats=stats,
                        thread_id=thread_id,
                        before=still_ours,
                    )
                    break
                except LeaseRunOut:
                    continue  # the wait for a send slot outlasted the lease: renew, try again
            else:
                raise LeaseRunOut(delivery.id)
            asked = time.monotonic()
            recorded = await self.store.write(
                lambda s: digests.record_part(
                    session=s,
                    delivery_id=delivery.id,
                    message_id=message_id,
                    lease_until=wall_clock() + self.lease,
                    claimant=INSTANCE_NAME,
                    last=part == len(delivery.messages) - 1,
                    retried=stats.retried,
                )
            )
            if recorded:
                self._leased_until[delivery.id] = asked + self.lease.total_seconds()
            else:
                self._lost.add(delivery.id)

    async def _topic_gone(self, chat_id: int) -> None:
        """The chat's forum topic is gone: forget it (this chat's other pending messages
        too), and tell the general topic, once, where digests come from now on."""
        log.info("forum topic of chat %s is gone: digests go to its general topic", chat_id)

        def forget(session: Session) -> str:
            digests.forget_thread(session=session, chat_id=chat_id)
            after = subscribers.change_chat(
                session=session, chat_id=chat_id, change=rules.forget_topic
            )
            return after.language if after else "en"

        language = await self.store.write(forget)
        await self.sender.send(chat_id, say(language, TOPIC_GONE), priority=DIGEST)

    async def _deliver(self, delivery: Delivery) -> None:
        stats = SendStats()

        async def finish(state: str, error: str | None = None) -> None:
            await self.store.write(
                lambda s: digests.finish_delivery(
                    session=s,
                    delivery_id=delivery.id,
                    state=state,
                    error=error,
                    retried=stats.retried,
                )
            )

        async def later(error: str, wait: float | None = None) -> None:
            attempt = delivery.attempts  # delivery rounds that failed before this one
            if attempt + 1 >= MAX_ATTEMPTS:
                log.error(
                    "digest %s to chat %s failed for good: %s", delivery.id, delivery.chat_id, error
                )
                await finish("failed", error)
                return
            delay = wait if wait is not None else RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
            at = wall_clock() + dt.timedelta(seconds=max(delay, 1))
            log.warning(
                "digest %s to chat %s will be retried at %s: %s",
                delivery.id,
                delivery.chat_id,
                at,
                error,
            )
            await self.store.write(
                lambda s: digests.retry_delivery_later(
                    session=s, delivery_id=delivery.id, at=at, error=error, retried=stats.retried
                )
            )

        thread = delivery.thread_id
        try:
            for part in range(delivery.parts_sent, len(delivery.messages)):
                await self.sender.spaced(delivery.chat_id)
                try:
                    await self._send_part(delivery, part, stats, thread)  # the last marks it sent
                except BadRequest as error:
                    if thread is None or not is_topic_gone(error):
                        raise
                    thread = None  # the topic was deleted: the general topic, and say so
                    await self._topic_gone(delivery.chat_id)
                    await self._send_part(delivery, part, stats, thread)
        except LeaseRunOut:
            # Another instance claimed it, or may have: the lease ran out unrenewed,
            # or could not be renewed. Whoever holds it next resumes at the first
            # unrecorded part.
            log.warning("digest %s: no longer held here, not sending it", delivery.id)
        except ChatGone as gone:
            log.info("chat %s is gone (%s): marked inactive", gone.chat_id, gone.reason)
            reason = gone.reason

            def blocked(session: Session) -> None:  # both in one transaction
                digests.finish_delivery(
                    session=session, delivery_id=delivery.id, state="blocked", error=reason
                )
                subscribers.change_chat(
                    session=session, chat_id=delivery.chat_id, change=rules.block
                )

            await self.store.write(blocked)
        except Deferred as deferred:
            await later(str(deferred), wait=deferred.retry_after)
        except BadRequest as error:  # our message is wrong: retrying cannot help
            log.error("digest %s to chat %s refused: %s", delivery.id, delivery.chat_id, error)
            await finish("failed", error.message)
        except TelegramError as error:  # network, timeouts, 5xx beyond the quick retries
            await later(f"{type(error).__name__}: {error}")
        except asyncio.CancelledError:
            raise  # shutting down: the lease runs out and the digest is picked up again
        except Exception as error:
            log.exception("digest %s to chat %s: unexpected error", delivery.id, delivery.chat_id)
            await later(f"{type(error).__name__}: {error}")
