"""A first fetch of many feeds at once: `newsbot fetch` over N articles served as local
feeds, timed end to end, with /latest answered from the same database meanwhile.

    python bench/ingest_feeds.py [--articles 3000] [--per-feed 100] [--newsbot PATH]

The articles are CNN/DailyMail texts (../shared/eval/cnndm_dev.jsonl, read in place;
past its 1,000 texts they repeat under other titles and links), whole, as RSS items of
feeds of `--per-feed` items, each feed on its own loopback address (127.0.0.2,
127.0.0.3, ...), as distinct hosts are. One `newsbot fetch URL...` round runs as its
own process on a fresh SQLite file, while this process answers /latest (the query the
handler runs, `bot.search.archive.newest_stories`) from that file every 0.2 s.

Printed: articles stored of those served and articles/s; the peak RSS of the fetch
process and of its largest child (the text workers); the busy time of each phase as the
round logs it (fetch, read, prepare: the writer waiting for the text workers, write;
phases overlap); /latest p50 and p95 during the
round. `--newsbot` times another build's command (another commit's checkout), for
runs alternated on one machine. `--again` then runs a second round on the same database
after each feed gained one new item (its oldest dropped), as a bot's next round finds
them: what the round costs when nearly everything it reads is stored already.

Targets (issue "ingest at scale with nothing lost"): every article stored; at least
twice the rate of f3c929d on the same machine in the same run; /latest p95 <= 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import email.utils
import itertools
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CNNDM = ROOT.parent / "shared" / "eval" / "cnndm_dev.jsonl"
NEWSBOT = ROOT / ".venv" / "bin" / "newsbot"
START = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)


def articles(count: int) -> list[tuple[str, str]]:
    """(title, text) of `count` articles: the data set's texts, repeated under new titles."""
    rows = [json.loads(line) for line in CNNDM.read_text(encoding="utf-8").splitlines() if line]
    made = []
    for n, row in zip(range(count), itertools.cycle(rows), strict=False):
        highlight = row["summary"].split("\n")[0].strip().rstrip(".")
        round_ = n // len(rows)
        title = highlight[:110].capitalize() + (f" (part {round_ + 1})" if round_ else "")
        made.append((title, row["text"]))
    return made


def feed(host: str, items: list[tuple[int, str, str]]) -> bytes:
    """An RSS document of `items` (number, title, text): the number makes the link."""
    entries = []
    for n, title, text in items:
        link = f"http://{host}/story/{n}"
        published = email.utils.format_datetime(START + dt.timedelta(minutes=7 * n))
        body = "".join(f"<p>{escape(p)}</p>" for p in re.split(r"(?<=[.!?]) (?=\w)", text)[:60])
        entries.append(
            f"<item><title>{escape(title)}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{published}</pubDate><description>{escape(body)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {host}</title><link>http://{host}/</link>"
        f"{''.join(entries)}</channel></rss>"
    ).encode()


