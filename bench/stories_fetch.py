"""Stories as a bot fetches them: a set of stories served as its outlets' feeds, one
feed per outlet on its own loopback host, and real `newsbot fetch` rounds over them.

    python bench/stories_fetch.py [SET.jsonl ...] [--daily] [--newsbot PATH]

bench/stories.py feeds the rules the sets' rows directly; this goes the whole way, as
a reader's bot would: RSS items (title, link, date, the body as HTML) read by the feed
parser, the language detected, the articles prepared and stored by the round's writer,
and the stories read back with `newsbot stories --json`. Two ways, as in the issue
("stories that hold on real reports"):
  - one round: every feed holds all its items (a first fetch, a feed back after an
    outage); the order the feeds answer in is theirs;
  - `--daily`: the feeds grow a day at a time (UTC), one round a day.
With `--together` the sets are one bot's feeds (their 445 articles are more than a
transaction's 300: the round is stored oldest first across its feeds, `store_by_time`),
each set's figures printed; the other sets' articles are its distractors too.
Printed for each set: pairwise precision and recall, English–Russian pair recall, the
stories found, articles not stored, and languages detected otherwise than the row's.
Every set's times are moved back together so that its newest article is a day old:
a feed's date in the future is read as the time it was first seen, which would put the
hard cases (dated 2027) all at one moment.

Default sets: the fixtures, the hard cases, heldout.jsonl and heldout_real.jsonl
(tests/stories). Targets as in bench/stories.py: 0.95 / 0.90 / 0.75.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ingest_feeds import NEWSBOT, Feeds  # noqa: E402
from stories import (  # noqa: E402
    FIXTURES,
    HARD_CASES,
    HELD_OUT,
    HELD_OUT_REAL,
    HELD_OUT_SCENES,
    english_russian,
    pairwise,
)

Row = dict[str, Any]


def read_set(path: Path, now: dt.datetime) -> list[Row]:
    """The set's rows, each with its time `at`, all moved back so the newest is a day old."""
    rows: list[Row] = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    times = [dt.datetime.fromisoformat(row["published"]) for row in rows]
    shift = now - dt.timedelta(days=1) - max(times)
    for row, at in zip(rows, times, strict=True):
        row["at"] = at + shift
    return rows


def feed(outlet: str, rows: list[Row]) -> bytes:
    """The outlet's RSS document of `rows`, newest first."""
    items = []
    for row in sorted(rows, key=lambda r: r["at"], reverse=True):
        url = escape(row["url"])
        body = "".join(f"<p>{escape(p)}</p>" for p in row["body"].split("\n\n"))
        items.append(
            f"<item><title>{escape(row['title'])}</title><link>{url}</link>"
            f"<guid>{url}</guid><pubDate>{email.utils.format_datetime(row['at'])}</pubDate>"
            f"<description>{escape(body)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(outlet)}</title><link>https://{escape(outlet)}.example/</link>"
        f"{''.join(items)}</channel></rss>"
    ).encode()


def newsbot(command: Path, args: list[str], env: dict[str, str]) -> Any:
    done = subprocess.run([str(command), *args, "--json"], env=env, capture_output=True,
                          text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"newsbot {args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def measure(paths: list[Path], command: Path, daily: bool, now: dt.datetime) -> None:
    """The sets served together as one bot's feeds (an outlet in two sets is one feed
    with the items of both), fetched, and each set's figures printed."""
    sets = [(path.name, read_set(path, now)) for path in paths]
    rows = [row for _name, found in sets for row in found]
    outlets = sorted({row["outlet"] for row in rows})

    def documents(until: dt.datetime | None) -> list[bytes]:
        shown = [r for r in rows if until is None or r["at"] <= until]
        return [feed(outlet, [r for r in shown if r["outlet"] == outlet]) for outlet in outlets]

    days = sorted({r["at"].astimezone(dt.UTC).date() for r in rows})
    ends = [dt.datetime.combine(d, dt.time.max, tzinfo=dt.UTC) for d in days] if daily else [None]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, Feeds(documents(ends[0])) as feeds:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(folder, 'stories.db')}",
               "SOURCES_ALLOW_PRIVATE": "true", "LOG_LEVEL": "WARNING"}  # fmt: skip
        for end in ends:
            feeds.documents[:] = documents(end)
            newsbot(command, ["fetch", *feeds.urls], env)
        stories = newsbot(command, ["stories", "--limit", "100000"], env)
    story_of: dict[str, int] = {}
    language_of: dict[str, str] = {}
    for story in stories:
        for article in story["articles"]:
            story_of[article["url"]] = story["story"]
            language_of[article["url"]] = article["language"]
    how = f"{len(ends)} daily rounds" if daily else "one round"
    if len(sets) > 1:
        print(f"{len(sets)} sets together: {len(rows)} articles, {len(outlets)} outlets' feeds, "
              f"{how}, {time.perf_counter() - started:.0f} s")  # fmt: skip
    for name, found in sets:
        _figures(name, found, story_of, language_of, len(stories))
    if len(sets) > 1:  # a story that joins two sets' articles is a wrong join too
        every = [story_of.get(r["url"], -n - 1) for n, r in enumerate(rows)]
        events = [f"{name}/{r['event']}" for name, found in sets for r in found]
        precision, recall = pairwise(events, every)
        print(f"all sets as one: pairwise precision {precision:.3f}  recall {recall:.3f}")
    if len(sets) == 1:
        print(f"  {len(outlets)} outlets' feeds, {how}, {time.perf_counter() - started:.0f} s")


def _figures(
    name: str, rows: list[Row], story_of: dict[str, int], language_of: dict[str, str], told: int
) -> None:
    found = [story_of.get(r["url"], -n - 1) for n, r in enumerate(rows)]  # not stored: alone
    precision, recall = pairwise([r["event"] for r in rows], found)
    across, pairs = english_russian(rows, found)
    missing = sum(r["url"] not in story_of for r in rows)
    languages = Counter(
        f"{r['language']}->{language_of[r['url']]}" for r in rows
        if r["url"] in language_of and language_of[r["url"]] != r["language"]
    )  # fmt: skip
    print(f"{name}: {len(rows)} articles in {len(set(found))} stories (of {told} in all)")
    print(f"  pairwise precision {precision:.3f}  recall {recall:.3f}  English-Russian "
          f"{across:.3f} over {pairs} pairs; not stored {missing}; "
          f"languages read otherwise {dict(languages) or 'none'}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sets = [FIXTURES, HARD_CASES, HELD_OUT, HELD_OUT_REAL, HELD_OUT_SCENES]
    parser.add_argument("sets", nargs="*", type=Path, default=sets)
    parser.add_argument("--daily", action="store_true", help="one round a day, feeds growing")
    parser.add_argument("--newsbot", type=Path, default=NEWSBOT, help="the command to run")
    parser.add_argument(
        "--together", action="store_true", help="every set in one bot's feeds, one fetch"
    )
    args = parser.parse_args()
    now = dt.datetime.now(dt.UTC)  # only to date the feeds: every time is relative to it
    for paths in [args.sets] if args.together else [[path] for path in args.sets]:
        measure(paths, args.newsbot, args.daily, now)


if __name__ == "__main__":
    main()
