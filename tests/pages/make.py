"""Lay the invented stories out as page dumps in the site's shapes, with their labels.

    python -m tests.pages.make            # rewrite tests/pages/*.txt and expected.json

The pages are committed; `tests/test_pages.py` checks they are what this script
makes, so a change here shows up as a change of the pages in review. Labels take
the form of `tests/seeds/expected.json`, with a `class` per page saying which
shape it exercises. The layout draws on a fixed random seed: separators,
tickers, date lines, counters, where a snippet is cut and how.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from tests.pages.stories import (
    AUTHORS,
    DIGEST_ITEMS,
    LONG_READS,
    QUOTED,
    REGIONAL,
    SENTENCE_CASE,
    SPAM_LINES,
    TEASERS,
    Story,
)
from tests.tagging_cases import CASES

HERE = Path(__file__).resolve().parent
ABOUT = (
    "Labels for the invented page dumps made by tests/pages/make.py, in the form of"
    " tests/seeds/expected.json: per page its class (the shape it exercises), date, rates"
    " and articles in order with exact titles, truncation, the countries each is about"
    " (must be tagged) and those only mentioned (also_acceptable)."
)
_RATES = {
    "KGS/USD": (0.01144, ["0%", "0.05%", "-0.1%"]),
    "KZT/USD": (0.00193, ["-0%", "-0.19%", "0.31%"]),
    "TJS/USD": (0.10858, ["0.09%", "0%", "-0.4%"]),
    "UZS/USD": (0.00008, ["0%"]),
    "TMT/USD": (0.28571, ["0%"]),
}
_MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)
_NAME = re.compile(r"(?<![.!?] )(?<!^)\b[A-ZА-ЯЁ][\w’'\-]+")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘])")


@dataclass(frozen=True)
class Item:
    """One article as it appears on a page, with its label."""

    title: str
    lines: tuple[str, ...]  # body lines, in order
    truncated: bool
    countries: str
    also: str


@dataclass
class Page:
    kind: str
    lines: list[str]
    items: list[Item]
    date: str | None
    rates: dict[str, list[object]]


def _stories_from_cases() -> list[Story]:
    return [Story(c.title, (c.body,), c.countries, c.also) for c in CASES]


def sentence_case(story: Story) -> Story:
    """The older site's style: only names keep their capitals (names as the body writes them)."""
    body = " ".join(story.paragraphs)
    named = {w for w in re.findall(r"\b[A-Z][\w’'\-]*", body) if not body.startswith(w)}
    words = story.title.split(" ")
    out = [words[0]]
    for word in words[1:]:
        bare = word.strip(":,;?!‘’“”\"'")
        keep = bare in named or bare.isupper() or any(ch.isdigit() for ch in bare)
        out.append(word if keep else word.lower())
    return replace(story, title=" ".join(out))


class Layout:
    """Random but reproducible choices shared by the page shapes."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def ticker(self, currencies: int = 5) -> tuple[list[str], dict[str, list[object]]]:
        if currencies == 0:
            return [], {}
        pairs = list(_RATES)[:currencies]
        quotes = {p: (_RATES[p][0], self.rng.choice(_RATES[p][1])) for p in pairs}
        one_round = [f"{p} = {rate:.5f} {change}" for p, (rate, change) in quotes.items()]
        lines = [f"  • {line}" for line in one_round * self.rng.randint(1, 8)]
        lines[0] = lines[0].lstrip()
        return lines, {p: [rate, change] for p, (rate, change) in quotes.items()}

    def date(self, weekday: bool = False) -> tuple[str, str]:
        day, month, year = self.rng.randint(1, 28), self.rng.choice(_MONTHS), 2026
        label = f"{day:02d} {month} {year}"
        return (f"Friday, {label}" if weekday else label), label

    def snippet(self, story: Story, cut: bool, ellipsis: bool = False) -> tuple[str, bool]:
        """A listing's one-line snippet: the whole text, or cut mid-word late in the text."""
        text = " ".join(story.paragraphs)
        if not cut:
            return text, False
        # Cut after the last name, so the label (written for the whole story) still holds.
        last = max((m.end() for m in _NAME.finditer(text)), default=0)
        start = max(last + 2, int(len(text) * 0.6))
        if start >= len(text) - 3:
            return text, False  # nothing after the last name to cut
        at = self.rng.randint(start, len(text) - 3)
        while at < len(text) - 1 and not text[at - 1].isalpha():
            at += 1
        cut_text = text[:at].rstrip()
        return (cut_text + "..." if ellipsis else cut_text), True


def _item(story: Story, lines: Sequence[str], truncated: bool, title: str | None = None) -> Item:
    return Item(title or story.title, tuple(lines), truncated, story.countries, story.also)


def _split(story: Story) -> tuple[str, ...]:
    """An article page's paragraphs: a one-paragraph story is split between sentences."""
    if len(story.paragraphs) > 1:
        return story.paragraphs
    sentences = _SENTENCE_SPLIT.split(story.paragraphs[0])
    if len(sentences) < 3:
        return story.paragraphs
    middle = len(sentences) // 2
    return (" ".join(sentences[:middle]), " ".join(sentences[middle:]))


