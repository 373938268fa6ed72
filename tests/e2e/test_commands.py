"""Every command's arguments, good and bad, through the real bot process."""

from __future__ import annotations

from bot.standin.bot_api import FakeBotApi
from bot.telegram.texts import COMMANDS
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.harness import BotProcess, Chat


def _articles(text: str) -> int:
    """Articles in a /latest answer: each starts with a bold title after a blank line."""
    return sum(1 for block in text.split("\n\n") if block.startswith("<b>"))


def test_country_as_text(api: FakeBotApi, bot: BotProcess) -> None:
    chat = Chat(api, 601)
    [reply] = chat.send("/country kz uz")
    assert "Following: 🇰🇿 Kazakhstan, 🇺🇿 Uzbekistan" in reply.text
    [reply] = chat.send("/country Kyrgyz Republic, Tajikistan")
    assert "Following: 🇰🇬 Kyrgyzstan, 🇹🇯 Tajikistan" in reply.text
    [reply] = chat.send("/country narnia")
    assert "I don't know the country “narnia”" in reply.text and "kz (Kazakhstan)" in reply.text
    [reply] = chat.send("/country all")
    assert "🇦🇫 Afghanistan" in reply.text and "🇹🇲 Turkmenistan" in reply.text
    [picker] = chat.send("/country")
    assert sum(text.startswith("✅") for text, _ in chat.buttons(picker)) == 6


def test_latest_arguments(api: FakeBotApi, bot: BotProcess) -> None:
    chat = Chat(api, 602)
    [reply] = chat.send("/latest")  # no countries chosen: all of them, and a hint
    assert "Latest from all countries" in reply.text and _articles(reply.text) == 5
    [reply] = chat.send("/latest kz 2")
    assert reply.text.startswith("📰 <b>Latest</b> — 🇰🇿 Kazakhstan") and _articles(reply.text) == 2
    [reply] = chat.send("/latest 3 uzbekistan")
    assert "🇺🇿 Uzbekistan" in reply.text and _articles(reply.text) == 3
    many = chat.send_all("/latest 50")  # capped at 20, which takes more than one message
    assert len(many) > 1 and sum(_articles(m.text) for m in many) == 20
    assert all(len(m.text.encode("utf-16-le")) // 2 <= 4096 for m in many)
    for bad, expected in [
        ("/latest 0", "The number must be 1 or more"),
        ("/latest -3", "The number must be 1 or more"),
        ("/latest kz 2 3", "one number at most"),
        ("/latest kz uz", "one country at a time"),
        ("/latest atlantis", "I don't know the country “atlantis”"),
    ]:
        [reply] = chat.send(bad)
        assert expected in reply.text, bad


def test_latest_with_nothing_stored(
    api: FakeBotApi, bot_env: dict[str, str], tmp_path: object
) -> None:
    from pathlib import Path

    empty = Path(str(tmp_path)) / "empty.db"
    env = {**bot_env, "DATABASE_URL": f"sqlite:///{empty}"}
    process = BotProcess(api, env, Path(str(tmp_path)) / "empty.log").start()
    try:
        [reply] = Chat(api, 603).send("/latest")
        assert reply.text.startswith("No news stored yet")
        [reply] = Chat(api, 603).send("/latest tj")
        assert reply.text.startswith("No news stored for 🇹🇯 Tajikistan yet")
    finally:
        process.stop()


def test_time_and_timezone(api: FakeBotApi, bot: BotProcess) -> None:
    chat = Chat(api, 604)
    [reply] = chat.send("/time 7:30")
    assert reply.text.startswith("Daily digest time set: 07:30 Asia/Almaty (next:")
    [reply] = chat.send("/timezone europe/BERLIN")
    assert "07:30 Europe/Berlin" in reply.text
    [reply] = chat.send("/timezone uz")
    assert "07:30 Asia/Tashkent" in reply.text
    for bad, expected in [
        ("/time 25:00", "/time 08:30"),
        ("/time soon", "/time 08:30"),
        ("/timezone Mars/Olympus", "/timezone Asia/Tashkent"),
    ]:
        [reply] = chat.send(bad)
        assert (expected in reply.text and "I don't know" in reply.text) or "isn't a time" in (
            reply.text
        ), bad
    [reply] = chat.send("/time")
    assert reply.text.startswith("Now: 07:30 Asia/Tashkent") and "/time 08:30" in reply.text
    [reply] = chat.send("/settings")
    assert "Daily digest: 07:30 Asia/Tashkent" in reply.text
    # A zone picked by hand is not overridden by the first country chosen later.
    chat.send("/country kg")
    [reply] = chat.send("/settings")
    assert "07:30 Asia/Tashkent" in reply.text


def test_stop_keeps_preferences_and_start_resumes(api: FakeBotApi, bot: BotProcess) -> None:
    chat = Chat(api, 605)
    chat.send("/start")
    chat.send("/country tj")
    [reply] = chat.send("/stop")
    assert reply.text.startswith("Daily digests paused")
    [reply] = chat.send("/settings")
    assert "Status: paused — /start resumes" in reply.text and "🇹🇯 Tajikistan" in reply.text
    assert "(next:" not in reply.text
    [reply] = chat.send("/start")
    assert reply.text.startswith("Welcome back, Test!")
    assert "✅ 🇹🇯 Tajikistan" in [text for text, _ in chat.buttons(reply)]
    [reply] = chat.send("/settings")
    assert "Status: subscribed" in reply.text and "(next:" in reply.text
    [reply] = Chat(api, 606).send("/stop")
    assert reply.text.startswith("You're not subscribed yet")


def test_help_unknown_commands_and_plain_text(api: FakeBotApi, bot: BotProcess) -> None:
    chat = Chat(api, 607)
    [reply] = chat.send("/help")
    assert all(f"/{name} — " in reply.text for name, _ in COMMANDS)
    [reply] = chat.send("/frobnicate now")
    assert reply.text == "I don't know /frobnicate. /help lists what I can do."
    [reply] = chat.send("hello there")
    assert reply.text == "I answer commands — /help lists them."
    [reply] = chat.send(f"/help@{api.username}")
    assert "/latest — " in reply.text
    chat.send("/help@some_other_bot", expect=0)
    chat.send("/frobnicate@some_other_bot", expect=0)
    [reply] = chat.send("/settings")  # the two above got no answer: this is the next one
    assert reply.text.startswith("You're not subscribed yet")


def test_stats_only_for_admins(api: FakeBotApi, bot: BotProcess) -> None:
    Chat(api, 608).send("/start")
    Chat(api, 609).send("/start")
    Chat(api, 609).send("/stop")
    [reply] = Chat(api, 608).send("/stats")
    assert reply.text == "Sorry, /stats is for the bot's operators."
    [reply] = Chat(api, ADMIN_ID).send("/stats")
    assert "Subscribers: 1 active, 1 paused, 0 inactive" in reply.text
    assert "Articles stored: 28" in reply.text and "Last ingest: 20" in reply.text


def test_forged_and_stale_buttons_are_answered(api: FakeBotApi, bot: BotProcess) -> None:
    chat = Chat(api, 610)
    [welcome] = chat.send("/start")
    for data in ["country:XX", "evil payload", "country:", "x" * 64]:
        answer = chat.tap(data, message_id=welcome.message_id, expect=0)
        assert answer.startswith("That button has expired"), data
    # A button under a message that no longer exists still stores the choice.
    assert chat.tap("country:KG", message_id=987654, expect=0) == "Kyrgyzstan added"
    [reply] = chat.send("/settings")
    assert "Countries: 🇰🇬 Kyrgyzstan" in reply.text
