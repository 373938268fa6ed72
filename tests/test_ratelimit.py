"""The rate gate: no window sees more than the cap, replies overtake digests, 429 pauses all."""

from __future__ import annotations

import asyncio
import random

from bot.delivery.ratelimit import RateGate


def _most_overlapping(flights: list[tuple[float, float]], window: float) -> int:
    """The most sends whose flight [start, end] overlaps any one window of this length."""
    edges = sorted({t for flight in flights for t in flight})
    return max(sum(1 for s, e in flights if s < a + window and e >= a) for a in edges)


def test_no_window_can_see_more_than_the_cap() -> None:
    async def main() -> tuple[list[tuple[float, float]], float]:
        gate = RateGate(5, window=0.2)
        loop = asyncio.get_running_loop()
        rng = random.Random(4)
        flights: list[tuple[float, float]] = []

        async def send() -> None:
            async with gate.slot():
                start = loop.time()
                await asyncio.sleep(rng.uniform(0, 0.05))  # the network's varying delay
                flights.append((start, loop.time()))

        started = loop.time()
        await asyncio.gather(*(send() for _ in range(23)))
        return flights, loop.time() - started

    flights, elapsed = asyncio.run(main())
    assert len(flights) == 23
    assert _most_overlapping(flights, 0.2) <= 5
    assert elapsed >= 4 * 0.2  # 23 = 5 + 5 + 5 + 5 + 3: at least four windows pass


def test_slow_sends_hold_their_slot_until_they_answer() -> None:
    async def main() -> int:
        gate = RateGate(2, window=0.05)
        most = in_flight = 0

        async def send() -> None:
            nonlocal most, in_flight
            async with gate.slot():
                in_flight += 1
                most = max(most, in_flight)
                await asyncio.sleep(0.1)  # longer than the window
                in_flight -= 1

        await asyncio.gather(*(send() for _ in range(6)))
        return most

    assert asyncio.run(main()) == 2


def test_replies_overtake_waiting_digests() -> None:
    async def main() -> list[str]:
        gate = RateGate(1, window=0.05)
        order: list[str] = []

        async def send(name: str, priority: int) -> None:
            async with gate.slot(priority):
                order.append(name)

        async with gate.slot():  # the window is full
            pass
        digests = [asyncio.create_task(send(f"digest{i}", 1)) for i in range(4)]
        await asyncio.sleep(0)  # the digests queue first
        reply = asyncio.create_task(send("reply", 0))
        await asyncio.gather(*digests, reply)
        return order

    assert asyncio.run(main()) == ["reply", "digest0", "digest1", "digest2", "digest3"]


def test_cancelled_waiter_does_not_block_the_queue() -> None:
    async def main() -> list[str]:
        gate = RateGate(1, window=0.05)
        order: list[str] = []

        async def send(name: str) -> None:
            async with gate.slot():
                order.append(name)

        async with gate.slot():
            pass
        first = asyncio.create_task(send("first"))
        second = asyncio.create_task(send("second"))
        await asyncio.sleep(0.01)
        first.cancel()
        await asyncio.wait_for(second, timeout=2)
        return order

    assert asyncio.run(main()) == ["second"]


def test_pause_holds_everyone_until_the_moment() -> None:
    async def main() -> float:
        gate = RateGate(100)
        loop = asyncio.get_running_loop()
        resume = loop.time() + 0.2
        gate.pause_until(resume)
        async with gate.slot(0):
            return loop.time() - resume

    assert asyncio.run(main()) >= 0
