"""The full-text index of articles, in the database the deployment already has.

The index holds each article's search stems (worked out by `bot.search.documents`,
the same rules the query side uses), title and body apart so a word in the title
weighs more:

- SQLite: an FTS5 table `article_search(title, body)` whose rowid is the article's id,
  ranked by bm25;
- PostgreSQL: a table `article_search(article_id, document tsvector)` with a GIN
  index, the title weighted A and the body B, ranked by ts_rank.

Both store stems, so both only split on spaces ('simple' configuration, FTS5's
unicode61): English and Russian stemming is done once, in Python, by the Snowball
stemmers PostgreSQL's `english` and `russian` configurations use, and the two
databases find exactly the same articles. The row is written in the transaction
that stores or upgrades the article (`index_article`). The table is not a SQLModel
model: neither engine's full-text table is portable SQL; migration 0012 makes it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlmodel import Session

SEARCH_TABLE = "article_search"  # and FTS5's own tables, named after it
# Bound: the newest MAX_HITS articles matching a query are ranked and grouped into
# stories. Both engines walk their index newest first and stop there, so a word every
# article has costs MAX_HITS ranks, not a rank of the whole archive (a news archive is
# searched for recent stories; an older one is found by more words).
MAX_HITS = 300
TITLE_WEIGHT = 3.0  # bm25 column weights: a word in the title says more than one in the body
BODY_WEIGHT = 1.0


def index_article(
    *, session: Session, article_id: int, title: str, body: str, new: bool = False
) -> None:
    """Index (or, not `new`, index again) one article by its title's and body's stems."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "INSERT INTO article_search (article_id, document) VALUES (:id,"
                " setweight(to_tsvector('simple', :title), 'A')"
                " || setweight(to_tsvector('simple', :body), 'B'))"
                " ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document"
            ),
            {"id": article_id, "title": title, "body": body},
        )
        return
    if not new:
        session.execute(text("DELETE FROM article_search WHERE rowid = :id"), {"id": article_id})
    session.execute(
        text("INSERT INTO article_search (rowid, title, body) VALUES (:id, :title, :body)"),
        {"id": article_id, "title": title, "body": body},
    )


def index_articles(*, session: Session, rows: Sequence[tuple[int, str, str]]) -> None:
    """Index new articles, (id, title stems, body stems) each, in one statement."""
    if not rows:
        return
    values = [{"id": i, "title": title, "body": body} for i, title, body in rows]
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "INSERT INTO article_search (article_id, document) VALUES (:id,"
                " setweight(to_tsvector('simple', :title), 'A')"
                " || setweight(to_tsvector('simple', :body), 'B'))"
            ),
            values,
        )
        return
    session.execute(
        text("INSERT INTO article_search (rowid, title, body) VALUES (:id, :title, :body)"),
        values,
    )


@dataclass(frozen=True)
class Expressions:
    """One query as each engine reads it, in the order to try: the first that finds
    anything answers (bot.search.query: all the words, then as prefixes, then any)."""

    fts5: Sequence[str]
    tsquery: Sequence[str]


def _filters(
    countries: Sequence[str], languages: Collection[str] | None, hidden: Collection[str]
) -> tuple[str, dict[str, object]]:
    clauses: list[str] = []
    values: dict[str, object] = {}
    if countries:
        names = [f":country{i}" for i in range(len(countries))]
        clauses.append(
            "EXISTS (SELECT 1 FROM article_country c WHERE c.article_id = a.id"
            f" AND c.country IN ({', '.join(names)}))"
        )
        values.update({f"country{i}": code for i, code in enumerate(countries)})
    if languages is not None:
        names = [f":language{i}" for i in range(len(languages))] or ["''"]
        clauses.append(f"a.language IN ({', '.join(names)})")
        values.update({f"language{i}": code for i, code in enumerate(sorted(languages))})
    if hidden:
        names = [f":hidden{i}" for i in range(len(hidden))]
        clauses.append(f"a.outlet NOT IN ({', '.join(names)})")
        values.update({f"hidden{i}": key for i, key in enumerate(sorted(hidden))})
    return "".join(f" AND {clause}" for clause in clauses), values


