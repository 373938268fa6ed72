"""Who gets which digest when (pure: no database, no bot)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot import prefs as rules
from bot.delivery.schedule import NOTHING_NEW_TODAY, latest_occurrence, plan_digest, unsent
from storage.repo import StoredArticle
from storage.subscribers import ChatPrefs

UTC = dt.UTC
GRACE = dt.timedelta(hours=6)
DUE = dt.datetime(2026, 11, 24, 4, 0, tzinfo=UTC)  # 09:00 in Almaty


def _article(id_: int, countries: tuple[str, ...], hours_before_due: float) -> StoredArticle:
    return StoredArticle(
        id=id_,
        title=f"Story {id_}",
        summary=(f"Summary of story {id_}.",),
        countries=countries,
        page_date=None,
        first_seen=DUE - dt.timedelta(hours=hours_before_due),
    )


ARTICLES = [
    _article(5, ("KZ",), 1),
    _article(4, ("UZ",), 2),
    _article(3, ("KZ", "UZ"), 3),
    _article(2, ("TJ",), 4),
    _article(1, ("KZ",), 30),  # older than a first digest looks back
]


def _chat(**changes: object) -> ChatPrefs:
    chat = rules.set_countries(
        rules.new_chat(7, "private", dt.time(9, 0), "Asia/Almaty", now=DUE),
        ("KZ",),
        DUE - dt.timedelta(days=1),
    )
    return replace(chat, **{"next_digest_at": DUE, **changes})  # type: ignore[arg-type]


def _plan(chat: ChatPrefs, now: dt.datetime, **options: object):  # type: ignore[no-untyped-def]
    return plan_digest(
        chat, ARTICLES, [], now=now, newest_article_id=5, grace=GRACE, max_per_country=5,
        **options,  # type: ignore[arg-type]
    )  # fmt: skip


def test_latest_occurrence() -> None:
    assert latest_occurrence(DUE, dt.time(9, 0), "Asia/Almaty") == DUE
    assert latest_occurrence(DUE - dt.timedelta(seconds=1), dt.time(9, 0), "Asia/Almaty") == (
        DUE - dt.timedelta(days=1)
    )


def test_first_digest_looks_back_a_day_and_follows_countries() -> None:
    assert [a.id for a in unsent(_chat(), ARTICLES, DUE)] == [5, 3]


def test_cursor_decides_what_is_new() -> None:
    chat = _chat(digest_cursor=3, countries=("KZ", "UZ"))
    assert [a.id for a in unsent(chat, ARTICLES, DUE)] == [5, 4]


def test_due_digest_is_composed_and_moves_the_chat_on() -> None:
    plan = _plan(_chat(), DUE + dt.timedelta(seconds=20))
    assert not plan.skipped and plan.due_at == DUE and plan.planned_from == DUE
    assert plan.next_digest_at == DUE + dt.timedelta(days=1)
    assert plan.through_article_id == 5
    [message] = plan.messages
    assert "Story 5" in message and "Story 3" in message and "Story 1" not in message


def test_missed_digest_is_sent_late_within_the_grace_period() -> None:
    plan = _plan(_chat(), DUE + dt.timedelta(hours=5))
    assert not plan.skipped and plan.due_at == DUE and plan.messages


def test_beyond_the_grace_period_the_articles_wait_for_the_next_day() -> None:
    plan = _plan(_chat(), DUE + dt.timedelta(hours=7))
    assert plan.skipped and plan.messages == () and plan.through_article_id is None
    assert plan.next_digest_at == DUE + dt.timedelta(days=1)


def test_a_bot_down_for_days_sends_the_latest_due_digest_once() -> None:
    old = _chat(next_digest_at=DUE - dt.timedelta(days=3))
    plan = _plan(old, DUE + dt.timedelta(minutes=10))
    assert plan.due_at == DUE and not plan.skipped
    assert plan.planned_from == DUE - dt.timedelta(days=3)


def test_nothing_new_sends_nothing_unless_asked() -> None:
    quiet = _chat(countries=("TM",))
    assert _plan(quiet, DUE).messages == ()
    assert _plan(quiet, DUE, send_empty=True).messages == (NOTHING_NEW_TODAY,)
    assert _plan(_chat(countries=()), DUE, send_empty=True).messages == ()


def test_a_digest_planned_ahead_keeps_its_due_time() -> None:
    plan = _plan(_chat(), DUE - dt.timedelta(minutes=2))
    assert not plan.skipped and plan.due_at == DUE and plan.messages
    assert plan.next_digest_at == DUE + dt.timedelta(days=1)
    assert plan.previous_cursor is None and plan.through_article_id == 5
