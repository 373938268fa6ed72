"""One chat floods the bot; Telegram throttles one chat: nobody else waits for it.

Behaviour only: orders of events and counts, never a speed target (those are
bench/flood.py's). The stand-in answers 429 per chat as Telegram does, so
`api.flood.refused_chat == 0` says the bot kept to each chat's limit itself.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.standin.bot_api import FakeBotApi
from bot.standin.flood_control import FloodControl, FloodRules
from bot.telegram.texts import SLOW_DOWN
from bot.telegram.updates import MAX_WAITING_PER_CHAT
from tests.e2e.harness import (
    BotProcess,
    Chat,
    FakeClock,
    add_subscribers,
    all_digests_sent,
    next_local,
    wait_until,
)

# Per-chat pacing is part of what these tests check: Telegram's real pace.
pytestmark = pytest.mark.telegram_pace

FLOODER, OTHER = 901, 902
FIRST, CHATS = 30_000, 40


def test_a_flooding_chat_is_cut_short_and_others_are_answered(
    api: FakeBotApi, bot: BotProcess
) -> None:
    other = Chat(api, OTHER)
    other.send("/start")
    codes = ["kz", "kg", "tj", "tm", "uz", "af"]
    for n in range(200):  # as fast as the stand-in takes them: all arrive within a poll or two
        # 18 different requests in turn (no two alike among those waiting), one message each.
        api.push_message(FLOODER, f"/latest {codes[n % 6]} {n // 6 % 3 + 1}")
    for _ in range(3):  # the other chat, meanwhile, is answered
        [reply] = other.send("/latest 1")
        assert reply.text.startswith("📰")
    wait_until(lambda: any(m.text == SLOW_DOWN for m in api.messages_to(FLOODER)), "a notice")

    def answers() -> list[str]:
        return [m.text for m in api.messages_to(FLOODER) if m.text != SLOW_DOWN]

    wait_until(lambda: len(answers()) >= MAX_WAITING_PER_CHAT, "the queued ones' answers", 30)
    time.sleep(3.0)  # one a second: three more would have come by now
    # What was running and what was queued (a second poll may have found it idle
    # again, so one more): the rest was dropped, not kept in memory.
    assert len(answers()) <= 2 + MAX_WAITING_PER_CHAT
    got = api.messages_to(FLOODER)
    assert sum(m.text == SLOW_DOWN for m in got) == 1
    for n in range(50):  # still flooding: no second notice within the minute
        api.push_message(FLOODER, f"/help {n}")
    [reply] = other.send("/help")
    assert "/latest — " in reply.text
    assert sum(m.text == SLOW_DOWN for m in api.messages_to(FLOODER)) == 1
    assert api.flood.refused_chat == 0  # the bot paced each chat itself
    assert "updates dropped" in bot.log()


def test_a_repeated_command_is_answered_once(api: FakeBotApi, bot: BotProcess) -> None:
    chat = Chat(api, 903)
    chat.send("/start")
    before = len(chat.received())
    for _ in range(100):
        api.push_message(903, "/latest 2")
    replies = chat.send_all("/settings")  # in order after them: marks the end of their answers
    answers = [m for m in chat.received()[before:] if m.text.startswith("📰")]
    # While they arrive, each turn of the chat's queue answers one and merges the rest
    # into one waiting copy: two when all come within one answer, a few more on a slow
    # machine whose pushes take longer than an answer; never anywhere near a hundred.
    assert 1 <= len(answers) <= 5, len(answers)
    assert not any(m.text == SLOW_DOWN for m in chat.received())  # coalesced, not dropped
    assert replies and "Countries" in replies[-1].text


def test_a_429_for_one_chat_holds_up_that_chat_only(api: FakeBotApi, bot: BotProcess) -> None:
    throttled, free = Chat(api, 904), Chat(api, 905)
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 4", retry_after=4,
                  chat_id=904)  # fmt: skip
    asked = time.monotonic()
    api.push_message(904, "/help")
    wait_until(lambda: any(c[0] == "sendMessage" and c[1].get("chat_id") in (904, "904")
                           for c in api.calls), "the throttled send")  # fmt: skip
    for _ in range(3):
        [reply] = free.send("/help")  # answered while chat 904 waits out its 4 s
        assert "/latest — " in reply.text
    assert not throttled.received()
    [late] = wait_until(throttled.received, "the throttled chat's answer")
    assert late.at - asked >= 3.5  # it did wait as Telegram asked
    assert all(m.at < late.at for m in free.received())
    assert "429 from Telegram for chat 904: pausing it" in bot.log()


def test_a_429_for_the_whole_bot_pauses_all_sending_and_loses_nothing(
    api: FakeBotApi, bot_env: dict[str, str], clock: FakeClock, db_url: str, tmp_path: Path
) -> None:
    """The bot's cap set above Telegram's global limit (a misconfiguration): the stand-in
    answers 429 for the bot as a whole, and every digest still arrives once."""
    api.flood = FloodControl(FloodRules(global_per_second=10))
    due = next_local(clock.now, "Asia/Almaty", dt.time(9, 0))
    add_subscribers(db_url, range(FIRST, FIRST + CHATS), due)
    bot = BotProcess(api, {**bot_env, "SEND_RATE_PER_SECOND": "50"}, tmp_path / "bot.log").start()
    try:
        clock.set(due)
        rows = wait_until(
            lambda: all_digests_sent(db_url, CHATS), "every digest delivered", timeout=60
        )
    finally:
        bot.stop()
    received = Counter(m.chat_id for m in api.sent if m.chat_id >= FIRST)
    parts = {r.chat_id: len(r.message_ids.split(",")) for r in rows}
    assert received == Counter(parts)  # each part exactly once
    assert api.flood.refused_global > 0 and api.flood.refused_chat == 0
    assert "429 from Telegram for several chats: pausing all sends" in bot.log()