def _page(
    kind: str,
    layout: Layout,
    items: list[Item],
    *,
    head: Iterable[str] = (),
    counter: bool = False,
    currencies: int = 5,
    dated: bool = True,
    sep: str = "\n\n",
    between: Callable[[int], Sequence[str]] = lambda _: (),
) -> Page:
    ticker, rates = layout.ticker(currencies)
    lines = list(ticker)
    date = None
    if dated:
        shown, date = layout.date(weekday=layout.rng.random() < 0.2)
        lines.append(shown)
    lines.extend(head)
    if counter:
        lines.append(f"Viewing results 1 - {len(items)} of {layout.rng.randint(40, 2000)}")
    for index, item in enumerate(items):
        lines.extend(between(index))
        lines.append(item.title)
        lines.extend(item.lines)
    body = "\n".join(ticker) + ("\n" if ticker else "")
    body += sep.join(lines[len(ticker) :])
    return Page(kind, [body], items, date, rates)


def listing(kind: str, layout: Layout, stories: Sequence[Story], **options: object) -> Page:
    items = []
    for story in stories:
        cut = layout.rng.random() < 0.6
        text, truncated = layout.snippet(story, cut, ellipsis=cut and layout.rng.random() < 0.3)
        items.append(_item(story, [text], truncated))
    return _page(kind, layout, items, **options)  # type: ignore[arg-type]


_READ_MORE = (
    "Continue reading",
    "Read more",
    "Read more »",
    "[Continue reading]",
    "Continue reading →",
)


def read_more_inline(layout: Layout, stories: Sequence[Story], **options: object) -> Page:
    """Each teaser ends with its link on the same line."""
    items = []
    link = layout.rng.choice(_READ_MORE)
    for story in stories:
        cut = layout.rng.random() < 0.5
        text, truncated = layout.snippet(story, cut, ellipsis=cut and link.startswith("Read"))
        items.append(_item(story, [f"{text} {link}"], truncated))
    return _page("read_more_inline", layout, items, **options)  # type: ignore[arg-type]


def stream(
    kind: str, layout: Layout, stories: Sequence[Story], credits: bool = False, **options: object
) -> Page:
    """An article page: several whole articles, one paragraph a line, maybe with credits."""
    bylines = ("Written by Aigerim Sadykova", "By Timur Rakhimov", "Image: TCA, Timur Rakhimov")
    items = [
        _item(story, [*([layout.rng.choice(bylines)] if credits else []), *_split(story)], False)
        for story in stories
    ]
    return _page(kind, layout, items, **options)  # type: ignore[arg-type]


