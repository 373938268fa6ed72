"""The story fixtures (tests/stories) are in the real shapes the bot reads: each article
from a catalog outlet, in one of its languages, with a unique id and URL, dated with a
time zone; the main events have three outlets or more."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import pytest

from bot.sources.catalog import load_catalog

STORIES = Path(__file__).parent / "stories"
KEYS = ["id", "event", "outlet", "language", "title", "body", "url", "published"]


@pytest.mark.parametrize("name", ["articles.jsonl", "heldout.jsonl"])
def test_story_fixtures_are_in_the_catalog_shapes(name: str) -> None:
    outlets = {outlet.name: outlet for outlet in load_catalog()}
    rows = [json.loads(line) for line in (STORIES / name).read_text("utf-8").splitlines()]
    by_event: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        assert list(row) == KEYS
        assert row["id"] == f"{row['event']}/{row['outlet']}"
        assert row["language"] in outlets[row["outlet"]].languages
        assert dt.datetime.fromisoformat(row["published"]).tzinfo is not None
        by_event[row["event"]].add(row["outlet"])
    assert len({row["id"] for row in rows}) == len({row["url"] for row in rows}) == len(rows)
    assert len([names for names in by_event.values() if len(names) >= 3]) >= 12


@pytest.mark.parametrize("name", ["hard_cases.jsonl", "heldout_real.jsonl"])
def test_wider_story_fixtures_keep_one_language_per_outlet(name: str) -> None:
    """These name outlets beyond the catalog (wires, papers): each writes one language,
    and an outlet's second article of one event is marked as its update ("-2")."""
    rows = [json.loads(line) for line in (STORIES / name).read_text("utf-8").splitlines()]
    languages: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        assert list(row) == KEYS and row["language"] in ("en", "ru")
        assert row["id"] in (f"{row['event']}/{row['outlet']}", f"{row['event']}/{row['outlet']}-2")
        assert dt.datetime.fromisoformat(row["published"]).tzinfo is not None
        languages[row["outlet"]].add(row["language"])
    assert all(len(found) == 1 for found in languages.values())
    assert len({row["id"] for row in rows}) == len({row["url"] for row in rows}) == len(rows)


@pytest.mark.parametrize(
    ("queries", "articles"),
    [
        ("queries.jsonl", ["articles.jsonl"]),
        ("queries_hard.jsonl", ["hard_cases.jsonl"]),
        ("queries_loose.jsonl", ["articles.jsonl"]),
        ("queries_heldout.jsonl", ["articles.jsonl", "heldout.jsonl"]),
    ],
)
def test_every_search_names_an_event_of_its_articles(queries: str, articles: list[str]) -> None:
    events = {
        json.loads(line)["event"]
        for name in articles
        for line in (STORIES / name).read_text("utf-8").splitlines()
    }
    rows = [json.loads(line) for line in (STORIES / queries).read_text("utf-8").splitlines()]
    for row in rows:
        assert row["event"] in events and row["language"] in ("en", "ru")
        assert 1 <= len(row["query"].split()) <= 12
    assert {row["language"] for row in rows} == {"en", "ru"}
