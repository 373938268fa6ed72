"""Fetch rounds over many feeds on a local server: first round, then every source a 304.

    python bench/sources.py [--feeds 100] [--items 50]

Prints the first round (fetch + parse + tag + summarise + store) in articles/s,
the second round's wall time and CPU time (every source answers 304 Not Modified:
it should cost a small fraction of the first), and the process's peak memory.
All feeds are on one loopback host, so the per-host pause is set to 0 here (a real
deployment keeps one request a second per host); the stories are the labelled
texts of tests/tagging_cases.py under distinct titles.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.sources.fetch_round import FetchRound
from bot.sources.fetcher import Fetcher, FetchLimits
from bot.standin.local_site import FeedItem, LocalSite, rss_feed
from storage.db import make_engine
from storage.migrate import upgrade_schema
from tests.tagging_cases import CASES


def feeds(base: str, count: int, items: int) -> dict[str, tuple[str, str]]:
    documents = {}
    published = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    for feed in range(count):
        entries = []
        for n in range(items):
            case = CASES[(feed * items + n) % len(CASES)]
            title = f"{case.title} ({feed}-{n})"
            link = f"{base}/story/{feed}/{n}"
            entries.append(FeedItem(title, link, case.body, published))
        documents[f"/feed/{feed}"] = (
            rss_feed(f"Feed {feed}", base, entries),
            "application/rss+xml",
        )
    return documents


async def bench(count: int, items: int) -> None:
    site = LocalSite()
    base = await site.start()
    site.documents.update(feeds(base, count, items))
    urls = [f"{base}/feed/{n}" for n in range(count)]
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        upgrade_schema(engine)
        fetcher = Fetcher(allow_private=True, limits=FetchLimits(host_interval=0))
        rounds = FetchRound(
            engine,
            fetcher,
            interval=dt.timedelta(minutes=15),
            clock=lambda: dt.datetime.now(dt.UTC),
        )
        try:
            figures = []
            for _ in range(2):
                wall, cpu = time.perf_counter(), time.process_time()
                report = (await rounds.run(urls, force=True)).as_json()
                figures.append((time.perf_counter() - wall, time.process_time() - cpu, report))
        finally:
            await fetcher.close()
            await site.stop()
            engine.dispose()
    (first_wall, first_cpu, first), (second_wall, second_cpu, second) = figures
    stored = int(first["articles_new"])  # type: ignore[call-overload]
    statuses = [s["status"] for s in second["sources"]]  # type: ignore[index, union-attr]
    print(f"{count} feeds x {items} items on one local server (SQLite)")
    print(
        f"first round: {stored} articles stored in {first_wall:.1f} s = {stored / first_wall:.0f}"
        f" articles/s (CPU {first_cpu:.1f} s)"
    )
    print(
        f"second round: {statuses.count('not_modified')} of {count} answered 304,"
        f" {second_wall:.2f} s wall ({second_wall / first_wall:.1%} of the first),"
        f" CPU {second_cpu:.2f} s ({second_cpu / max(first_cpu, 1e-9):.1%})"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(bench(args.feeds, args.items))


if __name__ == "__main__":
    main()
