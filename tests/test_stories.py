"""Stories (pure): name keys across scripts, numbers, and which articles come together.

`bench/stories.py` prints how the clustering scores against its targets (issue "one story,
many outlets"). These tests hold the rules it is built of.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.news.stories import (
    CROSS_LANGUAGE_JOIN,
    SAME_LANGUAGE_JOIN,
    Features,
    Story,
    StoryIndex,
    aliases,
    features,
    name_key,
    names_of,
    numbers_of,
    similarity,
    threshold,
)
from bot.news.stories.aliases import FORMAT_PREFIX, formats_of
from bot.news.stories.compare import (
    SAME_OUTLET_MARGIN,
    THRESHOLD_PER_DAY,
    Keys,
    compare_keys,
    meaning_may_decide,
)
from bot.news.stories.concepts import concept_of, concepts
from bot.news.stories.index import LATE_MARGIN, late_margin
from bot.news.stories.keys import entity_key
from bot.news.stories.kinds import (
    BEFORE_SUMMIT,
    BESIDE,
    HAPPENING,
    MINISTERS,
    PLAN,
    SUMMIT,
    VIEW,
    first_sentence,
    match_scores,
    meeting_rank,
    report_kind,
)
from bot.news.stories.meaning import DIMENSIONS, embed, meaning_text
from bot.news.text import terms

HOUR = 3600.0
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC).timestamp()


@pytest.mark.parametrize(
    ("english", "russian"),
    [
        ("Japarov", "Жапаров"),
        ("Japarov", "Жапарова"),
        ("Japarov", "Жапаровым"),
        ("Bishkek", "Бишкеке"),
        ("Tokayev", "Токаевым"),
        ("Mirziyoyev", "Мирзиёева"),
        ("Tajikistan", "Таджикистаном"),
        ("Kyrgyzstan", "Кыргызстана"),
        ("Dushanbe", "Душанбе"),
        ("Khujand", "Худжанд"),
        ("Almaty", "Алматы"),
        # A place's adjective is the place: Рогунская ГЭС, Алматинская область.
        ("Rogun", "Рогунская"),
        ("Almaty", "Алматинской"),
        ("Pervomaisky", "Первомайского"),
        ("Kamenogorsk", "Каменогорске"),
        ("Minsk", "Минск"),
        ("Hilal", "Хилял"),  # too short a skeleton: the letters, without a softening y
    ],
)
def test_english_and_russian_spellings_share_a_name_key(english: str, russian: str) -> None:
    assert name_key(english) == name_key(russian) != ""


def test_different_names_have_different_keys() -> None:
    keys = {name_key(w) for w in ("Japarov", "Rahmon", "Tokayev", "Mirziyoyev", "Bishkek")}
    assert len(keys) == 5


def test_numbers_are_folded_and_years_left_out() -> None:
    assert numbers_of("a 980 km border") == numbers_of("граница длиной 980 километров") == {"#980"}
    assert numbers_of("4,2 млрд долл.") == numbers_of("$4.2 billion") == {"#4.2"}
    assert numbers_of("1,000 tonnes") == numbers_of("1 000 тонн") == {"#1000"}
    assert numbers_of("in 2026, 3 people") == set()


def test_days_of_a_month_are_not_numbers() -> None:
    """Every article of March 10 names the 10th: a date is no evidence of one event."""
    assert numbers_of("Gas prices on March 10, 2014") == numbers_of("10 марта в Бишкеке") == set()
    assert numbers_of("Nov. 3: 42 reservoirs") == {"#42"}
    assert numbers_of("11 mayors and 12 магазинов") == {"#11", "#12"}  # not "May", "мая"


TREATY_EN = (
    "Kyrgyzstan and Tajikistan Sign Water Treaty",
    "Presidents Sadyr Japarov and Emomali Rahmon signed a treaty on the shared use of the "
    "Isfara river in Bishkek on Tuesday, ending a dispute over 42 reservoirs.",
)
TREATY_EN_2 = (
    "Bishkek Treaty Settles Isfara Water Dispute",
    "Kyrgyz President Sadyr Japarov and Tajik President Emomali Rahmon on Tuesday signed "
    "a water treaty in Bishkek covering the Isfara river and its 42 reservoirs.",
)
TREATY_RU = (
    "Жапаров и Рахмон подписали договор о воде",
    "Во вторник в Бишкеке президенты Садыр Жапаров и Эмомали Рахмон подписали договор о "
    "совместном использовании реки Исфара и 42 водохранилищ.",
)
JAPAROV_CHINA = (
    "Japarov Receives China's Foreign Minister",
    "President Sadyr Japarov received Chinese Foreign Minister Wang Yi in Bishkek on "
    "Thursday to discuss a railway to Kashgar and new loans for the Kambarata plant.",
)


def _features(text: tuple[str, str], language: str, hours: float = 0) -> Features:
    return features(text[0], text[1], language, START + hours * HOUR)


def _score(article: Features, *members: Features) -> float:
    """The article against a story of `members`, the window holding all of them."""
    index = StoryIndex(72 * HOUR)
    for member in members:
        index.add(member, 1)
    index.add(JAPAROV_CHINA_FEATURES, 2)  # a window of one article has no rare words
    window = index.view(article.at)
    story = Story(members[0].at)
    for member in members:
        story.add(member)
    return similarity(article, story, window)


JAPAROV_CHINA_FEATURES = features(*JAPAROV_CHINA, "en", START)


def test_russian_and_english_reports_share_names_numbers_and_sounds() -> None:
    english, russian = _features(TREATY_EN, "en"), _features(TREATY_RU, "ru")
    assert {"jprv", "rhmn", "bshk", "#42"} <= english.names & russian.names
    assert {"rhmn", "bshk", "isfr"} <= english.sounds.keys() & russian.sounds.keys()
    assert _score(russian, english) >= CROSS_LANGUAGE_JOIN
    assert _score(english, russian) >= CROSS_LANGUAGE_JOIN


APPEAL_EN = (
    "Former Almaty deputy mayor appeals bribery verdict",
    "Lawyers for the former deputy mayor of Almaty filed an appeal against the verdict on "
    "Tuesday, the court said.",
)
APPEAL_RU = (
    "Бывший замаким Алматы обжаловал приговор по делу о взятке",
    "Защита бывшего заместителя акима Алматы во вторник обжаловала приговор, сообщили в суде.",
)


def test_what_happened_meets_across_languages_where_no_name_does() -> None:
    """The two reports share only the city by their names and sounds, which is no
    evidence; "appeal" and «обжаловал», "verdict" and «приговор» are (concepts)."""
    english, russian = _features(APPEAL_EN, "en"), _features(APPEAL_RU, "ru", 2)
    assert {"~appeal", "~verdict", "~bribe"} <= english.sounds.keys() & russian.sounds.keys()
    assert _score(russian, english) >= CROSS_LANGUAGE_JOIN
    with mock.patch("bot.news.stories.features.concept_of", return_value=None):
        english, russian = _features(APPEAL_EN, "en"), _features(APPEAL_RU, "ru", 2)
        assert _score(russian, english) == 0.0  # the city alone


QUAKE_EN = (
    "Earthquake damages 300 houses in Tajikistan's Rasht valley",
    "A magnitude 5.9 earthquake damaged 300 houses in three villages of the Rasht valley on "
    "Tuesday night, the emergencies committee said. One person was killed.",
)
QUAKE_RU = (
    "Толчки магнитудой 5,9 ощущались в Душанбе и Гарме",
    "Очаг залегал на глубине 15 километров, сообщил Институт геологии Таджикистана.",
)
QUAKE_DAMAGE_RU = (
    "КЧС: землетрясение повредило 300 домов в трёх селах Раштского района",
    "Комитет по чрезвычайным ситуациям сообщил, что в трёх селах Раштского района повреждены "
    "300 жилых домов, один человек погиб.",
)


def test_a_report_meets_a_bilingual_story_through_its_reports_in_the_other_language() -> None:
    """The story's Russian report gave the magnitude, its English one the damage; the
    Russian report of the damage says what the English one says, and joins the story,
    by the bar of its own language."""
    english, russian = _features(QUAKE_EN, "en"), _features(QUAKE_RU, "ru", 1)
    damage = _features(QUAKE_DAMAGE_RU, "ru", 3)
    assert _score(damage, russian) < SAME_LANGUAGE_JOIN  # its own language's report alone
    assert _score(damage, english, russian) >= SAME_LANGUAGE_JOIN


def test_each_word_of_the_concepts_names_one_concept() -> None:
    """A stem listed under two concepts would be read as the first only ("fired": fire
    or dismissal): every listed word's stem leads back to its own concept."""
    for concept, (english, russian) in concepts().items():
        for language, words in (("en", english), ("ru", russian)):
            for word in words.split():
                [stem] = terms(word, language)
                assert concept_of(stem, language) == "~" + concept, (word, concept)


