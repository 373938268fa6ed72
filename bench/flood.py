"""One chat floods the bot: do the others still get their answers?

Starts the real `newsbot run` process (seeds ingested, default send cap) against
the local Bot API stand-in, which answers 429 as Telegram does: per chat beyond
about one message a second, and for the whole bot beyond the global rate. Then,
for `--seconds`, one private chat sends `--rate` commands a second (`/latest`
and `/latest N` mixed, so coalescing alone cannot absorb them) while `--others`
chats each ask `/latest 3` once a second, as people do. Prints:

  (1) the other chats' reply time, p50 / p95 / max: from the update being queued
      at the stand-in to the stand-in receiving the reply (target: p95 <= 1 s);
  (2) the most messages the stand-in received in any one-second window, against
      the cap (target: never above it), and the 429s it had to answer;
  (3) the flooding chat's messages a second on average: the gaps between the
      messages it received, over the time they span (target: <= 1).

    python bench/flood.py [--seconds 10] [--rate 300] [--others 20] [--cap 25]
                          [--database-url URL]
"""

from __future__ import annotations

import argparse
import bisect
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import add_database_argument, fresh_database
from bot.news.ingest import ingest_paths
from bot.standin.bot_api import FakeBotApi, ThreadedFakeBotApi
from bot.standin.flood_control import FloodRules
from storage.db import make_engine
from storage.migrate import upgrade_schema
from tests.e2e.harness import TOKEN, BotProcess, wait_until

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "seeds"
FLOODER = 1_000
FIRST_OTHER = 2_000
DRAIN_SECONDS = 30.0  # after the flood: time for the last answers to arrive


def busiest_second(times: list[float]) -> int:
    times = sorted(times)
    return max((bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times)), default=0)


def drive(api: FakeBotApi, seconds: float, rate: int, others: int) -> dict[int, list[float]]:
    """Send the flood and the ordinary requests; return each other chat's send times."""
    asked: dict[int, list[float]] = {FIRST_OTHER + n: [] for n in range(others)}
    start = time.monotonic()
    flooded = 0
    next_ask = {chat: start + n / max(others, 1) for n, chat in enumerate(asked)}
    while (now := time.monotonic()) < start + seconds:
        while flooded < (now - start) * rate:  # the flood, in even steps
            text = "/latest" if flooded % 2 else f"/latest {flooded % 20 + 1}"
            api.push_message(FLOODER, text)
            flooded += 1
        for chat, due in next_ask.items():
            if now >= due:
                asked[chat].append(time.monotonic())
                api.push_message(chat, "/latest 3")
                next_ask[chat] = due + 1.0
        time.sleep(0.001)
    return asked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=int, default=300, help="the flooding chat's commands/s")
    parser.add_argument("--others", type=int, default=20)
    parser.add_argument("--cap", type=int, default=25, help="SEND_RATE_PER_SECOND")
    add_database_argument(parser)
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory() as folder,
        fresh_database(args.database_url, Path(folder), "flood") as database_url,
    ):
        engine = make_engine(database_url)
        upgrade_schema(engine)
        ingest_paths(engine, sorted(SEEDS.glob("*.txt")))
        engine.dispose()
        # Telegram's global limit is about 30/s; the bot's cap is below it, as deployed.
        rules = FloodRules(global_per_second=max(30, args.cap))
        with ThreadedFakeBotApi(FakeBotApi(flood=rules)) as api:
            env = {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_URL": api.base_url,
                "DATABASE_URL": database_url,
                "SNAPSHOT_DIR": str(Path(folder) / "snapshots"),
                "LOG_LEVEL": "WARNING",
                "SEND_RATE_PER_SECOND": str(args.cap),
            }
            bot = BotProcess(api, env, Path(folder) / "bot.log").start()
            try:
                asked = drive(api, args.seconds, args.rate, args.others)
                answered = lambda: all(  # noqa: E731
                    len(api.messages_to(chat)) >= len(times) for chat, times in asked.items()
                )
                wait_until(answered, "every ordinary request to be answered", DRAIN_SECONDS)
                time.sleep(2.0)  # the flooding chat's last answers
            finally:
                bot.stop()
        latencies = []
        for chat, times in asked.items():
            replies = [m.at for m in api.messages_to(chat)]
            latencies += [reply - sent for sent, reply in zip(times, replies, strict=False)]
        latencies.sort()
        to_flooder = [m.at for m in api.messages_to(FLOODER)]
        span = to_flooder[-1] - to_flooder[0] if len(to_flooder) > 1 else 0.0
        commands = int(args.seconds * args.rate)

    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(
        f"one chat sent {commands:,} commands in {args.seconds:.0f} s ({args.rate}/s) while "
        f"{args.others} chats asked once a second; cap {args.cap}/s "
        f"({database_url.split(':')[0]}):"
    )
    print(
        f"  (1) other chats' reply time: p50 {statistics.median(latencies) * 1000:.0f} ms"
        f"   p95 {p95 * 1000:.0f} ms   max {latencies[-1] * 1000:.0f} ms"
        f"   over {len(latencies)} replies (target: p95 <= 1000 ms)"
    )
    print(
        f"  (2) most in any 1 s window {busiest_second([m.at for m in api.sent])}"
        f" (cap {args.cap}); 429s answered: {api.flood.refused_chat} per chat,"
        f" {api.flood.refused_global} for the bot"
    )
    print(
        f"  (3) flooding chat: {len(to_flooder)} messages, {len(to_flooder) - 1} gaps over"
        f" {span:.1f} s = {(len(to_flooder) - 1) / max(span, 1.0):.3f} per second (target: <= 1)"
    )


if __name__ == "__main__":
    main()
