"""The full-text index of articles, in the database the deployment already has.

The index holds each article's search stems (worked out by `bot.search.documents`,
the same rules the query side uses), title and body apart so a word in the title
weighs more:

- SQLite: an FTS5 table `article_search(title, body)` whose rowid is the article's id;
- PostgreSQL: a table `article_search(article_id, document tsvector)` with a GIN
  index, the title weighted A and the body B.

The index finds which articles hold each searched part; the stories are ranked here,
the same way on both engines (`search_stories`: BM25 over a story's articles).

Both store stems, so both only split on spaces ('simple' configuration, FTS5's
unicode61): English and Russian stemming is done once, in Python, by the Snowball
stemmers PostgreSQL's `english` and `russian` configurations use, and the two
databases find exactly the same articles. The row is written in the transaction
that stores the articles (`index_articles`) or upgrades one (`index_article`). The
table is not a SQLModel model: neither engine's full-text table is portable SQL;
migration 0012 makes it.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Connection, Row, TextClause, bindparam, text
from sqlmodel import Session

log = logging.getLogger(__name__)

SEARCH_TABLE = "article_search"  # and FTS5's own tables, named after it


# One row an article: PostgreSQL weighs the title's stems (A) above the body's (B) in
# one tsvector; FTS5 keeps them as two columns and weighs them at query time.
_PG_INDEX = (
    "INSERT INTO article_search (article_id, document) VALUES (:id,"
    " setweight(to_tsvector('simple', :title), 'A')"
    " || setweight(to_tsvector('simple', :body), 'B'))"
)
_PG_REINDEX = _PG_INDEX + " ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document"
_FTS5_INDEX = "INSERT INTO article_search (rowid, title, body) VALUES (:id, :title, :body)"


def index_article(*, session: Session, article_id: int, title: str, body: str) -> None:
    """Index one article again by its title's and body's stems (its text grew fuller)."""
    values = {"id": article_id, "title": title, "body": body}
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(_PG_REINDEX), values)
        return
    session.execute(text("DELETE FROM article_search WHERE rowid = :id"), values)
    session.execute(text(_FTS5_INDEX), values)


def index_articles(*, session: Session, rows: Sequence[tuple[int, str, str]]) -> None:
    """Index new articles, (id, title stems, body stems) each, in one statement."""
    if not rows:
        return
    values = [{"id": i, "title": title, "body": body} for i, title, body in rows]
    postgres = session.get_bind().dialect.name == "postgresql"
    session.execute(text(_PG_INDEX if postgres else _FTS5_INDEX), values)


# (title, body) -> their search stems: the bot's rules (bot.search.documents), which
# storage does not import.
SearchStems = Callable[[str, str], tuple[str, str]]
_PG_REWRITE = (
    "UPDATE article_search SET document = setweight(to_tsvector('simple', :title), 'A')"
    " || setweight(to_tsvector('simple', :body), 'B') WHERE article_id = :id"
)
_FTS5_REWRITE = "UPDATE article_search SET title = :title, body = :body WHERE rowid = :id"
REWRITE_BATCH = 500  # articles read and written at a time


def rewrite_all(connection: Connection, stems: SearchStems | None) -> int:
    """Write every stored article's search row anew by `stems` (a migration whose index
    tokens changed), walking the articles by id, REWRITE_BATCH at a time; how many.
    `stems` may be None only where there is no article."""
    postgres = connection.dialect.name == "postgresql"
    write = text(_PG_REWRITE if postgres else _FTS5_REWRITE)
    last = written = 0
    while True:
        rows = connection.execute(
            text("SELECT id, title, body FROM article WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": REWRITE_BATCH},
        ).all()
        if not rows:
            return written
        if stems is None:
            raise RuntimeError(
                "articles need their search stems: upgrade through `newsbot db upgrade`"
            )
        values = []
        for article_id, title, body in rows:
            title_stems, body_stems = stems(title or "", body or "")
            values.append({"id": article_id, "title": title_stems, "body": body_stems})
        connection.execute(write, values)
        written += len(rows)
        last = rows[-1][0]


def rewrite_by_rules(connection: Connection, stems: SearchStems | None, version: int) -> bool:
    """Write every search row anew by `stems` if the rows were written by rules older
    than `version`, and record it; whether it did. Rows of newer rules (an instance of a
    later release wrote them) are left as they are."""
    from storage.migrate import rules_version  # which imports this module only when needed

    stored = rules_version(connection)
    if stored is not None and stored >= version:
        return False
    written = rewrite_all(connection, stems)
    if stored is None:
        connection.execute(text("INSERT INTO search_rules (id, version) VALUES (1, :v)"),
                           {"v": version})  # fmt: skip
    else:
        connection.execute(text("UPDATE search_rules SET version = :v WHERE id = 1"),
                           {"v": version})  # fmt: skip
    log.info("search rows of %d articles written anew by rules %d (were %s)",
             written, version, stored)  # fmt: skip
    return True


def _listed(sql: str, postgres: bool, *names: str) -> TextClause:
    """`sql` with each `IN :name` bound as one list: an array (`= ANY`) on PostgreSQL, so
    the statement's text is the same whatever the list's length and the driver parses
    it once (a list of 400 expanded ids cost more to parse than the query took to run);
    expanded on SQLite, which has no arrays."""
    if not postgres:
        return text(sql).bindparams(*(bindparam(name, expanding=True) for name in names))
    for name in names:
        sql = re.sub(rf"\bIN :{name}\b", f"= ANY(:{name})", sql)
    return text(sql)


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


@dataclass(frozen=True)
class Terms:
    """A query's searched parts as each engine reads them (bot.search.query), per part:
    for SQLite an FTS5 expression finding it (its words or its related tokens), a
    regular expression over a column of stems for its words and one for its related
    tokens ("" for none); for PostgreSQL a tsquery finding it, one for its words in the
    title, one for its words anywhere and one for its related tokens ("" for none)."""

    fts5: Sequence[tuple[str, str, str]]
    tsquery: Sequence[tuple[str, str, str, str]]
    # Per part, the language it was typed in (None: unknown): its related tokens in an
    # article of another language count ACROSS_TF, not RELATED_TF (below).
    languages: Sequence[str | None] = ()
    # Per part, whether it is one of the region's commonplaces (its idf floored).
    common: Sequence[bool] = ()


# Bounds. For each searched part the index gives its newest PART_HITS matches; the
# stories they belong to (at most MAX_STORIES, those reached by the rarest parts) are
# scored on their newest STORY_ARTICLES articles each. So a search reads at most
# 8 x PART_HITS hits and MAX_STORIES x STORY_ARTICLES articles, whatever the archive holds.
PART_HITS = 120
MAX_STORIES = 150
STORY_ARTICLES = 12

# The rule (README, "Search the archive"): a story is a document of all its articles,
# scored by BM25 over the searched parts: each part weighs its idf (rarer words more),
# counted once for every article that has it, twice in a title, with BM25's saturation
# (K1) and a little for the story's size (B). A part the story lacks adds nothing: it
# lowers the score, never excludes the story. Then more outlets count (OUTLET_BONUS
# each beyond the first, up to four) and newer stories (RECENT_BONUS, halving every
# RECENT_HALF_LIFE days, counted from the newest story found): relevance first.
K1 = 1.2
B = 0.75
TITLE_TF = 2.0
OUTLET_BONUS = 0.05
MAX_OUTLET_BONUS = 4
RECENT_BONUS = 0.1
RECENT_HALF_LIFE = 7.0  # days
# An article that holds a part only through a related token (the concept its word
# names: "sentenced" for "verdict", «землетрясение» for "earthquake") counts this much
# of one that holds the word: it is found, and ranks below the stories that say it.
RELATED_TF = 0.4
# The region's commonplaces ("talks", "leader", «переговоры»: bot.news.stories.commonplace)
# count as held by at least this share of the archive. A small or young archive has not
# seen them often enough to know they tell nothing, and a story would rank first for
# "talks" over one that names the leader typed.
COMMON_SHARE = 0.2
# ... but in an article of another language than the part was typed in, a related token
# is that article's own word for it («землетрясение» for "earthquake"): it could not
# have said the word typed, so it counts as a match in its body would.
ACROSS_TF = 1.0


class Scored(NamedTuple):
    """A story found, its score, and how many of the searched parts none of its
    articles holds."""

    story: int
    score: float
    missed: int


def search_stories(
    *,
    session: Session,
    terms: Terms,
    countries: Sequence[str] = (),
    languages: Collection[str] | None = None,
    hidden_outlets: Collection[str] = (),
    limit: int = 10,
    offset: int = 0,
) -> list[Scored]:
    """The stories matching the searched parts, best first, then
    newest (the rule above). A story is found through any of its articles, in any
    language; it is shown if one of its articles is in `languages` (None: any), from no
    outlet in `hidden_outlets` and tagged with one of `countries` (none given: any)."""
    postgres = session.get_bind().dialect.name == "postgresql"
    parts = terms.tsquery if postgres else terms.fts5
    if not parts:
        return []
    newest = session.execute(text("SELECT MAX(id) FROM article")).scalar() or 0
    if postgres:
        hits = _tsquery_newest(session, [part[0] for part in parts], newest)
    else:
        hits = [_fts5_newest(session, part[0]) for part in parts]
    common = [*terms.common, *[False] * (len(hits) - len(terms.common))]
    weights = [_idf(found, newest, usual) for found, usual in zip(hits, common, strict=True)]
    stories = _candidates(session, hits, weights, postgres)
    members = _members(session, stories, countries, languages, hidden_outlets, postgres)
    ids = [m.article for found in members.values() for m in found]
    present = (
        _tsquery_presence(session, terms.tsquery, ids)
        if postgres
        else _fts5_presence(session, terms.fts5, ids)
    )
    ranked = _ranked(members, present, weights, terms.languages, common)
    return ranked[offset : offset + limit]


@dataclass(frozen=True)
class _Member:
    article: int
    outlet: str
    seen: float  # POSIX seconds first seen
    shown: bool  # passes the reader's filters
    language: str = ""


def _idf(found: Sequence[int], newest: int, common: bool = False) -> float:
    """The part's idf, its document count read off its newest hits: all of them when
    fewer than PART_HITS, else PART_HITS over the span of ids they cover; for one of the
    region's commonplaces, at least COMMON_SHARE of the archive."""
    total = max(newest, 1)
    if len(found) < PART_HITS:
        df = float(len(found))
    else:
        df = PART_HITS * total / max(found[0] - found[-1] + 1, 1)
    if common:
        df = max(df, COMMON_SHARE * total)
    df = min(df, total)
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


