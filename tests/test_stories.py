"""Stories (pure): name keys across scripts, numbers, and which articles come together.

The clustering is work in progress (issue "one story, many outlets"): `bench/stories.py`
prints how far it is from its targets. These tests hold what it already does.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.news.stories import MemoryIndex, features, name_key, numbers_of

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


def _assign(index: MemoryIndex, text: tuple[str, str], language: str, hours: float) -> int:
    return index.assign(features(text[0], text[1], language, START + hours * HOUR))


def test_one_event_in_two_languages_is_one_story_and_the_same_leader_elsewhere_is_not() -> None:
    index = MemoryIndex(72 * HOUR)
    first = _assign(index, TREATY_EN, "en", 0)
    assert _assign(index, TREATY_EN_2, "en", 2) == first
    assert _assign(index, TREATY_RU, "ru", 3) == first
    assert _assign(index, JAPAROV_CHINA, "en", 48) != first


def test_an_article_beyond_the_window_starts_a_new_story() -> None:
    index = MemoryIndex(72 * HOUR)
    first = _assign(index, TREATY_EN, "en", 0)
    assert _assign(index, TREATY_EN_2, "en", 80) != first


# Clear-cut events: each its own names, numbers and words, no word shared between them.
EVENTS = [
    ("Astana Opens Hydrogen Centre", "Astana opened a hydrogen centre in Karaganda with 120 engineers."),
    ("Osh Market Fire Contained", "Firefighters in Osh contained a market fire that destroyed 37 stalls."),
    ("Ashgabat Hosts Carpet Festival", "Ashgabat hosted a carpet festival where Turkmen weavers showed 450 rugs."),
    ("Termez Airport Gets Cargo Terminal", "Termez airport received a cargo terminal handling 9,000 tonnes yearly."),
]


@settings(max_examples=40, deadline=None)
@given(st.permutations([(e, r) for e in range(4) for r in range(2)]))
def test_any_order_gives_the_same_partition_for_clear_cut_events(
    order: list[tuple[int, int]],
) -> None:
    index = MemoryIndex(72 * HOUR)
    story_of: dict[tuple[int, int], int] = {}
    for position, (event, report) in enumerate(order):
        title, body = EVENTS[event]
        if report:  # a second outlet's report: another wording of the same facts
            title, body = f"{title} Today", f"Officials said: {body}"
        story_of[(event, report)] = index.assign(features(title, body, "en", START + position))
    partition = {frozenset(k for k, s in story_of.items() if s == story) for story in story_of.values()}
    assert partition == {frozenset({(e, 0), (e, 1)}) for e in range(4)}
