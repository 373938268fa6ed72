"""Schema migrations, on SQLite and PostgreSQL: older databases upgrade in place."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from bot import prefs as rules
from bot.__main__ import search_stems
from bot.news.ingest import ingest_paths
from bot.news.stories.concepts import concepts
from bot.search.archive import Reader, find_stories
from bot.search_rules import CONCEPTS_FINGERPRINT, SEARCH_RULES, concepts_fingerprint
from storage import repo, subscribers
from storage.db import make_engine, open_session
from storage.migrate import (
    _config,
    current_revision,
    head_revision,
    rules_version,
    upgrade_schema,
)
from storage.search import SEARCH_TABLE
from tests.conftest import SEEDS

FIRST_RELEASE = "0001"  # snapshots and articles only: the ingest pipeline's release
TABLES_OF_FIRST_RELEASE = ("snapshot", "article", "article_country", "exchange_rate")


def _dump(
    url: str, columns: dict[str, list[str]] | None = None
) -> tuple[dict[str, list[str]], dict[str, list[tuple[object, ...]]]]:
    """The first release's tables, row by row, in the columns given (else all of them)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if columns is None:
                found = inspect(connection)
                columns = {
                    t: [c["name"] for c in found.get_columns(t)] for t in TABLES_OF_FIRST_RELEASE
                }
            rows = {
                table: [
                    tuple(row)
                    for row in connection.execute(
                        text(f"SELECT {', '.join(columns[table])} FROM {table} ORDER BY 1, 2")
                    )
                ]
                for table in TABLES_OF_FIRST_RELEASE
            }
            return columns, rows
    finally:
        engine.dispose()


def _first_release_with_seeds(url: str, *, versioned: bool) -> None:
    """A database as the first release left it, holding the ingested seeds.

    Today's code writes today's tables, so the seeds go in at the head revision and
    the database is then taken down to the first release by the migrations' own
    downgrades, which keep every row of the tables that release had.
    """
    engine = make_engine(url)
    upgrade_schema(engine)
    report = ingest_paths(engine, sorted(SEEDS.glob("*.txt")), max_bytes=5_000_000)
    assert report.articles_new == 28
    with engine.begin() as connection:
        command.downgrade(_config(connection), FIRST_RELEASE)
    assert set(inspect(engine).get_table_names()) == {*TABLES_OF_FIRST_RELEASE, "alembic_version"}
    if not versioned:  # that release made its tables with create_all, and kept no version
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))
    engine.dispose()


def _upgrade_then_use(url: str) -> None:
    columns, before = _dump(url)
    engine = make_engine(url)
    assert upgrade_schema(engine, search_stems=search_stems)[1] == head_revision()
    engine.dispose()
    assert _dump(url, columns)[1] == before  # every row of every old table, unchanged

    # The new tables work, and the old rows serve the new features.
    engine = make_engine(url)
    now = dt.datetime(2026, 12, 1, 19, 30, tzinfo=dt.UTC)  # a fixed instant, as every test
    with open_session(engine) as session, session.begin():
        subscribers.change_chat(
            session=session,
            chat_id=42,
            create=rules.new_chat(42, "private", dt.time(9, 0), "Asia/Almaty", now=now),
            change=lambda p: rules.set_countries(p, ("KZ",), now),
        )
    with open_session(engine) as session:
        latest = repo.latest_articles(session=session, countries=("KZ",), limit=3)
        assert len(latest) == 3 and all("KZ" in a.countries for a in latest)
        assert subscribers.get_chat(session=session, chat_id=42) is not None
        # Migration 0012 indexed the articles that were there: search finds them.
        found = find_stories(session, "Naruhito", Reader(), limit=5)
        assert found and any("Naruhito" in a.title for a in found[0].articles)
    engine.dispose()


def test_first_release_database_upgrades_in_place_with_its_data(database_url: str) -> None:
    _first_release_with_seeds(database_url, versioned=True)
    _upgrade_then_use(database_url)


