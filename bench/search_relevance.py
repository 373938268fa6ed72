"""Whether search finds the right story: the 30 fixture queries against the fixture articles.

The articles of tests/stories/articles.jsonl go into an in-memory SQLite FTS5 table of
search stems (`bot.search.documents`, title and body columns); each query of
tests/stories/queries.jsonl (written before any search code, each naming the `event`
it should find) goes through `parse_query` and `to_fts5`. Articles are ranked by bm25
with the title weighted over the body, and a story (an `event`) scores as its best
article, as a story's search result will; ties go to the newer story. Printed: how
many queries have the right story first (target: at least 27 of 30), and the misses.

Fallback (`fts5_attempts`, the same the handlers use): all the words; if no article
has them all, all the words each also as a prefix of a longer stem (a place name
finds its adjective); if still nothing, any of the words, best match first. Printed
too: the queries that needed a fallback, with the expression that answered.

    python bench/search_relevance.py [--articles PATH] [--queries PATH] [--show N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.search.documents import BODY_WEIGHT, TITLE_WEIGHT, body_text, title_text
from bot.search.query import fts5_attempts, parse_query

STORIES = Path(__file__).resolve().parent.parent / "tests" / "stories"
TARGET = 27

_SCHEMA = (
    "CREATE VIRTUAL TABLE article_search USING fts5("
    "title, body, event UNINDEXED, published UNINDEXED, "
    "tokenize='unicode61 remove_diacritics 0')"
)
# A story's score is its best (lowest: FTS5's bm25 is negative) article's. The matches
# are MATERIALIZED: bm25() only works in the query that does the MATCH, which SQLite
# would otherwise merge into the GROUP BY.
_RANKED = """
    WITH hits AS MATERIALIZED (
        SELECT event, published, bm25(article_search, ?, ?) AS score
        FROM article_search WHERE article_search MATCH ?
    )
    SELECT event, MIN(score) AS best, MAX(published) AS newest FROM hits
    GROUP BY event ORDER BY best, newest DESC
"""


@dataclass(frozen=True)
class Outcome:
    query: str
    wanted: str
    ranked: list[str]
    expression: str
    fallbacks: int

    @property
    def hit(self) -> bool:
        return bool(self.ranked) and self.ranked[0] == self.wanted


def _jsonl(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _utc(published: str) -> str:
    """An ISO time in UTC, so that newer sorts after older across time zones."""
    return dt.datetime.fromisoformat(published).astimezone(dt.UTC).isoformat()


def build_index(articles: list[dict[str, str]]) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(_SCHEMA)
    connection.executemany(
        "INSERT INTO article_search (title, body, event, published) VALUES (?, ?, ?, ?)",
        [
            (title_text(a["title"]), body_text(a["body"]), a["event"], _utc(a["published"]))
            for a in articles
        ],
    )
    return connection


def ranked_events(connection: sqlite3.Connection, text: str) -> tuple[list[str], str, int]:
    """The stories `text` finds, best first, the expression that found them, and how many
    fallbacks that took."""
    for fallbacks, expression in enumerate(fts5_attempts(parse_query(text))):
        rows = connection.execute(_RANKED, (TITLE_WEIGHT, BODY_WEIGHT, expression)).fetchall()
        if rows:
            return [str(row[0]) for row in rows], expression, fallbacks
    return [], "", 0


def evaluate(articles: Path, queries: Path) -> list[Outcome]:
    connection = build_index(_jsonl(articles))
    outcomes = []
    for item in _jsonl(queries):
        ranked, expression, fallbacks = ranked_events(connection, item["query"])
        outcomes.append(Outcome(item["query"], item["event"], ranked, expression, fallbacks))
    return outcomes


def report(outcomes: list[Outcome], show: int) -> str:
    hits = sum(outcome.hit for outcome in outcomes)
    fell_back = sum(outcome.fallbacks > 0 for outcome in outcomes)
    lines = [
        f"right story first: {hits} of {len(outcomes)} (target >= {TARGET}); "
        f"{fell_back} needed a fallback"
    ]
    for outcome in outcomes:
        if outcome.fallbacks:
            mark = "hit" if outcome.hit else "miss"
            step = f"fallback {outcome.fallbacks} ({mark})"
            lines.append(f"  {step}: {outcome.query!r} -> {outcome.expression}")
    for outcome in outcomes:
        if not outcome.hit:
            place = (
                f"at {outcome.ranked.index(outcome.wanted) + 1}"
                if outcome.wanted in outcome.ranked
                else "not found"
            )
            lines.append(
                f"  miss: {outcome.query!r} wants {outcome.wanted} ({place}); "
                f"got {', '.join(outcome.ranked[:show]) or 'nothing'}"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--articles", type=Path, default=STORIES / "articles.jsonl")
    parser.add_argument("--queries", type=Path, default=STORIES / "queries.jsonl")
    parser.add_argument("--show", type=int, default=3, help="stories listed for a miss")
    args = parser.parse_args()
    print(report(evaluate(args.articles, args.queries), args.show))


if __name__ == "__main__":
    main()
