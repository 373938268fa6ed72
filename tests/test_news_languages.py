"""Each reader's news languages and outlets (pure: no database, no bot)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from bot import prefs as rules
from bot.delivery.schedule import unsent
from storage.repo import StoredArticle

DUE = dt.datetime(2026, 11, 24, 4, 0, tzinfo=dt.UTC)


def _article(id_: int, language: str, outlet: str = "eurasianet") -> StoredArticle:
    return StoredArticle(
        id=id_,
        title=f"Story {id_}",
        summary=(f"Summary of story {id_}.",),
        countries=("KG",),
        page_date=None,
        first_seen=DUE - dt.timedelta(hours=1),
        language=language,
        outlet=outlet,
    )


ARTICLES = [
    _article(1, "en"),
    _article(2, "ru", "24kg-ru"),
    _article(3, "uz", "kun"),
    _article(4, "en", "akipress"),
]


def _chat(language: str = "en", **changes: object) -> rules.ChatPrefs:
    fresh = rules.new_chat(7, "private", dt.time(9, 0), "Asia/Almaty", now=DUE, language=language)
    return replace(rules.set_countries(fresh, ("KG",), DUE), **changes)  # type: ignore[arg-type]


def _ids(chat: rules.ChatPrefs) -> list[int]:
    return [a.id for a in unsent(chat, ARTICLES, DUE)]


def test_by_default_a_chat_reads_its_own_language_and_english() -> None:
    assert _ids(_chat("en")) == [1, 4]
    assert _ids(_chat("ru")) == [1, 2, 4]


def test_news_all_brings_in_the_languages_the_bot_does_not_summarise() -> None:
    assert _ids(_chat("en", news_languages=("all",))) == [1, 2, 3, 4]
    assert _ids(_chat("en", news_languages=("ru",))) == [2]


def test_an_article_in_a_language_beyond_the_region_reaches_only_news_all() -> None:
    polish = [*ARTICLES, _article(5, "pl", "kun")]
    assert [a.id for a in unsent(_chat("en"), polish, DUE)] == [1, 4]
    assert [a.id for a in unsent(_chat("ru"), polish, DUE)] == [1, 2, 4]
    assert [a.id for a in unsent(_chat("en", news_languages=("all",)), polish, DUE)] == [
        1,
        2,
        3,
        4,
        5,
    ]


def test_an_outlet_switched_off_is_left_out_and_back_on_returns() -> None:
    off = rules.set_outlet(_chat("en"), "akipress", on=False)
    assert off.hidden_outlets == ("akipress",) and _ids(off) == [1]
    assert rules.set_outlet(off, "akipress", on=False) == off  # a double tap changes nothing
    assert _ids(rules.set_outlet(off, "akipress", on=True)) == [1, 4]
    assert rules.show_all_outlets(off).hidden_outlets == ()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["en"], ("en",)),
        (["ru", "en"], ("ru", "en")),
        (["ru,en"], ("ru", "en")),
        (["English"], ("en",)),
        (["русский", "английский"], ("ru", "en")),
        (["all"], ("all",)),
        (["ru", "все"], ("all",)),
        (["en", "EN"], ("en",)),
    ],
)
def test_news_arguments(args: list[str], expected: tuple[str, ...]) -> None:
    assert rules.parse_news_languages(args) == expected


@pytest.mark.parametrize("args", [[], ["de"], ["en", "klingon"], ["x"] * 40])
def test_bad_news_arguments_say_what_to_send(args: list[str]) -> None:
    with pytest.raises(rules.BadArgument) as refused:
        rules.parse_news_languages(args)
    assert "/news" in str(refused.value)


def test_hidden_outlets_are_bounded() -> None:
    chat = _chat("en")
    for number in range(rules.MAX_HIDDEN_OUTLETS + 5):
        chat = rules.set_outlet(chat, f"url:{number}", on=False)
    assert len(chat.hidden_outlets) == rules.MAX_HIDDEN_OUTLETS


def test_alerts_keep_to_the_chats_languages_and_outlets() -> None:
    from bot.delivery.alerts import plan_alerts

    chat = replace(_chat("en", follows=("story",)), alerts=True)
    planned = plan_alerts(chat, ARTICLES, sent_today=0, cap=10)
    assert [p.article_id for p in planned] == [1, 4]
    off = rules.set_outlet(chat, "akipress", on=False)
    assert [p.article_id for p in plan_alerts(off, ARTICLES, sent_today=0, cap=10)] == [1]