def test_database_made_before_migrations_is_recognised_and_upgraded(database_url: str) -> None:
    _first_release_with_seeds(database_url, versioned=False)
    _upgrade_then_use(database_url)
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
    engine.dispose()


def not_search_index(name: str | None, kind: str, _parents: object) -> bool:
    """The full-text index is no model (storage/search.py): its tables are compared apart."""
    return not (kind == "table" and (name or "").startswith(SEARCH_TABLE))


def test_migrations_build_exactly_the_models(database_url: str) -> None:
    """A model changed without a migration fails here."""
    engine = make_engine(database_url)
    upgrade_schema(engine)
    with engine.connect() as connection:
        opts = {"compare_type": True, "include_name": not_search_index}
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, SQLModel.metadata) == []
    assert upgrade_schema(engine) == (head_revision(), head_revision())  # idempotent
    engine.dispose()


def test_db_upgrade_command(database_url: str) -> None:
    command = [sys.executable, "-m", "bot", "db"]
    env = {**os.environ, "DATABASE_URL": database_url}

    def run(action: str) -> str:
        done = subprocess.run([*command, action], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "schema none" in run("current")
    assert f"schema {head_revision()} (upgraded from empty)" in run("upgrade")
    assert "already up to date" in run("upgrade")
    assert f"schema {head_revision()} (up to date)" in run("current")


def test_the_head_constant_is_the_newest_migration() -> None:
    """`HEAD` lets the command line skip Alembic for a database at this version."""
    from storage.migrate import HEAD

    assert head_revision() == HEAD


def test_articles_stored_before_languages_get_one_and_keep_their_outlet(database_url: str) -> None:
    """0010: Cyrillic titles are taken for Russian, linked articles keep their host as
    their outlet, and a second outlet may then store a headline the first one has."""
    engine = make_engine(database_url)
    upgrade_schema(engine, "0009")
    now = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    with engine.begin() as connection:
        for key, title, url, source in [
            ("a", "Kazakhstan Opens a Bridge", None, None),
            (
                "b",
                "В Бишкеке подписали договор о границе",
                "https://akipress.example/1",
                "akipress.example",
            ),
        ]:
            connection.execute(
                text(
                    "INSERT INTO article (title_key, title, body, truncated, summary, published_on,"
                    " page_position, first_seen, updated_at, url, source)"
                    " VALUES (:key, :title, '', false, '', :day, 0, :now, :now, :url, :source)"
                ),
                {
                    "key": key,
                    "title": title,
                    "day": now.date(),
                    "now": now,
                    "url": url,
                    "source": source,
                },
            )
    upgrade_schema(engine, search_stems=search_stems)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT title_key, language, outlet FROM article ORDER BY title_key")
        )
        assert [tuple(r) for r in rows] == [("a", "en", ""), ("b", "ru", "host:akipress.example")]
    with engine.begin() as connection:  # the same title from another outlet: a second article
        connection.execute(
            text(
                "INSERT INTO article (title_key, title, body, truncated, summary, published_on,"
                " page_position, first_seen, updated_at, outlet, language)"
                " VALUES ('a', 'Kazakhstan Opens a Bridge', '', false, '', :day, 0, :now, :now,"
                " 'eurasianet', 'en')"
            ),
            {"day": now.date(), "now": now},
        )
    engine.dispose()


@pytest.mark.parametrize(
    ("before", "query", "article", "dropped"),
    [
        # 0015: concept tokens at all ("earthquake" finds «землетрясение»)
        ("0014", "earthquake", ("Землетрясение в Раштской долине",
                                "Землетрясение повредило дома."), "cc"),
        # 0016: the concept of parliament ("lawmakers" finds «депутаты», "parliament")
        ("0015", "lawmakers", ("Депутаты одобрили договор о воде",
                                     "Депутаты одобрили договор о воде."), "ccparliament"),
        # 0018: a shutdown ("shuts" finds «приостановило», «закроют»)
        ("0017", "shuts", ("Власти закроют угольные шахты",
                           "Министерство приостановило работу шахт."), "ccshutdown"),
    ],
)  # fmt: skip
def test_search_rows_stored_before_a_concept_gain_it(
    database_url: str, before: str, query: str, article: tuple[str, str], dropped: str
) -> None:
    """Migrations 0015, 0016 and 0018 write the search rows anew: a Russian report indexed
    before its concept's tokens were is found by the English word once upgraded."""
    engine = make_engine(database_url)
    upgrade_schema(engine)
    found = _indexed_without(engine, article, dropped, query)
    with engine.begin() as connection:
        command.downgrade(_config(connection), before)
    assert found() == []
    assert upgrade_schema(engine, search_stems=search_stems) == (before, head_revision())
    assert found() == ["wanted"]
    engine.dispose()


