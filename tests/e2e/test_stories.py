"""One story, many outlets: the real bot reads one event from three local outlets (two
English, one Russian) and gives each chat one item with the other outlets' links."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from bot.standin.bot_api import FakeBotApi, SentMessage
from bot.standin.local_site import FeedItem, ThreadedLocalSite, rss_feed
from storage import repo
from tests.e2e.conftest import DEFAULT_START
from tests.e2e.harness import (
    BotProcess,
    Chat,
    FakeClock,
    next_local,
    read_db,
    subscribed,
    wait_until,
)
from tests.telegram_html import html_problems

# Every test talks to the running bot (`stories_bot`) through the stand-in API and the
# local outlets it fetches.
pytestmark = pytest.mark.usefixtures("stories_bot")

WHEN = DEFAULT_START - dt.timedelta(hours=3)
QUIET = 1.5  # a few fetch rounds and planner ticks: long enough to see nothing happen

TREATY_STEPPE = FeedItem(
    "Kyrgyzstan and Tajikistan Sign a Treaty on the Isfara River's Water",
    "https://steppe.example/kg/isfara-treaty",
    "Presidents Sadyr Japarov and Emomali Rahmon signed a treaty in Khujand on Monday on "
    "the shared use of the Isfara river. The treaty covers 980 km of the border and the "
    "Golovnoy water intake, the two governments said.",
    WHEN,
)
TREATY_OASIS = FeedItem(
    "Japarov and Rahmon Seal the Isfara Water Deal in Khujand",
    "https://oasis.example/news/isfara-deal?id=7&from=rss",
    "Kyrgyz President Sadyr Japarov and Tajik President Emomali Rahmon sealed a treaty in "
    "Khujand on Monday that splits the water of the Isfara river equally. The deal covers "
    "980 kilometres of border and the Golovnoy intake.",
    WHEN + dt.timedelta(minutes=40),
)
TREATY_TAU = FeedItem(
    "Жапаров и Рахмон подписали в Худжанде договор о воде Исфары",
    "https://tau.example/ru/isfara-dogovor",
    "Президенты Кыргызстана и Таджикистана Садыр Жапаров и Эмомали Рахмон в понедельник "
    "подписали в Худжанде договор о совместном использовании воды реки Исфара. Документ "
    "охватывает 980 километров границы и водозабор «Головной».",
    WHEN + dt.timedelta(minutes=90),
)
# The same leader the same week, another event: a story of its own.
HOSPITAL_STEPPE = FeedItem(
    "Japarov Opens a Children's Hospital in Osh",
    "https://steppe.example/kg/osh-hospital",
    "President Sadyr Japarov opened a children's hospital with 300 beds in Osh on "
    "Wednesday. The hospital cost 2.1 billion som, the health ministry said.",
    WHEN + dt.timedelta(minutes=20),
)
# A fourth outlet, later, on the same treaty.
TREATY_MOUNTAIN = FeedItem(
    "Isfara Treaty: What Japarov and Rahmon Agreed in Khujand",
    "https://mountain.example/isfara-explainer",
    "The treaty Sadyr Japarov and Emomali Rahmon signed in Khujand splits the Isfara river "
    "equally and puts the Golovnoy intake under a joint commission along 980 km of border.",
    WHEN + dt.timedelta(hours=2),
)
OUTLETS = {"steppe": "Steppe Wire", "oasis": "Oasis Daily", "tau": "Тау Ньюс",
           "mountain": "Mountain Post"}  # fmt: skip
# Each feed starts with a Turkmen story of its own (a feed without entries counts as a
# failing source, retried later), and the tests add to them.
FILLERS = {
    "steppe": FeedItem("Turkmenistan Opens a Cotton Mill in Mary",
                       "https://steppe.example/tm/mill", "A cotton mill opened in Mary.", WHEN),
    "oasis": FeedItem("Ashgabat Marathon Draws Thousands of Runners",
                      "https://oasis.example/tm/marathon", "Runners filled Ashgabat.", WHEN),
    "tau": FeedItem("В Ашхабаде открыли новый стадион", "https://tau.example/ru/stadion",
                    "В Ашхабаде открыли стадион на 20 тысяч мест.", WHEN),
    "mountain": FeedItem("Turkmen Railways Buys New Locomotives",
                         "https://mountain.example/tm/locomotives",
                         "Turkmenistan's railways bought new locomotives.", WHEN),
}  # fmt: skip
FIRST = {"steppe": [HOSPITAL_STEPPE, TREATY_STEPPE], "oasis": [TREATY_OASIS], "tau": [TREATY_TAU]}
TREATY = (TREATY_STEPPE, TREATY_OASIS, TREATY_TAU, TREATY_MOUNTAIN)


def publish(site: ThreadedLocalSite, feeds: dict[str, list[FeedItem]]) -> None:
    for name, news in feeds.items():
        items = [*news, FILLERS[name]]
        site.documents[f"/{name}"] = (
            rss_feed(OUTLETS[name], site.base_url, items),
            "application/rss+xml",
        )


@pytest.fixture
def site() -> Iterator[ThreadedLocalSite]:
    with ThreadedLocalSite() as served:
        publish(served, {name: [] for name in OUTLETS})
        yield served


@pytest.fixture
def stories_bot(
    api: FakeBotApi, bot_env: dict[str, str], tmp_path: Path, site: ThreadedLocalSite
) -> Iterator[BotProcess]:
    env = {
        **bot_env,
        "SOURCES": ", ".join(f"{site.base_url}/{name}" for name in OUTLETS),
        "SOURCES_ALLOW_PRIVATE": "true",
        "FETCH_INTERVAL_MINUTES": "0.01",
    }
    process = BotProcess(api, env, tmp_path / "bot.log").start()
    yield process
    assert process.stop() == 0
    assert "Traceback" not in process.log()


def stories_by_title(db_url: str) -> dict[str, int]:
    found = read_db(db_url, lambda s: repo.latest_articles(session=s, limit=50))
    return {a.title: a.story for a in found}


def wait_for_titles(clock: FakeClock, db_url: str, items: Sequence[FeedItem]) -> dict[str, int]:
    """Until `items` are stored: the bot's clock moves a second a look, so a source
    fetched at this instant is due again (FETCH_INTERVAL_MINUTES is 0.6 s)."""

    def stored() -> dict[str, int] | None:
        found = stories_by_title(db_url)
        if all(item.title in found for item in items):
            return found
        clock.advance(seconds=1)
        return None

    return wait_until(stored, f"{len(items)} articles stored")


def digests(chat: Chat) -> list[SentMessage]:
    marks = ("Central Asia news digest", "Дайджест новостей Центральной Азии")
    return [m for m in chat.received() if any(mark in m.text for mark in marks)]


def scheduled_digests(clock: FakeClock, *chats: Chat) -> list[str]:
    """Move the clock to 09:00 in Almaty; every chat's whole digest."""
    clock.set(next_local(clock.now, "Asia/Almaty", dt.time(9, 0)) + dt.timedelta(seconds=5))
    for chat in chats:
        wait_until(lambda chat=chat: digests(chat), f"chat {chat.chat_id}'s digest")
    time.sleep(QUIET)  # the rest of their parts
    texts = []
    for chat in chats:
        first = chat.received().index(digests(chat)[0])
        texts.append("\n\n".join(m.text for m in chat.received()[first:]))
    return texts


