from __future__ import annotations

import pytest

from bot.news.snapshot import parse_snapshot
from bot.news.summarize import MAX_CHARS, summarize
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
