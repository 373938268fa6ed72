"""Hostile and odd input against the real bot process.

Each case: a command for this bot gets a clear reply; the process stays up; no
setting changes unless the command was valid; every text sent is valid
Telegram HTML within 4,096 characters. On PostgreSQL too, which refuses NUL
bytes in text: no write may fail because of one.
"""

from __future__ import annotations

from bot.standin.bot_api import FakeBotApi, SentMessage
from bot.telegram.texts import COMMANDS
from storage.subscribers import ChatPrefs, get_chat
from tests.e2e.harness import BotProcess, Chat, read_db, wait_until
from tests.telegram_html import html_problems

LONGEST = 4096  # Telegram's limit on a message, in characters


def _prefs(db_url: str, chat_id: int) -> ChatPrefs | None:
    return read_db(db_url, lambda s: get_chat(session=s, chat_id=chat_id))


def _valid(messages: list[SentMessage]) -> None:
    for message in messages:
        assert not html_problems(message.text), (message.text[:200], html_problems(message.text))


def _alive(chat: Chat, bot: BotProcess) -> None:
    [reply] = chat.send("/help")
    assert "/latest — " in reply.text
    assert bot.running()


def test_every_command_with_a_maximal_argument(
    api: FakeBotApi, bot: BotProcess, db_url: str
) -> None:
    chat = Chat(api, 701)
    chat.send("/start")
    chat.send("/country kz")
    settled = _prefs(db_url, 701)
    words = ("kazakhstan " * 400)[: LONGEST - 20]  # about 370 words of a real country name
    for name, _ in [*COMMANDS, ("stats", "")]:
        if name in {"start", "stop", "digest"}:
            continue  # they take no arguments and do their work: below, one by one
        for argument in (words, "x" * (LONGEST - len(name) - 2), "<b>&amp;" * 500):
            text = f"/{name} {argument}"[:LONGEST]
            _valid(chat.send(text))  # exactly one answer, whatever the argument
        assert _prefs(db_url, 701) == settled, f"/{name} with junk changed the settings"
    _valid(chat.send_all(f"/digest {'y' * (LONGEST - 10)}"))
    for name in ("start", "stop"):
        _valid(chat.send(f"/{name} {'y' * (LONGEST - 10)}"))
    _alive(chat, bot)


def test_time_zones_that_look_like_paths(api: FakeBotApi, bot: BotProcess, db_url: str) -> None:
    chat = Chat(api, 702)
    chat.send("/start")
    before = _prefs(db_url, 702)
    for zone in ("../../etc/passwd", "/etc/localtime", "Asia/Almaty/../../..", "Asia/../..",
                 "..", "/", "posixrules/../Asia/Almaty", "Asia/Almaty" * 300):  # fmt: skip
        [reply] = chat.send(f"/timezone {zone}")
        assert "I don't know the time zone" in reply.text, zone
        _valid([reply])
    assert _prefs(db_url, 702) == before
    _alive(chat, bot)


def test_nul_bytes_bidi_controls_and_odd_digits(
    api: FakeBotApi, bot: BotProcess, db_url: str
) -> None:
    chat = Chat(api, 703)
    chat.send("/start")
    # Control and format characters are dropped: what is left is what the user meant.
    [reply] = chat.send("/country \x00k\u202ez\u200b")
    assert "Following: 🇰🇿 Kazakhstan" in reply.text
    [reply] = chat.send("/timezone Asia/Al\u2066maty\x00")
    assert "Asia/Almaty" in reply.text
    [reply] = chat.send("/time ９:００")  # full-width digits
    assert "09:00" in reply.text
    prefs = _prefs(db_url, 703)
    assert prefs is not None and prefs.countries == ("KZ",)
    assert str(prefs.digest_time) == "09:00:00"
    for bad, expected in [
        ("/time 123456789012345678901234567890", "isn't a time I understand"),
        ("/time -1", "isn't a time I understand"),
        ("/time 24:00", "isn't a time I understand"),
        ("/time ²:³⁰", "isn't a time I understand"),
        ("/latest -5", "must be 1 or more"),
        ("/latest -123456789012345678901234567890", "must be 1 or more"),
        ("/latest 0", "must be 1 or more"),
        ("/country \x00\x00", "Which countries do you follow?"),  # nothing left: the picker
        ("/country \u202enarnia", "I don't know the country “narnia”"),
    ]:
        replies = chat.send_all(bad)
        assert (replies and expected in replies[0].text) or any(
            expected in r.text for r in replies
        ), (bad, [r.text[:80] for r in replies])
        _valid(replies)
    many = chat.send_all("/latest 123456789012345678901234567890")  # "many": as the cap, 20
    capped = chat.send_all("/latest 20")
    assert [m.text for m in many] == [m.text for m in capped]
    _valid(many)
    assert _prefs(db_url, 703) == prefs
    _alive(chat, bot)