def test_the_same_leader_in_another_event_does_not_score() -> None:
    russian = _features(TREATY_RU, "ru")
    other = _features(JAPAROV_CHINA, "en")
    # In a window of three articles Japarov and Bishkek are rare, so the shared leader
    # scores; the report of the same event must still score well above it.
    assert _score(russian, other) < _score(russian, _features(TREATY_EN, "en")) - 0.1
    assert _score(other, _features(TREATY_EN, "en")) < SAME_LANGUAGE_JOIN


def test_a_border_length_in_both_languages_is_one_number() -> None:
    english = _features(("Border of 980 km agreed", "Kyrgyzstan and Tajikistan agreed a "
                         "border of 980 km in Batken."), "en")  # fmt: skip
    russian = _features(("Согласована граница длиной 980 километров", "Кыргызстан и "
                         "Таджикистан согласовали в Баткене границу длиной 980 километров."),
                        "ru")  # fmt: skip
    assert {"#980", "btkn"} <= english.names & russian.names
    assert _score(russian, english) >= CROSS_LANGUAGE_JOIN


def test_a_name_in_guillemets_is_a_name() -> None:
    """Russian news quotes the names of posts, clubs and firms: «Торугарт», «Насаф»."""
    russian = names_of("Схема на «Торугарте»: суд вынес приговор",
                       "Сотрудники таможенного поста «Торугарт» получили сроки.")  # fmt: skip
    english = names_of("Smuggling scheme at Torugart", "Officers of the Torugart post jailed.")
    assert name_key("Torugart") in russian & english


def test_a_long_quotation_in_guillemets_is_speech_not_a_name() -> None:
    body = "«Сегодня мы подписали важный договор», — сказал Жапаров. Клуб «Насаф» победил."
    assert names_of("Договор подписан", body) == {name_key("Жапаров"), name_key("Насаф")}


@pytest.mark.parametrize(
    ("title", "body", "names"),
    [
        # A title's first word is any word; one the country tagger knows is a name.
        ("Жапаров и Мирзиёев подписали 18 документов", "Зону создадут у поста «Достук».",
         {"Жапаров", "Мирзиёев", "Достук", "18"}),
        ("Tokayev Calls for Reform as Summit Adopts Declaration", "The summit ended.", {"Tokayev"}),
        ("Heart surgeons from Tashkent visit Osh", "They operated on ten children.",
         {"Tashkent", "Osh"}),
        # Russian does not title-case headlines: one with many names is in sentence case.
        ("Лидеры Центральной Азии и Китая подписали Чэндуйскую декларацию",
         "Главы шести государств подписали декларацию.",
         {"Центральной", "Азии", "Китая", "Чэндуйскую"}),
    ],
)  # fmt: skip
def test_a_title_opening_with_a_known_name_keeps_it(
    title: str, body: str, names: set[str]
) -> None:
    expected = {f"#{n}" if n.isdigit() else entity_key(n) for n in names}
    assert names_of(title, body) | numbers_of(title) == expected


def test_a_hyphenated_name_is_its_parts() -> None:
    russian = names_of("Талибы завершили канал", "Талибы завершили канал Кош-Тепа на севере.")
    english = names_of("Taliban finish canal", "The Taliban finished the Qosh Tepa canal.")
    assert {name_key("Qosh"), name_key("Tepa")} <= russian & english


def test_a_shared_title_of_office_is_no_evidence_across_languages() -> None:
    """ "Президент" and "President" sound alike, and nearly every report has one: with one
    name beside it, two events in two languages still share too little."""
    english = _features(
        (
            "President Rahmon Opens Hospital",
            "President Rahmon opened a new children's hospital on Monday.",
        ),
        "en",
    )
    russian = _features(("Президент Рахмон принял посла Японии",
                         "Президент Рахмон принял во вторник посла Японии."), "ru")  # fmt: skip
    assert _score(russian, english) == 0.0


def test_an_article_about_other_countries_is_not_of_the_story() -> None:
    """Two central banks' rate decisions in one week share every word but the country."""
    kazakh = _features(("Central bank holds base rate at 15.5%", "The National Bank of "
                        "Kazakhstan held its base rate at 15.5% in Astana on Friday, citing "
                        "inflation expectations and food prices."), "en")  # fmt: skip
    uzbek = _features(("Central bank cuts base rate to 13%", "The Central Bank of Uzbekistan "
                       "cut its base rate to 13% in Tashkent on Thursday, citing slowing "
                       "inflation and food prices."), "en")  # fmt: skip
    assert kazakh.countries == {"KZ"} and uzbek.countries == {"UZ"}
    assert _score(kazakh, uzbek) == 0.0
    blind = dataclasses.replace(kazakh, countries=frozenset())
    assert _score(blind, dataclasses.replace(uzbek, countries=frozenset())) > 0.0


def test_names_that_do_not_transliterate_meet_through_the_table() -> None:
    """Китай and China, СНГ and CIS, ШОС and SCO share no sounds; the table gives them one key."""
    russian = names_of("Саммит СНГ открылся", "Лидеры стран СНГ и председатель КНР Китая "
                       "обсудили итоги работы ШОС.")  # fmt: skip
    english = names_of("CIS summit opens", "Leaders of the CIS and China discussed the SCO.")
    assert {"=cis", "=china", "=sco"} <= russian & english
    assert entity_key("Китаем") == entity_key("Chinese") == "=china"
    # The EU's institutions are the EU's: the European Council's president is the EU's.
    assert entity_key("Евросовета") == entity_key("Еврокомиссии") == entity_key("European")
    assert entity_key("Кыргызстан") == name_key("Kyrgyzstan")  # not in the table: its sounds


@pytest.mark.parametrize(
    ("title", "body", "kind"),
    [
        ("Putin to visit Dushanbe next week", "The Kremlin said the trip would include talks.", PLAN),
        ("Ожидается визит Мирзиёева в Бишкек", "Визит пройдет на следующей неделе.", PLAN),
        ("Xi, Tokayev hold talks", "The leaders met on the sidelines of the summit in Astana.", BESIDE),
        ("Касымалиев и Мишустин обсудили поставки", "Встреча прошла на полях заседания СНГ.", BESIDE),
        # The sidelines of what, before the word: "on summit sidelines", "the forum's".
        ("Rahmon, Mirziyoyev discuss hydropower on summit sidelines", "They met.", BESIDE),
        ("Xi meets Japarov on the forum's margins", "The talks lasted an hour.", BESIDE),
        # The first sentence goes on past an abbreviation's stop: "Feb. 9" ends none.
        ("Wang Yi meets Uzbek FM in Astana", "ASTANA, Feb. 9 (Xinhua) -- Wang Yi met Bakhtiyor "
         "Saidov on the sidelines of the ministers' meeting. They discussed rail.", BESIDE),
        # "Bilateral" says who met, not beside what: a state visit's talks are the visit's.
        ("Tokayev, Xi agree on a third rail crossing", "Tokayev and Xi held bilateral talks in "
         "Chengdu on Monday.", HAPPENING),
        ("Токаев и Мирзиёев провели двусторонние переговоры", "Лидеры встретились в Ташкенте.",
         HAPPENING),
        ("Interview: Taliban-Ruled Afghanistan Looks to Kazakhstan", "A minister spoke.", VIEW),
        ("Мнение: что значит визит", "Эксперт рассуждает о визите.", VIEW),
        ("Putin arrives in Dushanbe for summit", "He was met at the airport. On the sidelines "
         "of the summit he will meet Aliyev.", HAPPENING),
        # A quote's future is the speaker's; "to pay" a tax is no visit; «приедет» is.
        ("Baradar in Ashgabat: 'Herat will be connected to Europe by rail'", "The deal was "
         "signed on Tuesday.", HAPPENING),
        ("Crypto miners to pay 12% under law approved by senators", "The Senate passed it.",
         HAPPENING),
        ("Japarov to pay state visit to Tajikistan", "The visit is on July 1.", PLAN),
        # "Will" of a meeting is a plan; of an effect ("will cut costs") it is a hope.
        ("Herat traders hope rail deal will cut fuel costs", "The deal was signed.", HAPPENING),
        ("Summit will be held in Bishkek in April", "The dates were agreed.", PLAN),
        ("Президент Кыргызстана приедет в Душанбе с госвизитом", "Визит пройдет 1–2 июля.",
         PLAN),
    ],
)  # fmt: skip
def test_the_sort_of_report_is_read_from_the_title_and_first_sentence(
    title: str, body: str, kind: str
) -> None:
    assert report_kind(title, body) == kind


