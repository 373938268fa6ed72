"""Daily digests from the real bot process: local times, DST, missed digests, errors.

Time is the test's: the bot reads "now" from FAKE_CLOCK_FILE and ticks every
0.2 s, so moving the clock past a digest time shows at once what the bot does.
Each test runs from several starting instants spread over the UTC day
(SCHEDULE_STARTS): none may depend on the hour it happens to start at.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from sqlmodel import select

from bot.delivery.schedule import NOTHING_NEW_TODAY
from bot.standin.bot_api import FakeBotApi, SentMessage
from storage.models import DigestDelivery, DigestRun
from storage.subscribers import get_chat
from tests.e2e.conftest import ADMIN_ID, SCHEDULE_STARTS
from tests.e2e.harness import (
    BotProcess,
    Chat,
    FakeClock,
    next_local,
    read_db,
    subscribed,
    wait_until,
)

UTC = dt.UTC
QUIET = 0.8  # four ticks: long enough to see that nothing happens


def _digests(chat: Chat) -> list[SentMessage]:
    return [
        m
        for m in chat.received()
        if "Central Asia news digest" in m.text or m.text == NOTHING_NEW_TODAY
    ]


def _next(clock: FakeClock, zone: str, at: dt.time) -> dt.datetime:
    """The next time after the clock's "now" that `zone` shows `at`, as UTC."""
    return next_local(clock.now, zone, at)


def _ledger(db_url: str, chat_id: int) -> list[DigestDelivery]:
    return read_db(
        db_url,
        lambda s: list(s.exec(select(DigestDelivery).where(DigestDelivery.chat_id == chat_id))),
    )


@pytest.mark.parametrize("start", SCHEDULE_STARTS)
def test_two_local_times_in_two_zones(
    api: FakeBotApi, bot: BotProcess, clock: FakeClock, db_url: str
) -> None:
    almaty = subscribed(api, 801, "/start", "/country kz")  # 09:00 Asia/Almaty
    berlin = subscribed(api, 802, "/start", "/country uz", "/timezone Europe/Berlin", "/time 07:30")
    almaty_due = _next(clock, "Asia/Almaty", dt.time(9, 0))
    berlin_due = _next(clock, "Europe/Berlin", dt.time(7, 30))
    first, second = sorted([(almaty_due, almaty), (berlin_due, berlin)], key=lambda p: p[0])

    clock.set(first[0] - dt.timedelta(minutes=1))
    time.sleep(QUIET)
    assert not _digests(almaty) and not _digests(berlin)

    clock.set(first[0])
    wait_until(lambda: _digests(first[1]), "the earlier digest")
    time.sleep(QUIET)
    assert not _digests(second[1])

    clock.set(second[0] + dt.timedelta(seconds=30))
    wait_until(lambda: _digests(second[1]), "the later digest")
    assert "🇰🇿 <b>Kazakhstan</b>" in _digests(almaty)[0].text
    assert "🇺🇿 <b>Uzbekistan</b>" in _digests(berlin)[0].text
    [row] = _ledger(db_url, 801)
    assert row.state == "sent" and row.due_at == almaty_due and row.message_ids
    # Nothing more: the next digests are due tomorrow, and nothing is sent twice.
    time.sleep(QUIET)
    assert len(_digests(almaty)) == len(_digests(berlin)) == 1


@pytest.mark.parametrize("start", SCHEDULE_STARTS)
def test_time_change_moves_the_next_digest(
    api: FakeBotApi, bot: BotProcess, clock: FakeClock
) -> None:
    chat = subscribed(api, 803, "/start", "/country kz", "/time 10:15")
    clock.set(_next(clock, "Asia/Almaty", dt.time(9, 0)))
    time.sleep(QUIET)
    assert not _digests(chat)
    clock.set(_next(clock, "Asia/Almaty", dt.time(10, 15)))
    wait_until(lambda: _digests(chat), "the digest at the new time")


@pytest.mark.parametrize("start", [dt.datetime(2026, 3, 27, 12, 0, tzinfo=UTC)])
def test_digest_time_follows_daylight_saving(
    api: FakeBotApi, bot_env: dict[str, str], clock: FakeClock, db_url: str, tmp_path: Path
) -> None:
    bot = BotProcess(api, {**bot_env, "DIGEST_SEND_EMPTY": "true"}, tmp_path / "dst.log").start()
    try:
        chat = subscribed(api, 804, "/start", "/country kz", "/timezone Europe/Berlin")
        # 09:00 in Berlin is 08:00 UTC in winter time and 07:00 UTC from 29 March.
        for day, hour_utc in [(28, 8), (29, 7), (30, 7)]:
            clock.set(dt.datetime(2026, 3, day, hour_utc - 1, 59, tzinfo=UTC))
            count = len(_digests(chat))
            time.sleep(QUIET)
            assert len(_digests(chat)) == count, f"early digest on {day} March"
            clock.set(dt.datetime(2026, 3, day, hour_utc, 0, 5, tzinfo=UTC))
            wait_until(lambda count=count: len(_digests(chat)) > count, f"digest on {day} March")
        due = sorted(row.due_at for row in _ledger(db_url, 804))
        assert [d.hour for d in due] == [8, 7, 7]
    finally:
        bot.stop()


