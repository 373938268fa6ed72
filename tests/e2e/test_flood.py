"""One chat floods the bot; Telegram throttles one chat: nobody else waits for it.

Behaviour only: orders of events and counts, never a speed target (those are
bench/flood.py's). The stand-in answers 429 per chat as Telegram does, so
`api.flood.refused_chat == 0` says the bot kept to each chat's limit itself.
"""

from __future__ import annotations

import time

from bot.standin.bot_api import FakeBotApi
from bot.telegram.texts import SLOW_DOWN
from bot.telegram.updates import MAX_WAITING_PER_CHAT
from tests.e2e.harness import BotProcess, Chat, wait_until

FLOODER, OTHER = 901, 902


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
    assert 1 <= len(answers) <= 2, len(answers)  # the one running, and one that waited
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