def _candidates(
    session: Session, hits: Sequence[Sequence[int]], weights: Sequence[float], postgres: bool
) -> list[int]:
    """The stories of the hits, those reached by the rarest parts first (MAX_STORIES)."""
    ids = sorted({article for found in hits for article in found})
    if not ids:
        return []
    story_of = dict(
        session.execute(
            _listed(
                "SELECT id, COALESCE(story_id, id) FROM article WHERE id IN :ids", postgres, "ids"
            ),
            {"ids": ids},
        ).all()
    )
    reach: dict[int, float] = {}
    for found, weight in zip(hits, weights, strict=True):
        for story in {story_of[a] for a in found if a in story_of}:
            reach[story] = reach.get(story, 0.0) + weight
    return sorted(reach, key=lambda s: (-reach[s], -s))[:MAX_STORIES]


def _members(
    session: Session,
    stories: Sequence[int],
    countries: Sequence[str],
    languages: Collection[str] | None,
    hidden: Collection[str],
    postgres: bool,
) -> dict[int, list[_Member]]:
    """Each story's newest STORY_ARTICLES articles, each with whether the reader is
    shown it."""
    if not stories:
        return {}
    where, values = _filters(countries, languages, hidden)
    rows = session.execute(
        _listed(
            "SELECT id, story, outlet, first_seen, shown, language FROM (SELECT a.id,"
            " a.story_id AS story, a.outlet, a.first_seen, a.language,"
            " CASE WHEN 1 = 1" + where + " THEN 1 ELSE 0 END AS shown,"
            " ROW_NUMBER() OVER (PARTITION BY a.story_id ORDER BY a.id DESC) AS n"
            " FROM article a WHERE a.story_id IN :stories) ranked WHERE n <= :most",
            postgres,
            "stories",
        ),
        {**values, "stories": list(stories), "most": STORY_ARTICLES},
    ).all()
    members: dict[int, list[_Member]] = {}
    for article, story, outlet, seen, shown, language in rows:
        members.setdefault(int(story), []).append(
            _Member(int(article), str(outlet or ""), _seconds(seen), bool(shown), language or "")
        )
    return {story: found for story, found in members.items() if any(m.shown for m in found)}


