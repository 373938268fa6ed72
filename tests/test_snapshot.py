from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.news.snapshot import parse_snapshot
from tests.conftest import EXPECTED, SEEDS


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_articles_titles_and_truncation(name: str) -> None:
    snapshot = parse_snapshot((SEEDS / name).read_text(encoding="utf-8"))
    expected = EXPECTED[name]
    assert [(a.title, a.truncated) for a in snapshot.articles] == [
        (a["title"], a["truncated"]) for a in expected["articles"]
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_date_and_rates(name: str) -> None:
    snapshot = parse_snapshot((SEEDS / name).read_text(encoding="utf-8"))
    expected = EXPECTED[name]
    want_date = (
        dt.datetime.strptime(expected["date"], "%d %B %Y").date() if expected["date"] else None
    )
    assert snapshot.date == want_date
    assert {r.pair: [r.rate, r.change] for r in snapshot.rates} == expected["rates"]


def test_all_seeds_give_thirty_articles() -> None:
    total = sum(
        len(parse_snapshot((SEEDS / name).read_text(encoding="utf-8")).articles)
        for name in EXPECTED
    )
    assert total == 30


def test_article_page_keeps_subheadings_and_bullets_in_the_body() -> None:
    snapshot = parse_snapshot((SEEDS / "004_351b5c20ba0eb3dc.txt").read_text(encoding="utf-8"))
    first, _, lawmakers, grant = snapshot.articles[:4]
    assert "A Private Conversation at the Kremlin" in first.paragraphs
    assert "Government Response" in lawmakers.paragraphs
    assert any(p.startswith("• Construction of a new school") for p in grant.paragraphs)
    assert len(first.paragraphs) > 10


def test_listing_counter_is_read() -> None:
    snapshot = parse_snapshot((SEEDS / "000_e6deac404c5ca021.txt").read_text(encoding="utf-8"))
    assert snapshot.total_results == 1121


PAGE = """\
  • KZT/USD = 0.00200 0%
  • KGS/USD = 0.01143 0%
  • UZS/USD = 0.00008 -0.5%
  • TJS/USD = 0.10593 -0.19%
3 March 2026
A teaser paragraph with no title above it, which belongs to no article at all.

Tajikistan Opens New Hydropower Unit at Rogun
Written by Jane Doe
Dushanbe has commissioned a third unit at the Rogun plant, officials said on Monday.
Image: TCA, Jane Doe
The unit adds 600 megawatts to the grid.
Continue reading

Uzbekistan Raises Minimum Wage
[caption id="attachment_1" align="aligncenter" width="800"]Image: Gov.uz[/caption]The government of Uzbekistan raised the minimum wage by 10 percent from Febru
"""


def test_real_page_shapes() -> None:
    snapshot = parse_snapshot(PAGE)
    assert snapshot.date == dt.date(2026, 3, 3)
    assert [r.pair for r in snapshot.rates] == ["KZT/USD", "KGS/USD", "UZS/USD", "TJS/USD"]
    rogun, wage = snapshot.articles
    assert rogun.title == "Tajikistan Opens New Hydropower Unit at Rogun"
    assert rogun.paragraphs == (
        "Dushanbe has commissioned a third unit at the Rogun plant, officials said on Monday.",
        "The unit adds 600 megawatts to the grid.",
    )
    assert not rogun.truncated
    assert wage.truncated  # cut off mid-word
    assert wage.paragraphs[0].startswith("The government of Uzbekistan raised")
    assert "caption" not in wage.body and "Gov.uz" not in wage.body


def test_final_title_cut_off_without_body_is_dropped() -> None:
    text = "Kazakhstan Builds a Road\n\nThe road is long and new.\n\nKyrgyzstan Plans a Ne"
    assert [a.title for a in parse_snapshot(text).articles] == ["Kazakhstan Builds a Road"]


def test_pages_with_nothing_but_ticker_or_noise() -> None:
    assert parse_snapshot("• KZT/USD = 0.002 0%\n").articles == ()
    assert parse_snapshot("• KZT/USD = 0.002 0%\n").rates[0].rate == 0.002
    assert parse_snapshot("").articles == ()
    assert parse_snapshot("\x00\x01\x02garbage\ufffd").articles == ()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parser_never_raises_on_arbitrary_text(text: str) -> None:
    snapshot = parse_snapshot(text)
    for article in snapshot.articles:
        assert article.title and article.paragraphs


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "",
                    "• KZT/USD = 0.002 0%",
                    "22 December 2025",
                    "Viewing results 1 - 6 of 9",
                    "Kazakhstan Opens a New Bridge",
                    "Continue reading",
                    "Image: TCA",
                    "...",
                    "The bridge is long. It opened on Monday.",
                    "• bullet line",
                    "31 February 2026",
                ]
            ),
            st.text(max_size=80),
        ),
        max_size=40,
    )
)
def test_parser_never_raises_on_page_like_text(lines: list[str]) -> None:
    parse_snapshot("\n".join(lines))