def test_a_report_of_another_sort_is_not_of_the_story() -> None:
    visit = _features(("Mirziyoyev Arrives in Bishkek on State Visit", "Uzbek President "
                       "Shavkat Mirziyoyev arrived in Bishkek for talks with Sadyr Japarov "
                       "on the Dostuk trade zone."), "en")  # fmt: skip
    announced = _features(("Mirziyoyev to Pay State Visit to Bishkek", "Uzbek President "
                           "Shavkat Mirziyoyev will arrive in Bishkek next week for talks with "
                           "Sadyr Japarov on the Dostuk trade zone."), "en")  # fmt: skip
    assert announced.kind == PLAN and visit.kind == HAPPENING
    assert _score(announced, visit) == 0.0
    assert _score(dataclasses.replace(announced, kind=HAPPENING), visit) > SAME_LANGUAGE_JOIN


def test_one_outlet_joins_its_own_story_only_on_strong_evidence() -> None:
    """An outlet rarely reports one event twice: its second article must score
    SAME_OUTLET_MARGIN more than another outlet's would."""
    first = _features(TREATY_EN, "en")
    story = Story(first.at)
    story.add(dataclasses.replace(first, outlet="steppe"))
    other = _features(TREATY_EN_2, "en", 2)
    assert threshold(dataclasses.replace(other, outlet="steppe"), story) == pytest.approx(
        threshold(dataclasses.replace(other, outlet="oasis"), story) + SAME_OUTLET_MARGIN
    )
    index = StoryIndex(72 * HOUR)
    index.add(dataclasses.replace(first, outlet="steppe"), 1)
    index.add(JAPAROV_CHINA_FEATURES, 2)
    # The same facts reworded by the same outlet: an update, it joins.
    update = features(TREATY_EN[0] + ": Update", TREATY_EN[1], "en", START + HOUR, "steppe")
    assert index.choose(update) == 1
    # Another angle on the same names: another outlet's report joins, the same outlet's
    # is an article of its own (an interview, a background piece).
    angle = ("Isfara water shared equally under new treaty",
             "The Isfara river will be shared equally, officials in Khujand said.")  # fmt: skip
    assert index.choose(features(*angle, "en", START + HOUR, "oasis")) == 1
    assert index.choose(features(*angle, "en", START + HOUR, "steppe")) is None


def test_features_round_trip_through_json() -> None:
    article = dataclasses.replace(_features(TREATY_RU, "ru", 5), meaning=bytes(range(256)) * 2)
    stored = json.loads(json.dumps(article.as_json()))
    assert Features.from_json(stored) == article
    assert Features.from_json(stored).sounds == article.sounds


def _assign(index: StoryIndex, text: tuple[str, str], language: str, hours: float) -> int:
    return index.assign(features(text[0], text[1], language, START + hours * HOUR))


def test_one_event_in_two_languages_is_one_story_and_the_same_leader_elsewhere_is_not() -> None:
    index = StoryIndex(72 * HOUR)
    first = _assign(index, TREATY_EN, "en", 0)
    assert _assign(index, TREATY_EN_2, "en", 2) == first
    assert _assign(index, TREATY_RU, "ru", 3) == first
    assert _assign(index, JAPAROV_CHINA, "en", 48) != first


def test_an_article_beyond_the_window_starts_a_new_story() -> None:
    index = StoryIndex(72 * HOUR)
    first = _assign(index, TREATY_EN, "en", 0)
    assert _assign(index, TREATY_EN_2, "en", 80) != first


def test_choose_reads_the_index_and_add_records() -> None:
    index = StoryIndex(72 * HOUR)
    index.add(_features(TREATY_EN, "en"), 7, first_at=START - HOUR)
    before = (len(index.stories), len(index.held), index.view(START).total)
    assert index.choose(_features(TREATY_EN_2, "en", 2)) == 7
    assert (len(index.stories), len(index.held), index.view(START).total) == before
    assert index.assign(_features(JAPAROV_CHINA, "en", 3), new_story=lambda: 40) == 40
    assert index.assign(_features(TREATY_RU, "ru", 4)) == 7
    assert index.stories[7].first_at == START - HOUR


def test_a_late_item_meets_the_stories_of_its_own_time() -> None:
    index = StoryIndex(72 * HOUR)
    first = _assign(index, TREATY_EN, "en", 100)
    assert _assign(index, TREATY_EN_2, "en", 60) == first  # published earlier, ingested now
    _assign(index, JAPAROV_CHINA, "en", 400)  # days later: the treaty's story stays held
    assert _assign(index, TREATY_RU, "ru", 50) == first  # within a window of its reports


def test_past_capacity_the_oldest_articles_are_forgotten_with_their_stories() -> None:
    index = StoryIndex(72 * HOUR, capacity=2)
    first = _assign(index, TREATY_EN, "en", 0)
    _assign(index, JAPAROV_CHINA, "en", 200)
    _assign(index, TREATY_EN_2, "en", 300)
    assert index.forget_oldest() == START
    assert first not in index.stories and len(index.held) == 2
    assert index.forget_oldest() is None


def test_ties_go_to_the_lower_story() -> None:
    index = StoryIndex(72 * HOUR)
    index.add(_features(TREATY_EN, "en"), 9)
    index.add(_features(TREATY_EN, "en"), 4)
    assert index.choose(_features(TREATY_EN_2, "en", 1)) == 4


# Clear-cut events: each its own names, numbers and words, no word shared between them.
EVENTS = [
    (
        "Astana Opens Hydrogen Centre",
        "Astana opened a hydrogen centre in Karaganda with 120 engineers.",
    ),
    (
        "Osh Market Fire Contained",
        "Firefighters in Osh contained a market fire that destroyed 37 stalls.",
    ),
    (
        "Ashgabat Hosts Carpet Festival",
        "Ashgabat hosted a carpet festival where Turkmen weavers showed 450 rugs.",
    ),
    (
        "Termez Airport Gets Cargo Terminal",
        "Termez airport received a cargo terminal handling 9,000 tonnes yearly.",
    ),
]


@settings(max_examples=40, deadline=None)
@given(st.permutations([(e, r) for e in range(4) for r in range(3)]))
def test_any_arrival_order_gives_the_same_partition_for_clear_cut_events(
    order: list[tuple[int, int]],
) -> None:
    """Each report keeps its own time (events days apart, reports hours apart); only the
    order they arrive in changes, as when feeds answer in any order or a backfill comes
    after today's news."""
    index = StoryIndex(72 * HOUR)
    story_of: dict[tuple[int, int], int] = {}
    for event, report in order:
        title, body = EVENTS[event]
        if report == 1:  # a second outlet's report: another wording of the same facts
            title, body = f"{title} Today", f"Officials said: {body}"
        elif report == 2:
            title, body = f"{title} as Planned", f"{body} The ministry confirmed it."
        at = START + event * 30 * HOUR + report * 2 * HOUR
        story_of[(event, report)] = index.assign(features(title, body, "en", at, f"o{report}"))
    partition = {
        frozenset(k for k, s in story_of.items() if s == story) for story in story_of.values()
    }
    assert partition == {frozenset({(e, 0), (e, 1), (e, 2)}) for e in range(4)}


