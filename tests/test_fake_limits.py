"""The stand-in's model of Telegram's flood control: per chat, per group, for the whole bot."""

from __future__ import annotations

from bot.standin.flood_control import FloodControl, FloodRules


def test_a_private_chat_gets_a_burst_then_one_a_second() -> None:
    flood = FloodControl(FloodRules(private_burst=5))
    assert all(flood.admit(7, 100.0 + i * 0.01) is None for i in range(5))
    assert flood.admit(7, 100.05) == ("chat", 1)
    assert flood.admit(8, 100.05) is None  # another chat is not concerned
    # One a second, sustained, is always fine after the burst has drained.
    assert all(flood.admit(7, 102.0 + i) is None for i in range(60))
    # Two a second, sustained, is not.
    refused = [flood.admit(7, 200.0 + i * 0.5) for i in range(40)]
    assert ("chat", 1) in refused or any(r and r[0] == "chat" for r in refused)
    assert flood.refused_chat >= 2 and flood.refused_global == 0


def test_a_group_gets_twenty_a_minute() -> None:
    flood = FloodControl()
    assert all(flood.admit(-100, 10.0 + i * 0.5) is None for i in range(20))
    scope, retry_after = flood.admit(-100, 20.0) or ("", 0)
    assert scope == "chat" and 49 <= retry_after <= 51  # the first one leaves the window at 70
    assert flood.admit(-100, 70.1) is None


def test_the_whole_bot_is_capped_when_a_global_rate_is_set() -> None:
    flood = FloodControl(FloodRules(global_per_second=30))
    assert all(flood.admit(1000 + i, 5.0 + i * 0.001) is None for i in range(30))
    assert flood.admit(2000, 5.5) == ("bot", 1)
    assert flood.admit(2000, 6.1) is None
    assert flood.refused_global == 1 and flood.refused_chat == 0


def test_without_per_chat_rules_only_the_global_one_applies() -> None:
    flood = FloodControl(FloodRules(per_chat=False))
    assert all(flood.admit(7, 1.0) is None for _ in range(1000))
