"""Engine and sessions. SQLite (the default) runs in WAL mode, with writers that say so.

SQLite lets many readers and one writer work at once in WAL mode. A transaction that
starts as a reader (a plain BEGIN) and then writes must upgrade its lock; if another
writer committed meanwhile, SQLite answers "database is locked" at once, without
waiting: the classic failure of busy feed readers. Writers therefore open their
transaction with BEGIN IMMEDIATE (`write_session`), which takes the write lock up
front and, while another writer holds it, waits up to BUSY_TIMEOUT_MS; readers never
wait. In one process one task writes articles at a time (`bot.sources.fetch_round`),
so writers do not queue on SQLite's lock, which is not fair to waiters. What still
fails for a passing reason (a writer that held the lock longer than the timeout) is
told apart by `is_busy` and retried by `retrying`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Integer, any_, bindparam, event
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, create_engine

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000  # how long a writer waits for another's lock before it fails
RETRIES = 5  # tries of a write that failed for a passing reason (busy, deadlock)
RETRY_PAUSE = 0.2  # seconds before the second try, doubling after each
T = TypeVar("T")
_sleep = time.sleep  # how `retrying` waits (a test makes it release a held lock)


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers (the bot answering /latest) work while ingest writes.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    return on_connect


def _begin(connection: Connection) -> None:
    """BEGIN IMMEDIATE for writers (`write_session`). Everyone else keeps the driver's
    way: reads outside a transaction, and a BEGIN just before the first write, so no
    reader holds a snapshot that a write would then have to upgrade."""
    if connection.get_execution_options().get("sqlite_immediate", False):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(database_url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine for the URL; on SQLite a writer waits `busy_timeout_ms` for another's lock."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        event.listen(engine, "begin", _begin)
    else:
        # No server-side prepared statements (psycopg prepares a query run five times):
        # a prepared plan is kept whatever the query's settings ask (search asks the GIN
        # index alone for a rare word's matches, storage/search.py).
        engine = create_engine(url, pool_pre_ping=True, connect_args={"prepare_threshold": None})
    return engine


def id_in(session: Session, column: Any, ids: Sequence[int]) -> ColumnElement[bool]:
    """`column IN ids`. On PostgreSQL one array (`= ANY`): the statement's text is then
    the same whatever the list's length, and the driver parses it once, not once per
    length (a list of hundreds of expanded ids cost a search more to parse than to run).
    SQLite has no arrays: there the ids are expanded, one parameter each."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))  # type: ignore[no-any-return]
    return column.in_(ids)  # type: ignore[no-any-return]


def open_session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def write_session(engine: Engine) -> Session:
    """A session whose transactions take SQLite's write lock when they begin (waiting
    for another writer's, up to BUSY_TIMEOUT_MS); on PostgreSQL an ordinary session."""
    if engine.dialect.name == "sqlite":
        engine = engine.execution_options(sqlite_immediate=True)
    return Session(engine, expire_on_commit=False)


def is_busy(error: BaseException) -> bool:
    """A failure that another try may not meet: SQLite's lock held too long, a
    PostgreSQL deadlock or serialisation failure."""
    if not isinstance(error, DBAPIError):
        return False
    if isinstance(error, OperationalError) and "locked" in str(error.orig).lower():
        return True
    if "database is busy" in str(error.orig).lower():
        return True
    return getattr(error.orig, "sqlstate", None) in ("40001", "40P01")


def retrying(
    work: Callable[[], T], *, what: str, sleep: Callable[[float], None] | None = None
) -> T:
    """`work()`, tried again (RETRIES in all, pausing longer each time) while it fails
    for a passing reason (`is_busy`); any other failure, or the last, is raised."""
    pause = RETRY_PAUSE
    for attempt in range(1, RETRIES + 1):
        try:
            return work()
        except DBAPIError as error:
            if attempt == RETRIES or not is_busy(error):
                raise
            log.warning("%s: the database is busy (%s); try %d of %d in %.1f s",
                        what, error.orig, attempt + 1, RETRIES, pause)  # fmt: skip
            (sleep or _sleep)(pause)
            pause *= 2
    raise AssertionError("unreachable")