# Text of the shapes that trip name and number rules: quotes, hyphens, digits, scripts.
_FRAGMENTS = [*"«»\"“”-–— .,!?\n0123456789aZяЖёЁ'’()", "Кош-Тепа", "Qosh", "ского", "sky"]
_TRICKY = st.lists(st.sampled_from(_FRAGMENTS), max_size=120).map("".join)


@settings(max_examples=200, deadline=None)
@given(_TRICKY, _TRICKY, st.sampled_from(["en", "ru"]))
def test_features_of_any_text_are_plain_keys_and_survive_json(
    title: str, body: str, language: str
) -> None:
    found = features(title, body, language, START)
    assert all(isinstance(key, str) and key for key in found.names)
    assert Features.from_json(json.loads(json.dumps(found.as_json()))) == found


# Scenes of events that share a place, a week, a leader or a kind (tests/stories/scenes.json):
# each with its "why", its reports and the event each reports.
SCENES = json.loads(
    (Path(__file__).parent / "stories" / "scenes.json").read_text(encoding="utf-8")
)
DUSHANBE_WEEK = SCENES["dushanbe_week"]["reports"]


@pytest.mark.parametrize(
    ("title", "blocs"),
    [
        ("What Kairat's European run is worth in prize money", set()),
        ("EU and Central Asia agree critical raw materials roadmap", {"=eu"}),
        ("European Council president visits Astana", {"=eu"}),
        ("Каллас: ЕС направит €300 млн на Транскаспийский маршрут", {"=eu"}),
    ],
)
def test_the_adjective_european_in_a_title_names_no_bloc_that_met(
    title: str, blocs: set[str]
) -> None:
    assert set(features(title, "", "en", START).blocs) == blocs


@pytest.mark.parametrize(
    ("title", "body", "language", "homes"),
    [
        # The country a text names as its context is among its countries, not its homes.
        ("Why Tajikistan's bread got dearer", "It runs on Kazakh wheat and Kazakh flour.", "en",
         {"TJ"}),
        ("В Бишкеке подорожал хлеб", "Мука из Казахстана подорожала.", "ru", {"KG"}),
        ("Mirziyoyev and Lee aim to double trade", "They met in Tashkent.", "en", {"UZ"}),
        ("Issyk-Kul region declares day of mourning", "Five died in Kyrgyzstan.", "en", set()),
    ],
)  # fmt: skip
def test_an_articles_homes_are_the_countries_of_its_title_alone(
    title: str, body: str, language: str, homes: set[str]
) -> None:
    found = features(title, body, language, START)
    assert set(found.homes) == homes
    assert set(found.countries) >= homes


@pytest.mark.parametrize(
    ("title", "body", "rank"),
    [
        ("Foreign ministers meet in Tashkent ahead of summit", "They agreed a draft.", MINISTERS),
        ("Wang Yi meets Uzbek FM in Astana", "They discussed rail.", MINISTERS),
        ("Саидов обсудил с коллегами повестку саммита", "Министр иностранных дел Узбекистана "
         "принял участие в заседании глав МИД.", MINISTERS),
        ("Leaders adopt declaration", "The presidents met at the summit in Astana.", SUMMIT),
        ("В Астане стартовал саммит", "Главы государств собрались в Астане.", SUMMIT),
        # A summit by its formal name: the region's consultative meeting, a council of
        # heads of state.
        ("Рахмон открыл в Душанбе Консультативную встречу", "Лидеры обсудили воду.", SUMMIT),
        ("Лидеры СНГ собрались в Душанбе", "Заседание Совета глав государств СНГ прошло "
         "в пятницу.", SUMMIT),
        ("Heads of state of the SCO gather in Astana", "They signed a declaration.", SUMMIT),
        ("Касымалиев потребовал убрать барьеры", "Председатель Кабинета министров на "
         "заседании Евразийского межправительственного совета заявил о простоях.", SUMMIT),
        ("CIS heads of government meet in Dushanbe", "They signed 12 documents.", SUMMIT),
        # A summit named as the time of something else: that something is not the summit.
        ("Токаев и Си Цзиньпин провели переговоры", "Накануне саммита «Центральная Азия — "
         "Китай» лидеры обсудили транзит зерна.", BEFORE_SUMMIT),
        ("Japarov meets Putin ahead of the CIS summit", "They discussed migrants.",
         BEFORE_SUMMIT),
        ("Leaders open the summit", "Ahead of the summit, ministers met.", SUMMIT),
        # A prime minister heads a government: not a foreign minister.
        ("Prime ministers of the CIS meet in Bishkek", "They signed 14 documents.", ""),
    ],
)  # fmt: skip
def test_who_met_by_rank_is_read_from_the_title_and_first_sentence(
    title: str, body: str, rank: str
) -> None:
    assert meeting_rank(title, body) == rank


def test_across_languages_meaning_needs_a_shared_key_beyond_the_city() -> None:
    """A Russian report of a Bishkek hospital and an English one of a Bishkek airport
    share only the city and the country: however near their meanings, two stories."""
    english = ("Kyrgyzstan Opens a New Terminal at Manas Airport", "Kyrgyzstan opened a new "
               "passenger terminal at Manas airport near Bishkek on Monday.")  # fmt: skip
    russian = ("В Бишкеке открыли новую детскую больницу", "В понедельник в Бишкеке открыли "
               "новую детскую больницу на 300 мест, сообщило министерство здравоохранения.")  # fmt: skip
    index = StoryIndex(72 * HOUR)
    story = index.assign(features(*english, "en", START, "steppe"), embed=embed)
    second = features(*russian, "ru", START + HOUR, "tau")
    keys = compare_keys(second, index.stories[story], index.view(second.at))
    assert keys is not None and keys.score > 0.15 and keys.shared == 0  # the city, the country
    assert index.assign(dataclasses.replace(second, meaning=embed([second.text])[0])) != story


def test_across_languages_with_too_few_shared_keys_meaning_decides_however_high_the_score() -> None:
    """One shared name across languages is not enough for the keys alone, so only meaning
    can make the join: it must be weighed whether the keys score high or low (a high score
    once made meaning look needless, and the join was refused outright)."""
    one_name = Keys(0.4, enough=False, across=True, shared=1)
    assert meaning_may_decide(one_name, CROSS_LANGUAGE_JOIN)
    assert meaning_may_decide(one_name._replace(score=0.1), CROSS_LANGUAGE_JOIN)
    assert not meaning_may_decide(one_name._replace(score=0.0), CROSS_LANGUAGE_JOIN + 0.2)
    # Enough shared keys and a score well past the threshold: the keys decide alone.
    assert not meaning_may_decide(one_name._replace(enough=True, shared=2), CROSS_LANGUAGE_JOIN)
    # No shared key beyond the city: meaning never stands in.
    assert not meaning_may_decide(one_name._replace(shared=0), CROSS_LANGUAGE_JOIN)


RASHT_MAGNITUDE_RU = (
    "В Раштской долине произошло землетрясение магнитудой 5,8",
    "Землетрясение магнитудой 5,8 произошло ночью в Раштской долине, сообщил Институт "
    "геологии. Толчки ощущались в Душанбе и Гарме, в джамоатах повреждены дома.",
)
RASHT_DAMAGE_RU = (
    "КЧС: в Раштском районе повреждены 300 домов",
    "Комитет по ЧС сообщил, что в трёх джамоатах Раштского района после землетрясения "
    "повреждены 300 домов и две школы, семьи размещены в палатках.",
)


def _unit_meaning(axis: int) -> bytes:
    """A stored meaning pointing along one axis: two of different axes are unrelated."""
    vector = np.zeros(DIMENSIONS, dtype=np.int8)
    vector[axis] = 127
    return vector.tobytes()


