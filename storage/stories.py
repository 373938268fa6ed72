"""Queries of stories: the window the story matcher reads, and the articles of stories.

A story is the articles sharing `article.story_id` (the id of its first article, as a
rule); `bot.news.story_window` assigns it at ingest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from storage import repo
from storage.db import id_in
from storage.models import ArticleRecord, StoryMove
from storage.repo import StoredArticle

# Articles of one story read for display (digests, alerts, /latest, search): its "Also"
# line shows five outlets, and a story of more than this many is shown by its first ones.
# The command line's JSON lists every article (DESIGN.md), so it reads them all.
MAX_STORY_ARTICLES = 50
_CHUNK = 500  # ids per IN (...): under every driver's parameter limit


def articles_after(*, session: Session, after_id: int, limit: int) -> list[ArticleRecord]:
    """Articles with a story and an id above `after_id` (stored since the matcher last
    looked, by any instance), oldest first; the newest `limit` of them if there are more."""
    rows = session.exec(
        select(ArticleRecord)
        .where(col(ArticleRecord.id) > after_id, col(ArticleRecord.story_id).is_not(None))
        .order_by(col(ArticleRecord.id).desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def articles_between(
    *, session: Session, since: dt.datetime, until: dt.datetime, limit: int
) -> list[ArticleRecord]:
    """Articles with a story whose story time is within [since, until], by that time
    (ix_article_story_at); the latest `limit` of them if there are more."""
    rows = session.exec(
        select(ArticleRecord)
        .where(
            col(ArticleRecord.story_at) >= since,
            col(ArticleRecord.story_at) <= until,
            col(ArticleRecord.story_id).is_not(None),
        )
        .order_by(col(ArticleRecord.story_at).desc(), col(ArticleRecord.id).desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def move_story(*, session: Session, story: int, into: int, size: int = 1, now: dt.datetime) -> bool:
    """Merge `story` into story `into` if the database holds `size` articles of it (those
    it was judged by: an article another instance stored meanwhile was not), logging the
    move for other instances (`story_move`); whether it moved."""
    held = session.exec(
        select(func.count()).select_from(ArticleRecord).where(ArticleRecord.story_id == story)
    ).one()
    if held != size:
        return False
    session.execute(
        update(ArticleRecord).where(col(ArticleRecord.story_id) == story).values(story_id=into)
    )
    session.add(StoryMove(from_story=story, to_story=into, moved_at=now))
    return True


def stored_features(*, session: Session, ids: Collection[int]) -> dict[int, dict[str, object]]:
    """The story features stored with these articles (JSON), by article id; an article
    stored without them is left out."""
    if not ids:
        return {}
    rows = session.exec(
        select(ArticleRecord.id, ArticleRecord.story_features).where(
            id_in(session, col(ArticleRecord.id), sorted(set(ids)))
        )
    ).all()
    return {int(i): dict(f) for i, f in rows if i is not None and isinstance(f, dict)}


def moves_after(*, session: Session, after_id: int) -> list[StoryMove]:
    """The story moves logged after `after_id`, in order."""
    return list(
        session.exec(
            select(StoryMove).where(col(StoryMove.id) > after_id).order_by(col(StoryMove.id))
        ).all()
    )


def last_move(*, session: Session) -> int:
    """The id of the last story move logged (0: none)."""
    return session.exec(select(func.max(col(StoryMove.id)))).one() or 0


def save_features(*, session: Session, features: Mapping[int, dict[str, object]]) -> None:
    """Write articles' story features (JSON), by article id, in one statement."""
    if features:
        session.execute(  # ORM bulk UPDATE by primary key: one executemany
            update(ArticleRecord), [{"id": i, "story_features": f} for i, f in features.items()]
        )


def story_articles(
    *, session: Session, story_ids: Collection[int], limit: int | None = MAX_STORY_ARTICLES
) -> dict[int, list[StoredArticle]]:
    """Every article of each story (at most `limit`, its first; None: all), oldest first."""
    found: dict[int, list[StoredArticle]] = {}
    ids = sorted(set(story_ids))
    for start in range(0, len(ids), _CHUNK):
        records = session.exec(
            select(ArticleRecord)
            .options(repo.WITHOUT_FEATURES)
            .where(id_in(session, col(ArticleRecord.story_id), ids[start : start + _CHUNK]))
            .order_by(col(ArticleRecord.id))
        ).all()
        for article in repo.stored_articles(session=session, records=records):
            members = found.setdefault(article.story, [])
            if limit is None or len(members) < limit:
                members.append(article)
    return found


# /latest and `newsbot stories` read newest articles in pages until they have enough
# stories: at most this many pages, each four times the last.
MAX_PAGES = 4


def latest_stories(
    *,
    session: Session,
    countries: Sequence[str] = (),
    limit: int = 10,
    languages: Collection[str] | None = None,
    hidden_outlets: Collection[str] = (),
    per_story: int | None = MAX_STORY_ARTICLES,
) -> list[list[StoredArticle]]:
    """The newest `limit` stories (by their newest article matching the filters),
    each as its articles (at most `per_story`; None: all), oldest first."""
    page = limit * 3 + 10
    order: list[int] = []
    for _ in range(MAX_PAGES):
        newest = repo.latest_articles(
            session=session,
            countries=countries,
            limit=page,
            languages=languages,
            hidden_outlets=hidden_outlets,
        )
        order = list(dict.fromkeys(article.story for article in newest))
        if len(order) >= limit or len(newest) < page:
            break
        page *= 4
    order = order[:limit]
    members = story_articles(session=session, story_ids=order, limit=per_story)
    return [members[story] for story in order if story in members]
