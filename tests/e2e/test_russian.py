"""A user whose Telegram is in Russian: every reply Russian, /language en switches, the digest too."""

from __future__ import annotations

import datetime as dt
import re

from bot.standin.bot_api import FakeBotApi
from bot.telegram.texts import COMMANDS
from tests.e2e.harness import BotProcess, Chat, FakeClock, check_replies, next_local, wait_until
from tests.telegram_html import html_problems

OLGA = 901
# English words of the bot's own interface; none may be left in a Russian reply.
ENGLISH_UI = re.compile(
    r"\b(?:Hello|Which|Tap|Done|Following|Daily|digest|Latest|Countries|Status|subscribed"
    r"|Exchange rates|and \d+ more|Nothing new|Your settings|Choose|Language|next)\b"
)


def _russian(text: str) -> str:
    """The bot's own words in a reply: article titles and summaries stay as written."""
    own = re.sub(
        r"<b>(?:<a [^>]*>)?[^<]*(?:</a>)?</b>(?: — [^\n]*?)?(?: [\U0001F1E6-\U0001F1FF]+)?\n[^\n]*",
        "",
        text,
    )
    return own


def test_a_russian_conversation(api: FakeBotApi, bot: BotProcess, clock: FakeClock) -> None:
    menu = {c["command"]: c["description"] for c in api.menus["ru"]}
    assert set(menu) == {name for name, _ in COMMANDS}
    assert menu["latest"] == "Свежие статьи: /latest [страна] [n]"
    chat = Chat(api, OLGA, language_code="ru")

    [welcome] = chat.send("/start")
    assert "Здравствуйте, Test!" in welcome.text and "Выберите страны" in welcome.text
    labels = [text for text, _ in chat.buttons(welcome)]
    assert labels[0] == "🇰🇿 Казахстан" and labels[-1] == "Готово"
    assert chat.tap("country:KZ") == "Казахстан: добавлено"
    chat.tap("country:done")
    done = chat.received()[-1]
    assert "Вы следите за: 🇰🇿 Казахстан" in done.text and "(следующий:" in done.text

    latest = chat.send_all("/latest")
    assert latest[0].text.startswith("📰 <b>Свежее</b> — 🇰🇿 Казахстан")
    replies = [welcome, done, *latest]
    replies += chat.send("/country узбекистан казахстан")
    assert "🇰🇿 Казахстан, 🇺🇿 Узбекистан" in replies[-1].text
    replies += chat.send("/settings")
    assert "Язык: русский" in replies[-1].text and "Статус: подписка активна" in replies[-1].text
    replies += chat.send("/time 25:99")
    assert replies[-1].text.startswith("Не понимаю это время")
    replies += chat.send("/frobnicate")
    assert "Я не знаю команду /frobnicate" in replies[-1].text
    replies += chat.send_all("/help")
    for reply in replies:
        assert html_problems(reply.text) == [], reply.text
        assert not ENGLISH_UI.search(_russian(reply.text)), reply.text

    # The digest at 09:00 Almaty comes in Russian.
    due = next_local(clock.now, "Asia/Almaty", dt.time(9, 0))
    clock.set(due + dt.timedelta(seconds=5))
    seen = len(chat.received())
    wait_until(
        lambda: any("Курсы валют" in m.text for m in chat.received()[seen:]),
        "the whole Russian digest (its rates close it)",
    )
    after = chat.received()[seen:]  # a help text, the marker of the last send_all, may come first
    first = next(i for i, m in enumerate(after) if m.text.startswith("📰 <b>Дайджест новостей"))
    digest = after[first:]
    text = "\n".join(m.text for m in digest)
    for part in digest:
        assert html_problems(part.text) == [] and not ENGLISH_UI.search(_russian(part.text))
    assert "🇺🇿 <b>Узбекистан</b>" in text and "💱 <b>Курсы валют</b>" in text
    assert re.search(r"и ещё \d+ (?:статья|статьи|статей) — /latest", text)

    [english] = chat.send("/language en")
    assert english.text == "I'll write in English from now on."
    [settings] = chat.send("/settings")
    assert "Language: English" in settings.text
    assert "Countries: 🇰🇿 Kazakhstan, 🇺🇿 Uzbekistan" in settings.text
    [back] = chat.send("/language русский")
    assert back.text == "Теперь я пишу по-русски."
    # The button under /settings switches too, and shows the settings in the new language.
    [settings] = chat.send("/settings")
    labels = [label for label, _ in chat.buttons(settings)]
    assert labels[-1] == "🇬🇧 English" and "🔔 Включить оповещения" in labels
    assert (
        chat.tap("language:en", message_id=settings.message_id)
        == "I'll write in English from now on."
    )
    edited = chat.received()[-1]
    assert edited.method == "editMessageText" and "Language: English" in edited.text
    labels = [label for label, _ in chat.buttons(edited)]
    assert labels[-1] == "🇷🇺 Русский" and "🔔 Alerts on" in labels


# The words of the reader-settings replies that must not be left in English.
ENGLISH_SETTINGS = re.compile(
    r"\b(?:Alerts|Digest days|Muted|Following|Stories|Days|Words|Tap|Saved|channel|every day"
    r"|Mon|Fri|Send|words)\b"
)


def test_reader_settings_in_russian(api: FakeBotApi, bot: BotProcess) -> None:
    chat = Chat(api, 1702, language_code="ru")
    chat.send("/start")
    expected = {
        "/days пн-пт": "Дни дайджеста: пн–пт.",
        "/days": "Дни дайджеста: пн–пт. Чтобы изменить",
        "/alerts вкл": "Оповещения включены",
        "/alerts выкл": "Оповещения выключены.",
        "/brief заголовки": "Теперь в дайджестах и /latest: только заголовки",
        "/follow выборы": "Слежу за “выборы”.",
        "/mute футбол": "Скрыто: “футбол”.",
        "/keywords": "<b>Ваши слова</b>",
        "/unfollow выборы": "Больше не слежу за “выборы”.",
        '/follow ""': "Кавычки пустые.",
        "/days когда-нибудь": "Я не знаю дня «когда-нибудь»",
        "/channel": "Чтобы публиковать ежедневный дайджест в канале",
        "/channel @nowhere_at_all": "Не нахожу публичный канал @nowhere_at_all",
        "/settings": "<b>Ваши настройки</b>",
    }
    for reply in check_replies(chat, expected):
        assert not ENGLISH_SETTINGS.search(reply.text.replace("/channel", "")), reply.text
    [settings] = chat.received()[-1:]
    assert "Дни: пн–пт" in settings.text and "Оповещения: выключены" in settings.text
