"""The conversation a new subscriber has, against the real bot process over HTTP."""

from __future__ import annotations

from bot.standin.bot_api import FakeBotApi
from bot.telegram.texts import COMMANDS
from storage.db import make_engine, open_session
from storage.subscribers import get_chat
from tests.e2e.harness import BotProcess, Chat

ALICE = 501


def _prefs(db_url: str, chat_id: int):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    with open_session(engine) as session:
        return get_chat(session=session, chat_id=chat_id)


def test_first_contact_to_digest(api: FakeBotApi, bot: BotProcess, db_url: str) -> None:
    assert [c["command"] for c in api.commands] == [name for name, _ in COMMANDS]
    chat = Chat(api, ALICE)

    [welcome] = chat.send("/start")
    assert "Hello, Test!" in welcome.text and "Pick your countries" in welcome.text
    assert welcome.params["parse_mode"] == "HTML"
    assert welcome.params["link_preview_options"] == {"is_disabled": True}
    labels = [text for text, _ in chat.buttons(welcome)]
    assert labels[0] == "🇰🇿 Kazakhstan" and labels[-1] == "Done" and len(labels) == 7
    assert all(len(data.encode()) < 64 for _, data in chat.buttons(welcome))

    assert chat.tap("country:KZ") == "Kazakhstan added"
    edited = chat.received()[-1]
    assert edited.method == "editMessageText" and edited.message_id == welcome.message_id
    assert "✅ 🇰🇿 Kazakhstan" in [text for text, _ in chat.buttons(edited)]
    assert chat.tap("country:UZ") == "Uzbekistan added"
    chat.tap("country:done")
    done = chat.received()[-1]
    assert "Following: 🇰🇿 Kazakhstan, 🇺🇿 Uzbekistan" in done.text
    assert "09:00 Asia/Almaty" in done.text  # the zone guessed from the first country

    latest = chat.send_all("/latest")
    assert latest[0].text.startswith("📰 <b>Latest</b> — 🇰🇿 Kazakhstan, 🇺🇿 Uzbekistan")
    articles = "\n\n".join(m.text for m in latest).count("</b>") - 1
    assert articles == 5
    assert all(("🇰🇿" in block or "🇺🇿" in block) for block in latest[0].text.split("\n\n")[1:])

    digest = chat.send_all("/digest")
    text = "\n".join(m.text for m in digest)
    assert "Central Asia news digest" in text and "🇰🇿 <b>Kazakhstan</b>" in text
    assert "💱 <b>Exchange rates</b>" in text and " KZT (" in text and "1 USD = 12,500 UZS" in text
    [again] = chat.send("/digest")
    assert again.text.startswith("Nothing new for 🇰🇿 Kazakhstan, 🇺🇿 Uzbekistan")

    [settings] = chat.send("/settings")
    assert "Countries: 🇰🇿 Kazakhstan, 🇺🇿 Uzbekistan" in settings.text
    assert "Daily digest: 09:00 Asia/Almaty (next:" in settings.text
    assert "Status: subscribed" in settings.text

    stored = _prefs(db_url, ALICE)
    assert stored is not None and stored.countries == ("KZ", "UZ")
    assert stored.status == "active" and stored.next_digest_at is not None
