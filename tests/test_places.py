"""The provinces a title names (bot.news.stories.places): pure, no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.news.stories.places import PROVINCES, places_of


@pytest.mark.parametrize(
    ("title", "provinces"),
    [
        ("Mudflow floods houses in Osh region", {"osh"}),
        ("Сель в Ноокатском районе: подтоплены дома", {"osh"}),  # a district by its town
        ("В Ошской области перекрыта дорога", {"osh"}),
        ("Mudflow blocks road in Batken's Leilek district", {"batken"}),
        ("В Лейлекском районе сель отрезал три села", {"batken"}),
        ("Khujand bakeries raise bread prices", {"sughd"}),
        ("Проверка пекарен Худжанда и Куляба", {"sughd", "khatlon"}),
        ("Blackout in Shymkent after substation fire", {"shymkent"}),
        ("Землетрясение в Алматинской области", {"almaty"}),
        ("Tourist season opens at Issyk-Kul, Cholpon-Ata hotels full", {"issyk-kul"}),
        ("Karakalpakstan: Nukus airport reopens", {"karakalpakstan"}),
        ("Earthquake in Afghanistan's Badakhshan felt in Khorog", {"badakhshan"}),
    ],
)
def test_a_title_names_its_provinces_in_either_language(title: str, provinces: set[str]) -> None:
    assert places_of(title) == provinces


@pytest.mark.parametrize(
    "title",
    [
        "Tashkent proposes a new transit corridor",  # capitals stand for governments
        "В Душанбе подорожал хлеб",
        "Astana and Bishkek sign border deal",
        "Ошибка в расчетах МЧС",  # Ош + a long ending is another word
        "The Heart of the Matter: Oral Arguments Resume",  # Title Case is no Herat, no Oral
        "Fergana Valley water talks resume",  # three countries' valley, and an agency
        "Power cut along the Naryn cascade",  # a river through several provinces
        "osh and batken written in lower case",  # names are capitalised
        "Osh-based trader detained",  # a name inside a compound is not read
    ],
)
def test_capitals_ambiguous_names_and_other_words_name_no_province(title: str) -> None:
    assert places_of(title) == frozenset()


def test_no_spelling_of_one_province_is_read_as_another() -> None:
    """Each plain spelling (no pattern syntax) names its own province alone."""
    for province, spellings in PROVINCES.items():
        for spelling in spellings:
            if spelling.replace(" ", "").replace("-", "").isalpha():
                assert places_of(f"News from {spelling} today") == {province}, spelling


@given(st.text(max_size=300))
def test_any_text_gives_known_provinces(text: str) -> None:
    assert places_of(text) <= PROVINCES.keys()
