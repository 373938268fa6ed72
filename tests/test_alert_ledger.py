"""Alerts in the delivery ledger, on SQLite and PostgreSQL: planned once per chat and
article whoever plans them, counted for the daily cap, claimed like digest parts."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy.exc
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from bot import prefs as rules
from bot import topics
from storage import alerts, digests, subscribers
from storage.alerts import PlannedAlert
from storage.db import open_session
from storage.models import DigestDelivery

NOW = dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC)


def _chat_with_alerts(engine: Engine, chat_id: int = 7) -> None:
    with open_session(engine) as session, session.begin():
        fresh = rules.new_chat(chat_id, "supergroup", dt.time(9, 0), "Asia/Almaty", now=NOW)
        subscribers.change_chat(
            session=session,
            chat_id=chat_id,
            create=fresh,
            change=lambda p: rules.set_topic(
                rules.set_alerts(topics.follow(p, ("gas",)), True, 3), 42
            ),
        )


def test_alerts_are_written_once_whoever_plans_them(engine: Engine) -> None:
    _chat_with_alerts(engine)
    with open_session(engine) as session:
        [chat] = alerts.waiting_chats(session=session, newest_article_id=5, limit=10)
        assert alerts.waiting_chats(session=session, newest_article_id=3, limit=10) == []
    owed = [PlannedAlert(4, "four"), PlannedAlert(5, "five")]
    written = []
    for _ in range(2):  # a second instance planned from the same, now stale, cursor
        with open_session(engine) as session, session.begin():
            written.append(
                alerts.record_alerts(
                    session=session,
                    chat=chat,
                    through_article_id=5,
                    alerts=owed,
                    now=NOW,
                    wall_now=NOW,
                )
            )
    assert written == [2, 0]
    with open_session(engine) as session, session.begin():
        assert alerts.waiting_chats(session=session, newest_article_id=5, limit=10) == []
        assert alerts.alerted_stories(session=session, chat_ids=[7]) == {7: {4, 5}}
        assert alerts.alerts_since(session=session, chat_id=7, since=NOW) == 2
        assert alerts.alerts_since(session=session, chat_id=7, since=NOW + dt.timedelta(1)) == 0
        claimed = digests.claim_deliveries(
            session=session, wall_now=NOW, now=NOW, lease=dt.timedelta(seconds=60), limit=10
        )
    assert sorted((d.alert_article_id, d.messages, d.thread_id) for d in claimed) == [
        (4, ("four",), 42),
        (5, ("five",), 42),
    ]


def test_the_database_refuses_an_article_alerted_twice_to_one_chat(engine: Engine) -> None:
    row = {
        "chat_id": 7, "state": "pending", "messages": ["x"], "alert_article_id": 4,
        "next_attempt_at": NOW, "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip
    with open_session(engine) as session, session.begin():
        session.connection().execute(insert(DigestDelivery.__table__), {**row, "due_at": NOW})  # type: ignore[attr-defined]
    with (
        pytest.raises(sqlalchemy.exc.IntegrityError),
        open_session(engine) as session,
        session.begin(),
    ):
        session.connection().execute(
            insert(DigestDelivery.__table__),  # type: ignore[attr-defined]
            {**row, "due_at": NOW + dt.timedelta(seconds=1)},
        )


def test_alerts_planned_before_a_digest_moved_the_chat_on_are_not_written(
    engine: Engine,
) -> None:
    _chat_with_alerts(engine)
    with open_session(engine) as session:
        [chat] = alerts.waiting_chats(session=session, newest_article_id=5, limit=10)
    with open_session(engine) as session, session.begin():  # a digest took stories 4 and 5
        subscribers.change_chat(
            session=session, chat_id=7, change=lambda p: rules.digest_sent(p, 5, NOW)
        )
    with open_session(engine) as session, session.begin():
        written = alerts.record_alerts(
            session=session,
            chat=chat,
            through_article_id=5,
            alerts=[PlannedAlert(5, "five")],
            now=NOW,
            wall_now=NOW,
        )
        assert written == 0
        assert alerts.alerted_stories(session=session, chat_ids=[7]) == {}