def test_forged_button_presses(api: FakeBotApi, bot: BotProcess, db_url: str) -> None:
    chat = Chat(api, 704)
    [welcome] = chat.send("/start")
    before = _prefs(db_url, 704)
    for data in ("\x07" * 64, "z" * 64, "country:ZZ", "country:", "", "country:kz", "done"):
        answer = chat.tap(data, message_id=welcome.message_id, expect=0)
        assert answer == "That button has expired. Send /country for a fresh picker.", data
    # A real button, on a message the bot never sent: the choice is stored, nothing breaks.
    assert chat.tap("country:UZ", message_id=999_999, expect=0) == "Uzbekistan added"
    after = _prefs(db_url, 704)
    assert before is not None and after is not None and after.countries == ("UZ",)
    _alive(chat, bot)


def test_edits_stickers_photos_membership_and_other_bots(
    api: FakeBotApi, bot: BotProcess, db_url: str
) -> None:
    chat = Chat(api, 705)
    chat.send("/start")
    before = _prefs(db_url, 705)

    # An edited command is not run again.
    edited = api.user_message(705, "/country tj")
    edited["edit_date"] = edited["date"] + 5
    api.push_update("edited_message", edited)
    # A command for another bot in a private chat is not ours either.
    chat.send("/start@other_bot", expect=0)
    # A sticker and a photo in a private chat: a pointer to /help.
    sticker = api.user_message(705, None)
    sticker["sticker"] = {
        "file_id": "s1", "file_unique_id": "u1", "type": "regular",
        "width": 512, "height": 512, "is_animated": False, "is_video": False,
    }  # fmt: skip
    photo = api.user_message(705, None)
    photo["photo"] = [{"file_id": "p1", "file_unique_id": "u2", "width": 90, "height": 90}]
    photo["caption"] = "/country af"  # a caption is not a command
    count = len(chat.received())
    api.push_update("message", sticker)
    api.push_update("message", photo)
    replies = chat.send_all("/settings")
    assert [r.text for r in chat.received()[count : count + 2]] == [
        "I answer commands — /help lists them."
    ] * 2
    _valid(replies)
    assert _prefs(db_url, 705) == before  # neither the edit nor the caption changed anything

    # The user blocks the bot: Telegram says so in a my_chat_member update.
    member = {"id": api.bot_id, "is_bot": True, "first_name": "newsbot"}
    api.push_update(
        "my_chat_member",
        {
            "chat": {"id": 705, "type": "private", "first_name": "Test"},
            "from": {"id": 705, "is_bot": False, "first_name": "Test"},
            "date": edited["date"],
            "old_chat_member": {"status": "member", "user": member},
            "new_chat_member": {"status": "kicked", "user": member, "until_date": 0},
        },
    )
    other = Chat(api, 706)
    _alive(other, bot)  # handled in turn; the process is up

    def blocked() -> bool:
        prefs = _prefs(db_url, 705)
        return prefs is not None and prefs.status == "blocked" and prefs.next_digest_at is None

    wait_until(blocked, "the chat that blocked the bot to be marked blocked")
