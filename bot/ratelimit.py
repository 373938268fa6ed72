"""A send-rate gate: at most `rate` acquisitions in any window, most urgent first.

The window is one second plus a small margin: the cap is promised for every
one-second window as Telegram sees the messages arrive, and a message's trip
over the network varies a little. Waiters queue by (priority, arrival):
replies to commands (priority 0) overtake digest traffic (priority 1) waiting
at the same gate. Only the head of the queue watches the clock; the others
sleep on a future until they reach the head, so a long queue costs nothing.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import deque

WINDOW_SECONDS = 1.0
MARGIN_SECONDS = 0.02


class RateGate:
    def __init__(self, rate: int, *, window: float = WINDOW_SECONDS + MARGIN_SECONDS) -> None:
        if rate < 1:
            raise ValueError("rate must be at least 1")
        self.rate, self.window = rate, window
        self._starts: deque[float] = deque(maxlen=rate)  # the last `rate` acquisitions
        self._queue: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._paused_until = 0.0

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    def pause_until(self, moment: float) -> None:
        """Telegram said 429: nobody passes before `moment` (loop time)."""
        self._paused_until = max(self._paused_until, moment)

    def _wait_needed(self, now: float) -> float:
        wait = self._paused_until - now
        if len(self._starts) == self.rate:
            wait = max(wait, self._starts[0] + self.window - now)
        return wait

    async def acquire(self, priority: int = 1) -> None:
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
                        heapq.heapify(self._queue)
                    await turn
                    continue
                wait = self._wait_needed(self._now())
                if wait <= 0:
                    break
                await asyncio.sleep(wait)
        except BaseException:
            self._remove(entry)
            raise
        heapq.heappop(self._queue)
        self._starts.append(self._now())
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
