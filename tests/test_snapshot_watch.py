"""The folder watcher reads a snapshot once, and only once it has stopped changing."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.sources.snapshot_folder import SnapshotWatcher
from storage import repo
from storage.db import open_session
from tests.conftest import SEEDS

SEED = sorted(SEEDS.glob("*.txt"))[1]


def _articles(engine: Engine) -> int:
    with open_session(engine) as session:
        return repo.count_articles(session=session)


def _age(path: Path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_reads_settled_files_once(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    settings = Settings(snapshot_dir=str(folder), snapshot_settle_seconds=30)
    watcher = SnapshotWatcher(engine, settings)

    fresh = folder / "page.txt"
    shutil.copy(SEED, fresh)  # just written: it may still be growing
    asyncio.run(watcher.run_once())
    assert _articles(engine) == 0

    _age(fresh, 60)
    (folder / "page2.txt.part").write_text("half a page", encoding="utf-8")  # temporary name
    _age(folder / "page2.txt.part", 60)
    asyncio.run(watcher.run_once())
    stored = _articles(engine)
    assert stored > 0

    reads: list[Path] = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or original(self))
    asyncio.run(watcher.run_once())  # nothing changed: nothing is read again
    assert reads == [] and _articles(engine) == stored


def test_missing_folder_is_reported_not_fatal(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(snapshot_dir=str(tmp_path / "nowhere"))
    asyncio.run(SnapshotWatcher(engine, settings).run_once())
    assert "does not exist" in caplog.text


def test_a_file_stamped_in_the_future_is_read_once_it_stays_unchanged(
    engine: Engine, tmp_path: Path
) -> None:
    """A file server whose clock runs ahead (or a faked clock here): mtime alone would say
    "still being written" for ever; an unchanged file for the settle time is settled."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    watcher = SnapshotWatcher(
        engine, Settings(snapshot_dir=str(folder), snapshot_settle_seconds=0.2)
    )
    page = folder / "page.txt"
    shutil.copy(SEED, page)
    _age(page, -3600)  # an hour ahead
    asyncio.run(watcher.run_once())
    assert _articles(engine) == 0  # just seen: it may still grow
    time.sleep(0.3)
    asyncio.run(watcher.run_once())
    assert _articles(engine) > 0
