"""A send-rate gate: at most `rate` messages in any one-second window, most urgent first.

The cap must hold as Telegram sees messages arrive, and a message arrives
somewhere between the moment it is sent and the moment its answer comes back.
So a send counts against every window its flight could overlap: while it is
in flight, and for one second after it completes. A new send may start only
while fewer than `rate` sends are in flight or completed within the last
second. Then no one-second window, wherever it lies, can see more than `rate`
arrivals, whatever the network does to them. (The price is a little
throughput: each send occupies its slot for one second plus its round trip.)

Waiters queue by (priority, arrival): replies to commands (0) overtake digest
traffic (1). Only the head of the queue watches the clock; the others sleep
on a future until they reach the head, so a long queue costs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections import deque
from collections.abc import AsyncIterator

WINDOW_SECONDS = 1.0


class RateGate:
    def __init__(self, rate: int, *, window: float = WINDOW_SECONDS) -> None:
        if rate < 1:
            raise ValueError("rate must be at least 1")
        self.rate, self.window = rate, window
        self._in_flight = 0
        self._completed: deque[float] = deque()  # completion times within the last window
        self._queue: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._paused_until = 0.0
        self._released = asyncio.Event()

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    def set_rate(self, rate: int) -> None:
        """A new cap (another instance came or went); waiters see it at once."""
        if rate < 1:
            raise ValueError("rate must be at least 1")
        self.rate = rate
        with contextlib.suppress(RuntimeError):  # no loop yet: nobody is waiting
            self._released.set()

    def pause_until(self, moment: float) -> None:
        """Telegram said 429: nobody starts before `moment` (loop time)."""
        self._paused_until = max(self._paused_until, moment)

    @contextlib.asynccontextmanager
    async def slot(self, priority: int = 1) -> AsyncIterator[None]:
        """Hold a slot for one send: enter just before the request, leave when it answered."""
        await self._acquire(priority)
        try:
            yield
        finally:
            self._in_flight -= 1
            self._completed.append(self._now())
            self._released.set()

    def _wait_needed(self, now: float) -> float | None:
        """Seconds until the head may start; None: until some send completes."""
        while self._completed and self._completed[0] <= now - self.window:
            self._completed.popleft()
        if now < self._paused_until:
            return self._paused_until - now
        busy = self._in_flight + len(self._completed)
        if busy < self.rate:
            return 0.0
        if self._in_flight >= self.rate:
            return None
        # Enough completions must age out of the window to make room.
        return self._completed[busy - self.rate] + self.window - now

    async def _acquire(self, priority: int) -> None:
        turn = asyncio.get_running_loop().create_future()
        entry = (priority, next(self._order), turn)
        heapq.heappush(self._queue, entry)
        if self._queue[0] is entry:
            turn.set_result(None)
        try:
            while True:
                if self._queue[0] is not entry:
                    if turn.done():  # overtaken while watching the clock: wait for the turn again
                        turn = asyncio.get_running_loop().create_future()
                        self._queue[self._queue.index(entry)] = entry = (*entry[:2], turn)
                    await turn
                    continue
                wait = self._wait_needed(self._now())
                if wait is not None and wait <= 0:
                    break
                self._released.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._released.wait(), timeout=wait)
        except BaseException:
            self._remove(entry)
            raise
        heapq.heappop(self._queue)
        self._in_flight += 1
        self._wake_head()

    def _remove(self, entry: tuple[int, int, asyncio.Future[None]]) -> None:
        was_head = bool(self._queue) and self._queue[0] is entry
        self._queue.remove(entry)
        heapq.heapify(self._queue)
        if was_head:
            self._wake_head()

    def _wake_head(self) -> None:
        if self._queue and not self._queue[0][2].done():
            self._queue[0][2].set_result(None)
