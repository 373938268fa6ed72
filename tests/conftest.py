from __future__ import annotations

import json
import os
from pathlib import Path

# Opt in to python-telegram-bot's future: durations such as retry_after as timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from storage.db import make_engine
from storage.migrate import upgrade_schema
from tests.postgres import NO_SERVER, PostgresServer, ThrowawayCluster, find_initdb

SEEDS = Path(__file__).parent / "seeds"
EXPECTED = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))["snapshots"]


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """TEST_POSTGRES_URL's server, or a throwaway cluster; skipped when neither exists.

    With NEWSBOT_REQUIRE_POSTGRES=1 (set by CI) a missing server fails instead:
    CI must not go green on SQLite alone."""
    required = os.environ.get("NEWSBOT_REQUIRE_POSTGRES") == "1"
    cluster = None
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        initdb = find_initdb()
        if initdb is None:
            if required:
                pytest.fail(NO_SERVER.replace("skipped", "required"))
            pytest.skip(NO_SERVER)
        cluster = ThrowawayCluster(initdb)
        url = cluster.start()
    server = PostgresServer(url)
    try:
        yield server
    finally:
        server.close()
        if cluster is not None:
            cluster.stop()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database per test, on each backend: a real SQLite file, a real
    PostgreSQL server. Never a mock."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with server.database() as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade_schema(engine)
    yield engine
    engine.dispose()  # PostgreSQL cannot drop a database that still has connections


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's .env or writes newsbot.db in the work tree, and none
    fetches the built-in catalog (SOURCES defaults to it): a test names its own local
    sources. The e2e bot processes inherit this environment too."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SOURCES", "")
