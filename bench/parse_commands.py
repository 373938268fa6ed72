"""Each command's argument parsing on the longest message Telegram delivers.

A message is at most 4,096 characters. For every command that parses
arguments, three such arguments are timed: about 1,300 short words (the case
that took 16 s of CPU when country names were matched over every run of
words), 370 real country names, and one 4,000-character word. Parsing is
linear in the text and refuses more than `MAX_ARGS` words, so each must take
at most a millisecond.

    python bench/parse_commands.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import prefs, topics

LONGEST = 4096


def _refusing(parse: Callable[[list[str]], object]) -> Callable[[str], object]:
    """A parser of split arguments, fed the message as the bot feeds it (split, cleaned)."""

    def run(text: str) -> object:
        try:
            return parse(prefs.clean_args(text.split()))
        except prefs.BadArgument as error:
            return error

    return run


def _refusing_text(parse: Callable[[str], object]) -> Callable[[str], object]:
    """A parser of the whole text (quoted phrases): /follow, /mute, /unfollow, /unmute."""

    def run(text: str) -> object:
        try:
            return parse(text)
        except prefs.BadArgument as error:
            return error

    return run


PARSERS: dict[str, Callable[[str], object]] = {
    "/country": _refusing(prefs.parse_countries),
    "/latest": _refusing(prefs.parse_latest),
    "/time": _refusing(prefs.parse_time),
    "/timezone": _refusing(prefs.parse_zone),
    "/days": _refusing(prefs.parse_days),
    "/channel": _refusing(prefs.parse_channel),
    "/brief": _refusing(prefs.parse_brevity),
    "/language": _refusing(prefs.parse_language),
    "/alerts": _refusing(lambda args: prefs.parse_switch(args, "/alerts")),
    "/follow": _refusing_text(topics.parse_keywords),
}
ARGUMENTS = {
    "1,300 short words": ("ab " * 1400)[: LONGEST - 12],
    "370 country names": ("kazakhstan " * 400)[: LONGEST - 12],
    "one 4,000-character word": "x" * (LONGEST - 12),
    "Cyrillic, bidi and NUL": ("Казахстан\u202e\x00 " * 400)[: LONGEST - 12],
    "quoted phrases": ('"gas prices" ' * 400)[: LONGEST - 12],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    slowest = (0.0, "")
    print(
        f"parse time per message, median of {args.repeat} runs (split and cleaned as the bot does):"
    )
    for command, parse in PARSERS.items():
        for label, text in ARGUMENTS.items():
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                parse(text)
                times.append(time.perf_counter() - started)
            median = sorted(times)[len(times) // 2] * 1e6
            print(f"  {command:<10} {label:<26} {median:8.1f} µs")
            slowest = max(slowest, (median, f"{command} with {label}"))
    print(f"slowest: {slowest[1]}, {slowest[0]:.1f} µs (target: <= 1 ms)")


if __name__ == "__main__":
    main()
