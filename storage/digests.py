"""Queries of the digest scheduler: due chats, the delivery ledger, run reports."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import String, bindparam, case, func, insert, or_, update
from sqlalchemy import select as sql_select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from storage import repo
from storage.models import ArticleRecord, DigestDelivery, DigestRun, Subscriber
from storage.repo import StoredArticle
from storage.subscribers import ChatPrefs, _prefs

FINAL_STATES = ("sent", "empty", "blocked", "failed")

_LEDGER = DigestDelivery.__table__  # type: ignore[attr-defined]
# Built once: a digest run executes these tens of thousands of times.
# Typed: PostgreSQL cannot infer one type for a parameter used in two places.
_MESSAGE_ID = bindparam("message_id", type_=String())
_PART_SENT = (
    update(_LEDGER)
    # Only while the row is still ours: had our lease run out and another
    # instance taken the digest over, this process must stop sending it.
    .where(_LEDGER.c.id == bindparam("delivery"), _LEDGER.c.claimed_by == bindparam("claimant"))
    .values(
        parts_sent=_LEDGER.c.parts_sent + 1,
        message_ids=case(
            (_LEDGER.c.message_ids == "", _MESSAGE_ID),
            else_=_LEDGER.c.message_ids + "," + _MESSAGE_ID,
        ),
        lease_until=bindparam("lease_until"),
        updated_at=bindparam("now"),
    )
)
_LAST_PART_SENT = _PART_SENT.values(
    state="sent", messages=[], lease_until=None, retries=_LEDGER.c.retries + bindparam("retried")
)


@dataclass(frozen=True)
class Delivery:
    """A claimed ledger row, as plain data for the sending side."""

    id: int
    chat_id: int
    messages: tuple[str, ...]
    parts_sent: int
    attempts: int
    thread_id: int | None = None  # a forum topic's message_thread_id
    alert_article_id: int | None = None  # an alert (one article), not a digest


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
        .options(repo.WITHOUT_FEATURES)
        .where(col(ArticleRecord.id) > after_id, col(ArticleRecord.first_seen) > first_seen_after)
        .order_by(
            col(ArticleRecord.published_on).desc(),
            col(ArticleRecord.first_seen).desc(),
            col(ArticleRecord.page_position).asc(),
            col(ArticleRecord.id).desc(),
        )
    ).all()
    return repo.stored_articles(session=session, records=records)


def start_run(*, session: Session, started_at: dt.datetime) -> int:
    run = DigestRun(started_at=started_at)
    session.add(run)
    session.flush()
    assert run.id is not None
    return run.id


class PlannedDigest(Protocol):
    @property
    def chat_id(self) -> int: ...
    @property
    def planned_from(self) -> dt.datetime: ...  # the next_digest_at it was planned from
    @property
    def due_at(self) -> dt.datetime: ...
    @property
    def next_digest_at(self) -> dt.datetime: ...
    @property
    def skipped(self) -> bool: ...
    @property
    def messages(self) -> tuple[str, ...]: ...
    @property
    def through_article_id(self) -> int | None: ...
    @property
    def previous_cursor(self) -> int | None: ...
    @property
    def thread_id(self) -> int | None: ...


def record_plans(
    *,
    session: Session,
    run_id: int,
    plans: Iterable[PlannedDigest],
    wall_now: dt.datetime,
    now: dt.datetime,
) -> int:
    """Move each chat on and write its ledger row; a chat changed meanwhile is left out.

    A chat moves on only while its `next_digest_at` is still the one planned
    from: a /time, /stop or another instance's tick in between wins, and that
    plan is dropped (the next tick plans afresh). Returns the plans recorded.
    Core statements, not the ORM: a tick may plan ten thousand chats.
    """
    connection = session.connection()
    subscriber = Subscriber.__table__  # type: ignore[attr-defined]
    # Built once, executed per chat (the row count says whether the chat moved on).
    move_on = update(subscriber).where(
        subscriber.c.chat_id == bindparam("chat"),
        subscriber.c.next_digest_at == bindparam("planned_from"),
        subscriber.c.status == "active",
    )
    skip = move_on.values(next_digest_at=bindparam("next"), updated_at=bindparam("now"))
    advance = move_on.values(
        next_digest_at=bindparam("next"),
        updated_at=bindparam("now"),
        # Ids only grow, so the newest id at planning is never behind the old cursor.
        digest_cursor=bindparam("cursor"),
        last_digest_at=bindparam("due"),
    )
    rows = []
    # By chat: two instances planning at once lock the chats' rows in one order, so one
    # waits for the other instead of each holding a row the other needs (a deadlock).
    for plan in sorted(plans, key=lambda p: p.chat_id):
        params = {
            "chat": plan.chat_id,
            "planned_from": plan.planned_from,
            "next": plan.next_digest_at,
            "now": wall_now,
        }
        if plan.skipped:
            connection.execute(skip, params)
            continue
        cursor = plan.through_article_id or 0
        moved = connection.execute(advance, {**params, "cursor": cursor, "due": plan.due_at})
        if moved.rowcount == 1:
            rows.append(
                {
                    "run_id": run_id,
                    "chat_id": plan.chat_id,
                    "due_at": plan.due_at,
                    "state": "pending" if plan.messages else "empty",
                    "messages": list(plan.messages),
                    "through_article_id": cursor,
                    "from_cursor": plan.previous_cursor,
                    "thread_id": plan.thread_id,
                    "not_before": plan.due_at if plan.due_at > now else None,
                    "next_attempt_at": wall_now,
                    "created_at": wall_now,
                    "updated_at": wall_now,
                }
            )
    if rows:
        connection.execute(insert(DigestDelivery.__table__), rows)  # type: ignore[attr-defined]
    return len(rows)


def void_planned(*, session: Session, chat_id: int, now: dt.datetime) -> int:
    """Undo the chat's digests planned ahead and not yet started.

    Called before any change to the chat's settings: the digest is planned
    again, with the new settings, when its time comes. The chat gets back the
    `next_digest_at` and cursor it had before planning.
    """
    ledger, subscriber = _LEDGER, Subscriber.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    rows = connection.execute(
        sql_select(ledger.c.id, ledger.c.due_at, ledger.c.from_cursor).where(
            ledger.c.chat_id == chat_id,
            ledger.c.state == "pending",
            ledger.c.parts_sent == 0,
            ledger.c.not_before > now,
        )
    ).all()
    for row in rows:
        connection.execute(
            update(subscriber)
            .where(subscriber.c.chat_id == chat_id)
            .values(next_digest_at=row.due_at, digest_cursor=row.from_cursor)
        )
        connection.execute(ledger.delete().where(ledger.c.id == row.id))
    return len(rows)


def forget_thread(*, session: Session, chat_id: int) -> None:
    """The chat's forum topic is gone: its pending messages go to the chat itself."""
    session.connection().execute(
        update(_LEDGER)
        .where(_LEDGER.c.chat_id == chat_id, _LEDGER.c.state == "pending")
        .values(thread_id=None)
    )


