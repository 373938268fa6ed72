"""Ingest against another commit: is this build's fetch round faster or slower?

    python bench/ingest_against.py COMMIT [--runs 2] [--articles 3000]

Builds COMMIT in a checkout of its own (a temporary `git worktree`, installed with its
own scripts/install.sh and pins), then runs `bench/ingest_feeds.py` (one `newsbot
fetch` round of 3,000 CNN/DailyMail articles as 30 local feeds) with each build in
turn, alternated, `--runs` times each: this machine's speed drifts by half over a day
(README, "Ingest at scale"), so only runs side by side in one sitting compare. Prints
each run's articles/s and articles stored, then the ratio of the medians.

Why: each feature added since stories and search made ingest slower and nothing said
so (issue "ingest at scale"). Run it before landing a change to the ingest path, with
the last landed commit, and with f3c929d for the issue's target (2 x).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "ingest_feeds.py"
_RATE = re.compile(r"stored (\d+) of (\d+) articles in [\d.]+ s = (\d+) articles/s")


def build(commit: str, folder: Path) -> Path:
    """COMMIT checked out in `folder` and installed; its `newsbot` command."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--force",
                    str(folder), commit], check=True, capture_output=True)  # fmt: skip
    subprocess.run(["bash", "scripts/install.sh"], cwd=folder, check=True, capture_output=True)
    return folder / ".venv" / "bin" / "newsbot"


def one_run(newsbot: Path, articles: int) -> tuple[int, int, int]:
    """(articles/s, stored, served) of one round with `newsbot`."""
    done = subprocess.run(
        [sys.executable, str(BENCH), "--articles", str(articles), "--newsbot", str(newsbot)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    found = _RATE.search(done.stdout)
    if done.returncode != 0 or found is None:
        sys.exit(f"the round with {newsbot} failed: {done.stdout[-500:]}{done.stderr[-1500:]}")
    stored, served, rate = map(int, found.groups())
    return rate, stored, served


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commit", help="the build to compare with (a commit, tag or branch)")
    parser.add_argument("--runs", type=int, default=2, help="rounds with each build")
    parser.add_argument("--articles", type=int, default=3000)
    args = parser.parse_args()
    this = ROOT / ".venv" / "bin" / "newsbot"
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder, "base")
        try:
            other = build(args.commit, base)
            rates: dict[str, list[int]] = {"this build": [], args.commit: []}
            for _ in range(args.runs):  # alternated: the machine's drift hits both alike
                for name, newsbot in (("this build", this), (args.commit, other)):
                    rate, stored, served = one_run(newsbot, args.articles)
                    rates[name].append(rate)
                    print(f"{name}: {rate} articles/s, {stored} of {served} stored", flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                           check=False, capture_output=True)  # fmt: skip
    ratio = statistics.median(rates["this build"]) / statistics.median(rates[args.commit])
    print(f"this build / {args.commit}: {ratio:.2f} x (medians of {args.runs} rounds each)")


if __name__ == "__main__":
    main()
