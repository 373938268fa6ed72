"""Every query the bot runs.  The session is passed in; arguments are keyword-only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, text
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from storage.db import id_in
from storage.models import (
    ArticleCountry,
    ArticleRecord,
    ExchangeRateRecord,
    SnapshotRecord,
)

# What display reads of an article (`stored_articles`): not its story features, a
# kilobyte or more of JSON each that only the story matcher reads (search, /latest and
# digests load dozens of articles at a time).
WITHOUT_FEATURES = defer(ArticleRecord.story_features)  # type: ignore[arg-type]


@dataclass(frozen=True)
class StoredArticle:
    """An article as read back for display: plain data, no session attached."""

    id: int
    title: str
    summary: tuple[str, ...]
    countries: tuple[str, ...]
    page_date: dt.date | None
    first_seen: dt.datetime
    url: str | None = None
    source: str | None = None
    body: str = ""  # for matching followed and muted words; never shown
    language: str = "en"  # ISO 639-1
    outlet: str = ""  # the outlet's key: a catalog name, "url:…", "" for snapshot text
    story: int = 0  # the story's id (its first article's); 0 given: a story of its own
    # Shown for a story: the other outlets' articles as (name, URL, language), and how
    # many outlets cover it in all (see bot.news.coverage).
    also: tuple[tuple[str, str, str], ...] = ()
    more_outlets: int = 0  # linked outlets beyond those in `also`
    outlets: int = 1

    def __post_init__(self) -> None:
        if not self.story:
            object.__setattr__(self, "story", self.id)


INGEST_LOCK = 7_270_001  # an arbitrary, fixed PostgreSQL advisory lock key


def lock_for_ingest(*, session: Session) -> None:
    """Serialise writers of articles until the transaction ends.

    SQLite already lets one writer in at a time. PostgreSQL hands out ids from
    a sequence before commit, so without this lock a digest could read id 12
    committed while id 11 is still in flight, and skip 11 for ever.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.exec(select(func.pg_advisory_xact_lock(INGEST_LOCK)))


def database_answers(*, session: Session) -> bool:
    """A trivial round trip, for health checks."""
    return session.connection().execute(text("SELECT 1")).scalar() == 1


def find_snapshot(*, session: Session, content_hash: str) -> SnapshotRecord | None:
    return session.exec(
        select(SnapshotRecord).where(SnapshotRecord.content_hash == content_hash)
    ).first()


def save_snapshot(
    *,
    session: Session,
    content_hash: str,
    source: str,
    status: str,
    page_date: dt.date | None = None,
    now: dt.datetime,
    error: str | None = None,
    article_count: int = 0,
) -> SnapshotRecord:
    """Insert a snapshot row, or overwrite the row of an earlier failed attempt."""
    record = find_snapshot(session=session, content_hash=content_hash) or SnapshotRecord(
        content_hash=content_hash, source=source, status=status
    )
    record.source, record.status, record.error = source, status, error
    record.page_date, record.article_count = page_date, article_count
    record.ingested_at = now
    session.add(record)
    session.flush()
    return record


def save_rates(
    *, session: Session, snapshot_id: int, rates: Iterable[tuple[str, str, float, str]]
) -> None:
    for currency, base, rate, change in rates:
        session.add(
            ExchangeRateRecord(
                snapshot_id=snapshot_id, currency=currency, base=base, rate=rate, change=change
            )
        )


def find_article(*, session: Session, outlet: str, title_key: str) -> ArticleRecord | None:
    """One outlet's article by its normalised title (an identity within one outlet only)."""
    return session.exec(
        select(ArticleRecord).where(
            ArticleRecord.outlet == outlet, ArticleRecord.title_key == title_key
        )
    ).first()


def find_article_by_url(*, session: Session, url: str) -> ArticleRecord | None:
    return session.exec(select(ArticleRecord).where(ArticleRecord.url == url)).first()


def add_article_countries(*, session: Session, rows: Sequence[tuple[int, str]]) -> None:
    """(article id, country) rows of new articles, in one statement."""
    if rows:
        session.execute(
            insert(ArticleCountry), [{"article_id": i, "country": code} for i, code in rows]
        )


# A stored text, as far as telling whether another copy would replace it: its length in
# characters (SQLite's and PostgreSQL's length() of text, as Python's len()) and whether
# it was cut.
StoredText = tuple[int, bool]


def stored_texts(
    *, session: Session, urls: Sequence[str], outlet: str, title_keys: Sequence[str]
) -> tuple[dict[str, StoredText], dict[str, StoredText]]:
    """The stored articles with one of `urls`, and those of `outlet` with one of
    `title_keys`: each one's text length and whether it was cut (by URL, by title key)."""
    length = func.length(ArticleRecord.body)
    by_url: dict[str, StoredText] = {}
    by_title: dict[str, StoredText] = {}
    unique_urls, unique_keys = sorted(set(urls)), sorted(set(title_keys))
    for start in range(0, len(unique_urls), 500):
        for url, chars, truncated in session.exec(
            select(ArticleRecord.url, length, ArticleRecord.truncated).where(
                col(ArticleRecord.url).in_(unique_urls[start : start + 500])
            )
        ):
            by_url[url or ""] = (int(chars), bool(truncated))
    for start in range(0, len(unique_keys), 500):
        for key, chars, truncated in session.exec(
            select(ArticleRecord.title_key, length, ArticleRecord.truncated).where(
                ArticleRecord.outlet == outlet,
                col(ArticleRecord.title_key).in_(unique_keys[start : start + 500]),
            )
        ):
            by_title[key] = (int(chars), bool(truncated))
    return by_url, by_title


