"""One item per story for a reader (bot.news.coverage) and its place in digests and alerts
(bot.delivery.schedule, bot.delivery.alerts): plain data, no database."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bot.delivery.alerts import plan_alerts
from bot.delivery.schedule import unsent
from bot.news.compose import MESSAGE_LIMIT, compose_latest, render_article, utf16_len
from bot.news.coverage import MAX_LINKS, by_coverage, story_item
from bot.prefs import reads
from storage.repo import StoredArticle
from storage.subscribers import ChatPrefs
from tests.telegram_html import html_problems

SEEN = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def article(
    id: int,
    *,
    story: int = 1,
    outlet: str = "",
    language: str = "en",
    body: str = "Text.",
    title: str = "",
    countries: tuple[str, ...] = ("KG",),
) -> StoredArticle:
    return StoredArticle(
        id=id,
        title=title or f"Title {id}",
        summary=(f"Summary {id}.",),
        countries=countries,
        page_date=SEEN.date(),
        first_seen=SEEN + dt.timedelta(minutes=id),
        url=f"https://{outlet or 'x'}.example/{id}",
        source=outlet.title() or None,
        body=body,
        language=language,
        outlet=outlet,
        story=story,
    )


TREATY = [
    article(1, outlet="steppe", body="Short."),
    article(2, outlet="oasis", body="A much longer English text about the treaty."),
    article(3, outlet="tau", language="ru", body="Русский текст о договоре."),
]


def test_the_lead_is_in_the_chat_language_and_the_fullest() -> None:
    english = story_item(TREATY, language="en")
    assert english is not None and english.id == 2
    assert english.also == (
        ("Steppe", "https://steppe.example/1", ""),
        ("Tau", "https://tau.example/3", "ru"),
    )
    assert english.outlets == 3 and english.story == 1
    russian = story_item(TREATY, language="ru")
    assert russian is not None and russian.id == 3
    assert [language for _name, _url, language in russian.also] == ["en", "en"]


def test_news_languages_choose_the_lead_and_outlets_switched_off_lose_their_links() -> None:
    only_russian = story_item(TREATY, language="en", readable=lambda lang, _o: lang == "ru")
    assert only_russian is not None and only_russian.id == 3
    assert story_item(TREATY, language="en", readable=lambda lang, _o: lang == "uz") is None
    hidden = story_item(TREATY, language="en", hidden_outlets={"tau"})
    assert hidden is not None and [name for name, *_ in hidden.also] == ["Steppe"]
    assert hidden.outlets == 3  # coverage counts every outlet


def test_at_most_five_links_then_a_count_all_escaped_and_within_telegram_limits() -> None:
    many = [
        article(i, outlet=f"o{i}<&>", body="x" * i, title="<b>T</b> & co" * 40)
        for i in range(1, 12)
    ]
    item = story_item(many, language="en")
    assert item is not None and len(item.also) == MAX_LINKS and item.more_outlets == 5
    text = render_article(item)
    assert "Also: " in text and text.rstrip("\n").count(" · ") >= MAX_LINKS - 1
    assert "+5" in text and "O2&lt;&amp;&gt;" in text and not html_problems(text)
    long_urls = [
        dataclasses.replace(a, url=f"{a.url}/{'z' * 2000}")
        for a in (article(i, outlet=f"o{i}", body="y") for i in range(1, 8))
    ]
    item = story_item(long_urls, language="en")
    assert item is not None
    for message in compose_latest([item], "Latest"):
        assert utf16_len(message) <= MESSAGE_LIMIT and not html_problems(message)


def test_wider_stories_first_then_the_given_order() -> None:
    one = story_item([article(9, story=9, outlet="a")], language="en")
    two = story_item(TREATY, language="en")
    assert one is not None and two is not None
    assert [i.story for i in by_coverage([one, two])] == [1, 9]


def prefs(**changes: object) -> ChatPrefs:
    base = ChatPrefs(
        chat_id=1,
        chat_type="private",
        status="active",
        countries=("KG",),
        digest_time=dt.time(9),
        timezone="Asia/Bishkek",
        next_digest_at=SEEN + dt.timedelta(days=1),
        digest_cursor=None,
        language="en",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_a_story_already_delivered_is_not_sent_again_when_an_outlet_joins() -> None:
    stories = {1: TREATY}
    due = SEEN + dt.timedelta(days=1)
    first = unsent(prefs(), TREATY, due, stories=stories)
    assert [item.story for item in first] == [1]
    later = [*TREATY, article(4, outlet="mountain")]
    given = prefs(digest_cursor=3)
    assert unsent(given, later, due, stories={1: later}) == []
    # Delivered only if the chat read an article of it then: a Russian-only article was not.
    russian_first = [article(3, outlet="tau", language="ru"), article(4, outlet="mountain")]
    again = unsent(given, russian_first, due, stories={1: russian_first})
    assert [item.id for item in again] == [4]


def test_a_muted_word_in_any_article_hides_the_story_and_alerts_count_stories() -> None:
    worded = [*TREATY[:2], article(3, outlet="tau", language="ru", body="Исфара и газ.")]
    due = SEEN + dt.timedelta(days=1)
    assert unsent(prefs(mutes=("газ",)), worded, due, stories={1: worded}) == []
    followed = prefs(follows=("treaty",), alerts=True, countries=())
    words = [article(i, outlet=f"o{i}", body="The treaty was signed.") for i in (1, 2, 3)]
    owed = plan_alerts(followed, words, sent_today=0, cap=10, stories={1: words})
    assert [alert.article_id for alert in owed] == [1]
    assert plan_alerts(followed, words, sent_today=0, cap=10, stories={1: words}, alerted={1}) == []


def test_reads_is_what_the_digest_uses() -> None:
    readable = reads(prefs(news_languages=("ru",)))
    assert readable("ru", "tau") and not readable("en", "steppe")


# A wrongly joined story: the contact group's meeting (the fuller text, so the lead by
# default) and an interview with a Taliban spokesman, filed under it.
MEETING = article(
    11, story=7, outlet="steppe", countries=("KZ", "AF"),
    title="Contact group on Afghanistan meets in Astana",
    body="Envoys met in Astana; the Taliban sent a delegation. " * 10,
)  # fmt: skip
INTERVIEW = article(
    12, story=7, outlet="steppe", countries=("AF",),
    title="Taliban spokesman: we want trade with Central Asia", body="He spoke at length.",
)  # fmt: skip


def test_the_lead_is_the_report_that_brought_the_story_in_the_chat_language_first() -> None:
    assert story_item([MEETING, INTERVIEW], language="en").id == 11  # type: ignore[union-attr]
    wanted = story_item([MEETING, INTERVIEW], language="en", prefer=lambda a: int(a.id == 12))
    assert wanted is not None and wanted.id == 12
    assert wanted.countries == ("AF", "KZ") and wanted.story == 7  # still the whole story's
    # The chat's language still comes first: a title it reads best beats a preferred one.
    russian = dataclasses.replace(INTERVIEW, language="ru")
    item = story_item([MEETING, russian], language="en", prefer=lambda a: int(a.id == 12))
    assert item is not None and item.id == 11


def test_a_followed_word_and_the_chats_countries_choose_the_lead_of_a_digest_and_an_alert() -> (
    None
):
    due = SEEN + dt.timedelta(days=1)
    story = {7: [MEETING, INTERVIEW]}
    # "Taliban" is in both texts, but only the interview's title says it.
    follower = prefs(countries=("UZ",), follows=("Taliban",), alerts=True)
    [item] = unsent(follower, [MEETING, INTERVIEW], due, stories=story)
    assert item.id == 12
    [alert] = plan_alerts(follower, [MEETING, INTERVIEW], sent_today=0, cap=10, stories=story)
    assert "Taliban spokesman" in alert.message and "Contact group" not in alert.message
    # Countries: a chat of Afghanistan gets the report of its country when the fuller one
    # is of Kazakhstan alone, and the fuller one when both are of Afghanistan.
    kazakh_meeting = dataclasses.replace(MEETING, countries=("KZ",))
    joined = {7: [kazakh_meeting, INTERVIEW]}
    [item] = unsent(prefs(countries=("AF",)), [kazakh_meeting, INTERVIEW], due, stories=joined)
    assert item.id == 12
    [item] = unsent(prefs(countries=("KZ",)), [kazakh_meeting, INTERVIEW], due, stories=joined)
    assert item.id == 11
    [item] = unsent(prefs(countries=("AF",)), [MEETING, INTERVIEW], due, stories=story)
    assert item.id == 11
