from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.fake_bot_api import FakeBotApi, ThreadedFakeBotApi
from bot.news.ingest import ingest_paths
from storage.db import make_engine
from storage.migrate import upgrade_schema
from tests.conftest import BACKENDS, SEEDS
from tests.e2e.harness import TOKEN, BotProcess, FakeClock
from tests.postgres import PostgresServer

ADMIN_ID = 999


def _ingest_seeds(url: str) -> None:
    engine = make_engine(url)
    upgrade_schema(engine)
    ingest_paths(engine, sorted(SEEDS.glob("*.txt")), max_bytes=5_000_000)
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds ingested once; each test works on its own copy."""
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    _ingest_seeds(f"sqlite:///{path}")
    return path


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with ThreadedFakeBotApi() as served:
        yield served


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The seeded database, a copy per test, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "newsbot.db"
        shutil.copy(request.getfixturevalue("seeded_sqlite"), path)
        yield f"sqlite:///{path}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with server.database(template=server.template("seeded", _ingest_seeds)) as url:
        yield url


@pytest.fixture
def clock(tmp_path: Path) -> FakeClock:
    """Starts at the real time (the seeded articles were first seen just now)."""
    return FakeClock(tmp_path / "now.txt", dt.datetime.now(dt.UTC).replace(microsecond=0))


@pytest.fixture
def bot_env(api: FakeBotApi, db_url: str, tmp_path: Path, clock: FakeClock) -> dict[str, str]:
    return {
        "FAKE_CLOCK_FILE": str(clock.path),
        "DIGEST_TICK_SECONDS": "0.2",
        "DELIVERY_LEASE_SECONDS": "3",
        "INGEST_INTERVAL_MINUTES": "0.005",
        "SNAPSHOT_SETTLE_SECONDS": "0.3",
        "SEND_RATE_PER_SECOND": "50",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api.base_url,
        "DATABASE_URL": db_url,
        "SNAPSHOT_DIR": str(tmp_path / "snapshots"),
        "ADMIN_CHAT_IDS": str(ADMIN_ID),
        "DIGEST_TIME": "09:00",
        "DEFAULT_TIMEZONE": "Asia/Almaty",
        "LOG_LEVEL": "DEBUG",
        "PTB_TIMEDELTA": "1",
    }


@pytest.fixture
def bot(api: FakeBotApi, bot_env: dict[str, str], tmp_path: Path) -> Iterator[BotProcess]:
    process = BotProcess(api, bot_env, tmp_path / "bot.log").start()
    yield process
    if process.running():
        process.stop()


@pytest.fixture(autouse=True)
def _no_bot_outlives_its_test() -> Iterator[None]:
    yield
    leftovers = [p for p in BotProcess.started if p.running()]
    BotProcess.started.clear()
    for process in leftovers:
        process.kill()
    # A test that leaves a bot running is a broken test (it may hold ports and databases).
    assert not leftovers, f"{len(leftovers)} bot process(es) left running"
