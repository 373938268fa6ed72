"""The scheduled ingest of SNAPSHOT_DIR.

A file is read once it has stopped changing for SNAPSHOT_SETTLE_SECONDS (a
file still being written is not read half), temporary names are ignored, and
a version of a file already handled (same size and modification time) is not
read again. Which contents are new is decided by their hash, in the database,
so a restart re-reads the folder but stores nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.clock import Clock, system_clock
from bot.config import Settings

log = logging.getLogger(__name__)


class SnapshotWatcher:
    def __init__(self, engine: Engine, settings: Settings, clock: Clock = system_clock) -> None:
        # `clock` stamps first_seen: the schedule's time, so digests and ingest agree.
        self.engine, self.settings, self.clock = engine, settings, clock
        self.folder = Path(settings.snapshot_dir)
        self._handled: dict[Path, tuple[int, int]] = {}
        # A version of a file first seen at this monotonic time: it has settled once
        # it stays unchanged for the settle time, even if its mtime is in the future
        # (a clock that differs from the file server's, or a faked one).
        self._first_seen: dict[Path, tuple[tuple[int, int], float]] = {}
        self._running = asyncio.Lock()
        self._missing_reported = False

    async def run_once(self) -> None:
        """One pass over the folder, in a worker thread; never two passes at once."""
        if self._running.locked():
            log.info("ingest still running from the last tick; this tick is skipped")
            return
        async with self._running:
            await asyncio.to_thread(self._ingest_ready_files)

    def _ready_files(self) -> list[tuple[Path, tuple[int, int]]]:
        from bot.news.ingest import expand_paths

        if not self.folder.is_dir():
            if not self._missing_reported:
                log.warning("SNAPSHOT_DIR %s does not exist (yet); nothing to ingest", self.folder)
                self._missing_reported = True
            return []
        self._missing_reported = False
        ready = []
        now, watched = time.time(), time.monotonic()
        listed = list(expand_paths([self.folder]))
        # Bounded by the folder: files gone since are forgotten.
        self._first_seen = {p: v for p, v in self._first_seen.items() if p in set(listed)}
        for path in listed:
            try:
                stat = path.stat()
            except OSError:
                continue  # gone since it was listed
            version = (stat.st_size, stat.st_mtime_ns)
            if self._handled.get(path) == version:
                continue
            settle = self.settings.snapshot_settle_seconds
            seen_version, seen_at = self._first_seen.setdefault(path, (version, watched))
            if seen_version != version:  # it changed since: watch the new version afresh
                self._first_seen[path] = (version, watched)
                seen_at = watched
            if now - stat.st_mtime < settle and watched - seen_at < settle:
                continue  # still being written, perhaps: next tick
            self._first_seen.pop(path, None)
            ready.append((path, version))
        return ready

    def _ingest_ready_files(self) -> None:
        from bot.news.ingest import ingest_paths  # the text stack loads on first use

        ready = self._ready_files()
        if not ready:
            return
        report = ingest_paths(
            self.engine,
            [path for path, _ in ready],
            max_bytes=self.settings.max_snapshot_bytes,
            clock=self.clock,
            story_window_hours=self.settings.story_window_hours,
        )
        for path, version in ready:
            if str(path) not in report.retry_later:
                self._handled[path] = version
        log.info(
            "ingest: %d new snapshots, %d already known, %d new articles, %d updated, %d failed",
            report.snapshots_new,
            report.snapshots_skipped,
            report.articles_new,
            report.articles_updated,
            len(report.failed),
        )
