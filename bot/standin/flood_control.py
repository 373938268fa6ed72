"""Telegram's flood control as the Bot API stand-in models it.

Telegram documents its limits loosely: about one message a second to one chat
(short bursts tolerated), 20 a minute to a group, about 30 a second in all.
Beyond them it answers 429 with `retry_after`, for that chat or for the whole
bot, and the answer does not say which. The stand-in enforces each rule over
sliding windows of arrival times, so a test can make the bot meet either kind:

- a private chat: at most `private_burst` messages in any second and
  `private_burst - 1 + 10` in any ten seconds (one a second, sustained);
- a group or channel (negative id): at most `group_per_minute` in any 60 s;
- the whole bot, when `global_per_second` is set: at most that many in any second.

Off by default is only the global rule: tests and benchmarks of throughput run
the bot above Telegram's 30 a second on purpose. `pace` runs the per-chat windows
that many times faster, for tests that run the bot's own per-chat pace faster too
(tests/e2e/conftest.py): the rules are the same, a second is shorter.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

LONGEST_WINDOW = 60.0


@dataclass(frozen=True)
class FloodRules:
    private_burst: int = 5
    group_per_minute: int = 20
    global_per_second: int | None = None
    per_chat: bool = True  # False: no per-chat rule (the stand-in of old)
    pace: float = 1.0  # how many times faster than Telegram's the per-chat windows run


@dataclass
class FloodControl:
    rules: FloodRules = field(default_factory=FloodRules)
    _chats: dict[int, deque[float]] = field(default_factory=dict)
    _all: deque[float] = field(default_factory=deque)
    refused_chat: int = 0  # 429s answered for one chat
    refused_global: int = 0  # 429s answered for the whole bot

    def _windows(self, chat_id: int) -> list[tuple[float, int]]:
        """(seconds, most messages) for this chat."""
        if not self.rules.per_chat:
            return []
        pace = self.rules.pace
        if chat_id < 0:
            return [(60.0 / pace, self.rules.group_per_minute)]
        burst = self.rules.private_burst
        return [(1.0 / pace, burst), (10.0 / pace, burst - 1 + 10)]

    def admit(self, chat_id: int, now: float) -> tuple[str, int] | None:
        """Record a message arriving at `now`; or refuse it: (scope, retry_after seconds)."""
        arrivals = self._chats.setdefault(chat_id, deque())
        for queue, window in ((arrivals, LONGEST_WINDOW), (self._all, 1.0)):
            while queue and queue[0] <= now - window:
                queue.popleft()
        limit = self.rules.global_per_second
        if limit is not None and _count_since(self._all, now - 1.0) >= limit:
            self.refused_global += 1
            return "bot", 1
        for seconds, most in self._windows(chat_id):
            if _count_since(arrivals, now - seconds) >= most:
                # Free again when the oldest arrival in the window leaves it.
                oldest = arrivals[len(arrivals) - most]
                self.refused_chat += 1
                return "chat", max(1, math.ceil(oldest + seconds - now))
        arrivals.append(now)
        self._all.append(now)
        if len(self._chats) > 100_000:  # bounded: forget chats quiet for a minute
            self._chats = {c: q for c, q in self._chats.items() if q and q[-1] > now - 60}
        return None


def _count_since(arrivals: deque[float], since: float) -> int:
    """Arrivals after `since` (the deque is in time order; scanned from the newest)."""
    count = 0
    for moment in reversed(arrivals):
        if moment <= since:
            break
        count += 1
    return count
