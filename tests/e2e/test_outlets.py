"""Outlets in two languages (and one more) served by a local site, read by the real bot:
news languages per chat, outlets switched off, and operators adding a source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.sources.opml import read_opml
from bot.standin.bot_api import FakeBotApi
from bot.standin.local_site import FeedItem, ThreadedLocalSite, rss_feed
from storage import repo, sources
from tests.e2e.conftest import ADMIN_ID, DEFAULT_START
from tests.e2e.harness import BotProcess, Chat, read_db, subscribed, wait_until

WHEN = DEFAULT_START - dt.timedelta(hours=2)
# Three outlets report Kyrgyz news: two in English, one in Russian; a fourth in Uzbek.
EN_STEPPE = FeedItem(
    "Kyrgyzstan Opens a New Terminal at Manas Airport",
    "https://steppe.example/kg/manas-terminal",
    "Kyrgyzstan opened a new passenger terminal at Manas airport near Bishkek on Monday. "
    "The terminal will handle three million passengers a year, the transport ministry said.",
    WHEN,
)
EN_OASIS = FeedItem(
    "Bishkek Hosts a Forum on Mountain Tourism",
    "https://oasis.example/news/bishkek-tourism",
    "Bishkek hosted a forum on mountain tourism on Monday, with guides from all regions of "
    "Kyrgyzstan. Officials said visitor numbers grew by a fifth this year.",
    WHEN,
)
RU_TAU = FeedItem(
    "В Бишкеке открыли новую детскую больницу",
    "https://tau.example/ru/bishkek-hospital",
    "В понедельник в Бишкеке открыли новую детскую больницу на 300 мест, сообщило "
    "министерство здравоохранения Кыргызстана. Строительство обошлось в 2,1 млрд сомов.",
    WHEN,
)
UZ_KUN = FeedItem(
    "Toshkentda yangi metro bekati ochildi",
    "https://kun.example/uz/metro",
    "Dushanba kuni Toshkentda yangi metro bekati ochildi. Bekat Oʻzbekiston poytaxtining "
    "janubiy tumanlarini markaz bilan bogʻlaydi va kuniga oʻn ming yoʻlovchiga xizmat qiladi.",
    WHEN,
)
LATER = FeedItem(
    "Kyrgyzstan Plants a Million Walnut Trees",
    "https://later.example/kg/walnuts",
    "Kyrgyzstan planted a million walnut trees in the Jalal-Abad region this autumn, "
    "the forestry agency in Bishkek said on Monday.",
    WHEN,
)


@pytest.fixture
def site() -> Iterator[ThreadedLocalSite]:
    with ThreadedLocalSite() as served:
        for path, title, items in [
            ("/steppe", "Steppe Wire", [EN_STEPPE]),
            ("/oasis", "Oasis Daily", [EN_OASIS]),
            ("/tau", "Тау Ньюс", [RU_TAU]),
            ("/kun", "Kun Yangiliklar", [UZ_KUN]),
            ("/later", "Later Post", [LATER]),
        ]:
            served.documents[path] = (
                rss_feed(title, served.base_url, items),
                "application/rss+xml",
            )
        yield served


@pytest.fixture
def outlets_bot(
    api: FakeBotApi, bot_env: dict[str, str], db_url: str, tmp_path: Path, site: ThreadedLocalSite
) -> Iterator[BotProcess]:
    env = {
        **bot_env,
        "SOURCES": ", ".join(
            f"{site.base_url}/{name}" for name in ("steppe", "oasis", "tau", "kun")
        ),
        "SOURCES_ALLOW_PRIVATE": "true",
        "FETCH_INTERVAL_MINUTES": "0.01",
    }
    process = BotProcess(api, env, tmp_path / "bot.log").start()

    def four_outlets() -> bool:
        return len(read_db(db_url, lambda s: repo.known_outlets(session=s))) == 4

    wait_until(four_outlets, "the four outlets' articles")
    yield process
    assert process.stop() == 0
    assert "Traceback" not in process.log()


def _titles(messages: list[str]) -> set[str]:
    items = (EN_STEPPE, EN_OASIS, RU_TAU, UZ_KUN, LATER)
    return {i.title for i in items if any(i.title in m for m in messages)}


def test_each_chat_reads_its_news_languages(api: FakeBotApi, outlets_bot: BotProcess) -> None:
    english = subscribed(api, 9101, "/start", "/country kg uz", language_code="en")
    russian = subscribed(api, 9102, "/start", "/country kg uz", language_code="ru")
    assert _titles([m.text for m in english.send_all("/latest")]) == {
        EN_STEPPE.title,
        EN_OASIS.title,
    }
    assert _titles([m.text for m in russian.send_all("/latest")]) == {
        EN_STEPPE.title, EN_OASIS.title, RU_TAU.title,
    }  # fmt: skip
    [answer] = english.send("/news all")
    assert "all languages" in answer.text
    assert _titles([m.text for m in english.send_all("/digest")]) == {
        EN_STEPPE.title, EN_OASIS.title, RU_TAU.title, UZ_KUN.title,
    }  # fmt: skip
    [answer] = russian.send("/news ru")
    assert "русский (ru)" in answer.text
    assert _titles([m.text for m in russian.send_all("/digest")]) == {RU_TAU.title}
    [refused] = russian.send("/news klingon")
    assert "klingon" in refused.text and "/news" in refused.text
    [settings] = english.send("/settings")
    assert "News in: all languages" in settings.text and "Outlets: all on" in settings.text


def test_an_outlet_switched_off_leaves_digest_and_latest(
    api: FakeBotApi, outlets_bot: BotProcess
) -> None:
    chat = subscribed(api, 9103, "/start", "/country kg", language_code="en")
    [picker] = chat.send("/outlets")
    buttons = dict(chat.buttons(picker))
    assert set(buttons) >= {"✅ Steppe Wire", "✅ Oasis Daily", "✅ Тау Ньюс", "✅ Kun Yangiliklar"}
    answer = chat.tap(buttons["✅ Oasis Daily"], message_id=picker.message_id)
    assert answer == "Oasis Daily off"
    assert "▫️ Oasis Daily" in dict(chat.buttons(chat.received()[-1]))
    assert _titles([m.text for m in chat.send_all("/latest")]) == {EN_STEPPE.title}
    assert _titles([m.text for m in chat.send_all("/digest")]) == {EN_STEPPE.title}
    [settings] = chat.send("/settings")
    assert "Outlets: 1 switched off (/outlets)" in settings.text
    # Forged and stale data: answered, nothing changed.
    assert "expired" in chat.tap("outlet:off:0:../../etc", message_id=picker.message_id, expect=0)


def test_operators_add_and_remove_sources_from_telegram(
    api: FakeBotApi, outlets_bot: BotProcess, db_url: str, site: ThreadedLocalSite
) -> None:
    stranger = subscribed(api, 9104, "/start", "/country kg")
    [refused] = stranger.send(f"/source add {site.base_url}/later")
    assert "operators" in refused.text
    admin = Chat(api, ADMIN_ID)
    for bad, reason in [
        ("/source add ftp://later.example/feed", "only http and https"),
        (f"/source add {site.base_url}/nothing-here", "404"),
        ("/source add http://", "no host"),
    ]:
        [answer] = admin.send(bad)
        assert "Not added" in answer.text and reason in answer.text, answer.text
    assert not [
        s
        for s in read_db(db_url, lambda s: sources.all_sources(session=s))
        if "later" in s.url or "nothing" in s.url
    ]

    [added] = admin.send(f"/source add {site.base_url}/later Later Post KG")
    assert "Added Later Post KG" in added.text
    stranger.send("/country kg")  # the picker again: nothing to do with sources

    def later_stored() -> bool:
        found = read_db(db_url, lambda s: repo.latest_articles(session=s, limit=50))
        return any(a.title == LATER.title and a.source == "Later Post KG" for a in found)

    wait_until(later_stored, "the added source's article")
    [listed] = admin.send("/source list")
    assert "Later Post KG" in listed.text and "/later" in listed.text
    [removed] = admin.send("/source remove Later Post KG")
    assert "no longer fetched" in removed.text
    [unknown] = admin.send("/source remove Nowhere Times")
    assert "No source" in unknown.text
    fetched = read_db(db_url, lambda s: sources.to_fetch(session=s, configured=[]))
    assert not any(url.endswith("/later") for url in fetched)


def _opml(*outlines: tuple[str, str]) -> bytes:
    body = "".join(f'<outline type="rss" text="{t}" xmlUrl="{u}"/>' for t, u in outlines)
    return f'<?xml version="1.0"?><opml version="2.0"><body>{body}</body></opml>'.encode()


def test_operators_export_and_import_opml_in_telegram(
    api: FakeBotApi, outlets_bot: BotProcess, db_url: str, site: ThreadedLocalSite
) -> None:
    admin = Chat(api, ADMIN_ID)
    [exported] = admin.send("/source export")
    assert exported.method == "sendDocument" and exported.text.startswith("4 sources")
    assert exported.params["document_name"] == "newsbot-sources.opml"
    sent = read_opml(exported.params["document"], allow_private=True)
    assert {f.url for f in sent} == {
        f"{site.base_url}/{n}" for n in ("steppe", "oasis", "tau", "kun")
    }
    assert "Тау Ньюс" in {f.title for f in sent}

    def answer_to_file(content: bytes, *, user: int = ADMIN_ID) -> str:
        before = len(api.messages_to(user))
        api.push_document(user, "feeds.opml", content, caption="/source import")
        wait_until(lambda: len(api.messages_to(user)) > before, "the answer to the file")
        return api.messages_to(user)[-1].text

    hostile = b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "aaaaaaaa">]><opml><body/></opml>'
    answer = answer_to_file(hostile)
    assert answer.startswith("Not imported: XML with a document type or entities is refused")
    answer = answer_to_file(_opml(("Bad", "gopher://later.example/feed")))
    assert "Not imported" in answer and "only http and https" in answer
    before = read_db(db_url, lambda s: len(sources.all_sources(session=s)))

    answer = answer_to_file(_opml(("Later Post", f"{site.base_url}/later"),
                                  ("Gone", f"{site.base_url}/gone"),
                                  ("Steppe", f"{site.base_url}/steppe")))  # fmt: skip
    assert answer.startswith("Imported 1 feeds; 1 were fetched already; 1 failed.")
    assert "Gone: " in answer and "404" in answer
    urls = read_db(db_url, lambda s: sources.to_fetch(session=s, configured=[]))
    assert f"{site.base_url}/later" in urls and f"{site.base_url}/gone" not in urls
    assert read_db(db_url, lambda s: len(sources.all_sources(session=s))) == before + 1

    stranger = subscribed(api, 9105, "/start")
    assert "operators" in answer_to_file(_opml(("X", f"{site.base_url}/later")), user=9105)
    [usage] = admin.send("/source import")
    assert "caption /source import" in usage.text
    del stranger


def test_the_picker_lists_the_catalog_for_the_chat_also_outlets_not_heard_from_yet(
    api: FakeBotApi, outlets_bot: BotProcess
) -> None:
    """The catalog's Kyrgyz outlets in the chat's languages are listed before any of
    their articles came in (marked ⏳), and can be switched off ahead; the local sources
    the bot fetches are listed too."""
    chat = subscribed(api, 9106, "/start", "/country kg", language_code="en")
    [picker] = chat.send("/outlets")
    assert "⏳ nothing from it yet" in picker.text
    buttons = dict(chat.buttons(picker))
    assert "✅ 24.kg ⏳" in buttons and "✅ Steppe Wire" in buttons  # English only: one 24.kg
    assert not any("Kaktus" in label for label in buttons)  # Russian: not this chat's news
    assert chat.tap(buttons["✅ 24.kg ⏳"], message_id=picker.message_id) == "24.kg off"
    assert "▫️ 24.kg ⏳" in dict(chat.buttons(chat.received()[-1]))
    [russian] = subscribed(api, 9107, "/start", "/country kg", language_code="ru").send("/outlets")
    labels = " ".join(label for label, _ in Chat(api, 9107).buttons(russian))
    assert "Kaktus.media ⏳" in labels and "24.kg (ru) ⏳" in labels and "24.kg (en) ⏳" in labels
