"""Sentence splitting: Russian rules, the English Punkt model, and what both promise."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.news.sentences import SumyTokenizer, split_sentences


def ru(text: str) -> list[str]:
    return split_sentences(text, "ru")


def test_the_issue_example_is_one_sentence() -> None:
    text = "Объем торговли составил 4,2 млрд долл. США, т.е. на 20% больше."
    assert ru(text) == [text]
    assert ru(f"{text} Рост продолжится.") == [text, "Рост продолжится."]


@pytest.mark.parametrize(
    "sentence",
    [
        "В 1991 г. Казахстан стал независимым.",
        "Столица переехала в г. Астану в 1997 г.",
        "В 2001–2005 гг. рост ВВП превышал 9%.",
        "Экспорт вырос до 12 тыс. т и 300 млн руб.",
        "Школа им. Абая стоит на ул. Толе би, напр. рядом с пр. Достык.",
        "Проф. Иванов и акад. Петров выступили на конференции.",
        "Город основан в V в. до н. э. и перестроен в XII в.",
        "Поставки выросли с.г. на треть (см. табл. 2).",
        "В отчёте упомянуты Казахстан, Узбекистан и др. страны региона.",
        "Подробности изложены в ст. 12 Закона.",
        "Компания Apple Inc. открыла офис в Алматы.",
    ],
)
def test_abbreviations_do_not_end_sentences(sentence: str) -> None:
    assert ru(sentence) == [sentence]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Цены выросли на хлеб, молоко и т.д. Правительство обещало вмешаться.",
            ["Цены выросли на хлеб, молоко и т.д.", "Правительство обещало вмешаться."],
        ),
        (
            "Выросли цены на мясо, овощи и т. п. Власти молчат.",
            ["Выросли цены на мясо, овощи и т. п.", "Власти молчат."],
        ),
        (
            "Саммит открылся в 2024 г. В нём участвуют пять стран.",
            ["Саммит открылся в 2024 г.", "В нём участвуют пять стран."],
        ),
        (
            "Участвовали Казахстан, Киргизия и др. Следующая встреча пройдёт в Ташкенте.",
            ["Участвовали Казахстан, Киргизия и др.", "Следующая встреча пройдёт в Ташкенте."],
        ),
        (
            "Длина моста — 1,5 км. Ширина — 20 м.",
            ["Длина моста — 1,5 км.", "Ширина — 20 м."],
        ),
    ],
)
def test_abbreviations_that_end_sentences(text: str, expected: list[str]) -> None:
    assert ru(text) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Президент Узбекистана Ш. Мирзиёев прибыл в Астану.",
        "Его встретил К.-Ж. Токаев в аэропорту.",
        "Памятник А.С. Пушкину стоит в центре Бишкека.",
        "Памятник А. С. Пушкину стоит в центре Бишкека.",
        "С речью выступил Дж. Байден.",
        "Указ подписал Мирзиёев Ш. М. в пятницу.",
    ],
)
def test_initials_do_not_end_sentences(sentence: str) -> None:
    assert ru(sentence) == [sentence]


def test_a_name_that_ends_with_initials_ends_before_a_function_word() -> None:
    text = "Документ подписал Мирзиёев Ш. М. Он вступит в силу в мае."
    assert ru(text) == ["Документ подписал Мирзиёев Ш. М.", "Он вступит в силу в мае."]


@pytest.mark.parametrize(
    "sentence",
    [
        "Инфляция замедлилась до 4,2% к 12.03.2024 и до 3.5% к концу года.",
        "Курс составил 470,50 тенге за доллар 01.02.2024 в 10.00 утра.",
    ],
)
def test_decimal_numbers_and_dates_do_not_end_sentences(sentence: str) -> None:
    assert ru(sentence) == [sentence]


def test_a_number_ends_a_sentence() -> None:
    text = "Рост составил 5,1%. В прошлом году было 3,2. 15 марта решение пересмотрят."
    assert ru(text) == [
        "Рост составил 5,1%.",
        "В прошлом году было 3,2.",
        "15 марта решение пересмотрят.",
    ]


def test_a_numbered_item_is_not_a_sentence_of_its_own() -> None:
    assert ru("1. Снизить пошлины. 2. Открыть границы.") == [
        "1. Снизить пошлины.",
        "2. Открыть границы.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "«Мы подпишем договор», — сказал он. Подписание назначено на март.",
            ["«Мы подпишем договор», — сказал он.", "Подписание назначено на март."],
        ),
        (
            "«Мы подпишем договор!» — заявил министр. Дата пока не названа.",
            ["«Мы подпишем договор!» — заявил министр.", "Дата пока не названа."],
        ),
        (
            "«Когда откроют границу?» — спросил журналист. Ответа не было.",
            ["«Когда откроют границу?» — спросил журналист.", "Ответа не было."],
        ),
        (
            "«Договор готов. Подпишем в марте», — сказал министр. Встреча продлилась час.",
            ["«Договор готов. Подпишем в марте», — сказал министр.", "Встреча продлилась час."],
        ),
        (
            "«Договор готов! — сказал министр. — Подпишем в марте». Встреча продлилась час.",
            ["«Договор готов! — сказал министр. — Подпишем в марте».", "Встреча продлилась час."],
        ),
        ("— Да. — ответил он. — Нет.", ["— Да. — ответил он.", "— Нет."]),
    ],
)
def test_direct_speech(text: str, expected: list[str]) -> None:
    assert ru(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Он спросил: «Когда откроют мост?» Ответа не последовало.",
            ["Он спросил: «Когда откроют мост?»", "Ответа не последовало."],
        ),
        (
            "Выставка называется „Степь“. Она открыта до мая.",
            ["Выставка называется „Степь“.", "Она открыта до мая."],
        ),
        (
            "Проект заморожен (решение принято в мае). Работы возобновят осенью.",
            ["Проект заморожен (решение принято в мае).", "Работы возобновят осенью."],
        ),
        (
            "Рост ВВП составил 5,1%... Это выше прогноза! Почему?! Никто не знает.",
            ["Рост ВВП составил 5,1%...", "Это выше прогноза!", "Почему?!", "Никто не знает."],
        ),
        (
            "Ответ был коротким… Переговоры отложили.",
            ["Ответ был коротким…", "Переговоры отложили."],
        ),
    ],
)
def test_quotes_brackets_ellipses_and_marks(text: str, expected: list[str]) -> None:
    assert ru(text) == expected


def test_lower_case_after_a_mark_goes_on() -> None:
    text = "Что делать? и кто виноват? — спрашивают эксперты."
    assert ru(text) == [text]


def test_newlines_end_sentences_in_both_languages() -> None:
    text = "Заголовок без точки\nПервый абзац. Второе предложение"
    assert ru(text) == ["Заголовок без точки", "Первый абзац.", "Второе предложение"]
    assert split_sentences("A heading\nOne. Two.", "en") == ["A heading", "One.", "Two."]


def test_a_news_paragraph() -> None:
    text = (
        "АСТАНА, 12 марта. Президент РК К.-Ж. Токаев провёл переговоры с Ш. Мирзиёевым. "
        "По данным МИД, в 2023 г. товарооборот двух стран составил 4,2 млрд долл. США, "
        "т.е. на 20% больше, чем в 2022 г. «Мы намерены довести его до 10 млрд долл.», — "
        "заявил Токаев. Стороны подписали 15 соглашений (в т.ч. о транзите, энергетике и "
        "т.п.) и обсудили строительство ж/д линии длиной 150 км. Следующая встреча "
        "пройдёт в г. Ташкенте."
    )
    assert ru(text) == [
        "АСТАНА, 12 марта.",
        "Президент РК К.-Ж. Токаев провёл переговоры с Ш. Мирзиёевым.",
        "По данным МИД, в 2023 г. товарооборот двух стран составил 4,2 млрд долл. США, "
        "т.е. на 20% больше, чем в 2022 г.",
        "«Мы намерены довести его до 10 млрд долл.», — заявил Токаев.",
        "Стороны подписали 15 соглашений (в т.ч. о транзите, энергетике и т.п.) и обсудили "
        "строительство ж/д линии длиной 150 км.",
        "Следующая встреча пройдёт в г. Ташкенте.",
    ]


@pytest.mark.parametrize("language", ["ru", "ru-RU", "russian", "kk", "ky", "uk", "uz-Cyrl"])
def test_cyrillic_languages_get_the_russian_rules(language: str) -> None:
    assert split_sentences("Ш. Мирзиёев прибыл в г. Ош. Визит продлится день.", language) == [
        "Ш. Мирзиёев прибыл в г. Ош.",
        "Визит продлится день.",
    ]


def test_uzbek_follows_its_script() -> None:
    cyrillic = "Тошкентда янги метро очилди. Йўловчилар мамнун."
    assert split_sentences(cyrillic, "uz") == split_sentences(cyrillic, "ru")
    latin = "Mr. Karimov arrived. He left."
    assert split_sentences(latin, "uz") == split_sentences(latin, "en")


def test_english_is_punkt_as_before() -> None:
    text = "The U.S. delegation arrived on Jan. 5 in Tashkent. Mr. J. Smith led it."
    expected = ["The U.S. delegation arrived on Jan. 5 in Tashkent.", "Mr. J. Smith led it."]
    assert split_sentences(text) == expected
    assert split_sentences(text, "de") == expected


def test_sumy_tokenizer_takes_the_language() -> None:
    assert SumyTokenizer("ru").language == "russian"
    assert SumyTokenizer().language == "english"
    text = "Рост составил 4,2 млрд долл. США. Это рекорд."
    assert SumyTokenizer("ru").to_sentences(text) == (
        "Рост составил 4,2 млрд долл. США.",
        "Это рекорд.",
    )


def test_a_long_paragraph_is_split_in_linear_time() -> None:
    # Runs of abbreviations, initials and quotes are the rules' busiest input.
    sentence = "В 2024 г. К.-Ж. Токаев и Ш. Мирзиёев подписали «договор», т.е. меморандум и т. д. "
    text = sentence * 2_000
    assert len(ru(text)) == 2_000


_PIECES = st.sampled_from(
    [
        *"абвгдАБВГДтТгЕеxyzXYZ0123456789 \n\t\xa0.,;:!?…«»„“\"'`()[]—–-*№$_",
        "т.д.",
        "т. д. ",
        "г. ",
        "млрд долл. ",
        "Ш. ",
        "К.-Ж. ",
        "U.S. ",
        "Mr. ",
        "...",
        "?!» ",
        "» — ",
        "— ",
        "\r\n",
        "\u2028",
        "4,2",
        "12.03.2024",
    ]
)
_TEXTS = st.one_of(st.text(max_size=80), st.lists(_PIECES, max_size=50).map("".join))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXTS, language=st.sampled_from(["en", "ru"]))
def test_sentences_are_ordered_slices_that_cover_the_text(text: str, language: str) -> None:
    sentences = split_sentences(text, language)
    spans: list[tuple[int, int]] = []
    position = 0
    for sentence in sentences:
        assert sentence and sentence == sentence.strip()
        start = text.find(sentence, position)  # a slice, after the previous one
        assert start >= 0, (sentence, sentences)
        position = start + len(sentence)
        spans.append((start, position))

    def inside(start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in spans)

    # Every character but whitespace is in a sentence, and no word is cut in two.
    # English Punkt may cut a run of bare punctuation (".!а" → ".", "!а"), never a word;
    # the Russian rules cut only at whitespace.
    assert all(inside(m.start(), m.end()) for m in re.finditer(r"\S", text))
    words = r"\w+" if language == "en" else r"\S+"
    assert all(inside(m.start(), m.end()) for m in re.finditer(words, text))
