"""The parser and tagger on the invented pages of tests/pages, one test per page and class.

Each page exercises one shape (its `class` in expected.json): sentence-case titles,
titles opening with a quotation mark, "Continue reading" at the end of a line, a
page whose only article the dump cut off, regional formats, the Weekly Digest,
author pages, a spam line, teasers with no title, and the shapes of the seeds.
A property test then lays random mixtures of those articles out as new pages.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.news.countries import tag_countries
from bot.news.snapshot import parse_snapshot
from tests.pages.make import HERE, Item, make_pages, rendered

LABELS = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))["snapshots"]
HOLDOUT = HERE.parent / "pages_holdout"
HOLDOUT_LABELS = json.loads((HOLDOUT / "expected.json").read_text(encoding="utf-8"))["snapshots"]
# Every labelled page, by path: the made pages and the hand-written held-out ones.
ALL_PAGES = {
    **{HERE / name: label for name, label in LABELS.items()},
    **{HOLDOUT / name: label for name, label in HOLDOUT_LABELS.items()},
}
PAGE_IDS = [f"{path.parent.name}/{path.name}" for path in ALL_PAGES]
LISTING_KINDS = {
    *("listing", "tag_page", "sentence_case", "quoted_title", "regional", "author_page"),
    *("spam_line", "four_currencies", "read_more_inline", "teaser_no_title", "weekly_digest"),
}
STREAM_KINDS = {"article_stream", "sentence_case_stream"}


def test_the_pages_are_what_make_py_makes() -> None:
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in HERE.glob("*.txt")}
    on_disk["expected.json"] = (HERE / "expected.json").read_text(encoding="utf-8")
    assert on_disk == rendered(), "run: python -m tests.pages.make"


def test_at_least_sixty_pages_cover_every_class() -> None:
    classes = {label["class"] for label in LABELS.values()}
    assert len(LABELS) >= 60
    assert {
        "sentence_case",
        "quoted_title",
        "read_more_inline",
        "truncated_single",
        "regional",
        "weekly_digest",
        "author_page",
        "spam_line",
        "teaser_no_title",
    } <= classes


@pytest.mark.parametrize("path", ALL_PAGES, ids=PAGE_IDS)
def test_titles_and_truncation(path: Path) -> None:
    snapshot = parse_snapshot(path.read_text(encoding="utf-8"))
    want = [(a["title"], a["truncated"]) for a in ALL_PAGES[path]["articles"]]
    assert [(a.title, a.truncated) for a in snapshot.articles] == want


@pytest.mark.parametrize("path", ALL_PAGES, ids=PAGE_IDS)
def test_countries(path: Path) -> None:
    snapshot = parse_snapshot(path.read_text(encoding="utf-8"))
    for article, label in zip(snapshot.articles, ALL_PAGES[path]["articles"], strict=True):
        tagged = set(tag_countries(article.title, article.body))
        must = set(label["countries"])
        assert must <= tagged <= must | set(label["also_acceptable"]), article.title


def test_inline_read_more_ends_the_teaser_and_leaves_the_text() -> None:
    page = "Kyrgyz parliament approves new mining code\nDeputies voted for the code. Continue reading\nUzbek banks raise rates\nThe central bank acted... Read more »\n"
    first, second = parse_snapshot(page).articles
    assert first.body == "Deputies voted for the code."
    assert not first.truncated
    assert second.title == "Uzbek banks raise rates"
    assert second.body == "The central bank acted..." and second.truncated


def test_a_page_cut_off_right_after_its_title_still_gives_the_article() -> None:
    page = "3 March 2026\nTajikistan to build three new schools in Khatlon\nThe government of Tajikistan will build thr"
    (article,) = parse_snapshot(page).articles
    assert article.title == "Tajikistan to build three new schools in Khatlon"
    assert article.truncated


def test_enumerations_and_remits_do_not_tag_but_formats_of_the_five_do() -> None:
    office = tag_countries(
        "Bank Opens Regional Office for Central Asia in Tashkent",
        "The bank's office in Tashkent will also serve Kazakhstan, Kyrgyzstan, Tajikistan and"
        " Turkmenistan. Uzbekistan gave it a building.",
    )
    assert office == ["UZ"]
    summit = tag_countries(
        "Tokayev Speaks at the Central Asia–EU Summit", "Kazakhstan's president opened the talks."
    )
    assert summit == ["KZ", "KG", "TJ", "TM", "UZ"]
    migrants = tag_countries(
        "Uzbek Migrants in Russia Face New Tests", "Migrants will sit a language exam in Moscow."
    )
    assert migrants == ["UZ"]


@cache
def _items() -> tuple[tuple[Item, ...], tuple[Item, ...]]:
    listing: list[Item] = []
    stream: list[Item] = []
    for page in make_pages():
        if page.kind in LISTING_KINDS:
            listing.extend(page.items)
        elif page.kind in STREAM_KINDS:
            stream.extend(page.items)
    return tuple(listing), tuple(stream)


def _lay_out(items: list[Item], head: list[str], sep: str) -> str:
    lines = [*head]
    for item in items:
        lines.append(item.title)
        lines.extend(item.lines)
    return sep.join(lines) + "\n"


FURNITURE = ["• KZT/USD = 0.00193 -0%", "22 December 2025", "Written by Jane Doe"]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    picks=st.lists(st.integers(min_value=0), min_size=1, max_size=8),
    sep=st.sampled_from(["\n\n", "\n"]),
    head=st.lists(st.sampled_from(FURNITURE), max_size=3),
    counter=st.booleans(),
)
def test_random_listings_of_labelled_articles(
    picks: list[int], sep: str, head: list[str], counter: bool
) -> None:
    pool, _ = _items()
    items = [pool[i % len(pool)] for i in picks]
    if counter:
        head = [*head, f"Viewing results 1 - {len(items)} of 300"]
    snapshot = parse_snapshot(_lay_out(items, head, sep))
    assert [a.title for a in snapshot.articles] == [i.title for i in items]
    assert [a.truncated for a in snapshot.articles] == [i.truncated for i in items]


# Fixed examples (derandomize): the suite gives the same verdict on every run; the
# mixtures still change whenever the pages do.
@settings(max_examples=100, deadline=None, derandomize=True)
@given(picks=st.lists(st.integers(min_value=0), min_size=1, max_size=5, unique=True))
def test_random_article_pages_of_labelled_articles(picks: list[int]) -> None:
    """Whole articles one after another, each about other countries than the one before.

    Two articles in a row about the same country and subject, the second under a short
    title, are read as one (a known limit: nothing in the text tells the title from a
    sub-heading there but grammar, which the parser does not read).
    """
    _, pool = _items()
    items: list[Item] = []
    for item in dict.fromkeys(pool[i % len(pool)] for i in picks):
        if not items or not set(item.countries.split()) & set(items[-1].countries.split()):
            items.append(item)
    snapshot = parse_snapshot(_lay_out(items, ["09 December 2025"], "\n\n"))
    assert [a.title for a in snapshot.articles] == [i.title for i in items]


def test_a_page_with_text_but_no_title_says_so() -> None:
    page = "• KZT/USD = 0.00193 -0%\nsome text that is not a title, and no title above it.\nmore of it."
    snapshot = parse_snapshot(page)
    assert snapshot.articles == () and snapshot.unread_lines == 2
    assert parse_snapshot("• KZT/USD = 0.00193 -0%\n").unread_lines == 0


def test_bylines_widgets_and_caption_credits_are_not_news() -> None:
    page = """Dec 1, 2025
Kazakhstan Opens a New Bridge Over the River
Aigerim Sadykova
5 hours ago
Share on Facebook
The bridge opened on Monday, officials said.
Kassym-Jomart Tokayev at the opening; image: Akorda
It cost a lot.
3 min read
Uzbekistan Raises the Minimum Wage Again
The government raised it by 10 percent."""
    snapshot = parse_snapshot(page)
    assert snapshot.date is not None and snapshot.date.isoformat() == "2025-12-01"
    assert [(a.title, a.paragraphs) for a in snapshot.articles] == [
        (
            "Kazakhstan Opens a New Bridge Over the River",
            ("The bridge opened on Monday, officials said.", "It cost a lot."),
        ),
        ("Uzbekistan Raises the Minimum Wage Again", ("The government raised it by 10 percent.",)),
    ]
