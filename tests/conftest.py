from __future__ import annotations

import json
import os
from pathlib import Path

# Opt in to python-telegram-bot's future: durations such as retry_after as timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "1")

import pytest
from sqlalchemy.engine import Engine

from storage.db import create_schema, make_engine

SEEDS = Path(__file__).parent / "seeds"
EXPECTED = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))["snapshots"]


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    """A fresh SQLite file per test: the real database, not a mock."""
    engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    create_schema(engine)
    return engine


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's .env or writes newsbot.db in the work tree."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