def _seconds(value: object) -> float:
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).timestamp()
    if isinstance(value, str):  # SQLite's text form
        parsed = dt.datetime.fromisoformat(value)
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).timestamp()
    return 0.0


def _ranked(
    members: dict[int, list[_Member]],
    present: Sequence[_Presence],
    weights: Sequence[float],
    languages: Sequence[str | None] = (),
    common: Sequence[bool] = (),
) -> list[Scored]:
    if not members:
        return []
    sizes = {story: len(found) for story, found in members.items()}
    average = sum(sizes.values()) / len(sizes)
    newest = max(m.seen for found in members.values() for m in found)
    typed_in = [*languages, *[None] * (len(present) - len(languages))]
    usual = [*common, *[False] * (len(present) - len(common))]
    parts = list(zip(present, weights, typed_in, usual, strict=True))
    scored = []
    for story, found in members.items():
        score, missed = 0.0, 0
        for (anywhere, title, related), weight, typed, ordinary in parts:
            tf = sum(
                TITLE_TF if m.article in title else 1.0 for m in found if m.article in anywhere
            )
            if not tf:
                # the word itself: meaning may yet find a better story (not for want
                # of a commonplace: "talks" missing is no sign the words fell short)
                missed += not ordinary
                tf = sum(
                    ACROSS_TF if typed and m.language and m.language != typed else RELATED_TF
                    for m in found
                    if m.article in related
                )
            if tf:
                norm = K1 * (1 - B + B * sizes[story] / average)
                score += weight * tf * (K1 + 1) / (tf + norm)
        if not score:
            continue
        outlets = len({m.outlet or f"#{m.article}" for m in found})
        score *= 1 + OUTLET_BONUS * min(outlets - 1, MAX_OUTLET_BONUS)
        latest = max(m.seen for m in found)
        score *= 1 + RECENT_BONUS * 0.5 ** ((newest - latest) / 86_400 / RECENT_HALF_LIFE)
        scored.append((Scored(story, score, missed), latest))
    scored.sort(key=lambda item: (-item[0].score, -item[1], -item[0].story))
    return [found for found, _latest in scored]