def ingested_hashes(*, session: Session, hashes: Sequence[str]) -> set[str]:
    """Those of `hashes` whose content was ingested before."""
    found: set[str] = set()
    unique = sorted(set(hashes))
    for start in range(0, len(unique), 500):
        found.update(
            session.exec(
                select(SnapshotRecord.content_hash).where(
                    col(SnapshotRecord.content_hash).in_(unique[start : start + 500]),
                    SnapshotRecord.status == "ingested",
                )
            )
        )
    return found


def set_article_countries(*, session: Session, article_id: int, countries: Iterable[str]) -> None:
    session.exec(delete(ArticleCountry).where(col(ArticleCountry.article_id) == article_id))
    for code in sorted(set(countries)):
        session.add(ArticleCountry(article_id=article_id, country=code))


def _countries_by_article(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        rows = session.exec(
            select(ArticleCountry.article_id, ArticleCountry.country).where(
                id_in(session, col(ArticleCountry.article_id), ids)
            )
        )
        for article_id, country in rows:
            found[article_id].append(country)
    return {i: tuple(sorted(codes)) for i, codes in found.items()}


def latest_articles(
    *,
    session: Session,
    countries: Sequence[str] = (),
    limit: int = 10,
    first_seen_after: dt.datetime | None = None,
    after_id: int | None = None,
    languages: Collection[str] | None = None,
    hidden_outlets: Collection[str] = (),
) -> list[StoredArticle]:
    """Newest first: by page date (or day first seen), then by place on the page.

    `languages`: only articles in these (None: any); `hidden_outlets`: none of these."""
    query = select(ArticleRecord).options(WITHOUT_FEATURES)
    if languages is not None:
        query = query.where(col(ArticleRecord.language).in_(sorted(languages)))
    if hidden_outlets:
        query = query.where(col(ArticleRecord.outlet).not_in(sorted(hidden_outlets)))
    if countries:
        # EXISTS, not IN (subquery): the planner then walks ix_article_newest and
        # checks each article's tags, stopping at `limit`.
        tagged = select(ArticleCountry.article_id).where(
            col(ArticleCountry.article_id) == col(ArticleRecord.id),
            col(ArticleCountry.country).in_(countries),
        )
        query = query.where(tagged.exists())
    if first_seen_after is not None:
        query = query.where(col(ArticleRecord.first_seen) > first_seen_after)
    if after_id is not None:
        query = query.where(col(ArticleRecord.id) > after_id)
    query = query.order_by(
        col(ArticleRecord.published_on).desc(),
        col(ArticleRecord.first_seen).desc(),
        col(ArticleRecord.page_position).asc(),
        col(ArticleRecord.id).desc(),
    ).limit(limit)
    return stored_articles(session=session, records=session.exec(query).all())


def stored_articles(*, session: Session, records: Sequence[ArticleRecord]) -> list[StoredArticle]:
    """Rows as plain data for display and matching, with their countries, in order."""
    tags = _countries_by_article(session, [r.id for r in records if r.id is not None])
    return [
        StoredArticle(
            id=r.id or 0,
            title=r.title,
            summary=tuple(s for s in r.summary.split("\n") if s),
            countries=tags.get(r.id or 0, ()),
            page_date=r.page_date,
            first_seen=r.first_seen,
            url=r.url,
            source=r.source,
            body=r.body,
            language=r.language,
            outlet=r.outlet,
            story=r.story_id or 0,
        )
        for r in records
    ]


def latest_rates(*, session: Session) -> list[ExchangeRateRecord]:
    """The exchange rates of the newest snapshot that carried any."""
    newest = session.exec(
        select(ExchangeRateRecord.snapshot_id)
        .join(SnapshotRecord, col(SnapshotRecord.id) == col(ExchangeRateRecord.snapshot_id))
        .order_by(col(SnapshotRecord.page_date).desc().nulls_last(), col(SnapshotRecord.id).desc())
        .limit(1)
    ).first()
    if newest is None:
        return []
    return list(
        session.exec(select(ExchangeRateRecord).where(ExchangeRateRecord.snapshot_id == newest))
    )


def count_articles(*, session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(ArticleRecord)).one())


def newest_article_id(*, session: Session) -> int | None:
    """Article ids grow in commit order (ingest writes one file at a time, under
    a lock), so "every id up to this one" is an exact digest cursor."""
    found = session.exec(select(func.max(ArticleRecord.id))).one()
    return None if found is None else int(found)


def last_ingest_at(*, session: Session) -> dt.datetime | None:
    return session.exec(select(func.max(SnapshotRecord.ingested_at))).one()


MAX_OUTLETS = 500  # bound on the outlets a picker lists: the catalog and operators' sources


def known_outlets(*, session: Session) -> list[tuple[str, str]]:
    """(key, display name) of every outlet with a stored article, by name.

    Snapshot text names no outlet, so it is not among them."""
    rows = session.exec(
        select(ArticleRecord.outlet, func.max(ArticleRecord.source))
        .where(col(ArticleRecord.outlet) != "")
        .group_by(col(ArticleRecord.outlet))
        .limit(MAX_OUTLETS)
    ).all()
    return sorted(((key, name or key) for key, name in rows), key=lambda o: o[1].casefold())