def count_skipped(*, session: Session, run_id: int, due: int, skipped: int) -> None:
    run = session.get(DigestRun, run_id)
    if run is not None:
        run.due, run.skipped = run.due + due, run.skipped + skipped
        session.add(run)


def claim_deliveries(
    *,
    session: Session,
    wall_now: dt.datetime,
    now: dt.datetime,
    lease: dt.timedelta,
    limit: int,
    claimant: str = "",
) -> list[Delivery]:
    """Pending rows whose time has come and that nobody holds, leased to the caller.

    `now` is the schedule's clock (for digests planned ahead), `wall_now` the
    system's (for retries and leases)."""
    ledger = _LEDGER
    rows = (
        session.connection()
        .execute(
            sql_select(
                ledger.c.id,
                ledger.c.chat_id,
                ledger.c.messages,
                ledger.c.parts_sent,
                ledger.c.attempts,
                ledger.c.thread_id,
                ledger.c.alert_article_id,
            )
            .where(
                ledger.c.state == "pending",
                ledger.c.next_attempt_at <= wall_now,
                or_(ledger.c.not_before.is_(None), ledger.c.not_before <= now),
                _unleased(wall_now),
            )
            .order_by(ledger.c.next_attempt_at, ledger.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        .all()
    )
    if not rows:
        return []
    # The lease test again, and RETURNING: PostgreSQL's row locks already keep
    # another claimant off these rows; on SQLite this is what does.
    leased = set(
        session.connection()
        .execute(
            update(ledger)
            .where(ledger.c.id.in_([row.id for row in rows]), _unleased(wall_now))
            .values(lease_until=wall_now + lease, claimed_by=claimant or None)
            .returning(ledger.c.id)
        )
        .scalars()
    )
    return [
        Delivery(
            id=row.id,
            chat_id=row.chat_id,
            messages=tuple(row.messages),
            parts_sent=row.parts_sent,
            attempts=row.attempts,
            thread_id=row.thread_id,
            alert_article_id=row.alert_article_id,
        )
        for row in rows
        if row.id in leased
    ]


def _unleased(wall_now: dt.datetime) -> ColumnElement[bool]:
    return or_(_LEDGER.c.lease_until.is_(None), _LEDGER.c.lease_until < wall_now)


def record_part(
    *,
    session: Session,
    delivery_id: int,
    message_id: int,
    lease_until: dt.datetime,
    claimant: str,
    last: bool = False,
    retried: int = 0,
) -> bool:
    """One more message of the digest is out: the resume point moves past it.

    With `last`, the digest is also marked sent, in the same statement (its
    text is dropped: delivered, it is no longer needed). False when the row
    is no longer the claimant's (see `renew_leases`)."""
    params = {
        "delivery": delivery_id,
        "claimant": claimant,
        "message_id": str(message_id),
        "lease_until": lease_until,
        "now": dt.datetime.now(dt.UTC),
    }
    if last:
        result = session.connection().execute(_LAST_PART_SENT, {**params, "retried": retried})
    else:
        result = session.connection().execute(_PART_SENT, params)
    return bool(result.rowcount == 1)


def renew_leases(
    *, session: Session, ids: Iterable[int], claimant: str, until: dt.datetime
) -> set[int]:
    """Extend the claimant's leases on rows it still holds; returns those ids.

    A process renews everything it holds well before the lease ends, so rows
    waiting their turn in its queue are never taken over by another instance
    while it lives. A row missing from the answer was lost (this process
    stalled past its lease): it must not be sent from here any more."""
    ledger, kept = _LEDGER, set[int]()
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):  # stay under any driver's parameter limit
        kept.update(
            session.connection()
            .execute(
                update(ledger)
                .where(
                    ledger.c.id.in_(wanted[start : start + 500]),
                    ledger.c.claimed_by == claimant,
                    ledger.c.state == "pending",
                )
                .values(lease_until=until)
                .returning(ledger.c.id)
            )
            .scalars()
        )
    return kept


def finish_delivery(
    *, session: Session, delivery_id: int, state: str, error: str | None = None, retried: int = 0
) -> None:
    assert state in FINAL_STATES
    ledger = _LEDGER
    values: dict[str, object] = {
        "state": state,
        "error": error,
        "lease_until": None,
        "retries": ledger.c.retries + retried,
        "updated_at": dt.datetime.now(dt.UTC),
    }
    if state == "sent":
        values["messages"] = []  # delivered: the text is no longer needed
    session.connection().execute(update(ledger).where(ledger.c.id == delivery_id).values(**values))


def retry_delivery_later(
    *, session: Session, delivery_id: int, at: dt.datetime, error: str, retried: int
) -> None:
    ledger = _LEDGER
    session.connection().execute(
        update(ledger)
        .where(ledger.c.id == delivery_id)
        .values(
            attempts=ledger.c.attempts + 1,
            retries=ledger.c.retries + retried,
            next_attempt_at=at,
            error=error,
            lease_until=None,
            updated_at=dt.datetime.now(dt.UTC),
        )
    )


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
