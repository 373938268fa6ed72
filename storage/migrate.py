"""Schema migrations (Alembic): bring any older newsbot database up to this version.

A database already at `HEAD` is recognised by one query, without importing
Alembic (half a second): every command line call checks the schema first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATE_LOCK = 7_270_002  # PostgreSQL advisory lock key: instances starting together queue here

# Databases made before migrations existed (by create_all) carry no version:
# which tables they have tells which release made them.
_UNVERSIONED = (("digest_delivery", "0002"), ("article", "0001"))
# The newest migration (tests/test_migrations.py checks it against the scripts).
HEAD = "0018"


# (title, body) -> their search stems: how the bot indexes articles for search
# (`bot.search.documents`), handed in because storage does not import the bot.
SearchStems = Callable[[str, str], tuple[str, str]]


def _config(connection: Connection, search_stems: SearchStems | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    config.attributes["search_stems"] = search_stems
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade_schema(
    engine: Engine, revision: str = "head", *, search_stems: SearchStems | None = None
) -> tuple[str | None, str | None]:
    """Upgrade in place; returns the revisions before and after.

    `search_stems` indexes the articles stored before search existed (migration 0012);
    a database with such articles cannot pass 0012 without it."""
    if revision == "head" and _version(engine) == HEAD:
        return HEAD, HEAD
    from alembic import command

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Transaction-scoped: released at commit, even if this process dies.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATE_LOCK})
        config = _config(connection, search_stems)
        before = current_revision(connection)
        if before is None:
            tables = set(inspect(connection).get_table_names())
            baseline = next((rev for table, rev in _UNVERSIONED if table in tables), None)
            if baseline is not None:
                log.info("database without a schema version: it has the tables of %s", baseline)
                command.stamp(config, baseline)
                before = baseline
        command.upgrade(config, revision)
        after = current_revision(connection)
    if before != after:
        log.info("database schema upgraded from %s to %s", before or "empty", after)
    return before, after


def _version(engine: Engine) -> str | None:
    """The database's schema version, by one query; None if it has none (yet)."""
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # no such table: a new database, or one from before migrations
        return None
    return None if version is None else str(version)