def test_within_one_language_meaning_lifts_a_join_but_never_holds_one_back() -> None:
    """Two reports of one earthquake lead with different facts (the magnitude, the
    damage), so their ledes read apart; the keys, over the whole texts, make the join,
    and within one language meaning does not undo it. Across languages, where the keys
    share little, meaning still holds back a join they barely make."""
    first = dataclasses.replace(_features(RASHT_MAGNITUDE_RU, "ru"), outlet="avesta",
                                meaning=_unit_meaning(0))  # fmt: skip
    damage = dataclasses.replace(_features(RASHT_DAMAGE_RU, "ru", 3), outlet="asia",
                                 meaning=_unit_meaning(1))  # fmt: skip
    index = StoryIndex(72 * HOUR)
    index.add(first, 1)
    index.add(JAPAROV_CHINA_FEATURES, 2)  # a window of one article has no rare words
    story = Story(first.at)
    story.add(first)
    keys = compare_keys(damage, story, index.view(damage.at))
    assert keys is not None and not keys.across
    assert keys.score > threshold(damage, story)
    assert similarity(damage, story, index.view(damage.at)) == pytest.approx(keys.score)
    assert not meaning_may_decide(keys, threshold(damage, story))  # nothing to encode
    assert meaning_may_decide(keys._replace(score=SAME_LANGUAGE_JOIN - 0.05), SAME_LANGUAGE_JOIN)
    barely = Keys(CROSS_LANGUAGE_JOIN + 0.02, enough=True, across=True, shared=2)
    assert meaning_may_decide(barely, CROSS_LANGUAGE_JOIN)


def test_articles_prepared_with_their_meanings_are_stored_without_encoding_anything() -> None:
    """Ingest encodes every article's meaning while preparing it, on the text workers, so
    the one writer never waits for the encoder; an article or a held one without its
    meaning (stored by older rules) is still encoded where meaning may decide."""
    texts = [meaning_text(r["title"], r["body"]) for r in DUSHANBE_WEEK]
    vectors = embed(texts)
    asked: list[int] = []

    def counting(batch: Sequence[str]) -> list[bytes]:
        asked.append(len(batch))
        return embed(batch)

    def prepared(n: int) -> Features:
        r = DUSHANBE_WEEK[n]
        return features(r["title"], r["body"], r["language"], START + r["hours"] * HOUR,
                        r["outlet"])  # fmt: skip

    with_meaning = StoryIndex(72 * HOUR)
    for n, vector in enumerate(vectors):
        article = dataclasses.replace(prepared(n), meaning=vector)
        assert with_meaning.encode([article], counting) == [article]
        with_meaning.assign(article, embed=counting)
    assert asked == []

    without = StoryIndex(72 * HOUR)
    for n in range(len(texts)):
        without.assign(prepared(n), embed=counting)
    assert sum(asked) > 0  # the same articles without meanings: some had to be encoded


def _candidates_reading_every_posting(index: StoryIndex, article: Features) -> list[int]:
    """`StoryIndex.candidates` as first written: every key's postings gathered, then read
    rarest first (the index now gathers only the keys it reads)."""
    from bot.news.stories import index as stories_index
    from bot.news.stories.compare import idf

    view = index.view(article.at)
    weighed = []
    for key in article.lookup_keys:
        stories = {s for bucket in view.buckets for s in bucket.postings.get(key, {})}
        if stories:
            part, word = (
                (article.language, key[len(article.language) + 3 :]) if key.startswith("w:")
                else ("sounds", key[2:]) if key.startswith("s:") else ("names", key)
            )  # fmt: skip
            weighed.append((view.df(part).get(word), key, stories))
    shared: dict[int, float] = {}
    keys: dict[int, int] = {}
    read = 0
    for df, _key, stories in sorted(weighed, key=lambda found: (found[0], found[1])):
        if read >= stories_index.MAX_POSTINGS:
            break
        read += len(stories)
        for story in stories:
            shared[story] = shared.get(story, 0.0) + idf(df, view.total)
            keys[story] = keys.get(story, 0) + 1
    near = [s for s in shared if keys[s] >= stories_index.MIN_CANDIDATE_KEYS and s in index.stories
            and index._near(article, index.stories[s])]  # fmt: skip
    return sorted(near, key=lambda s: (-shared[s], s))[: stories_index.MAX_CANDIDATES]


NAMES = ["Japarov", "Rahmon", "Tokayev", "Mirziyoyev", "Bishkek", "Dushanbe", "Astana",
         "Tashkent", "Rogun", "Isfara", "Kambarata", "Naryn", "Osh", "Khujand", "Aktau"]  # fmt: skip
WORDS = ["treaty", "water", "dam", "summit", "election", "border", "gas", "grain", "railway",
         "hospital", "flood", "earthquake", "court", "bank", "visit", "talks"]  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(NAMES), min_size=1, max_size=4),
            st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
            st.integers(0, 200),
        ),
        min_size=2,
        max_size=40,
    )
)
def test_candidates_are_those_of_reading_every_posting(
    reports: list[tuple[list[str], list[str], int]],
) -> None:
    index = StoryIndex(72 * HOUR)
    # Few postings a read, so that reading stops early here as it does in a full window.
    with mock.patch("bot.news.stories.index.MAX_POSTINGS", 6):
        for names, words, hours in reports:
            title = " ".join(names) + " " + " ".join(words)
            body = f"{' and '.join(names)} said the {' '.join(words)} went ahead."
            article = features(title, body, "en", START + hours * HOUR, "steppe")
            assert index.candidates(article) == _candidates_reading_every_posting(index, article)
            index.assign(article)


@pytest.mark.parametrize(
    ("text", "formats"),
    [
        ("Central Asia–China Summit in Bishkek Ends", {"=ca+china"}),
        ("Xi attends third China-Central Asia Summit", {"=ca+china"}),
        ("В Бишкеке прошел саммит «Центральная Азия – Китай»", {"=ca+china"}),
        ("Саммит «Россия – Центральная Азия» завершился", {"=ca+russia"}),
        ("EU-Central Asia ministerial in Tashkent", {"=ca+eu"}),
        ("встреча «Центральная Азия — Европейский союз»", {"=ca+eu"}),
        ("C5+1 ministers meet in New York", {"=ca+usa"}),
        ("Trade between Central Asia and China hit a record", set()),
        ("China–Kyrgyzstan–Uzbekistan railway", set()),
        ("Central Asian leaders meet", set()),
    ],
)
def test_formats_of_the_region_with_one_power_are_blocs(text: str, formats: set[str]) -> None:
    assert formats_of(text) == formats


_FORMAT_PARTS = ["Central Asia", "central-asia", "Центральная Азия", "ЦА", "ца", "C5", "+1",
                 "China", "Китай", "EU", "ЕС", "Japan", "граница", " ", " - ", "—", "+", "/",
                 "и", "and", "x", "C5+1", "ЦА-ЕС", "Китай — ЦА"]  # fmt: skip


@given(st.lists(st.sampled_from(_FORMAT_PARTS), max_size=12))
@example(["C5+1"])  # each way a format is written, always tried
@example(["ЦА-ЕС"])
@example(["Китай — ЦА"])
@example(["Central Asia", " - ", "China"])
@example(["Центральная Азия", "—", "Китай"])
def test_formats_found_with_the_quick_check_are_those_found_without(parts: list[str]) -> None:
    """`formats_of` skips texts that cannot name a format: never one that does."""
    text = "".join(parts)
    slow = set()  # formats_of as it was before the check
    for match in aliases._FORMATS.finditer(text):
        partner = next((key for key, value in match.groupdict().items() if value), "r_usa")
        slow.add(FORMAT_PREFIX + partner.removeprefix("r_"))
    assert formats_of(text) == slow


FIVE_MINISTERS_RU = ("министров иностранных дел Казахстана, Кыргызстана, Таджикистана, "
                     "Туркменистана и Узбекистана")


EU_STORY = (
    "EU and Central Asia agree raw materials roadmap in Tashkent",
    "Foreign ministers of Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan met "
    "EU foreign policy chief Kaja Kallas in Tashkent.",
)
EU_REPORT = (
    "Мирзиёев принял участников встречи «Центральная Азия — Европейский союз»",
    f"Президент Узбекистана принял в Ташкенте {FIVE_MINISTERS_RU} и Каю Каллас.",
)
CHINA_STORY = (
    "Kosherbaev: Central Asia–China trade topped $110 billion in 2026",
    "Kazakh Deputy Foreign Minister Kosherbaev told reporters in Astana that trade grew.",
)
CHINA_REPORT = (
    "Токаев принял глав МИД Китая и стран Центральной Азии",
    f"Президент Казахстана принял в Астане {FIVE_MINISTERS_RU} и министра Китая.",
)


