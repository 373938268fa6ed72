"""Queries of breaking-news alerts: which chats wait for them, what each was sent.

An alert is a row of the delivery ledger holding one story, by the article it was
planned for (`alert_article_id`),
so it is sent by the same dispatcher as digests: rate caps, leases, exactly once.
The unique index on (chat_id, alert_article_id) makes "never the same article
twice" a fact of the database, whatever instance plans it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col
from sqlmodel import select as sqlmodel_select

from storage.models import ArticleRecord, DigestDelivery, Subscriber
from storage.subscribers import ChatPrefs, _prefs

_LEDGER = DigestDelivery.__table__  # type: ignore[attr-defined]
_SUBSCRIBER = Subscriber.__table__  # type: ignore[attr-defined]
_ARTICLE = ArticleRecord.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PlannedAlert:
    article_id: int
    message: str


def waiting_chats(*, session: Session, newest_article_id: int, limit: int) -> list[ChatPrefs]:
    """Active chats with alerts on whose alert cursor is behind the newest article."""
    rows = session.exec(
        sqlmodel_select(Subscriber)
        .where(
            col(Subscriber.status) == "active",
            col(Subscriber.alerts).is_(True),
            func.coalesce(col(Subscriber.alert_cursor), 0) < newest_article_id,
        )
        .order_by(col(Subscriber.chat_id))
        .limit(limit)
    )
    return [_prefs(row) for row in rows]


def alerted_stories(
    *, session: Session, chat_ids: Sequence[int], after_id: int = 0
) -> dict[int, set[int]]:
    """Per chat, the stories it was sent as alerts (by articles with ids above `after_id`)."""
    found: dict[int, set[int]] = defaultdict(set)
    for start in range(0, len(chat_ids), 500):  # stay under any driver's parameter limit
        rows = session.connection().execute(
            select(
                _LEDGER.c.chat_id,
                func.coalesce(_ARTICLE.c.story_id, _LEDGER.c.alert_article_id),
            )
            .outerjoin(_ARTICLE, _ARTICLE.c.id == _LEDGER.c.alert_article_id)
            .where(
                _LEDGER.c.chat_id.in_(chat_ids[start : start + 500]),
                _LEDGER.c.alert_article_id > after_id,
            )
        )
        for chat_id, story_id in rows:
            found[chat_id].add(story_id)
    return found


def alerts_since(*, session: Session, chat_id: int, since: dt.datetime) -> int:
    """How many alerts the chat was given since `since` (for the daily cap)."""
    return int(
        session.connection()
        .execute(
            select(func.count())
            .select_from(_LEDGER)
            .where(
                _LEDGER.c.chat_id == chat_id,
                _LEDGER.c.alert_article_id.is_not(None),
                _LEDGER.c.due_at >= since,
            )
        )
        .scalar_one()
    )


def _unchanged(column: ColumnElement[int], value: int | None) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def record_alerts(
    *,
    session: Session,
    chat: ChatPrefs,
    through_article_id: int,
    alerts: Iterable[PlannedAlert],
    now: dt.datetime,
    wall_now: dt.datetime,
) -> int:
    """Move the chat's alert cursor on and write its alerts, if both its cursors are
    still the ones planned from (else another instance, or a digest, came first:
    nothing is written, and the next tick plans again).

    `due_at` of an alert is the planning instant plus its place in microseconds:
    the ledger's (chat, due_at) key stays unique, and digest rows fall on whole
    minutes. Returns the alerts written."""
    moved = session.connection().execute(
        update(_SUBSCRIBER)
        .where(
            _SUBSCRIBER.c.chat_id == chat.chat_id,
            _unchanged(_SUBSCRIBER.c.alert_cursor, chat.alert_cursor),
            # A digest planned meanwhile may hold these stories: plan again next tick.
            _unchanged(_SUBSCRIBER.c.digest_cursor, chat.digest_cursor),
        )
        .values(alert_cursor=through_article_id)
    )
    if moved.rowcount != 1:
        return 0
    rows = [
        {
            "chat_id": chat.chat_id,
            "due_at": now + dt.timedelta(microseconds=place + 1),
            "state": "pending",
            "messages": [alert.message],
            "alert_article_id": alert.article_id,
            "thread_id": chat.thread_id,
            "next_attempt_at": wall_now,
            "created_at": wall_now,
            "updated_at": wall_now,
        }
        for place, alert in enumerate(alerts)
    ]
    if rows:
        session.connection().execute(insert(_LEDGER), rows)
    return len(rows)