def also_line(text: str) -> str:
    [line] = [line for line in text.splitlines() if line.startswith(("Also:", "Также:"))]
    return line


def test_one_item_per_story_in_each_language_with_the_other_outlets_linked(
    api: FakeBotApi, site: ThreadedLocalSite, clock: FakeClock, db_url: str
) -> None:
    english = subscribed(api, 9201, "/start", "/country kg", language_code="en")
    russian = subscribed(api, 9202, "/start", "/country kg", language_code="ru")
    publish(site, FIRST)
    stored = wait_for_titles(clock, db_url, [*FIRST["steppe"], TREATY_OASIS, TREATY_TAU])
    treaty = {stored[i.title] for i in (TREATY_STEPPE, TREATY_OASIS, TREATY_TAU)}
    assert len(treaty) == 1, "three outlets' treaty articles are one story"
    assert stored[HOSPITAL_STEPPE.title] not in treaty, "the same leader, another event"

    in_english, in_russian = scheduled_digests(clock, english, russian)
    for text in (in_english, in_russian):
        assert not html_problems(text), text
        assert HOSPITAL_STEPPE.title in text  # its own item
        assert text.count("Isfara") + text.count("Исфар") <= 4  # one item, not three
    # English: an English article leads, the other English outlet and the Russian one linked.
    shown = [i for i in (TREATY_STEPPE, TREATY_OASIS) if i.title in in_english]
    assert len(shown) == 1 and TREATY_TAU.title not in in_english
    also = also_line(in_english)
    other = "Oasis Daily" if shown[0] is TREATY_STEPPE else "Steppe Wire"
    assert f">{other}</a>" in also and ">Тау Ньюс</a> (ru)" in also
    assert 'href="https://tau.example/ru/isfara-dogovor"' in also
    assert 'href="https://oasis.example/news/isfara-deal?id=7&amp;from=rss"' in in_english
    # Russian: the Russian article leads, both English outlets linked and marked.
    assert TREATY_TAU.title in in_russian
    assert not any(i.title in in_russian for i in (TREATY_STEPPE, TREATY_OASIS))
    also = also_line(in_russian)
    assert ">Steppe Wire</a> (en)" in also and ">Oasis Daily</a> (en)" in also

    # A fourth outlet joins the story after the digest: nothing new is sent.
    publish(site, {"mountain": [TREATY_MOUNTAIN]})
    stored = wait_for_titles(clock, db_url, [TREATY_MOUNTAIN])
    assert stored[TREATY_MOUNTAIN.title] in treaty
    for chat, nothing in ((english, "Nothing new"), (russian, "ничего нового")):
        [answer] = chat.send("/digest")
        assert nothing in answer.text, answer.text
    # /latest shows the story once, now with three other outlets.
    latest = "\n".join(m.text for m in english.send_all("/latest"))
    assert sum(i.title in latest for i in (TREATY_STEPPE, TREATY_OASIS, TREATY_MOUNTAIN)) == 1
    assert len(re.findall(r"</a>", also_line(latest))) == 3


def test_an_alert_fires_once_for_the_story(
    api: FakeBotApi, site: ThreadedLocalSite, clock: FakeClock, db_url: str
) -> None:
    chat = subscribed(api, 9203, "/start", "/country tj", "/follow isfara", language_code="en")
    [on] = chat.send("/alerts on")
    assert on.text.startswith("Alerts are on")

    def alerts() -> list[SentMessage]:
        return [m for m in chat.received() if m.text.startswith("<b>🔔")]

    # One outlet first, the others in later fetch rounds: the story grows after its alert.
    publish(site, {"steppe": [TREATY_STEPPE]})
    wait_for_titles(clock, db_url, [TREATY_STEPPE])
    wait_until(alerts, "the alert")
    publish(site, {"oasis": [TREATY_OASIS], "tau": [TREATY_TAU], "mountain": [TREATY_MOUNTAIN]})
    wait_for_titles(clock, db_url, [TREATY_OASIS, TREATY_TAU, TREATY_MOUNTAIN])
    time.sleep(QUIET)
    [alert] = alerts()
    assert "Isfara" in alert.text and not html_problems(alert.text)
    found = stories_by_title(db_url)
    assert len({found[item.title] for item in TREATY}) == 1
