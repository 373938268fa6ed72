"""This process among the instances sharing one database.

SEND_RATE_PER_SECOND is the bot's total: Telegram counts per bot, not per
process. Each instance records a heartbeat every HEARTBEAT_SECONDS and takes
an equal share of the cap among the instances seen within LIVE_WITHIN.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket

from bot.delivery.ratelimit import RateGate
from bot.store import Store
from storage import instances

log = logging.getLogger(__name__)

INSTANCE_NAME = f"{socket.gethostname()}:{os.getpid()}"[-64:]
HEARTBEAT_SECONDS = 5.0
LIVE_WITHIN = dt.timedelta(seconds=3 * HEARTBEAT_SECONDS)  # two missed beats: gone


class InstanceRegistry:
    def __init__(self, store: Store, gate: RateGate, total_rate: int) -> None:
        self.store, self.gate, self.total_rate = store, gate, total_rate
        self.live = 1

    async def beat(self) -> None:
        now = dt.datetime.now(dt.UTC)
        try:
            live = await self.store.write(
                lambda s: instances.heartbeat(
                    session=s, name=INSTANCE_NAME, now=now, live_since=now - LIVE_WITHIN
                )
            )
        except Exception:
            log.exception("instance heartbeat failed; keeping the current share of the send cap")
            return
        share = max(1, self.total_rate // live)
        if live != self.live or share != self.gate.rate:
            log.info(
                "%d instance(s) share the send cap of %d/s: %d/s here",
                live,
                self.total_rate,
                share,
            )
            self.live = live
            self.gate.set_rate(share)

    async def leave(self) -> None:
        """Deregister at a clean stop, so the others take back the whole cap at once."""
        with contextlib.suppress(Exception):
            await self.store.write(lambda s: instances.leave(session=s, name=INSTANCE_NAME))
