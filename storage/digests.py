"""Queries of the digest scheduler: due chats, the delivery ledger, run reports."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from storage.models import ArticleCountry, ArticleRecord, DigestDelivery, DigestRun, Subscriber
from storage.repo import StoredArticle
from storage.subscribers import ChatPrefs, _prefs

FINAL_STATES = ("sent", "empty", "blocked", "failed")


@dataclass(frozen=True)
class Delivery:
    """A claimed ledger row, as plain data for the sending side."""

    id: int
    chat_id: int
    messages: tuple[str, ...]
    parts_sent: int
    attempts: int


def due_chats(*, session: Session, now: dt.datetime, limit: int) -> list[ChatPrefs]:
    rows = session.exec(
        select(Subscriber)
        .where(col(Subscriber.status) == "active", col(Subscriber.next_digest_at) <= now)
        .order_by(col(Subscriber.next_digest_at))
        .limit(limit)
    )
    return [_prefs(row) for row in rows]


def candidate_articles(
    *, session: Session, after_id: int, first_seen_after: dt.datetime
) -> list[StoredArticle]:
    """Articles a digest may hold, newest first, with their countries."""
    records = session.exec(
        select(ArticleRecord)
        .where(col(ArticleRecord.id) > after_id, col(ArticleRecord.first_seen) > first_seen_after)
        .order_by(
            col(ArticleRecord.published_on).desc(),
            col(ArticleRecord.first_seen).desc(),
            col(ArticleRecord.page_position).asc(),
            col(ArticleRecord.id).desc(),
        )
    ).all()
    ids = [r.id for r in records if r.id is not None]
    tags: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for article_id, country in session.exec(
            select(ArticleCountry.article_id, ArticleCountry.country).where(
                col(ArticleCountry.article_id).in_(ids)
            )
        ):
            tags[article_id].append(country)
    return [
        StoredArticle(
            id=r.id or 0,
            title=r.title,
            summary=tuple(s for s in r.summary.split("\n") if s),
            countries=tuple(sorted(tags.get(r.id or 0, []))),
            page_date=r.page_date,
            first_seen=r.first_seen,
        )
        for r in records
    ]


def start_run(*, session: Session, started_at: dt.datetime) -> int:
    run = DigestRun(started_at=started_at)
    session.add(run)
    session.flush()
    assert run.id is not None
    return run.id


def record_plan(
    *,
    session: Session,
    run_id: int,
    chat_id: int,
    planned_from: dt.datetime,
    due_at: dt.datetime,
    next_digest_at: dt.datetime,
    messages: Sequence[str],
    through_article_id: int | None,
    wall_now: dt.datetime,
) -> bool:
    """Move the chat on and write its ledger row, or do nothing if the chat changed.

    The update only applies while the chat's `next_digest_at` is still the one
    planned from: a /time, /stop or another instance's tick in between wins,
    and this plan is dropped (the next tick plans afresh).
    """
    values: dict[str, object] = {"next_digest_at": next_digest_at, "updated_at": wall_now}
    if through_article_id is not None:
        # Ids only grow, so the newest id at planning is never behind the old cursor.
        values["digest_cursor"] = through_article_id
        values["last_digest_at"] = due_at
    moved = session.exec(
        update(Subscriber)
        .where(
            col(Subscriber.chat_id) == chat_id,
            col(Subscriber.next_digest_at) == planned_from,
            col(Subscriber.status) == "active",
        )
        .values(**values)
    )
    if moved.rowcount != 1:
        return False
    if through_article_id is None:  # skipped: past the grace period, nothing to deliver
        return True
    session.add(
        DigestDelivery(
            run_id=run_id,
            chat_id=chat_id,
            due_at=due_at,
            state="pending" if messages else "empty",
            messages=list(messages),
            through_article_id=through_article_id,
            next_attempt_at=wall_now,
        )
    )
    return True


def count_skipped(*, session: Session, run_id: int, due: int, skipped: int) -> None:
    run = session.get(DigestRun, run_id)
    if run is not None:
        run.due, run.skipped = run.due + due, run.skipped + skipped
        session.add(run)


def claim_deliveries(
    *, session: Session, wall_now: dt.datetime, lease: dt.timedelta, limit: int
) -> list[Delivery]:
    """Pending rows whose time has come and that nobody holds, leased to the caller."""
    rows = session.exec(
        select(DigestDelivery)
        .where(
            col(DigestDelivery.state) == "pending",
            col(DigestDelivery.next_attempt_at) <= wall_now,
            or_(
                col(DigestDelivery.lease_until).is_(None),
                col(DigestDelivery.lease_until) < wall_now,
            ),
        )
        .order_by(col(DigestDelivery.next_attempt_at), col(DigestDelivery.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.lease_until = wall_now + lease
        session.add(row)
    return [
        Delivery(r.id or 0, r.chat_id, tuple(r.messages), r.parts_sent, r.attempts) for r in rows
    ]


def record_part(
    *, session: Session, delivery_id: int, message_id: int, lease_until: dt.datetime
) -> None:
    """One more message of the digest is out: the resume point moves past it."""
    row = session.get(DigestDelivery, delivery_id)
    assert row is not None
    row.parts_sent += 1
    row.message_ids = f"{row.message_ids},{message_id}".lstrip(",")
    row.lease_until = lease_until
    row.updated_at = dt.datetime.now(dt.UTC)
    session.add(row)


def finish_delivery(
    *, session: Session, delivery_id: int, state: str, error: str | None = None
) -> None:
    assert state in FINAL_STATES
    row = session.get(DigestDelivery, delivery_id)
    assert row is not None
    row.state, row.error, row.lease_until = state, error, None
    if state == "sent":
        row.messages = []  # delivered: the text is no longer needed
    row.updated_at = dt.datetime.now(dt.UTC)
    session.add(row)


def retry_delivery_later(
    *, session: Session, delivery_id: int, at: dt.datetime, error: str, retried: int
) -> None:
    row = session.get(DigestDelivery, delivery_id)
    assert row is not None
    row.attempts += 1
    row.retries += retried
    row.next_attempt_at, row.error, row.lease_until = at, error, None
    row.updated_at = dt.datetime.now(dt.UTC)
    session.add(row)


def add_retries(*, session: Session, delivery_id: int, retried: int) -> None:
    if retried:
        row = session.get(DigestDelivery, delivery_id)
        assert row is not None
        row.retries += retried
        session.add(row)


def finish_runs(*, session: Session, finished_at: dt.datetime) -> list[DigestRun]:
    """Close the runs whose digests are all final, writing their reports."""
    open_runs = session.exec(
        select(DigestRun).where(col(DigestRun.finished_at).is_(None)).order_by(col(DigestRun.id))
    ).all()
    closed = []
    for run in open_runs:
        states = Counter(
            dict(
                session.exec(
                    select(DigestDelivery.state, func.count())
                    .where(col(DigestDelivery.run_id) == run.id)
                    .group_by(col(DigestDelivery.state))
                ).all()
            )
        )
        if states.get("pending"):
            continue
        retried = session.exec(
            select(func.coalesce(func.sum(DigestDelivery.retries), 0)).where(
                col(DigestDelivery.run_id) == run.id
            )
        ).one()
        run.finished_at = finished_at
        seconds = (finished_at - run.started_at).total_seconds()
        run.report = (
            f"due {run.due}, sent {states.get('sent', 0)}, empty {states.get('empty', 0)}, "
            f"blocked {states.get('blocked', 0)}, failed {states.get('failed', 0)}, "
            f"skipped {run.skipped}, retried {retried}, took {seconds:.1f} s"
        )
        session.add(run)
        closed.append(run)
    return closed


def last_run(*, session: Session) -> DigestRun | None:
    return session.exec(select(DigestRun).order_by(col(DigestRun.id).desc()).limit(1)).first()


def pending_count(*, session: Session) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(DigestDelivery)
            .where(col(DigestDelivery.state) == "pending")
        ).one()
    )