@pytest.mark.parametrize("start", SCHEDULE_STARTS)
def test_missed_digest_is_sent_when_the_bot_comes_back(
    api: FakeBotApi, bot_env: dict[str, str], clock: FakeClock, db_url: str, tmp_path: Path
) -> None:
    first = BotProcess(api, bot_env, tmp_path / "first.log").start()
    # They subscribe at 01:00 Almaty, so both digest times (03:00, 09:00) come that day.
    clock.set(_next(clock, "Asia/Almaty", dt.time(1, 0)))
    late = subscribed(api, 805, "/start", "/country kz")
    very_late = subscribed(api, 806, "/start", "/country kz", "/time 03:00")
    first.stop()
    # Down over both digest times: 09:00 was 2 h ago (within the 6 h grace), 03:00 was 8 h ago.
    clock.set(_next(clock, "Asia/Almaty", dt.time(11, 0)))
    second = BotProcess(api, bot_env, tmp_path / "second.log").start()
    try:
        wait_until(lambda: _digests(late), "the missed digest")
        time.sleep(QUIET)
        assert not _digests(very_late)  # skipped: too late to be a morning digest
        assert _ledger(db_url, 806) == []
        prefs = read_db(db_url, lambda s: get_chat(session=s, chat_id=806))
        assert prefs is not None and prefs.digest_cursor is None  # its articles still wait
        clock.set(_next(clock, "Asia/Almaty", dt.time(3, 0)))
        wait_until(lambda: _digests(very_late), "the next day's digest")
    finally:
        second.stop()


@pytest.mark.parametrize("start", SCHEDULE_STARTS)
def test_429_and_5xx_are_retried(
    api: FakeBotApi, bot: BotProcess, clock: FakeClock, db_url: str
) -> None:
    throttled = subscribed(api, 807, "/start", "/country kz")
    flaky = subscribed(api, 808, "/start", "/country uz")
    api.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, chat_id=807
    )
    api.fail_next("sendMessage", 502, "Bad Gateway", chat_id=808, times=3)
    clock.set(_next(clock, "Asia/Almaty", dt.time(9, 0)))
    wait_until(lambda: _digests(throttled) and _digests(flaky), "both digests", timeout=30)
    for chat_id, retries in [(807, 1), (808, 3)]:
        [row] = wait_until(
            lambda chat_id=chat_id: [r for r in _ledger(db_url, chat_id) if r.state == "sent"],
            "the ledger to record the digest",
        )
        assert row.retries == retries
    wait_until(
        lambda: read_db(db_url, lambda s: s.exec(select(DigestRun)).first().report),  # type: ignore[union-attr]
        "the run report",
    )
    [stats] = Chat(api, ADMIN_ID).send("/stats")
    assert "due 2, sent 2, empty 0, blocked 0, failed 0, skipped 0, retried 4" in stats.text
    assert "digest run" in bot.log() and "retried 4" in bot.log()


@pytest.mark.parametrize("start", SCHEDULE_STARTS)
def test_blocked_chat_is_never_retried(
    api: FakeBotApi, bot: BotProcess, clock: FakeClock, db_url: str
) -> None:
    chat = subscribed(api, 809, "/start", "/country kz")
    api.block_chat(809)
    clock.set(_next(clock, "Asia/Almaty", dt.time(9, 0)))
    wait_until(lambda: [r for r in _ledger(db_url, 809) if r.state == "blocked"], "blocked")
    prefs = read_db(db_url, lambda s: get_chat(session=s, chat_id=809))
    assert prefs is not None and prefs.status == "blocked" and prefs.next_digest_at is None
    attempts = sum(
        1 for method, params in api.calls if method == "sendMessage" and params["chat_id"] == 809
    )
    clock.set(_next(clock, "Asia/Almaty", dt.time(9, 0)))  # the next day
    time.sleep(QUIET)
    assert attempts == sum(
        1 for method, params in api.calls if method == "sendMessage" and params["chat_id"] == 809
    )
    assert not _digests(chat)


@pytest.mark.parametrize("start", SCHEDULE_STARTS)
def test_absurd_retry_after_reschedules_instead_of_blocking(
    api: FakeBotApi, bot: BotProcess, clock: FakeClock, db_url: str
) -> None:
    held = subscribed(api, 812, "/start", "/country kz")
    other = subscribed(api, 813, "/start", "/country uz")
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 7200", retry_after=7200,
                  chat_id=812)  # fmt: skip
    clock.set(_next(clock, "Asia/Almaty", dt.time(9, 0)))
    wait_until(lambda: _digests(other), "the other chat's digest, not held up")
    [row] = wait_until(
        lambda: [r for r in _ledger(db_url, 812) if r.attempts == 1], "the digest rescheduled"
    )
    assert row.state == "pending" and not _digests(held)
    wait_seconds = (row.next_attempt_at - row.updated_at).total_seconds()
    assert 7100 < wait_seconds < 7300  # retried when Telegram said, not now
    [reply] = held.send("/help")  # and the bot still answers that very chat
    assert "/latest — " in reply.text


@pytest.mark.parametrize("start", SCHEDULE_STARTS)
def test_settings_changed_after_planning_are_honoured(
    api: FakeBotApi, bot: BotProcess, clock: FakeClock, db_url: str
) -> None:
    chat = subscribed(api, 814, "/start", "/country kz")
    due = _next(clock, "Asia/Almaty", dt.time(9, 0))
    clock.set(due - dt.timedelta(minutes=1))  # the wave is composed ahead of time
    [planned] = wait_until(lambda: _ledger(db_url, 814), "the digest planned ahead")
    assert planned.not_before == due and planned.state == "pending"
    time.sleep(QUIET)
    assert not _digests(chat)  # composed, but not sent before its time

    chat.send("/time 10:00")  # changes after planning void the planned digest
    assert _ledger(db_url, 814) == []
    clock.set(due + dt.timedelta(seconds=5))
    time.sleep(QUIET)
    assert not _digests(chat)
    clock.set(due + dt.timedelta(hours=1))
    wait_until(lambda: _digests(chat), "the digest at the new time")
    [row] = wait_until(
        lambda: [r for r in _ledger(db_url, 814) if r.state == "sent"], "its ledger row"
    )
    assert row.due_at == due + dt.timedelta(hours=1)