def _fts5_newest(session: Session, expression: str) -> list[int]:
    """The ids of the newest PART_HITS articles matching, newest first (FTS5 walks its
    index by rowid)."""
    rows = session.execute(
        text(
            "SELECT rowid FROM article_search WHERE article_search MATCH :expression"
            " ORDER BY rowid DESC LIMIT :hits"
        ),
        {"expression": expression, "hits": PART_HITS},
    )
    return [int(row[0]) for row in rows]


# For each searched part: the articles that hold its words anywhere, those that hold
# them in the title, and those that hold its related tokens.
_Presence = tuple[set[int], set[int], set[int]]


def _fts5_presence(
    session: Session, parts: Sequence[tuple[str, str, str]], ids: Sequence[int]
) -> list[_Presence]:
    """For each part, which of `ids` hold its words anywhere, which in the title, and
    which its related tokens: the articles' stems read back by rowid and searched with
    each part's patterns (FTS5 with a MATCH and a list of rowids walks every match of
    the expression: seconds for a common word's prefix)."""
    found: list[_Presence] = [(set(), set(), set()) for _ in parts]
    if not ids:
        return found
    rows = session.execute(
        text("SELECT rowid, title, body FROM article_search WHERE rowid IN :ids").bindparams(
            bindparam("ids", expanding=True)
        ),
        {"ids": list(ids)},
    ).all()
    patterns = [
        (re.compile(own), re.compile(related) if related else None) for _, own, related in parts
    ]
    for article, title, body in rows:
        # a space before each column: the patterns begin with one (bot.search.query)
        title, body = " " + (title or ""), " " + (body or "")
        for (anywhere, in_title, has_related), (own, related) in zip(found, patterns, strict=True):
            if own.search(title):
                in_title.add(int(article))
                anywhere.add(int(article))
            elif own.search(body):
                anywhere.add(int(article))
            elif related is not None and related.search(body):
                has_related.add(int(article))
    return found


