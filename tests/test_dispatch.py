"""The dispatcher's leases, in one process: a real database (SQLite and PostgreSQL),
the Bot API stand-in served on loopback, and the real sender.

The second instance is played by this test: it claims the ledger row as another
`newsbot run` would once the dispatcher's lease has run out. Waits here are lower
bounds (a lease must have run out), never speed targets.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy.engine import Engine
from telegram import Bot

from bot.config import Settings
from bot.delivery.chatlimit import ChatRates
from bot.delivery.digest_jobs import Dispatcher
from bot.delivery.sender import Sender
from bot.standin.bot_api import FakeBotApi
from bot.store import Store
from storage import digests
from storage.db import open_session
from storage.models import DigestDelivery

# The sender asks for sendMessage by name on purpose (see `Sender.send_digest_part`).
pytestmark = pytest.mark.filterwarnings("ignore:Please use .Bot.sendMessage.")

CHAT = 5_001
LEASE = 0.6  # seconds: short, so that a stall outlasts it
PACE = 1.0  # seconds between two messages to one chat: longer than the lease
TOKEN = "123456789:AAHfakeTokenForDispatchTests_abc"


def _pending_digest(engine: Engine, parts: int) -> int:
    now = dt.datetime.now(dt.UTC)
    row = DigestDelivery(
        chat_id=CHAT,
        due_at=now,
        state="pending",
        messages=[f"digest part {i + 1}" for i in range(parts)],
        next_attempt_at=now - dt.timedelta(seconds=1),
    )
    with open_session(engine) as session, session.begin():
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def _row(engine: Engine, delivery_id: int) -> DigestDelivery:
    with open_session(engine) as session:
        row = session.get(DigestDelivery, delivery_id)
        assert row is not None
        return row


async def _until(check: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


def _dispatching(
    engine: Engine, scenario: Callable[[FakeBotApi, Dispatcher], Awaitable[None]]
) -> None:
    """Run `scenario` while a dispatcher delivers from the ledger."""

    async def main() -> None:
        api = FakeBotApi()
        await api.start()
        settings = Settings(delivery_lease_seconds=LEASE, send_rate_per_second=50)
        store = Store(engine)
        async with Bot(TOKEN, base_url=api.base_url) as bot:
            rates = ChatRates(private_interval=PACE, group_interval=PACE, burst=1)
            dispatcher = Dispatcher(store, Sender(bot, 50, rates), settings, clock=_now)
            stop = asyncio.Event()
            running = asyncio.create_task(dispatcher.run(stop))
            try:
                await scenario(api, dispatcher)
            finally:
                stop.set()
                await running
                await store.close()
                await api.stop()

    asyncio.run(main())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_a_digest_that_outlasts_its_lease_is_renewed_and_sent_once(engine: Engine) -> None:
    """Three parts a chat's pace apart take longer than the lease: renewals keep it,
    and the lease check before each part lets every part out."""
    delivery = _pending_digest(engine, parts=3)
    texts: list[str] = []

    async def scenario(api: FakeBotApi, _: Dispatcher) -> None:
        await _until(lambda: _row(engine, delivery).state == "sent", "the digest to be sent")
        texts.extend(m.text for m in api.messages_to(CHAT))

    _dispatching(engine, scenario)
    assert texts == ["digest part 1", "digest part 2", "digest part 3"]


def test_a_stalled_instance_does_not_send_what_another_claimed(engine: Engine) -> None:
    """The process stalls (its event loop blocked) past its lease; another instance
    claims the digest meanwhile. Once awake, the stalled one must not send the next
    part, even though its renewal has not yet told it that the row is gone."""
    delivery = _pending_digest(engine, parts=2)
    taken: list[int] = []

    async def scenario(api: FakeBotApi, _: Dispatcher) -> None:
        await _until(lambda: _row(engine, delivery).parts_sent == 1, "the first part recorded")
        # The stall: nothing of this process runs, the lease runs out, the rival claims.
        # It lasts past the chat's pace too, so the next part is due the moment it ends.
        time.sleep(max(LEASE, PACE) + 0.2)
        with open_session(engine) as session, session.begin():
            now = _now()
            rival = digests.claim_deliveries(
                session=session,
                wall_now=now,
                now=now,
                lease=dt.timedelta(minutes=1),
                limit=10,
                claimant="rival",
            )
        taken.extend(d.id for d in rival)
        await asyncio.sleep(PACE + LEASE)  # time to send the second part, were it allowed
        assert [m.text for m in api.messages_to(CHAT)] == ["digest part 1"]

    _dispatching(engine, scenario)
    assert taken == [delivery]
    row = _row(engine, delivery)
    assert (row.state, row.parts_sent, row.claimed_by) == ("pending", 1, "rival")
