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
HEAD = "0019"


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
    engine: Engine,
    revision: str = "head",
    *,
    search_stems: SearchStems | None = None,
    search_rules: int | None = None,
) -> tuple[str | None, str | None]:
    """Upgrade in place; returns the revisions before and after.

    `search_stems` indexes the articles stored before search existed (migration 0012);
    a database with such articles cannot pass 0012 without it. `search_rules`: the
    version of the rules `search_stems` follows (`bot.search_rules`); rows written by
    older rules are written anew by them (`_search_rows_by_rules`)."""
    schema, rules = _versions(engine)
    rules_current = search_rules is None or (rules is not None and rules >= search_rules)
    if revision == "head" and schema == HEAD and rules_current:
        return HEAD, HEAD  # the common start: two small queries, no Alembic
    before: str | None = HEAD
    after: str | None = HEAD
    if not (revision == "head" and schema == HEAD):  # else only the search rows are behind
        before, after = _migrate(engine, revision, search_stems)
    if search_rules is not None and after == HEAD:
        _search_rows_by_rules(engine, search_stems, search_rules)
    return before, after


def _search_rows_by_rules(engine: Engine, stems: SearchStems | None, version: int) -> None:
    """Every search row written anew if older rules than `version` wrote them, under the
    migration lock: instances starting together rewrite them once."""
    from storage.search import rewrite_by_rules

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATE_LOCK})
        rewrite_by_rules(connection, stems, version)


def _migrate(
    engine: Engine, revision: str, search_stems: SearchStems | None
) -> tuple[str | None, str | None]:
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


def rules_version(connection: Connection) -> int | None:
    """The version of the rules that wrote the search rows (`bot.search_rules`, table
    `search_rules` since 0019); None where none is recorded."""
    found = connection.execute(text("SELECT version FROM search_rules WHERE id = 1")).scalar()
    return None if found is None else int(found)


def _versions(engine: Engine) -> tuple[str | None, int | None]:
    """The database's schema version and, at HEAD, the version of the rules that wrote
    its search rows (`rules_version`); None where there is none (yet)."""
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            schema = None if found is None else str(found)
            if schema != HEAD:
                return schema, None
            return schema, rules_version(connection)
    except DBAPIError:  # no such table: a new database, or one from before migrations
        return None, None
