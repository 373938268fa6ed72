"""The rate gate: the cap holds in every window, replies overtake digests, 429 pauses all."""

from __future__ import annotations

import asyncio

from bot.ratelimit import RateGate


def _most_in_any_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t < start + window) for i, start in enumerate(times))


def test_cap_holds_in_every_window() -> None:
    async def main() -> tuple[list[float], float]:
        gate = RateGate(5, window=0.2)
        loop = asyncio.get_running_loop()
        times: list[float] = []

        async def one() -> None:
            await gate.acquire()
            times.append(loop.time())

        started = loop.time()
        await asyncio.gather(*(one() for _ in range(23)))
        return times, loop.time() - started

    times, elapsed = asyncio.run(main())
    assert len(times) == 23
    assert _most_in_any_window(times, 0.2) == 5  # never more; and the gate does fill each window
    assert elapsed >= 4 * 0.2  # 23 = 5 + 5 + 5 + 5 + 3: four full windows must pass


def test_replies_overtake_waiting_digests() -> None:
    async def main() -> list[str]:
        gate = RateGate(1, window=0.05)
        order: list[str] = []

        async def one(name: str, priority: int) -> None:
            await gate.acquire(priority)
            order.append(name)

        await gate.acquire()  # the window is full
        digests = [asyncio.create_task(one(f"digest{i}", 1)) for i in range(4)]
        await asyncio.sleep(0)  # the digests queue first
        reply = asyncio.create_task(one("reply", 0))
        await asyncio.gather(*digests, reply)
        return order

    assert asyncio.run(main()) == ["reply", "digest0", "digest1", "digest2", "digest3"]


def test_cancelled_waiter_does_not_block_the_queue() -> None:
    async def main() -> list[str]:
        gate = RateGate(1, window=0.05)
        order: list[str] = []

        async def one(name: str) -> None:
            await gate.acquire()
            order.append(name)

        await gate.acquire()
        first = asyncio.create_task(one("first"))
        second = asyncio.create_task(one("second"))
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
        await gate.acquire(0)
        return loop.time() - resume

    assert asyncio.run(main()) >= 0
