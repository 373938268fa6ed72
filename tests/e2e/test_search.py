"""Searching the archive through the real bot: /search in English and Russian with its
page buttons, inline mode (`@bot words` in any chat), muted words, hostile queries."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.standin.bot_api import FakeBotApi
from bot.standin.local_site import FeedItem, ThreadedLocalSite, rss_feed
from storage import repo
from tests.e2e.conftest import DEFAULT_START
from tests.e2e.harness import BotProcess, Chat, FakeClock, read_db, subscribed, wait_until
from tests.telegram_html import html_problems

WHEN = DEFAULT_START - dt.timedelta(hours=2)
HOSPITAL = FeedItem(
    "В Бишкеке открыли новую детскую больницу",
    "https://tau.example/ru/bolnitsa",
    "В понедельник в Бишкеке открыли новую детскую больницу на 300 мест, сообщило "
    "министерство здравоохранения Кыргызстана.",
    WHEN,
)
ELECTIONS = FeedItem(
    "Итоги выборов акимов в Казахстане подвели в Астане",
    "https://tau.example/ru/vybory",
    "Центральная избирательная комиссия подвела итоги выборов сельских акимов. Явка на "
    "выборах составила 41 процент.",
    WHEN,
)


@pytest.fixture
def search_bot(
    api: FakeBotApi, bot_env: dict[str, str], tmp_path: Path, clock: FakeClock, db_url: str
) -> Iterator[BotProcess]:
    """The seeded archive (English pages) and a Russian outlet's feed."""
    with ThreadedLocalSite() as site:
        feed = rss_feed("Тау Ньюс", site.base_url, [HOSPITAL, ELECTIONS])
        site.documents["/tau"] = (feed, "application/rss+xml")
        env = {
            **bot_env,
            "SOURCES": f"{site.base_url}/tau",
            "SOURCES_ALLOW_PRIVATE": "true",
            "FETCH_INTERVAL_MINUTES": "0.01",
        }
        process = BotProcess(api, env, tmp_path / "bot.log").start()

        def fetched() -> bool:
            titles = {a.title for a in read_db(db_url, lambda s: repo.latest_articles(session=s))}
            clock.advance(seconds=1)  # a stopped clock would never make the source due again
            return HOSPITAL.title in titles

        wait_until(fetched, "the Russian outlet's articles")
        yield process
        assert process.stop() == 0
        assert "Traceback" not in process.log()


def items_of(text: str) -> list[str]:
    """The titles of a results message, in order."""
    return re.findall(r"\n\n<b>(?:<a [^>]*>)?([^<]+)", text)


def test_search_in_english_turns_its_pages_in_place(
    api: FakeBotApi, search_bot: BotProcess
) -> None:
    chat = subscribed(api, 9301, "/start", "/country kz", language_code="en")
    [first] = chat.send("/search Kazakhstan")
    assert first.text.startswith("🔎 <b>Kazakhstan</b> · 1–5") and not html_problems(first.text)
    page_one = items_of(first.text)
    assert len(page_one) == 5
    assert dict(chat.buttons(first)) == {"▶": "search:1"}
    chat.tap("search:1", message_id=first.message_id)
    second = chat.received()[-1]
    assert second.method == "editMessageText" and second.message_id == first.message_id
    assert "· 6–" in second.text and not set(items_of(second.text)) & set(page_one)
    assert "◀" in dict(chat.buttons(second))
    chat.tap("search:0", message_id=first.message_id)
    assert items_of(chat.received()[-1].text) == page_one
    # Inflected forms: "summits" finds the summit; the best story first.
    [summit] = chat.send("/search Japan summits")
    assert "Japan" in items_of(summit.text)[0]
    [usage] = chat.send("/search")
    assert "/search Rogun dam" in usage.text
    [help_text] = chat.send("/help")
    assert "/search" in help_text.text


