from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.news.sentences import split_sentences
from bot.news.snapshot import parse_snapshot
from bot.news.summarize import MAX_CHARS, summarize
from bot.news.text import cosine, norm, terms
from tests.conftest import SEEDS


def _articles() -> list[tuple[str, str]]:
    pairs = []
    for path in sorted(SEEDS.glob("*.txt")):
        for article in parse_snapshot(path.read_text(encoding="utf-8")).articles:
            pairs.append((article.title, article.body))
    return pairs


def test_sentences_are_verbatim_and_in_text_order() -> None:
    for title, body in _articles():
        summary = summarize(body, 3, title=title)
        assert len(summary) == 3, title
        positions = [body.index(sentence) for sentence in summary]
        assert positions == sorted(positions)


def test_short_text_comes_back_whole() -> None:
    text = "Kazakhstan opened a bridge. It is long."
    assert summarize(text, 3) == ["Kazakhstan opened a bridge.", "It is long."]


def test_empty_and_zero() -> None:
    assert summarize("", 3) == []
    assert summarize("Some text here.", 0) == []


def test_abbreviations_do_not_split_sentences() -> None:
    text = (
        "The U.S. delegation arrived on Jan. 5 in Tashkent. "
        "Mr. J. Smith led it. Talks lasted two days. Both sides signed a memo."
    )
    sentences = summarize(text, 5)
    assert sentences[0] == "The U.S. delegation arrived on Jan. 5 in Tashkent."
    assert "Mr. J. Smith led it." in sentences


def test_credits_and_read_on_lines_are_not_picked() -> None:
    text = "\n".join(
        [
            "Image: TCA photo archive of the new dam on the river.",
            "Tajikistan commissioned the third turbine of the Rogun dam on Monday.",
            "The turbine adds 600 megawatts of capacity to the national grid.",
            "Officials expect exports of electricity to Afghanistan to rise.",
            "Continue reading the full story on our website now.",
            "Engineers from several countries worked on the project for years...",
        ]
    )
    summary = summarize(text, 3)
    assert not any(s.startswith(("Image:", "Continue")) or s.endswith("...") for s in summary)


def test_runs_offline_without_nltk_data(monkeypatch: pytest.MonkeyPatch) -> None:
    import nltk.data

    def no_download(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("NLTK data was requested")

    monkeypatch.setattr(nltk.data, "load", no_download)
    monkeypatch.setattr(nltk, "download", no_download)
    assert len(summarize(_articles()[0][1], 3)) == 3


def test_very_long_text_only_reads_its_opening() -> None:
    opening = "".join(
        f"Report number {i} covers the Kazakhstan grain harvest. " for i in range(2000)
    )
    assert len(opening) > MAX_CHARS
    beyond = "Zebra herds zebra zebra crossed zebra plains with zebra herds. " * 50_000
    summary = summarize(opening + beyond, 3)
    assert len(summary) == 3
    assert not any("Zebra" in sentence for sentence in summary)


def test_bylines_datelines_credits_and_read_more_are_never_summary_sentences() -> None:
    text = (
        "By Nikola Mikovic\n\nASTANA, Kazakhstan —\n\nPhoto: AFP / Getty Images\n\n"
        "The government of Kazakhstan approved a plan to build three power plants in the north. "
        "The plants will burn coal and gas. "
        "Officials said construction would begin next year and finish by 2029. "
        "Environmental groups criticised the plan. Read more: Kazakhstan energy policy."
    )
    summary = summarize(text, 3)
    assert len(summary) == 3
    assert summary[0].startswith("The government of Kazakhstan")
    junk = ("By ", "ASTANA", "Photo", "Read more")
    assert not any(sentence.startswith(junk) for sentence in summary)


_RUSSIAN_ARTICLE = (
    "ТАШКЕНТ, 14 марта. Президент Узбекистана Ш. Мирзиёев и президент Казахстана "
    "К.-Ж. Токаев провели переговоры в Ташкенте. "
    "По итогам 2023 г. товарооборот двух стран составил 4,2 млрд долл. США, т.е. на 20% "
    "больше, чем годом ранее. "
    "«Мы намерены довести товарооборот до 10 млрд долл. к 2030 г.», — заявил Мирзиёев. "
    "Стороны подписали 15 соглашений, в т.ч. о транзите грузов, энергетике и водных "
    "ресурсах. "
    "Отдельно обсуждалось строительство ж/д линии длиной 150 км. "
    "Фото: пресс-служба президента. "
    "Следующая встреча пройдёт в г. Астане осенью. "
    "Читайте также: итоги визита в цифрах."
)


def test_russian_summary_sentences_are_whole_sentences() -> None:
    summary = summarize(_RUSSIAN_ARTICLE, 3, language="ru")
    assert len(summary) == 3
    whole = split_sentences(_RUSSIAN_ARTICLE, "ru")
    assert all(sentence in whole for sentence in summary)
    positions = [_RUSSIAN_ARTICLE.index(sentence) for sentence in summary]
    assert positions == sorted(positions)
    # Never cut after an abbreviation or an initial, mid-phrase.
    assert not any(s.endswith(("г.", "долл.", "Ш.", "К.-Ж.", "т.е.")) for s in summary)
    assert not any(s.startswith(("Фото", "Читайте")) for s in summary)


def test_russian_trade_sentence_comes_whole() -> None:
    title = "Товарооборот Узбекистана и Казахстана вырос на 20%"
    summary = summarize(_RUSSIAN_ARTICLE, 2, title=title, language="ru")
    # Cut by the English rules it would end at "млрд долл.", the rest lost.
    assert (
        "По итогам 2023 г. товарооборот двух стран составил 4,2 млрд долл. США, т.е. на 20% "
        "больше, чем годом ранее." in summary
    )


def test_russian_direct_speech_stays_with_its_attribution() -> None:
    summary = summarize(_RUSSIAN_ARTICLE, 8, language="ru")
    quote = next(s for s in summary if s.startswith("«"))
    assert quote.endswith("— заявил Мирзиёев.")


def test_russian_terms_are_stems_without_stop_words() -> None:
    assert terms("Он и она были в Ташкенте, а затем в Ташкент приехали министры", "ru") == [
        "ташкент",
        "ташкент",
        "приеха",
        "министр",
    ]


def test_language_is_keyword_only_and_english_is_the_default() -> None:
    text = "Kazakhstan opened a bridge. It is long."
    assert summarize(text, 3) == summarize(text, 3, language="en") == summarize(text)
    with pytest.raises(TypeError):
        summarize(text, 3, "", "en")  # type: ignore[misc]


@given(
    st.dictionaries(st.sampled_from("abcdefgh"), st.integers(1, 9), max_size=8),
    st.dictionaries(st.sampled_from("abcdefgh"), st.integers(1, 9), max_size=8),
)
def test_a_cosine_with_its_norms_given_is_the_cosine_worked_out(
    a: dict[str, int], b: dict[str, int]
) -> None:
    """The summariser works each sentence's norm out once; nothing it picks may change."""
    first, second = Counter(a), Counter(b)
    assert cosine(first, second, norm(first), norm(second)) == cosine(first, second)
