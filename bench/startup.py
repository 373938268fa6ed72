"""How fast the command line starts: `newsbot --help` and `newsbot latest --limit 1`.

Each command runs as a fresh process, as a user types it; the figure is the
median wall time of `--runs` runs (default 5), beside `python -c pass` for
scale. `latest` reads a SQLite file holding the seeds, ingested first.

    python bench/startup.py [--runs 5]

Targets: --help <= 0.3 s, latest --limit 1 <= 0.8 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "seeds"


def timed(command: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    newsbot = [sys.executable, "-m", "bot"]
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(folder) / 'start.db'}"}
        env.pop("TELEGRAM_BOT_TOKEN", None)
        subprocess.run([*newsbot, "ingest", str(SEEDS)], env=env, check=True, capture_output=True)
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"], None),
            ("newsbot --help", [*newsbot, "--help"], 0.3),
            ("newsbot latest --limit 1", [*newsbot, "latest", "--limit", "1"], 0.8),
        ]
        print(f"start-up, median of {args.runs} runs:")
        for label, command, target in rows:
            seconds = timed(command, env, args.runs)
            goal = f"   (target: <= {target} s)" if target else ""
            print(f"  {label:<26} {seconds:6.3f} s{goal}")


if __name__ == "__main__":
    main()
