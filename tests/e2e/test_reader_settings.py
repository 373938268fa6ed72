"""Each reader's own digest, from the real bot process: followed and muted words,
alerts, weekdays, forum topics and the /settings buttons."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from sqlmodel import select

from bot.delivery.schedule import TOPIC_GONE
from bot.i18n import say
from bot.standin.bot_api import FakeBotApi, SentMessage
from bot.topics import keyword_token
from storage.models import ArticleRecord, DigestDelivery
from storage.subscribers import ChatPrefs, get_chat
from tests.e2e.harness import (
    BotProcess,
    Chat,
    FakeClock,
    check_replies,
    next_local,
    read_db,
    subscribed,
    wait_until,
)
from tests.telegram_html import html_problems

UTC = dt.UTC
QUIET = 0.8  # four digest ticks: long enough to see that nothing happens

# Stories written for these tests, in the listing shape of the real site.
GAS = "Kazakhstan Raises Household Gas Prices in Almaty"
ELECTIONS = "Tajikistan Sets a Date for Parliamentary Elections"
HYDROGEN = "Kazakhstan Opens a Hydrogen Research Centre in Karaganda"
SNAPSHOT = f"""Viewing results 1 - 6 of 80

{GAS}

Kazakhstan's gas distributor QazaqGaz said on Tuesday that households in Almaty will pay eleven percent more for gas from January. The company said the new tariff covers the cost of extending the pipeline network to new districts of the city.

{ELECTIONS}

Tajikistan's Central Commission for Elections and Referenda said the parliamentary elections will be held on the first Sunday of March. Observers from the OSCE have been invited to follow the vote in Dushanbe and the regions.

{HYDROGEN}

Kazakhstan has opened its first hydrogen research centre in Karaganda, the Ministry of Energy said on Monday. The centre will test electrolysers powered by wind farms in the Karaganda region and train engineers for Kazakhstan's planned export projects.
"""


METRO = "Tashkent Extends Its Metro to the Sergeli District"
TRAM = "Samarkand Opens Its First Tram Line"


def _uzbek_snapshot(title: str) -> str:
    return f"""Viewing results 1 - 6 of 81

{title}

Uzbekistan's capital opened four new stations on Wednesday, the city administration said. The extension links the new housing estates with the city centre and the Uzbek railway station.
"""


def _publish(
    folder: Path, db_url: str, text: str = SNAPSHOT, titles: frozenset[str] = frozenset()
) -> None:
    """Drop a snapshot where the bot looks, and wait until its articles are stored."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"reader-settings-{abs(hash(text))}.txt").write_text(text, encoding="utf-8")
    wanted = titles or {GAS, ELECTIONS, HYDROGEN}

    def stored() -> bool:
        return wanted <= read_db(db_url, lambda s: set(s.exec(select(ArticleRecord.title))))

    wait_until(stored, "the test snapshot to be ingested")


def _digests(chat: Chat) -> list[SentMessage]:
    marks = ("Central Asia news digest", "Дайджест новостей Центральной Азии")
    return [m for m in chat.received() if any(mark in m.text for mark in marks)]


def _digest_text(chat: Chat, clock: FakeClock, zone: str = "Asia/Almaty") -> str:
    """Move the clock to the next 09:00 in `zone` and return the whole digest."""
    before = len(_digests(chat))
    clock.set(next_local(clock.now, zone, dt.time(9, 0)) + dt.timedelta(seconds=5))
    wait_until(lambda: len(_digests(chat)) > before, "the digest")
    time.sleep(QUIET)  # the rest of its parts
    first = chat.received().index(_digests(chat)[before])
    return "\n\n".join(m.text for m in chat.received()[first:])


@pytest.mark.parametrize("language", ["en", "ru"])
def test_muted_and_followed_words_in_latest_and_the_digest(
    api: FakeBotApi, bot: BotProcess, clock: FakeClock, db_url: str, language: str
) -> None:
    chat = subscribed(api, 1601, "/start", "/country kz", language_code=language)
    [followed] = chat.send("/follow election")
    [muted] = chat.send('/mute "gas prices"')
    expected = {
        "en": ("Following “election”.", "Muted “gas prices”.", "🔎 <b>Your topics</b>"),
        "ru": ("Слежу за “election”.", "Скрыто: “gas prices”.", "🔎 <b>Ваши темы</b>"),
    }[language]
    assert followed.text.startswith(expected[0]) and muted.text.startswith(expected[1])
    _publish(Path(bot.env["SNAPSHOT_DIR"]), db_url)

    # Twenty stories may take two messages: the whole answer, however many.
    latest = "\n".join(m.text for m in chat.send_all("/latest kz 20"))
    assert HYDROGEN in latest and GAS not in latest

    digest = _digest_text(chat, clock)
    country, heading, topics = digest.partition(expected[2])
    assert heading, "no topics heading in the digest"
    assert HYDROGEN in country and GAS not in digest
    assert ELECTIONS in topics  # a Tajik story, for a chat that reads Kazakhstan
    for message in chat.received():
        assert not html_problems(message.text), message.text


