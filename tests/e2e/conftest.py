from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.news.ingest import ingest_paths
from bot.standin.bot_api import FakeBotApi, ThreadedFakeBotApi
from bot.standin.flood_control import FloodRules
from storage.db import make_engine
from storage.migrate import upgrade_schema
from tests.conftest import BACKENDS, SEEDS
from tests.e2e.harness import TOKEN, BotProcess, FakeClock
from tests.postgres import PostgresServer

ADMIN_ID = 999
UTC = dt.UTC

# Every test starts from a fixed instant, never from the machine's clock: what a
# test sees cannot depend on the hour, the day or the date it runs at.
DEFAULT_START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
# The scheduling tests run from each of these. Almaty (UTC+5) turns its local day
# at 19:00 UTC, so the hours around that and midnight UTC have each caught a test
# that assumed "the next local day"; 03:30 UTC is just before 09:00 in Almaty;
# 24 October 2026 is the Saturday before Europe/Berlin leaves summer time.
SCHEDULE_STARTS = [
    pytest.param(dt.datetime(2026, 12, 1, 3, 30, tzinfo=UTC), id="0330utc"),
    pytest.param(dt.datetime(2026, 12, 1, 18, 55, tzinfo=UTC), id="1855utc"),
    pytest.param(dt.datetime(2026, 12, 1, 19, 5, tzinfo=UTC), id="1905utc"),
    pytest.param(dt.datetime(2026, 12, 1, 23, 55, tzinfo=UTC), id="2355utc"),
    pytest.param(dt.datetime(2026, 10, 24, 20, 30, tzinfo=UTC), id="berlin-dst-week"),
]
# On PostgreSQL the scheduling tests run from two of them: its share of the time
# arithmetic is storing and comparing UTC instants, which one evening start and
# the DST week cover; the five are for the bot's own reasoning, run on SQLite.
POSTGRES_STARTS = {"1905utc", "berlin-dst-week"}
# The seeds were "first seen" this long before a test starts.
SEEDED_BEFORE_START = dt.timedelta(minutes=1)


def _seed_builder(start: dt.datetime) -> Callable[[str], None]:
    def ingest_seeds(url: str) -> None:
        engine = make_engine(url)
        upgrade_schema(engine)
        seen = start - SEEDED_BEFORE_START
        ingest_paths(engine, sorted(SEEDS.glob("*.txt")), max_bytes=5_000_000, clock=lambda: seen)
        engine.dispose()

    return ingest_seeds


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the PostgreSQL runs of the scheduling tests from starts outside
    POSTGRES_STARTS (listed as deselected, never silently skipped)."""
    starts = {p.values[0]: p.id for p in SCHEDULE_STARTS}
    kept, dropped = [], []
    for item in items:
        params = item.callspec.params if isinstance(item, pytest.Function) and hasattr(
            item, "callspec") else {}  # fmt: skip
        start_id = starts.get(params.get("start"))
        on_postgres = params.get("db_url") == "postgresql"
        if on_postgres and start_id is not None and start_id not in POSTGRES_STARTS:
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def start() -> dt.datetime:
    """Where the test's clock starts; scheduling tests parametrize it over SCHEDULE_STARTS."""
    return DEFAULT_START


@pytest.fixture(scope="session")
def seeded_sqlite_files(tmp_path_factory: pytest.TempPathFactory) -> dict[dt.datetime, Path]:
    """The seeds ingested once per starting instant; each test works on its own copy."""
    return {}


def _seeded_sqlite(files: dict[dt.datetime, Path], folder: Path, start: dt.datetime) -> Path:
    if start not in files:
        path = folder / f"seeded-{start:%Y%m%dT%H%M}.db"
        _seed_builder(start)(f"sqlite:///{path}")
        files[start] = path
    return files[start]


@pytest.fixture
def api(request: pytest.FixtureRequest) -> Iterator[FakeBotApi]:
    """The Bot API stand-in, with Telegram's flood rules at the test's pace (FAST_PACE)."""
    real = request.node.get_closest_marker("telegram_pace") is not None
    rules = FloodRules() if real else FloodRules(pace=PACE_FACTOR)
    with ThreadedFakeBotApi(FakeBotApi(flood=rules)) as served:
        yield served


@pytest.fixture(params=BACKENDS)
def db_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    start: dt.datetime,
) -> Iterator[str]:
    """The seeded database, a copy per test, on each backend."""
    if request.param == "sqlite":
        files = request.getfixturevalue("seeded_sqlite_files")
        path = tmp_path / "newsbot.db"
        shutil.copy(_seeded_sqlite(files, tmp_path_factory.getbasetemp(), start), path)
        yield f"sqlite:///{path}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    template = server.template(f"seeded-{start.isoformat()}", _seed_builder(start))
    with server.database(template=template) as url:
        yield url


@pytest.fixture
def clock(tmp_path: Path, start: dt.datetime) -> FakeClock:
    """The bot's clock, at `start` (the seeded articles were first seen just before)."""
    return FakeClock(tmp_path / "now.txt", start)


# Telegram's per-chat pace (a burst of 3, then a message a second; in a group one
# every 3 s) is what most tests wait on, not what they test: the bot and the stand-in's
# flood rules run it ten times faster. Tests of pacing itself, marked `telegram_pace`,
# keep the real one.
PACE_FACTOR = 10
FAST_PACE = {
    "CHAT_SEND_INTERVAL_SECONDS": str(1.0 / PACE_FACTOR),
    "GROUP_SEND_INTERVAL_SECONDS": str(3.0 / PACE_FACTOR),
}


@pytest.fixture
def bot_env(
    api: FakeBotApi,
    db_url: str,
    tmp_path: Path,
    clock: FakeClock,
    request: pytest.FixtureRequest,
) -> dict[str, str]:
    pace = {} if request.node.get_closest_marker("telegram_pace") else FAST_PACE
    return {
        **pace,
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