def _indexed_without(
    engine: Engine, article: tuple[str, str], dropped: str, query: str
) -> Callable[[], list[str]]:
    """A Russian report stored, its search row as older rules wrote it (without the
    tokens that begin with `dropped`); what a search for `query` finds then."""
    from tests.test_search_ranking import store

    labels = store(engine, [(("wanted", "steppe", "ru", *article), 1)])
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        for article_id, title, body in connection.execute(
            text("SELECT id, title, body FROM article")
        ).all():
            old_title, old_body = (
                " ".join(t for t in stems.split() if not t.startswith(dropped))
                for stems in search_stems(title, body)
            )
            connection.execute(
                text(
                    "UPDATE article_search SET document = setweight(to_tsvector('simple', :t),"
                    " 'A') || setweight(to_tsvector('simple', :b), 'B') WHERE article_id = :id"
                    if postgres
                    else "UPDATE article_search SET title = :t, body = :b WHERE rowid = :id"
                ),
                {"t": old_title, "b": old_body, "id": article_id},
            )

    def found() -> list[str]:
        with open_session(engine) as session:
            stories = find_stories(session, query, Reader(), limit=5, by_meaning=False)
        return [labels[f.item.story] for f in stories]

    return found


SHUTDOWN = ("Власти закроют угольные шахты", "Министерство приостановило работу шахт.")


@pytest.mark.parametrize(
    ("stored", "rewritten"), [(None, True), (SEARCH_RULES - 1, True), (SEARCH_RULES, False),
                              (SEARCH_RULES + 1, False)],
)  # fmt: skip
def test_search_rows_of_older_rules_are_written_anew_at_start(
    database_url: str, stored: int | None, rewritten: bool
) -> None:
    """A concept or a stemmer changes with SEARCH_RULES, not with a migration: at start
    (`upgrade_schema`, as every command calls it) rows written by older rules, or by
    rules not recorded, are written anew, once; rows of these rules or of newer ones (an
    instance of a later release) are left alone."""
    engine = make_engine(database_url)
    upgrade_schema(engine)
    found = _indexed_without(engine, SHUTDOWN, "ccshutdown", "shuts")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM search_rules"))
        if stored is not None:
            connection.execute(text("INSERT INTO search_rules (id, version) VALUES (1, :v)"),
                               {"v": stored})  # fmt: skip
    assert found() == []
    assert upgrade_schema(engine, search_stems=search_stems, search_rules=SEARCH_RULES) == (
        head_revision(), head_revision()
    )
    assert found() == (["wanted"] if rewritten else [])
    with engine.connect() as connection:
        assert rules_version(connection) == max(stored or 0, SEARCH_RULES)
    engine.dispose()


def test_the_concept_table_is_the_one_its_search_rules_were_set_for() -> None:
    """A concept added or changed changes what the search rows hold: SEARCH_RULES must
    grow with it, so that rows stored before are written anew at the next start."""
    fingerprint = concepts_fingerprint(concepts())
    assert fingerprint == CONCEPTS_FINGERPRINT, (
        f"the concept table changed: add one to SEARCH_RULES in bot/search_rules.py and set"
        f" CONCEPTS_FINGERPRINT = {fingerprint!r}"
    )
    changed = {**concepts(), "shutdown": ("halts", "приостановил")}
    assert concepts_fingerprint(changed) != fingerprint