INTERVIEW = "Interview: Taliban-Ruled Afghanistan Looks to Kazakhstan"


def test_a_followed_word_finds_the_seeds_interview_not_the_meeting_beside_it(
    api: FakeBotApi, bot: BotProcess, clock: FakeClock
) -> None:
    """The seed pages' Taliban interview and the regional contact group's meeting in
    Astana, one outlet's two articles on two days, are two stories: a Uzbek chat that
    follows "Taliban" gets the interview itself in its digest."""
    chat = subscribed(api, 1611, "/start", "/country uz", "/follow Taliban")
    digest = _digest_text(chat, clock)
    assert INTERVIEW in digest
    assert not html_problems(digest)


def test_alerts_arrive_once_within_the_daily_cap_and_not_again_in_the_digest(
    api: FakeBotApi, bot_env: dict[str, str], clock: FakeClock, db_url: str, tmp_path: Path
) -> None:
    bot = BotProcess(api, {**bot_env, "ALERTS_PER_DAY": "2"}, tmp_path / "alerts.log").start()
    try:
        chat = subscribed(api, 1602, "/start", "/country uz")
        chat.send('/follow hydrogen "gas prices" elections')
        [on] = chat.send("/alerts on")
        assert on.text.startswith("Alerts are on") and "up to 2 a day" in on.text
        _publish(Path(bot_env["SNAPSHOT_DIR"]), db_url)

        def alerts() -> list[SentMessage]:
            return [m for m in chat.received() if m.text.startswith("<b>🔔")]

        # Within a minute of ingest: here the clock stands still, so within a few ticks.
        wait_until(lambda: len(alerts()) >= 2, "two alerts")
        time.sleep(QUIET)
        got = alerts()
        assert len(got) == 2, "the daily cap of 2 was passed"
        # The oldest first: the snapshot lists newest first, so its last story is oldest.
        alerted = [t for t in (GAS, ELECTIONS, HYDROGEN) if any(t in m.text for m in got)]
        assert len(alerted) == 2
        [left] = {GAS, ELECTIONS, HYDROGEN} - set(alerted)

        digest = _digest_text(chat, clock)
        assert left in digest, "the story over the cap comes in the digest"
        assert not any(title in digest for title in alerted), "an alerted story came again"
        assert len(alerts()) == 2
    finally:
        bot.stop()


@pytest.mark.parametrize("start", [dt.datetime(2026, 10, 22, 12, 0, tzinfo=UTC)])
def test_weekday_digests_skip_the_weekend_across_a_dst_change(
    api: FakeBotApi, bot_env: dict[str, str], clock: FakeClock, db_url: str, tmp_path: Path
) -> None:
    env = {**bot_env, "DIGEST_SEND_EMPTY": "true"}
    bot = BotProcess(api, env, tmp_path / "days.log").start()
    try:
        chat = subscribed(api, 1603, "/start", "/country kz", "/timezone Europe/Berlin")
        [reply] = chat.send("/days mon-fri")
        assert reply.text.startswith("Digest days: Mon–Fri.")
        # 09:00 in Berlin: 07:00 UTC in summer time, 08:00 UTC from Sunday 25 October.
        days = [(23, 7, True), (24, 7, False), (25, 8, False), (26, 8, True), (27, 8, True)]
        for day, hour, sent in days:
            count = len(chat.received())
            clock.set(dt.datetime(2026, 10, day, hour, 0, 5, tzinfo=UTC))
            if sent:
                wait_until(lambda count=count: len(chat.received()) > count, f"digest on {day}")
            else:
                time.sleep(QUIET)
                assert len(chat.received()) == count, f"a digest on {day} October, a weekend"
        rows = read_db(
            db_url,
            lambda s: list(s.exec(select(DigestDelivery).where(DigestDelivery.chat_id == 1603))),
        )
        assert sorted(r.due_at for r in rows) == [
            dt.datetime(2026, 10, 23, 7, 0, tzinfo=UTC),
            dt.datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
            dt.datetime(2026, 10, 27, 8, 0, tzinfo=UTC),
        ]
    finally:
        bot.stop()