def _other_power(text: tuple[str, str]) -> tuple[str, str]:
    swaps = (("EU", "Japan"), ("Китая", "Японии"), ("Китай", "Япония"))
    title, body = text
    for power, other in swaps:
        title, body = title.replace(power, other), body.replace(power, other)
    return title, body


@pytest.mark.parametrize(
    ("story", "report"),
    [
        # The story's English reports write "the EU and Central Asia"; the Russian title
        # names the format.
        (EU_STORY, EU_REPORT),
        # The story's title names the format, its report is about Kazakhstan alone; the
        # Russian report about all five names China.
        (CHINA_STORY, CHINA_REPORT),
    ],
)
def test_a_report_about_all_five_names_the_format_of_the_power_it_names(
    story: tuple[str, str], report: tuple[str, str]
) -> None:
    """Only the power decides: where the story's side names another power (Japan), the
    report is not of its event."""
    for story_text, report_text, joins in (
        (story, report, True),
        (_other_power(story), report, False) if story is EU_STORY else
        (story, _other_power(report), False),
    ):  # fmt: skip
        member = _features(story_text, "en")
        article = _features(report_text, "ru", 1)
        index = StoryIndex(72 * HOUR)
        index.add(member, 1)
        summary = Story(member.at)
        summary.add(member)
        assert (compare_keys(article, summary, index.view(article.at)) is not None) is joins


@pytest.mark.parametrize("newest_first", [False, True])
@pytest.mark.parametrize("scene", sorted(SCENES))
def test_each_scene_gives_one_story_per_event(scene: str, newest_first: bool) -> None:
    """Each scene's "why" says what it holds (summits of one week, a sideline meeting, the
    trip announced, the ministers the day before, one kind of event in two provinces or
    two capitals):
    its reports, assigned with their meanings, make the stories their events do, oldest
    first as a day's fetches give them, or newest first, as a first fetch may."""
    reports = sorted(SCENES[scene]["reports"], key=lambda r: r["hours"],
                     reverse=newest_first)  # fmt: skip
    texts = [meaning_text(r["title"], r["body"]) for r in reports]
    index = StoryIndex(72 * HOUR)
    stories = []
    for report, vector in zip(reports, embed(texts), strict=True):
        at = START + report["hours"] * HOUR
        article = features(report["title"], report["body"], report["language"], at,
                           report["outlet"])  # fmt: skip
        stories.append(index.assign(dataclasses.replace(article, meaning=vector)))
    events = [r["event"] for r in reports]
    assert [stories.index(s) for s in stories] == [events.index(e) for e in events]


@given(st.lists(st.integers(0, 24 * 7), min_size=2, max_size=6))
def test_the_bar_a_report_meets_is_the_same_whichever_report_came_last(hours: list[int]) -> None:
    """A story spanning days asks more of a report: as many days as the story would span
    with it. So the earliest report, stored after the others (a feed fetched late),
    meets the bar the latest one would, stored last."""
    reports = [features("Water talks", "Water talks went on.", "en", START + h * HOUR, f"o{n}")
               for n, h in enumerate(hours)]  # fmt: skip
    span = (max(hours) - min(hours)) / 24
    wanted = SAME_LANGUAGE_JOIN + THRESHOLD_PER_DAY * max(0.0, span - 1.0)
    for last, report in enumerate(reports):
        story = Story(reports[last - 1].at)
        for member in reports[:last] + reports[last + 1 :]:
            story.add(member)
        assert threshold(report, story) == pytest.approx(wanted)


@pytest.mark.parametrize(
    ("title", "bloc"),
    [
        ("Leaders gather for a Shanghai Cooperation Organisation summit", "=sco"),
        ("Саммит Шанхайской организации сотрудничества открылся в Бишкеке", "=sco"),
        ("Заседание Совета глав Содружества Независимых Государств", "=cis"),
        ("Eurasian Economic Union council meets in Minsk", "=eaeu"),
        ("Organization of Turkic States holds a summit", "=ots"),
    ],
)
def test_a_bloc_written_out_in_full_is_the_bloc(title: str, bloc: str) -> None:
    """Wire reports name a bloc in full in the title or lede, by its acronym later."""
    found = features(title, "The leaders met.", "en", START)
    assert bloc in found.blocs and bloc in found.names


def test_a_lone_report_stored_first_joins_the_story_its_event_built_after_it() -> None:
    """One round of a first fetch: the feed with the visit's odd angle (the motorcade
    and the closed streets) answered first and began a story; the visit's plain reports,
    stored after it, built their own. Asked again (`rehome`), the lone report joins that
    story, which keeps its id; a story of another event nearby (a fuel price freeze,
    its reports alike apart) stays as it was."""
    rows = [json.loads(line) for line in
            (Path(__file__).parent / "stories" / "hard_cases.jsonl").read_text().splitlines()]
    wanted = ("erdogan-ashgabat-visit", "kz-fuel-price-freeze-extended")
    rows = [row for row in rows if row["event"] in wanted]
    lone = next(r for r in rows if r["id"] == "erdogan-ashgabat-visit/hronikatm")
    others = sorted((r for r in rows if r is not lone),
                    key=lambda r: dt.datetime.fromisoformat(r["published"]))  # fmt: skip
    texts = [meaning_text(r["title"], r["body"]) for r in [lone, *others]]
    articles = [
        dataclasses.replace(
            features(r["title"], r["body"], r["language"],
                     dt.datetime.fromisoformat(r["published"]).timestamp(), r["outlet"]),
            meaning=vector,
        )
        for r, vector in zip([lone, *others], embed(texts), strict=True)
    ]  # fmt: skip
    index = StoryIndex(72 * HOUR)
    stories = [index.assign(article) for article in articles]
    visit = {s for s, r in zip(stories[1:], others, strict=True) if r["event"] == wanted[0]}
    assert len(visit) == 1 and stories[0] not in visit  # apart, as stored
    [into] = visit
    before = {s: index.alive[s] for s in index.stories}
    placed = list(zip(articles[1:], stories[1:], strict=True))
    assert index.rehome(placed) == [(stories[0], into)]
    assert stories[0] not in index.stories and index.alive[into] == before[into] + 1
    assert {s: n for s, n in index.alive.items() if s != into} == {
        s: n for s, n in before.items() if s not in (into, stories[0])
    }
    assert index.rehome(placed) == []  # nothing more to move


def _fixture_features(events: Sequence[str]) -> list[tuple[dict[str, str], Features]]:
    """The fixtures' articles of `events`, oldest first, each with its features and
    meaning."""
    rows = [json.loads(line) for line in
            (Path(__file__).parent / "stories" / "articles.jsonl").read_text().splitlines()]
    rows = sorted((r for r in rows if r["event"] in events),
                  key=lambda r: dt.datetime.fromisoformat(r["published"]))
    vectors = embed([meaning_text(r["title"], r["body"]) for r in rows])
    return [(r, dataclasses.replace(
                features(r["title"], r["body"], r["language"],
                         dt.datetime.fromisoformat(r["published"]).timestamp(), r["outlet"]),
                meaning=vector))
            for r, vector in zip(rows, vectors, strict=True)]  # fmt: skip


def test_an_events_reports_in_one_language_stored_first_join_those_in_the_other() -> None:
    """One round of a first fetch: the Russian outlets' feeds answered first and the ice
    jam's two Russian reports made a story; its three English reports, stored after them
    in an order that did not bridge the two, made another (as `bench/stories.py` saw in
    one of its orders). Asked again (`rehome`), every Russian report joins the English
    story, and the two become one. Two reports of another event nearby, whose words
    the grown story shares (the CASA-1000 meeting and the Trans-Afghan railway's
    financing: Afghanistan's transit and power in one week), stay a story of their own."""
    flood = _fixture_features(["kz-syrdarya-ice-flood"])
    russian = [f for r, f in flood if r["language"] == "ru"]
    english = [f for r, f in flood if r["language"] == "en"]
    index = StoryIndex(72 * HOUR)
    for article in russian:
        index.add(article, 1)
    for article in english:
        index.add(article, 2)
    placed = [(article, 2) for article in english]
    assert index.rehome(placed) == [(1, 2)]
    assert 1 not in index.stories and index.alive[2] == len(russian) + len(english)

    afghan = _fixture_features(["casa1000-dushanbe-meeting", "trans-afghan-railway-financing"])
    index = StoryIndex(72 * HOUR)
    for row, article in afghan:
        index.add(article, 3 if row["event"] == "casa1000-dushanbe-meeting" else 4)
    meeting = [(a, 3) for r, a in afghan if r["event"] == "casa1000-dushanbe-meeting"]
    railway = [a for r, a in afghan if r["event"] != "casa1000-dushanbe-meeting"]
    assert 4 in {s for article, _ in meeting for s in index.candidates(article)}  # near
    assert index.rehome(meeting) == []
    assert index.alive[4] == len(railway) == 2


