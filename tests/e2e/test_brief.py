"""/brief: titles only, one sentence, or three, in /latest and the digest."""

from __future__ import annotations

from bot.standin.bot_api import FakeBotApi
from tests.e2e.harness import BotProcess, Chat


def test_brief_headlines_short_and_full(api: FakeBotApi, bot: BotProcess) -> None:
    chat = Chat(api, 950)
    chat.send("/start")
    chat.send("/country kz")
    [short] = chat.send("/latest 3")  # new chats start "short": one sentence a story
    [reply] = chat.send("/brief headlines")
    assert reply.text == "Digests and /latest now show titles only."
    [headlines] = chat.send("/latest 3")
    blocks = headlines.text.split("\n\n")[1:]
    assert len(blocks) == 3 and all(block.count("\n") == 0 for block in blocks)
    assert all(block.startswith("<b>") for block in blocks)
    chat.send("/brief full")
    [full] = chat.send("/latest 3")
    assert len(headlines.text) < len(short.text) < len(full.text)
    [settings] = chat.send("/settings")
    assert "Stories: three sentences a story" in settings.text
    [refused] = chat.send("/brief medium")
    assert refused.text.startswith("Send /brief headlines, /brief short or /brief full")