def test_a_forum_topic_gets_its_digest_and_a_deleted_topic_falls_back_once(
    api: FakeBotApi, bot: BotProcess, clock: FakeClock, db_url: str
) -> None:
    group, admin, topic = -1001604, 5604, 42
    api.open_topic(group, topic)
    api.chat_admins[group] = {admin}
    chat = Chat(api, group, chat_type="supergroup", thread_id=topic)
    [greeting] = chat.send("/start", user_id=admin)
    assert greeting.params.get("message_thread_id") == topic  # replies stay in the topic
    chat.send("/country kz", user_id=admin)
    stored = read_db(db_url, lambda s: get_chat(session=s, chat_id=group))
    assert stored is not None and stored.thread_id == topic

    _digest_text(chat, clock)
    digest = _digests(chat)
    assert digest and all(m.params.get("message_thread_id") == topic for m in digest)

    api.delete_topic(group, topic)
    _publish(Path(bot.env["SNAPSHOT_DIR"]), db_url)  # news for the next digest
    before = len(chat.received())
    text = _digest_text(chat, clock)
    later = chat.received()[before:]
    notices = [m for m in later if m.text == say("en", TOPIC_GONE)]
    assert len(notices) == 1 and "message_thread_id" not in notices[0].params
    assert "Central Asia news digest" in text
    assert all("message_thread_id" not in m.params for m in later)
    stored = read_db(db_url, lambda s: get_chat(session=s, chat_id=group))
    assert stored is not None and stored.thread_id is None


def test_settings_buttons_change_settings_in_place(
    api: FakeBotApi, bot: BotProcess, db_url: str
) -> None:
    chat = subscribed(api, 1605, "/start", "/country kz")
    [settings] = chat.send("/settings")
    assert "Stories: one sentence a story" in settings.text and "Alerts: off" in settings.text
    buttons = dict((data, label) for label, data in chat.buttons(settings))
    assert buttons["setting:brief:full"] == "📄 Three sentences"

    assert chat.tap("setting:brief:full", message_id=settings.message_id) == "Saved"
    assert "Stories: three sentences a story" in chat.received()[-1].text
    chat.tap("setting:alerts:on", message_id=settings.message_id)
    chat.tap("setting:days:weekdays", message_id=settings.message_id)
    edited = chat.received()[-1]
    assert edited.method == "editMessageText" and edited.message_id == settings.message_id
    assert "Alerts: on, up to 10 a day" in edited.text and "Days: Mon–Fri" in edited.text
    chat.tap("language:ru", message_id=settings.message_id)
    assert "<b>Ваши настройки</b>" in chat.received()[-1].text
    stored = read_db(db_url, lambda s: get_chat(session=s, chat_id=1605))
    assert stored is not None
    assert (stored.brevity, stored.alerts, stored.days, stored.language) == (
        "full", True, (1, 2, 3, 4, 5), "ru",
    )  # fmt: skip
    chat.tap("setting:countries:pick", message_id=settings.message_id)
    picker = chat.received()[-1]
    assert picker.message_id == settings.message_id and "country:KZ" in str(picker.params)
    # A forged settings button changes nothing.
    answer = chat.tap("setting:brief:enormous", message_id=settings.message_id, expect=0)
    assert "expired" in answer or "устарела" in answer


def test_keyword_limits_and_bad_input_are_refused_and_nothing_is_stored(
    api: FakeBotApi, bot: BotProcess, db_url: str
) -> None:
    chat = Chat(api, 1606)
    chat.send("/start")
    fifty = " ".join(f"word{i}" for i in range(50))
    [ok] = chat.send(f"/follow {fifty}")
    assert ok.text.startswith("Following “word0”")
    refusals = {
        "/follow word50": "in all",  # the 51st
        "/mute " + "x" * 65: "too long",
        '/follow ""': "The quotes are empty",
        '/follow "\u0000\u202e\u0007"': "The quotes are empty",
        "/follow": "Send a word or a phrase in quotes",
        "/unfollow nothing": "not on your list",
    }
    check_replies(chat, refusals)
    stored = read_db(db_url, lambda s: get_chat(session=s, chat_id=1606))
    assert stored is not None and len(stored.follows) == 50 and not stored.mutes

    [listing] = chat.send("/keywords")
    assert "Following: “word0”" in listing.text
    token = keyword_token("word7")
    assert chat.tap(f"keyword:{token}", message_id=listing.message_id) == "“word7” removed"
    assert "word7" not in chat.received()[-1].text
    stored = read_db(db_url, lambda s: get_chat(session=s, chat_id=1606))
    assert stored is not None and "word7" not in stored.follows and len(stored.follows) == 49
    [unfollowed] = chat.send("/unfollow word8 word9")
    assert unfollowed.text.startswith("No longer following “word8”, “word9”")