def test_a_small_story_bigger_than_the_one_that_grew_or_past_the_bound_stays() -> None:
    """A story moves into a bigger or equal one only, and only a small one
    (MAX_REHOMED): the flood's five reports split three and two, the story of three
    does not move into the one of two; made to look past the bound, neither moves."""
    flood = [f for _r, f in _fixture_features(["kz-syrdarya-ice-flood"])]
    index = StoryIndex(72 * HOUR)
    for n, article in enumerate(flood):
        index.add(article, 1 if n < 3 else 2)
    with mock.patch("bot.news.stories.index.MAX_REHOMED", 1):
        assert index.rehome([(article, 1) for article in flood[:3]]) == []
    assert index.rehome([(article, 2) for article in flood[3:]]) == []  # 3 > 2: stays
    assert index.rehome([(article, 1) for article in flood[:3]]) == [(2, 1)]


def test_a_report_on_the_same_two_leaders_stays_out_of_their_treatys_story() -> None:
    """Why a small story asked again (`rehome`) must pass the bar by LATE_MARGIN: a seed
    page's report of Japarov recalling how the Tajik border dispute was settled, stored
    first, and a treaty that he and Rahmon sign, told by two English outlets and one
    Russian. Against the treaty's Russian report the recollection shares the two
    leaders' names, their countries, "border" and a false friend («документ»,
    "documentary"), and passes the bar by about 0.08. Moved, it would be the treaty's
    report, and the digest led the treaty's item with its title (tests/e2e/
    test_stories.py saw it with the bar alone). With no margin it moves; measured on
    the sets held out, so did other wrong joins (README: stories)."""
    lines = (Path(__file__).parent / "seeds" / "003_73b487deae98301e.txt").read_text(
        encoding="utf-8"
    ).splitlines()
    at = lines.index(
        "Japarov Credits Mirziyoyev’s in Resolving Kyrgyzstan-Tajikistan Border Dispute"
    )
    treaty = [
        ("Kyrgyzstan and Tajikistan Sign a Treaty on the Isfara River's Water",
         "Presidents Sadyr Japarov and Emomali Rahmon signed a treaty in Khujand on Monday "
         "on the shared use of the Isfara river. The treaty covers 980 km of the border "
         "and the Golovnoy water intake, the two governments said.", "en", "steppe"),
        ("Japarov and Rahmon Seal the Isfara Water Deal in Khujand",
         "Kyrgyz President Sadyr Japarov and Tajik President Emomali Rahmon sealed a "
         "treaty in Khujand on Monday that splits the water of the Isfara river equally. "
         "The deal covers 980 kilometres of border and the Golovnoy intake.", "en", "oasis"),
        ("Жапаров и Рахмон подписали в Худжанде договор о воде Исфары",
         "Президенты Кыргызстана и Таджикистана Садыр Жапаров и Эмомали Рахмон в "
         "понедельник подписали в Худжанде договор о совместном использовании воды реки "
         "Исфара. Документ охватывает 980 километров границы и водозабор «Головной».",
         "ru", "tau"),
    ]  # fmt: skip
    texts = [(lines[at], lines[at + 2], "en", "timesca"), *treaty]
    vectors = embed([meaning_text(title, body) for title, body, _, _ in texts])
    articles = [
        dataclasses.replace(features(title, body, language, n * HOUR, outlet), meaning=vector)
        for n, ((title, body, language, outlet), vector) in enumerate(
            zip(texts, vectors, strict=True)
        )
    ]
    index = StoryIndex(72 * HOUR)
    stories = [index.assign(article) for article in articles]
    assert stories[0] not in stories[1:] and len(set(stories[1:])) == 1  # apart as stored
    placed = list(zip(articles[1:], stories[1:], strict=True))
    assert index.rehome(placed) == []
    with mock.patch("bot.news.stories.index.LATE_MARGIN", 0.0):
        assert index.rehome(placed) == [(stories[0], stories[1])]  # the join it guards


LINE_D_DEAL = (
    "Turkmenistan and China sign deal to build Line D gas pipeline",
    "Turkmenistan and China signed an agreement in Ashgabat on Tuesday to start building "
    "Line D of the gas pipeline to China, which will carry 30 billion cubic metres of "
    "Turkmen gas a year.",
)
LINE_D_ROUTE = (
    "Line D: what the Ashgabat deal means",
    "Line D of the Central Asia–China gas pipeline, agreed in Ashgabat, will run from "
    "Turkmenistan through Uzbekistan, Tajikistan and Kyrgyzstan, while the first three "
    "lines cross Uzbekistan and Kazakhstan. It will carry 30 billion cubic metres a year.",
)


def test_a_report_about_all_five_is_apart_from_a_bilateral_only_where_someone_met() -> None:
    """An explainer of a two-country pipeline deal names all five countries the pipeline
    crosses: without a meeting on either side it may join the deal's story. Told as the
    region's summit ("at the summit in Ashgabat"), it is the summit, not the bilateral
    deal before it (`_who_met_apart`)."""
    deal = _features(LINE_D_DEAL, "en")
    index = StoryIndex(72 * HOUR)
    index.add(deal, 1)
    story = Story(deal.at)
    story.add(deal)
    for body, joins in (
        (LINE_D_ROUTE[1], True),
        (LINE_D_ROUTE[1].replace("agreed in Ashgabat", "agreed at the summit in Ashgabat"),
         False),
    ):  # fmt: skip
        route = _features((LINE_D_ROUTE[0], body), "en", 18)
        assert route.countries >= {"KZ", "KG", "TJ", "TM", "UZ"}  # the route names all five
        assert (compare_keys(route, story, index.view(route.at)) is not None) is joins


# The Korea–Central Asia summit in Astana (invented): its opening, a leader's speech at it
# under his own title, and talks held the day before it.
SUMMIT_OPENS = ("Central Asia–Korea summit opens in Astana",
                "Leaders of the five countries and South Korea opened the first Central "
                "Asia–Korea summit in Astana on Tuesday.")  # fmt: skip
SUMMIT_SPEECH = ("Мирзиёев предложил открыть в Самарканде центр редких металлов",
                 "Выступая на саммите «Центральная Азия — Республика Корея» в Астане, "
                 "Шавкат Мирзиёев предложил создать центр переработки.")  # fmt: skip
TALKS_BEFORE = ("Мирзиёев и Ли Чжэ Мён провели переговоры в Астане",
                "Накануне саммита «Центральная Азия — Республика Корея» лидеры обсудили "
                "торговлю и текстиль.")  # fmt: skip


def test_talks_held_ahead_of_a_summit_are_not_the_summit() -> None:
    """Two meetings in one city a day apart: a report that names the summit only as the
    time of the talks (its rank BEFORE_SUMMIT) is kept apart from the summit's story, and
    the summit's reports from the talks' story, whichever came first."""
    opens = features(*SUMMIT_OPENS, "en", START)
    speech = features(*SUMMIT_SPEECH, "ru", START + 3 * HOUR, "uza")
    talks = features(*TALKS_BEFORE, "ru", START - 20 * HOUR, "uza")
    assert (opens.rank, speech.rank, talks.rank) == (SUMMIT, SUMMIT, BEFORE_SUMMIT)
    index = StoryIndex(72 * HOUR)
    for number, article in enumerate((talks, opens, speech)):
        index.add(article, number + 1)
    summit = Story(opens.at)
    summit.add(opens)
    held = Story(talks.at)
    held.add(talks)
    assert compare_keys(talks, summit, index.view(talks.at)) is None
    assert compare_keys(speech, held, index.view(speech.at)) is None
    assert compare_keys(speech, summit, index.view(speech.at)) is not None