# PostgreSQL: each part is looked for among the newest RECENT_SCAN articles first
# (bounded: a word most news has fills PART_HITS within a few thousand); only if they
# hold fewer than PART_HITS matches is the GIN index asked for all of them. The GIN
# index alone would fetch every match of a common word or prefix ("toka:*") to sort
# them. Within the newest ids the planner chooses well: it walks them newest first for
# a common word and joins the GIN index's matches to their range for a rarer one (on
# the bench's 200 queries a fifth faster than always walking them).
RECENT_SCAN = 5_000
_TSQUERY_NEWEST = (
    "SELECT s.article_id FROM article_search s, to_tsquery('simple', :expression) q"
    " WHERE s.document @@ q{floor} ORDER BY s.article_id DESC LIMIT :hits"
)
# Settings for one statement, set and reset in one round trip each.
_GIN_ONLY = (
    "SELECT set_config('enable_indexscan', :scan, true), set_config('enable_seqscan', :scan, true)"
)


def _tsquery_newest(session: Session, expressions: Sequence[str], newest: int) -> list[list[int]]:
    """For each expression, the ids of the newest PART_HITS articles matching, newest
    first (`newest`: the highest article id)."""
    found = []
    for expression in expressions:
        values = {"expression": expression, "hits": PART_HITS}
        recent = session.execute(
            text(_TSQUERY_NEWEST.format(floor=" AND s.article_id > :floor")),
            {**values, "floor": newest - RECENT_SCAN},
        ).all()
        if len(recent) < PART_HITS and newest > RECENT_SCAN:
            recent = _tsquery_rare(session, values)
        found.append([int(row[0]) for row in recent])
    return found


def _tsquery_rare(session: Session, values: dict[str, object]) -> Sequence[Row[Any]]:
    """A rare part: its few matches from the GIN index. Without this the planner may walk
    the ids newest first testing every document, the whole table for a word no article
    has (70 ms at 100,000 articles)."""
    session.execute(text(_GIN_ONLY), {"scan": "off"})
    try:
        return session.execute(text(_TSQUERY_NEWEST.format(floor="")), values).all()
    finally:
        session.execute(text(_GIN_ONLY), {"scan": "on"})


def _tsquery_presence(
    session: Session, parts: Sequence[tuple[str, str, str, str]], ids: Sequence[int]
) -> list[_Presence]:
    """For each part, which of `ids` hold its words anywhere, which in the title, and
    which its related tokens: one query."""
    found: list[_Presence] = [(set(), set(), set()) for _ in parts]
    if not ids:
        return found
    tests = ", ".join(
        f"s.document @@ to_tsquery('simple', :a{n}), s.document @@ to_tsquery('simple', :t{n}),"
        + (f" s.document @@ to_tsquery('simple', :r{n})" if related else " FALSE")
        for n, (*_, related) in enumerate(parts)
    )
    values: dict[str, object] = {"ids": list(ids)}
    for n, (_match, title, anywhere, related) in enumerate(parts):
        values[f"a{n}"], values[f"t{n}"] = anywhere, title
        if related:
            values[f"r{n}"] = related
    rows = session.execute(
        _listed(
            f"SELECT s.article_id, {tests} FROM article_search s WHERE s.article_id IN :ids",
            True,
            "ids",
        ),
        values,
    ).all()
    for article, *flags in rows:
        for n in range(len(parts)):
            anywhere, title, related = flags[3 * n : 3 * n + 3]
            if anywhere:
                found[n][0].add(int(article))
            if title:
                found[n][1].add(int(article))
            if related and not anywhere:
                found[n][2].add(int(article))
    return found