def test_a_channel_digest_is_set_up_from_a_private_chat_and_ends_after_a_403(
    api: FakeBotApi, bot: BotProcess, clock: FakeClock, db_url: str
) -> None:
    owner, stranger, channel = 1607, 1608, -1009001
    api.add_channel("ca_digest", channel, admins={owner})
    api.add_channel("not_mine_yet", -1009002, admins={stranger}, bot_is_admin=False)

    def row(chat_id: int) -> ChatPrefs | None:
        return read_db(db_url, lambda s: get_chat(session=s, chat_id=chat_id))

    # Refused, and nothing stored: not an admin, no such channel, the bot may not post.
    other = Chat(api, stranger)
    refusals = {
        "/channel @ca_digest": "Only an administrator of @ca_digest",
        "/channel @no_such_channel": "I can't find a public channel @no_such_channel",
        "/channel @not_mine_yet": "Make me an administrator of @not_mine_yet",
        "/channel ca_digest": "Send /channel @name",
    }
    check_replies(other, refusals)
    assert row(channel) is None and row(-1009002) is None
    stored = row(stranger)
    assert stored is None or stored.editing is None

    chat = subscribed(api, owner, "/start", "/country kz")
    [on] = chat.send("/channel @ca_digest")
    assert on.text.startswith("Setting up the digest of @ca_digest") and "reply_markup" in on.params
    chat.send("/country uz")
    chat.send("/brief headlines")
    [settings] = chat.send("/settings")
    assert settings.text.startswith("📣 A channel's settings")
    assert "Uzbekistan" in settings.text and "Kazakhstan" not in settings.text
    [grouped] = Chat(api, -1009003, chat_type="supergroup").send("/channel @ca_digest")
    assert grouped.text == "Send /channel in a private chat with me."
    channel_row, own_row = row(channel), row(owner)
    assert channel_row is not None and own_row is not None
    assert (channel_row.chat_type, channel_row.countries, channel_row.brevity) == (
        "channel", ("UZ",), "headlines",
    )  # fmt: skip
    assert own_row.countries == ("KZ",) and own_row.editing == channel
    [done] = chat.send("/channel done")
    assert done.text == "Your commands change your own settings again."
    [mine] = chat.send("/settings")
    assert "Kazakhstan" in mine.text and "📣" not in mine.text

    # The channel's own digest, in the channel, and the owner's in the private chat.
    _digest_text(chat, clock)
    posted = [m for m in api.messages_to(channel) if "Central Asia news digest" in m.text]
    assert posted and "🇺🇿 <b>Uzbekistan</b>" in posted[0].text
    assert "🇰🇿 <b>Kazakhstan</b>" not in posted[0].text

    # The bot is removed from the channel: the next digest meets 403 and it ends there.
    api.block_chat(channel)
    _publish(Path(bot.env["SNAPSHOT_DIR"]), db_url, _uzbek_snapshot(METRO), frozenset({METRO}))
    clock.set(next_local(clock.now, "Asia/Almaty", dt.time(9, 0)) + dt.timedelta(seconds=5))
    wait_until(
        lambda: (found := row(channel)) is not None and found.status == "blocked",
        "the channel to be marked inactive",
    )

    def sends_to_channel() -> int:
        return sum(1 for _, p in api.calls if p.get("chat_id") in (channel, str(channel)))

    tried = sends_to_channel()
    # News for the channel again: a digest would be due, but the channel is gone.
    _publish(Path(bot.env["SNAPSHOT_DIR"]), db_url, _uzbek_snapshot(TRAM), frozenset({TRAM}))
    clock.set(next_local(clock.now, "Asia/Almaty", dt.time(9, 0)) + dt.timedelta(seconds=5))
    time.sleep(QUIET)
    assert sends_to_channel() == tried, "a channel that answered 403 got another digest"