def test_a_report_of_the_summit_it_names_joins_its_grown_story_with_no_late_margin() -> None:
    """A leader's speech at a summit, under his own title, shares few words with the
    summit's first report: it reaches the bar only once the summit's story has grown, and
    then joins it (`rehome`) without LATE_MARGIN, because both are of the summit and
    name the same one. Any other late join keeps the margin."""
    opens = features(*SUMMIT_OPENS, "en", START)
    speech = features(*SUMMIT_SPEECH, "ru", START + 3 * HOUR, "uza")
    talks = features(*TALKS_BEFORE, "ru", START - 20 * HOUR, "uza")
    summit = Story(opens.at)
    summit.add(opens)
    assert late_margin(speech, summit) == 0.0
    assert late_margin(talks, summit) == LATE_MARGIN  # not of a summit
    other_summit = Story(opens.at)
    other_summit.add(features("SCO summit opens in Astana", "Leaders of the SCO met.", "en",
                              START))  # fmt: skip
    assert late_margin(speech, other_summit) == LATE_MARGIN  # names another summit
    plain = Story(opens.at)
    plain.add(features("Astana hosts a trade fair", "Firms from Korea came.", "en", START))
    assert late_margin(speech, plain) == LATE_MARGIN  # the story is of no summit
    # A summit known by no bloc or format, on either side: the region's consultative
    # meeting, and a leader's proposal at it.
    consultative = Story(START)
    consultative.add(features("Rahmon opens the Consultative Meeting in Dushanbe",
                              "Leaders of the five met in Dushanbe.", "en", START))  # fmt: skip
    proposal = features("Japarov: water cannot be shared alone",
                        "Speaking at the consultative meeting of the heads of state, "
                        "Japarov proposed a water fund.", "en", START + HOUR)  # fmt: skip
    assert proposal.rank == SUMMIT and late_margin(proposal, consultative) == 0.0
    assert late_margin(proposal, summit) == LATE_MARGIN  # that one names its format


@pytest.mark.parametrize(
    ("title", "body", "scores"),
    [
        ("Tajikistan beat Uzbekistan 2-1 to win the CAFA Nations Cup", "In Tashkent.", {"1:2"}),
        ("Uzbekistan lose the final at home", "The hosts fell 1–2 to Tajikistan.", {"1:2"}),
        ("«Пахтакор» уступил «Аль-Вахде»", "Матч в Ташкенте завершился со счетом 0:3.", {"0:3"}),
        ("Сборная Кыргызстана заняла третье место", "Кыргызстан обыграл Туркменистан 3:1.",
         {"1:3"}),
        # No game, or no score a reader would take for one.
        ("Parliament passes the budget 2-1 vote split", "Deputies voted on Monday.", set()),
        ("Forum on water held 12-15 April in Dushanbe", "The final session ended.", set()),
        ("Kick-off of the cup final at 19:30 in Almaty", "Tickets are sold out.", set()),
        ("Uzbekistan win the basketball final 85-78", "In Tashkent.", set()),
    ],
)  # fmt: skip
def test_a_match_reports_score_is_read_from_its_title_and_first_sentence(
    title: str, body: str, scores: set[str]
) -> None:
    assert match_scores(title, body) == scores


def test_two_matches_of_one_cup_are_two_stories_whatever_they_share() -> None:
    """The final and the third-place match of one cup, one city, one evening: the same
    cup, the same city and some of the same teams, but other scores."""
    third = features("Kyrgyzstan take third place at the CAFA Nations Cup",
                     "Kyrgyzstan beat Turkmenistan 3-1 in Tashkent to finish third.", "en",
                     START)  # fmt: skip
    final = features("Tajikistan beat Uzbekistan 2-1 to win the CAFA Nations Cup",
                     "Tajikistan won the CAFA Nations Cup final in Tashkent.", "en",
                     START + 3 * HOUR)  # fmt: skip
    unscored = features("Tajikistan are CAFA Nations Cup champions",
                        "Tajikistan won the cup in Tashkent on Sunday evening.", "en",
                        START + 4 * HOUR)  # fmt: skip
    index = StoryIndex(72 * HOUR)
    for number, article in enumerate((third, final, unscored)):
        index.add(article, number + 1)
    match = Story(third.at)
    match.add(third)
    assert compare_keys(final, match, index.view(final.at)) is None
    # Without its score the final would be the third-place match's: the scores decide.
    unread = dataclasses.replace(final, scores=frozenset())
    assert compare_keys(unread, match, index.view(final.at)) is not None
    # A report with no score is compared by its keys: the champions' report meets the final.
    won = Story(final.at)
    won.add(final)
    assert compare_keys(unscored, won, index.view(unscored.at)) is not None
    assert Features.from_json(final.as_json()).scores == final.scores == {"1:2"}


@pytest.mark.parametrize(
    ("body", "opens"),
    [
        ("АШХАБАД, 22 апреля. /ТАСС/. Путин выступил на заседании. Затем.", "Путин выступил на"),
        ("Бишкек. 17 апреля. INTERFAX - Путин призвал страны ШОС. Затем.", "Путин призвал"),
        ("МОСКВА, 17 апр — РИА Новости. Лидеры собрались. Затем.", "Лидеры собрались."),
        ("ASTANA. KAZINFORM – Leaders met in Astana. Then.", "Leaders met in Astana."),
        ("ASTANA, Feb. 9 (Xinhua) -- Wang Yi met Saidov. Then.", "Wang Yi met Saidov."),
        ("BISHKEK, April 15 (Reuters) - Xi met the leaders. Then.", "Xi met the leaders."),
        # No dateline: the text itself.
        ("Kyrgyzstan. The country grows.", "Kyrgyzstan."),
        ("Tokayev, Xi met in Astana. Then.", "Tokayev, Xi met in Astana."),
        ("16 апреля в резиденции начал работу саммит. Затем.", "16 апреля в резиденции"),
    ],
)  # fmt: skip
def test_a_wire_reports_first_sentence_is_read_past_its_dateline(body: str, opens: str) -> None:
    assert first_sentence(body).startswith(opens)
    assert first_sentence(body).count(".") == 1  # one sentence: the next is not read


def test_who_met_is_read_past_a_wire_dateline() -> None:
    body = ("АШХАБАД, 22 апреля. /ТАСС/. Президент России Владимир Путин на заседании Совета "
            "глав государств СНГ в Ашхабаде пригласил коллег в Санкт-Петербург.")  # fmt: skip
    assert meeting_rank("Путин пригласил лидеров Содружества в Петербург", body) == SUMMIT


@pytest.mark.parametrize(
    ("title", "body", "blocs"),
    [
        # Whose summit, by the first sentence, when the title names no bloc.
        ("Leaders of eight nations gather in Kyrgyzstan for security bloc summit",
         "Leaders arrived in Bishkek on Friday for a two-day summit of the Shanghai "
         "Cooperation Organization. Xi met the five presidents a day earlier.", {"=sco"}),
        ("Лидеры собрались в Бишкеке", "В столице Кыргызстана открылся саммит ШОС.",
         {"=sco"}),
        # The other summit of the week, named as the time: not this report's bloc.
        ("Xi and five leaders set a trade goal at Bishkek summit",
         "Xi and the five presidents agreed on a trade goal, a day before the city hosts the "
         "SCO summit.", set()),
        # Two blocs beside the summit: whose is not said.
        ("Leaders gather in Bishkek for summit", "The SCO and CIS summit opened.", set()),
        # A title that names its bloc keeps it.
        ("CIS summit opens in Ashgabat", "A summit of the SCO follows next month.", {"=cis"}),
    ],
)  # fmt: skip
def test_whose_summit_is_read_from_the_first_sentence_when_the_title_names_no_bloc(
    title: str, body: str, blocs: set[str]
) -> None:
    language = "ru" if any("а" <= letter <= "я" for letter in title.lower()) else "en"
    assert features(title, body, language, START).blocs == blocs
