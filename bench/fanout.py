"""Digest fan-out through the one delivery path, against the local Bot API stand-in.

Stores the sample articles and N subscribers (default 10,000) all due at one
minute about a minute ahead (like 09:00: the bot composes the wave before it is
due), starts the real `newsbot run` process, and lets it deliver every digest. The
stand-in timestamps each message as it arrives. While the run goes on, another
chat sends /latest every 200 ms. Prints:

  (a) achieved messages/s ÷ SEND_RATE_PER_SECOND      target >= 0.95
  (b) most messages in any one-second window          must be <= the cap
  (c) p95 /latest reply time during the run           target <= 1 s
  (d) peak memory (resident) of the bot process
  (e) messages/s with no cap at all (a second run)    target >= 1,000/s

    python bench/fanout.py [--subscribers 10000] [--cap 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import update

from bench.databases import add_database_argument, fresh_database
from bot import prefs as rules
from bot.news.ingest import ingest_paths
from bot.news.regions import COUNTRIES
from bot.standin.bot_api import FakeBotApi, ThreadedFakeBotApi
from storage import digests, subscribers
from storage.db import make_engine, open_session
from storage.migrate import upgrade_schema
from storage.models import Subscriber
from tests.e2e.harness import TOKEN, BotProcess, wait_until

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "seeds"
FIRST_CHAT = 1_000_000
PROBE_CHAT = 42
CODES = [c.code for c in COUNTRIES if c.code != "AF"]


def prepare(database_url: str, count: int, lead: float, seed: int = 3) -> dt.datetime:
    """The seed articles, and `count` subscribers all due at one instant (returned)."""
    engine = make_engine(database_url)
    upgrade_schema(engine)
    ingest_paths(engine, sorted(SEEDS.glob("*.txt")))
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    # Everyone's digest time is one instant in Almaty, `lead` seconds away: like
    # 09:00 for a real bot, the wave is known before it is due.
    zone = ZoneInfo("Asia/Almaty")
    due = (now + dt.timedelta(seconds=lead)).replace(microsecond=0)
    local = due.astimezone(zone).time()
    with open_session(engine) as session, session.begin():
        for chat_id in range(FIRST_CHAT, FIRST_CHAT + count):
            codes = tuple(rng.sample(CODES, rng.randint(1, 2)))
            fresh = rules.new_chat(chat_id, "private", local, "Asia/Almaty", now=now)
            subscribers.change_chat(
                session=session,
                chat_id=chat_id,
                create=fresh,
                change=lambda p, codes=codes: rules.set_countries(p, codes, now),  # type: ignore[misc]
            )
        session.exec(update(Subscriber).values(next_digest_at=due))
    engine.dispose()
    return due


def most_in_a_second(times: list[float]) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(  # type: ignore[type-arg]
    count: int, cap: int, concurrency: int, database_url: str | None, folder: Path, lead: float
) -> dict:
    with fresh_database(database_url, folder, f"fanout_{cap}") as url:
        return _run(count, cap, concurrency, url, folder, lead)


def _run(  # type: ignore[type-arg]
    count: int, cap: int, concurrency: int, url: str, folder: Path, lead: float
) -> dict:
    due = prepare(url, count, lead)
    engine = make_engine(url)
    with ThreadedFakeBotApi(FakeBotApi()) as api:
        env = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api.base_url,
            "DATABASE_URL": url,
            "SEND_RATE_PER_SECOND": str(cap),
            "SEND_CONCURRENCY": str(concurrency),
            "DIGEST_TICK_SECONDS": "1",
            "SNAPSHOT_DIR": str(folder / "none"),
            "LOG_LEVEL": "WARNING",
        }
        bot = BotProcess(api, env, folder / f"bot-{cap}.log").start()
        probes: list[float] = []
        running = threading.Event()
        running.set()

        def probe() -> None:
            while running.is_set():
                before = len(api.messages_to(PROBE_CHAT))
                answered = lambda before=before: len(api.messages_to(PROBE_CHAT)) > before  # noqa: E731
                queued = time.monotonic()
                api.push_message(PROBE_CHAT, "/latest kz 3")
                try:
                    wait_until(answered, "a reply", 30)
                except AssertionError:
                    continue
                probes.append(api.messages_to(PROBE_CHAT)[before].at - queued)
                time.sleep(0.2)

        def pending() -> int:
            with open_session(engine) as session:
                now = dt.datetime.now(dt.UTC)
                due = digests.due_chats(session=session, now=now, limit=1)
                return digests.pending_count(session=session) + len(due)

        prober = threading.Thread(target=probe, daemon=True)
        prober.start()
        time.sleep(max(0.0, (due - dt.datetime.now(dt.UTC)).total_seconds()))
        while pending():  # checked twice a second: the stand-in shares this process's CPU
            time.sleep(0.5)
        running.clear()
        prober.join(timeout=30)
        assert bot.process is not None
        memory = peak_rss_mib(bot.process.pid)
        bot.stop()
    engine.dispose()
    times = [m.at for m in api.sent if m.chat_id >= FIRST_CHAT]
    duration = max(times) - min(times)
    start = min(times)
    per_second = [0] * (int(max(times) - start) + 1)
    for moment in times:
        per_second[int(moment - start)] += 1
    return {
        "timeline": per_second,
        "messages": len(times),
        "rate": (len(times) - 1) / duration if duration > 0 else float("inf"),
        "peak_window": most_in_a_second(times),
        "latest_p95": statistics.quantiles(probes, n=20)[-1] if len(probes) > 1 else float("nan"),
        "probes": len(probes),
        "memory_mib": memory,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--cap", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    add_database_argument(parser)
    parser.add_argument("--skip-uncapped", action="store_true")
    parser.add_argument(
        "--lead", type=float, default=30, help="seconds from start-up to the wave (default 30)"
    )
    parser.add_argument("--timeline", action="store_true", help="print messages per second")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        capped = run(
            args.subscribers, args.cap, args.concurrency, args.database_url, folder, args.lead
        )
        print(f"{args.subscribers:,} subscribers due at once, cap {args.cap}/s:")
        print(f"  {capped['messages']:,} messages at {capped['rate']:.1f}/s")
        print(f"  (a) achieved / cap            {capped['rate'] / args.cap:.3f}   (target >= 0.95)")
        print(f"  (b) most in any 1 s window    {capped['peak_window']}   (must be <= {args.cap})")
        print(
            f"  (c) /latest p95 during run    {capped['latest_p95'] * 1000:.0f} ms"
            f" over {capped['probes']} requests   (target <= 1000 ms)"
        )
        print(f"  (d) bot peak memory (RSS)     {capped['memory_mib']:.0f} MiB")
        if args.timeline:
            print("  messages per second:", " ".join(map(str, capped["timeline"])))
        if not args.skip_uncapped:
            uncapped = run(
                args.subscribers, 1_000_000, args.concurrency, args.database_url, folder, args.lead
            )
            print(
                f"  (e) no cap: {uncapped['messages']:,} messages at {uncapped['rate']:.0f}/s"
                "   (target >= 1,000/s)"
            )


if __name__ == "__main__":
    main()