def search_stories(
    *,
    session: Session,
    expressions: Expressions,
    countries: Sequence[str] = (),
    languages: Collection[str] | None = None,
    hidden_outlets: Collection[str] = (),
    limit: int = 10,
    offset: int = 0,
) -> list[tuple[int, float]]:
    """(story id, score) of the stories whose articles match, best first (a story
    scores as its best article; higher is better), then newest; of the articles in
    `languages` (None: any), from no outlet in `hidden_outlets`, tagged with one of
    `countries` (none given: any). The first expression that finds any such story
    answers, every page of it."""
    postgres = session.get_bind().dialect.name == "postgresql"
    where, values = _filters(countries, languages, hidden_outlets)
    stories_of = text(
        f"SELECT a.id, COALESCE(a.story_id, a.id) FROM article a WHERE a.id IN :ids{where}"
    ).bindparams(bindparam("ids", expanding=True))
    for expression in expressions.tsquery if postgres else expressions.fts5:
        hits = _tsquery_hits(session, expression) if postgres else _fts5_hits(session, expression)
        if not hits:
            continue
        best: dict[int, tuple[float, int]] = {}
        for article, story in session.execute(stories_of, {**values, "ids": list(hits)}):
            best[story] = max(best.get(story, (-1e9, 0)), (hits[article], article))
        if best:
            ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1]))
            return [(story, score) for story, (score, _newest) in ranked[offset : offset + limit]]
    return []


def _fts5_hits(session: Session, expression: str) -> dict[int, float]:
    """article id -> score of the newest MAX_HITS matches. bm25 is negative, better
    lower: negated, so both engines' scores grow with relevance. FTS5 walks its index
    by rowid, newest first, and ranks only the rows it returns."""
    rows = session.execute(
        text(
            "SELECT rowid, -bm25(article_search, :title_weight, :body_weight)"
            " FROM article_search WHERE article_search MATCH :expression"
            " ORDER BY rowid DESC LIMIT :hits"
        ),
        {"expression": expression, "hits": MAX_HITS,
         "title_weight": TITLE_WEIGHT, "body_weight": BODY_WEIGHT},
    )  # fmt: skip
    return {int(article): float(score) for article, score in rows}


# PostgreSQL: the newest RECENT_SCAN articles are read first, newest first, testing each
# document (bounded: a word most news has fills MAX_HITS within a few thousand); only if
# they hold fewer than MAX_HITS matches is the GIN index asked for all of them. The GIN
# index alone would fetch every match of a common word or prefix ("toka:*") to sort them.
RECENT_SCAN = 5_000
_TSQUERY_HITS = (
    "SELECT s.article_id, ts_rank(s.document, q)"
    " FROM article_search s, to_tsquery('simple', :expression) q"
    " WHERE s.document @@ q{floor} ORDER BY s.article_id DESC LIMIT :hits"
)


def _tsquery_hits(session: Session, expression: str) -> dict[int, float]:
    values = {"expression": expression, "hits": MAX_HITS}
    newest = session.execute(text("SELECT MAX(article_id) FROM article_search")).scalar() or 0
    session.execute(text("SET LOCAL enable_bitmapscan = off"))  # the id order, newest first
    try:
        recent = session.execute(
            text(_TSQUERY_HITS.format(floor=" AND s.article_id > :floor")),
            {**values, "floor": newest - RECENT_SCAN},
        ).all()
    finally:
        session.execute(text("SET LOCAL enable_bitmapscan = on"))
    if len(recent) < MAX_HITS and newest > RECENT_SCAN:
        recent = session.execute(text(_TSQUERY_HITS.format(floor="")), values).all()
    return {int(article): float(score) for article, score in recent}