def test_search_in_russian_finds_inflected_forms_and_phrases(
    api: FakeBotApi, search_bot: BotProcess
) -> None:
    chat = subscribed(api, 9302, "/start", "/country kg", language_code="ru")
    [found] = chat.send("/search больницы Бишкек")
    assert items_of(found.text)[:1] == [HOSPITAL.title] and not html_problems(found.text)
    [found] = chat.send("/search выборы")  # the text says «выборов», «выборах»
    assert ELECTIONS.title in items_of(found.text)
    [found] = chat.send('/search "детскую больницу"')
    assert items_of(found.text)[:1] == [HOSPITAL.title]
    [nothing] = chat.send('/search "больницу детскую открыли в Ашхабаде"')
    assert nothing.text.startswith("🔎 Ничего не найдено")


def test_a_muted_word_hides_a_result(api: FakeBotApi, search_bot: BotProcess) -> None:
    chat = subscribed(api, 9303, "/start", "/country kz", language_code="en")
    [found] = chat.send("/search Naruhito")
    assert any("Naruhito" in title or "Japan" in title for title in items_of(found.text))
    chat.send("/mute Naruhito")
    [hidden] = chat.send("/search Naruhito")
    assert hidden.text.startswith("🔎 Nothing found for “Naruhito”")


def test_inline_mode_answers_and_a_chosen_story_is_sent(
    api: FakeBotApi, search_bot: BotProcess
) -> None:
    subscribed(api, 9304, "/start", "/country kz", language_code="en")
    before = len(api.inline_answers)
    api.push_inline_query(9304, "vaccine refusals")
    wait_until(lambda: len(api.inline_answers) > before, "the inline answer")
    answer = api.inline_answers[before]
    assert answer["is_personal"] is True and 0 < int(answer["cache_time"]) <= 300
    results = answer["results"]
    assert 1 <= len(results) <= 20 and "Vaccine" in results[0]["title"]
    assert results[0]["description"]  # one sentence of its summary
    sent = api.choose_inline_result(-777, answer, results[0]["id"])
    assert "<b>" in sent.text and "Vaccine" in sent.text and not html_problems(sent.text)
    # No words: the newest stories of the user's countries.
    api.push_inline_query(9304, "")
    wait_until(lambda: len(api.inline_answers) > before + 1, "the empty query's answer")
    newest = api.inline_answers[before + 1]["results"]
    assert 1 <= len(newest) <= 20
    # A user the bot never met gets results too.
    api.push_inline_query(9399, "Japan", language_code="ru")
    wait_until(lambda: len(api.inline_answers) > before + 2, "a stranger's answer")
    assert api.inline_answers[before + 2]["results"]


HOSTILE = [
    '"',
    '"rogun',
    "rogun*",
    "NEAR(rogun dam)",
    "rogun OR dam",
    "-rogun",
    "title:rogun",
    "(((rogun",
    "rogun' OR '1'='1",
    "'; DROP TABLE article; --",
    "rogun\x00dam",
    "\u202erogun\u202c \u2066dam\u2069",
    "🔥🔥🔥",
    "🇰🇿",
    "*",
    "^rogun",
    "rogun " * 700,
]


def test_hostile_queries_get_results_or_a_clear_nothing_found(
    api: FakeBotApi, search_bot: BotProcess, db_url: str
) -> None:
    chat = Chat(api, 9305)
    chat.send("/start")
    for query in HOSTILE:
        [answer] = chat.send(f"/search {query}"[:4096])
        text = answer.text
        assert text.startswith(("🔎 <b>", "🔎 Nothing found")), (query, text)
        assert not html_problems(text), (query, text)
    before = len(api.inline_answers)
    for number, query in enumerate(HOSTILE):
        api.push_inline_query(9305, query[:256])  # Telegram caps an inline query at 256
        wait_until(lambda n=number: len(api.inline_answers) > before + n, f"inline {query!r}")
    time.sleep(0.3)
    assert read_db(db_url, lambda s: repo.count_articles(session=s)) > 28  # nothing dropped
    assert search_bot.running()
