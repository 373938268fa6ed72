"""What time it is, for schedule decisions (who is due, grace periods).

Production reads the system clock. End-to-end tests move time by writing an
ISO-8601 instant to FAKE_CLOCK_FILE, so a DST change or a missed 09:00 is
tested in seconds instead of waited for. Rate limiting never uses this clock:
it measures real intervals with the event loop's monotonic time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def clock_from(fake_clock_file: str | None) -> Clock:
    """The system clock, or the test's file clock when FAKE_CLOCK_FILE is set."""
    return file_clock(fake_clock_file) if fake_clock_file else system_clock


def file_clock(path: str) -> Clock:
    source = Path(path)

    def now() -> dt.datetime:
        moment = dt.datetime.fromisoformat(source.read_text(encoding="utf-8").strip())
        if moment.tzinfo is None:
            raise ValueError(f"{path}: the fake time needs a UTC offset")
        return moment.astimezone(dt.UTC)

    return now