class Feeds:
    """One feed per loopback address, served from a thread of this process."""

    def __init__(self, documents: list[bytes]) -> None:
        self.documents = documents
        self.urls: list[str] = []
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)

    async def _serve(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        runners = []
        for n in range(len(self.documents)):

            async def handle(_request: web.Request, n: int = n) -> web.Response:
                return web.Response(body=self.documents[n], content_type="application/rss+xml")

            app = web.Application()
            app.router.add_get("/feed.xml", handle)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            address = f"127.0.0.{n + 2}"
            site = web.TCPSite(runner, address, 0)
            await site.start()
            port = runner.addresses[0][1]
            self.urls.append(f"http://{address}:{port}/feed.xml")
            runners.append(runner)
        self._ready.set()
        await self._stop.wait()
        for runner in runners:
            await runner.cleanup()

    def __enter__(self) -> Feeds:
        self._thread.start()
        self._ready.wait(30)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


def probe_latest(database: Path, stop: threading.Event, timings: list[float]) -> None:
    """/latest as the handler asks it, every 0.2 s, until `stop`."""
    from bot.search.archive import Reader, newest_stories
    from storage.db import make_engine, open_session

    engine = make_engine(f"sqlite:///{database}")
    reader = Reader(countries=[])
    while not stop.wait(0.2):
        started = time.perf_counter()
        try:
            with open_session(engine) as session:
                newest_stories(session, reader, limit=5)
        except Exception:  # the schema is not there yet: the round is starting
            continue
        timings.append(time.perf_counter() - started)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--per-feed", type=int, default=100)
    parser.add_argument("--newsbot", type=Path, default=NEWSBOT, help="the command to time")
    parser.add_argument(
        "--again", action="store_true", help="then a round where each feed gained one item"
    )
    args = parser.parse_args()
    count = args.articles
    made = [(n, *article) for n, article in enumerate(articles(count + count // args.per_feed))]
    hosts = [f"127.0.0.{n // args.per_feed + 2}" for n in range(0, count, args.per_feed)]
    items = [made[n : n + args.per_feed] for n in range(0, count, args.per_feed)]
    documents = [feed(host, feed_items) for host, feed_items in zip(hosts, items, strict=True)]
    with tempfile.TemporaryDirectory() as folder, Feeds(documents) as feeds:
        database = Path(folder, "feeds.db")
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}",
               "SOURCES_ALLOW_PRIVATE": "true", "LOG_LEVEL": "INFO"}  # fmt: skip
        timings: list[float] = []
        stop = threading.Event()
        prober = threading.Thread(target=probe_latest, args=(database, stop, timings))
        prober.start()
        started = time.perf_counter()
        done = fetch_round(args.newsbot, feeds.urls, env)
        elapsed = time.perf_counter() - started
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        stop.set()
        prober.join()
        if args.again and done.returncode == 0:
            for k, (host, feed_items) in enumerate(zip(hosts, items, strict=True)):
                feeds.documents[k] = feed(host, [made[count + k], *feed_items[:-1]])
            again_started = time.perf_counter()
            again = fetch_round(args.newsbot, feeds.urls, env)
            again_elapsed = time.perf_counter() - again_started
            again_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"newsbot fetch failed ({done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    failed = [s for s in report["sources"] if s["status"] != "ok"]
    stored = report["articles_new"]
    print(f"{len(documents)} feeds of {args.per_feed} articles on their own loopback hosts "
          f"({args.newsbot})")  # fmt: skip
    print(f"stored {stored} of {count} articles in {elapsed:.1f} s = "
          f"{stored / elapsed:.0f} articles/s; sources failed: {len(failed)}")  # fmt: skip
    for source in failed:
        print(f"  {source['url']}: {source['error']}")
    print(f"peak RSS of the largest process of the round: {cpu.ru_maxrss / 1024:.0f} MB; "
          f"CPU {cpu.ru_utime + cpu.ru_stime:.1f} s over {os.cpu_count()} cores")  # fmt: skip
    phases = re.search(r"busy time: (.*)", done.stderr)
    print(f"phases (busy time, overlapping): {phases.group(1) if phases else 'not logged'}")
    if len(timings) >= 2:
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"/latest during the round: {len(timings)} answers, p50 "
              f"{statistics.median(timings) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
              f"max {max(timings) * 1000:.0f} ms (target p95 <= 1 s)")  # fmt: skip
    if args.again:
        if again.returncode != 0:
            sys.exit(f"the second round failed ({again.returncode}): {again.stderr[-2000:]}")
        second = json.loads(again.stdout)
        used = (again_cpu.ru_utime + again_cpu.ru_stime) - (cpu.ru_utime + cpu.ru_stime)
        print(f"again, each feed one item newer: stored {second['articles_new']} new of "
              f"{len(hosts)}, in {again_elapsed:.1f} s, CPU {used:.1f} s")  # fmt: skip


def fetch_round(
    newsbot: Path, urls: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """One `newsbot fetch` round of `urls`, as its own process."""
    return subprocess.run(
        [str(newsbot), "fetch", *urls, "--json"], env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip


if __name__ == "__main__":
    main()