def truncated_single(layout: Layout, story: Story, where: str) -> Page:
    """One article, the dump stopped mid-word in its first or its last paragraph."""
    paragraphs = list(_split(story))
    index = 0 if where == "first" else len(paragraphs) - 1
    text = paragraphs[index]
    at = layout.rng.randint(max(len(text) // 3, 12), max(len(text) - 5, 13))
    while at < len(text) - 1 and not (text[at - 1].isalpha() and text[at].isalpha()):
        at += 1
    paragraphs = [*paragraphs[:index], text[:at]]
    item = _item(story, paragraphs, True)
    return _page("truncated_single", layout, [item], currencies=layout.rng.choice([0, 4, 5]))


def weekly_digest(layout: Layout, stories: Sequence[Story]) -> Page:
    items = []
    lines_of: list[list[str]] = []
    for story in stories:
        day = layout.rng.randint(14, 20)
        pointer = f"Dec {day} — “{story.title.split(':')[0]}” READ MORE:"
        items.append(_item(story, [story.paragraphs[0]], False))
        lines_of.append([story.paragraphs[0], pointer])
    page = _page(
        "weekly_digest",
        layout,
        [replace(item, lines=tuple(lines)) for item, lines in zip(items, lines_of, strict=True)],
        head=["Weekly Digest of Central Asia"],
        sep=layout.rng.choice(["\n\n", "\n"]),
    )
    page.items = items  # the pointers are furniture, not body text
    return page


def author_page(layout: Layout, author: tuple[str, str], stories: Sequence[Story]) -> Page:
    name, bio = author
    head = [f"Our People > {name}", "Avatar photo", name, bio]
    return listing("author_page", layout, stories, head=head, counter=layout.rng.random() < 0.5)


def _label(page: Page) -> dict[str, object]:
    return {
        "class": page.kind,
        "date": page.date,
        "rates": page.rates,
        "articles": [
            {
                "title": item.title,
                "truncated": item.truncated,
                "countries": sorted(item.countries.split()),
                "also_acceptable": sorted(item.also.split()),
            }
            for item in page.items
        ],
    }


def make_pages() -> list[Page]:
    layout = Layout(2026)
    rng = layout.rng
    cases = _stories_from_cases()
    rng.shuffle(cases)
    pool = iter(cases * 3)

    def take(n: int) -> list[Story]:
        return [next(pool) for _ in range(n)]

    old = list(SENTENCE_CASE)
    pages: list[Page] = []
    # Listing pages like the seeds: counter, title case, one long snippet each.
    for _ in range(8):
        pages.append(listing("listing", layout, take(6), counter=True))
    # Tag pages: no counter, the tag's name above the list.
    for tag in ("Kazakhstan", "Water", "Energy", "Migration"):
        pages.append(listing("tag_page", layout, take(rng.randint(3, 6)), head=[tag]))
    # The older site: titles in sentence case, with and without a counter.
    for n in range(8):
        stories = [*old[(n * 3) % len(old) : (n * 3) % len(old) + 3]]
        stories += [sentence_case(s) for s in take(3)]
        rng.shuffle(stories)
        pages.append(listing("sentence_case", layout, stories, counter=n % 2 == 0))
    for n in range(3):
        stories = [*old[n * 4 : n * 4 + 2], *(sentence_case(s) for s in take(2))]
        pages.append(stream("sentence_case_stream", layout, stories, currencies=0))
    # Titles opening with a quotation mark, among ordinary ones.
    quoted = list(QUOTED)
    for n in range(4):
        stories = [*quoted[n * 2 : n * 2 + 3], *take(3)]
        rng.shuffle(stories)
        pages.append(listing("quoted_title", layout, stories, counter=n % 2 == 1))
    # "Continue reading" at the end of the teaser's line.
    for n in range(5):
        stories = take(4) if n < 3 else [*old[n * 3 : n * 3 + 2], *take(2)]
        pages.append(read_more_inline(layout, stories, counter=n == 0))
    # Pages whose only article is cut off by the end of the file.
    for n, story in enumerate([*LONG_READS[:2], *SENTENCE_CASE[:2], *take(2)]):
        pages.append(truncated_single(layout, story, "first" if n % 2 else "last"))
    # Regional formats and the tagging traps around them.
    regional = list(REGIONAL)
    for n in range(4):
        stories = regional[n * 4 : n * 4 + 4] or regional[:3]
        pages.append(listing("regional", layout, stories, counter=n % 2 == 0))
    # The Weekly Digest.
    for n in range(3):
        pages.append(weekly_digest(layout, DIGEST_ITEMS[n * 4 : n * 4 + 4]))
    # Author pages.
    for author in AUTHORS:
        pages.append(author_page(layout, author, take(4)))
    # A spam line at the top of an old page.
    for n in range(3):
        stories = [sentence_case(s) for s in take(3)]
        pages.append(listing("spam_line", layout, stories, head=[SPAM_LINES[n]], currencies=0))
    # Teasers with no title: above the first article, and after a teaser's link.
    for n in range(3):
        page = read_more_inline(
            layout,
            take(4),
            between=lambda i, n=n: [TEASERS[(n + i) % len(TEASERS)]] if i % 2 else [],
        )
        page.kind = "teaser_no_title"
        pages.append(page)
    # Article pages: several articles, sub-headings, bullets, credits.
    reads = list(LONG_READS)
    for n in range(5):
        stories = [reads[n % len(reads)], *take(2), reads[(n + 3) % len(reads)]]
        kind, currencies = "article_stream", rng.choice([0, 5])
        pages.append(stream(kind, layout, stories, credits=n % 2 == 0, currencies=currencies))
    # The shapes of issue #2: a single newline between title and body, a four-currency
    # ticker, no ticker and no date, a last title cut off by the end of the file.
    pages.append(listing("single_newline", layout, take(5), sep="\n", counter=True))
    pages.append(stream("single_newline", layout, take(3), sep="\n"))
    pages.append(listing("four_currencies", layout, take(6), currencies=4, counter=True))
    pages.append(listing("bare", layout, take(4), currencies=0, dated=False))
    pages.append(stream("bare", layout, take(3), currencies=0, dated=False))
    for n in range(2):
        page = listing("cut_title_end", layout, take(3), counter=n == 0)
        page.lines[0] += "\n\n" + take(1)[0].title[: rng.randint(12, 25)].rstrip()
        pages.append(page)
    return pages


def rendered() -> dict[str, str]:
    """The files this script makes, by name: the pages and their labels."""
    pages = make_pages()
    names = [f"{n:03d}_{page.kind}.txt" for n, page in enumerate(pages)]
    files = {name: page.lines[0].rstrip() + "\n" for name, page in zip(names, pages, strict=True)}
    labels = {name: _label(page) for name, page in zip(names, pages, strict=True)}
    document = {"about": ABOUT, "snapshots": labels}
    files["expected.json"] = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    return files


def write(folder: Path = HERE) -> None:
    for old in folder.glob("*.txt"):
        old.unlink()
    for name, text in rendered().items():
        (folder / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write()
    print(f"wrote {len(list(HERE.glob('*.txt')))} pages to {HERE}", file=sys.stderr)
