"""Followed and muted words: parsing, the rules, matching and what digests make of them
(pure: no database, no bot)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import prefs as rules
from bot import topics
from bot.delivery.alerts import local_day_start, plan_alerts
from bot.delivery.schedule import plan_digest, unsent
from bot.news.keywords import MAX_KEYWORDS, ArticleWords, stems
from storage.repo import StoredArticle
from tests.test_schedule import DUE, _chat

UTC = dt.UTC


def _words(text: str) -> ArticleWords:
    return ArticleWords.of(text, "")


# -- matching ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        ("election", "Kyrgyzstan prepares for elections in spring"),
        ("elections", "The election was held on Sunday"),
        ("Gas", "GAS prices rose"),
        ("gas prices", "Households saw gas prices climb"),
        ("выборы", "Подготовка к выборам и итоги выборов"),
        ("выборов", "Выборы прошли спокойно"),
        ("Ёлка", "На площади поставили елку"),
        ("rogun", "Rogun's turbines"),
    ],
)
def test_words_match_across_case_and_inflection(keyword: str, text: str) -> None:
    assert _words(text).has(keyword)


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        ("gas", "Gasoline is dearer"),  # a word boundary, not a substring
        ("art", "The party met"),
        ("gas prices", "Prices of gas rose"),  # a phrase is in order, side by side
        ("election", "Kazakhstan builds a railway"),
    ],
)
def test_words_do_not_match_inside_other_words_or_out_of_order(keyword: str, text: str) -> None:
    assert not _words(text).has(keyword)


def test_a_phrase_never_spans_the_title_and_the_body() -> None:
    words = ArticleWords.of("Tajikistan raises gas", "Prices follow in spring")
    assert words.has("gas") and words.has("prices")
    assert not words.has("gas prices")


def test_a_word_is_found_in_the_title_alone_when_asked() -> None:
    words = ArticleWords.of("Tajikistan raises gas prices", "Prices follow in the Pamirs")
    assert words.has_stems(stems("gas prices"), in_first=True)
    assert not words.has_stems(stems("Pamirs"), in_first=True) and words.has("Pamirs")
    assert not words.has_stems(stems("follow"), in_first=True)
    untitled = ArticleWords.of("", "Gas prices rise")
    assert untitled.has("gas") and not untitled.has_stems(stems("gas"), in_first=True)


def test_matching_reads_a_bounded_prefix_of_the_text() -> None:
    long_body = "word " * 10_000 + "hydrogen"
    assert len(stems(long_body)) <= 4_001
    assert not ArticleWords.of("Title", long_body).has("hydrogen")


# -- parsing -------------------------------------------------------------------------------


def test_words_and_quoted_phrases_in_any_quotes() -> None:
    parsed = topics.parse_keywords('election "gas prices" «выборы президента» “Rogun dam” Gas')
    assert parsed == ("election", "gas prices", "выборы президента", "rogun dam", "gas")


def test_an_unclosed_quote_runs_to_the_end() -> None:
    assert topics.parse_keywords('"water  shortage') == ("water shortage",)


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ('""', "The quotes are empty"),
        ("“”", "The quotes are empty"),
        ('"\u0000\u202e\u200b"', "The quotes are empty"),  # control characters only
        ("!!!", "has no letters or digits"),
        ("x" * 65, "is too long"),
        (" ".join(f"w{i}" for i in range(MAX_KEYWORDS + 1)), "too many words at once"),
    ],
)
def test_bad_keywords_are_refused_with_a_reason(text: str, refusal: str) -> None:
    with pytest.raises(rules.BadArgument) as error:
        topics.parse_keywords(text)
    assert refusal in str(error.value)


def test_a_64_character_word_is_accepted() -> None:
    assert topics.parse_keywords("x" * 64) == ("x" * 64,)


def test_control_and_bidi_characters_are_removed_from_a_keyword() -> None:
    assert topics.parse_keywords("ga\u202es\u0000") == ("gas",)


@given(st.text(max_size=300))
def test_parsing_any_text_either_refuses_or_gives_clean_bounded_keywords(text: str) -> None:
    try:
        parsed = topics.parse_keywords(text)
    except rules.BadArgument:
        return
    assert len(parsed) <= MAX_KEYWORDS
    for keyword in parsed:
        assert 0 < len(keyword) <= 64 and keyword == keyword.strip()
        assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in keyword)


# -- the rules -----------------------------------------------------------------------------


def test_a_word_is_followed_or_muted_never_both() -> None:
    chat = topics.follow(_chat(), ("gas", "election"))
    chat = topics.mute(chat, ("gas",))
    assert chat.follows == ("election",) and chat.mutes == ("gas",)
    chat = topics.follow(chat, ("gas",))
    assert chat.follows == ("election", "gas") and chat.mutes == ()


def test_the_fifty_first_word_is_refused_and_nothing_changes() -> None:
    chat = topics.follow(_chat(), tuple(f"word{i}" for i in range(40)))
    chat = topics.mute(chat, tuple(f"mute{i}" for i in range(10)))
    with pytest.raises(rules.BadArgument, match="50 words and phrases in all"):
        topics.follow(chat, ("one more",))
    assert topics.follow(chat, ("word3",)) == chat  # already followed: no new word


def test_remove_buttons_name_a_word_by_a_short_token() -> None:
    chat = topics.mute(topics.follow(_chat(), ("газ",)), ("football",))
    token = topics.keyword_token("football")
    assert len(f"keyword:{token}".encode()) <= 64
    after, removed = topics.remove_by_token(chat, token)
    assert removed == "football" and after.mutes == () and after.follows == ("газ",)
    assert topics.remove_by_token(after, token) == (after, None)


# -- what digests make of them ----------------------------------------------------------


def _article(id_: int, countries: tuple[str, ...], title: str, body: str = "") -> StoredArticle:
    return StoredArticle(
        id=id_,
        title=title,
        summary=(f"Summary of {title}.",),
        countries=countries,
        page_date=None,
        first_seen=DUE - dt.timedelta(hours=1),
        body=body,
    )


ARTICLES = [
    _article(4, ("KZ",), "Kazakhstan raises gas prices", "Households pay more for gas."),
    _article(3, ("KZ",), "Astana opens a new park"),
    _article(2, ("TJ",), "Tajikistan sets the date of its elections"),
    _article(1, ("UZ",), "Tashkent metro extended", "The election of a new mayor is next."),
]


def test_a_muted_word_keeps_an_article_out_and_a_followed_word_brings_one_in() -> None:
    chat = topics.mute(topics.follow(_chat(), ("election",)), ("gas",))
    assert [a.id for a in unsent(chat, ARTICLES, DUE)] == [3, 2, 1]  # body text matches too
    plan = plan_digest(
        chat, ARTICLES, [], now=DUE, newest_article_id=4, grace=dt.timedelta(hours=6),
        max_per_country=5,
    )  # fmt: skip
    [message] = plan.messages
    country, _, mine = message.partition("🔎 <b>Your topics</b>")
    assert "Astana opens a new park" in country and "gas" not in message
    assert "Tajikistan sets the date of its elections" in mine and "Tashkent metro" in mine


def test_a_muted_word_wins_over_a_followed_one() -> None:
    chat = topics.mute(topics.follow(_chat(), ("elections",)), ("tajikistan",))
    assert [a.id for a in unsent(chat, ARTICLES, DUE)] == [4, 3, 1]


def test_a_chat_with_words_and_no_countries_gets_its_topics() -> None:
    chat = topics.follow(_chat(countries=()), ("metro",))
    plan = plan_digest(
        chat, ARTICLES, [], now=DUE, newest_article_id=4, grace=dt.timedelta(hours=6),
        max_per_country=5,
    )  # fmt: skip
    [message] = plan.messages
    assert "🔎 <b>Your topics</b>" in message and "Tashkent metro extended" in message


def test_the_russian_topics_heading() -> None:
    chat = topics.follow(_chat(language="ru"), ("elections",))
    plan = plan_digest(
        chat, ARTICLES, [], now=DUE, newest_article_id=4, grace=dt.timedelta(hours=6),
        max_per_country=5,
    )  # fmt: skip
    assert "🔎 <b>Ваши темы</b>" in plan.messages[0]


def test_articles_sent_as_alerts_are_not_in_the_digest() -> None:
    chat = topics.follow(_chat(), ("elections",))
    assert [a.id for a in unsent(chat, ARTICLES, DUE, alerted={2})] == [4, 3, 1]


# -- alerts --------------------------------------------------------------------------------


def test_alerts_go_oldest_first_for_followed_words_only_up_to_the_cap() -> None:
    chat = topics.follow(_chat(alerts=True, alert_cursor=0), ("election", "gas"))
    owed = plan_alerts(chat, ARTICLES, sent_today=0, cap=10)
    assert [a.article_id for a in owed] == [1, 2, 4]  # 3 is the chat's country, no word
    assert owed[0].message.startswith("<b>🔔 Alert: “election”</b>")
    capped = plan_alerts(chat, ARTICLES, sent_today=8, cap=10)
    assert [a.article_id for a in capped] == [1, 2]
    assert plan_alerts(chat, ARTICLES, sent_today=10, cap=10) == []


def test_alerts_skip_what_the_cursor_passed_and_muted_words() -> None:
    chat = topics.mute(topics.follow(_chat(alert_cursor=1), ("election", "gas")), ("prices",))
    owed = plan_alerts(chat, ARTICLES, sent_today=0, cap=10)
    assert [a.article_id for a in owed] == [2]


def test_alerts_switched_on_start_from_the_next_article() -> None:
    chat = rules.set_alerts(_chat(), True, newest_article_id=4)
    assert chat.alerts and chat.alert_cursor == 4
    assert rules.set_alerts(chat, True, newest_article_id=9) == chat  # already on


def test_the_daily_cap_counts_from_local_midnight() -> None:
    evening = dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # already 25 Nov in Almaty
    assert local_day_start(evening, "Asia/Almaty") == dt.datetime(2026, 11, 24, 19, 0, tzinfo=UTC)
    assert local_day_start(evening, "Europe/Berlin") == dt.datetime(2026, 11, 23, 23, 0, tzinfo=UTC)


def test_alerts_skip_stories_a_digest_already_covered() -> None:
    chat = topics.follow(_chat(alert_cursor=0, digest_cursor=2), ("election", "gas"))
    owed = plan_alerts(chat, ARTICLES, sent_today=0, cap=10)
    assert [a.article_id for a in owed] == [4]
