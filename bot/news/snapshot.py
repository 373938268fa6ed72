"""Parse a plain-text dump of a Times of Central Asia page into a `Snapshot`.

A page dump is a sequence of lines of a few kinds: currency ticker lines, a date
line, a "Viewing results 1 - 6 of N" counter, article titles, body paragraphs
(sub-headings and bullet lines included) and furniture such as "Continue
reading", credits, breadcrumbs and avatars (`page_chrome`). The lines are
sorted into those kinds first; then the page's structure says which of the
remaining lines are titles (`_titles`), and the lines are grouped into
articles.

Bounds: the work is linear in the number of lines (each line is looked at a
fixed number of times, and the look-ahead for the sub-heading test stops after
`_LOOKAHEAD` paragraphs). The size of a page is bounded by the caller
(`MAX_SNAPSHOT_BYTES` at ingest). The function never raises on any input text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from bot.news import page_chrome
from bot.news.countries import mention_scores
from bot.news.headings import is_subheading, title_cased, title_shaped
from bot.news.text import words


@dataclass(frozen=True)
class ExchangeRate:
    currency: str  # e.g. "KZT"
    base: str  # e.g. "USD"
    rate: float  # price of one `currency` in `base`
    change: str  # as printed by the site, e.g. "-0.19%"

    @property
    def pair(self) -> str:
        return f"{self.currency}/{self.base}"


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple[str, ...]
    truncated: bool
    # Known for a story from a feed or a web page (`bot.sources`); a snapshot has neither.
    url: str | None = None
    published: dt.datetime | None = None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Snapshot:
    date: dt.date | None
    rates: tuple[ExchangeRate, ...]
    articles: tuple[Article, ...]
    total_results: int | None = None  # N of "Viewing results 1 - 6 of N": marks a listing page
    # Lines of text that ended up in no article (teasers, headings, spam): when a page
    # gives no article at all, this says whether it had text the parser could not read.
    unread_lines: int = 0


_TICKER = re.compile(
    r"^[•·*\-]?\s*([A-Z]{3})\s*/\s*([A-Z]{3})\s*=\s*(\d+(?:[.,]\d+)?)\s+([+\-−]?\d+(?:[.,]\d+)?\s*%)"
)
# Spelled out rather than taken from `calendar`, whose names follow the locale.
_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
# The same months as Russian dates write them ("21 ноября 2025"), in the same order.
_RUSSIAN_MONTHS = (
    *("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа"),
    *("сентября", "октября", "ноября", "декабря"),
)
_MONTH_NUMBER = {
    name.lower(): number
    for names in (_MONTHS, _RUSSIAN_MONTHS)
    for number, name in enumerate(names, start=1)
}
_MONTH_NUMBER.update({name[:3].lower(): n for n, name in enumerate(_MONTHS, start=1)})
_MONTH_NUMBER["sept"] = 9
# Full names, then the short forms ("Dec", "Sept."), longest first so the regex takes them whole.
_MONTH = "(" + "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
# "22 December 2025", "Monday, 22 December 2025", "December 22, 2025".
_DATE = re.compile(
    rf"^{_WEEKDAY}(?:(\d{{1,2}})\s+{_MONTH}|{_MONTH}\s+(\d{{1,2}}),?)\s+(\d{{4}})(?:\s*г\.?)?$",
    re.IGNORECASE,
)
_VIEWING = re.compile(
    r"^(?:Viewing|Showing) results\s+\d+\s*[-–]\s*\d+\s+of\s+([\d,]+)$", re.IGNORECASE
)
_BULLET = re.compile(r"^[•·▪●◦\-–*]\s+\S")
# WordPress shortcodes leak into dumps: "[caption id=...]Image: ...[/caption]".
_CAPTION = re.compile(r"\[caption[^\]]{0,500}\].{0,2000}?\[/caption\]", re.IGNORECASE | re.DOTALL)
_SHORTCODE = re.compile(r"\[/?[a-z_]+(?:\s[^\]]{0,500})?\]", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff\ufffd]")
_ELLIPSIS_END = re.compile(r"(\.\.\.|…)[\"”’)]*$")
_SENTENCE_END = re.compile(r"[.!?…\"”’)\]]$|[.!?][\"”’)]+$")
# Listing snippets are one long paragraph; article paragraphs are much shorter.
_LISTING_SNIPPET_CHARS = 1200
# How many paragraphs after a title-shaped line the sub-heading test reads.
_LOOKAHEAD = 3
# A name under a title has two or three words ("Jane Doe", "Aigerim K. Sadykova").
_BYLINE_WORDS = 3
# A page without a counter is a listing when nearly every title has one paragraph.
_LISTING_RHYTHM = 0.8


def clean_text(text: str) -> str:
    """Normalise line ends, strip shortcodes, control and zero-width characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = _CAPTION.sub(" ", text)
    text = _SHORTCODE.sub(" ", text)
    return _CONTROL.sub("", text)


def _parse_rate(match: re.Match[str]) -> ExchangeRate | None:
    try:
        rate = float(match.group(3).replace(",", "."))
    except ValueError:
        return None
    change = re.sub(r"\s+", "", match.group(4)).replace("−", "-")
    return ExchangeRate(match.group(1), match.group(2), rate, change)


def _parse_date(match: re.Match[str]) -> dt.date | None:
    day, month_name = match.group(1) or match.group(4), match.group(2) or match.group(3)
    month = _MONTH_NUMBER[month_name.lower().rstrip(".")]
    try:
        return dt.date(int(match.group(5)), month, int(day))
    except ValueError:
        return None


@dataclass(frozen=True)
class _Line:
    text: str
    title_shaped: bool
    ends_teaser: bool = False  # a "Continue reading" link closed it: more text elsewhere


def _is_truncated(paragraphs: list[_Line]) -> bool:
    text = paragraphs[-1].text.rstrip()
    return bool(_ELLIPSIS_END.search(text)) or not _SENTENCE_END.search(text)


class _ArticleBuilder:
    """Accumulates the lines of the article being read."""

    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.title: str | None = None
        self.paragraphs: list[_Line] = []
        self.scores: Counter[str] = Counter()  # country names in the body so far, by weight
        self.title_countries: set[str] = set()
        self.scored = 0  # how many paragraphs `scores` counts

    def add(self, line: _Line) -> None:
        self.paragraphs.append(line)

    @property
    def countries(self) -> set[str]:
        """The countries the open article is about so far: a new one may start a new article.

        The title's countries when it names any; else the body's leading ones. A passing
        mention ("... a power exporter to Afghanistan") does not count: the next article
        may well be about that country. Paragraphs are scored when first
        asked about, each once: most articles never need it.
        """
        for paragraph in self.paragraphs[self.scored :]:
            self.scores.update(mention_scores(paragraph.text))
        self.scored = len(self.paragraphs)
        if self.title_countries:  # the title says what the article is about
            return self.title_countries
        top = max(self.scores.values(), default=0.0)
        return {code for code, score in self.scores.items() if score * 2 >= top}

    def close(self) -> None:
        # A title with no body (a page heading, a stray label, a cut-off last line) is not
        # an article.
        if self.title and self.paragraphs:
            truncated = _is_truncated(self.paragraphs)
            texts = tuple(p.text for p in self.paragraphs)
            self.articles.append(Article(self.title, texts, truncated))
        self.title, self.paragraphs, self.scores, self.scored = None, [], Counter(), 0

    def open(self, title: str) -> None:
        self.close()
        self.title = title
        self.title_countries = set(mention_scores(title))

    def teaser_ended(self) -> bool:
        """A "Continue reading" link ended the open article: text after it is another item."""
        return bool(self.paragraphs) and self.paragraphs[-1].ends_teaser

    def in_article_body(self) -> bool:
        """True once the open article looks like a full article, not a listing snippet."""
        if self.title is None or not self.paragraphs or self.teaser_ended():
            return False
        if len(self.paragraphs) == 1 and len(self.paragraphs[0].text) >= _LISTING_SNIPPET_CHARS:
            return False
        return not _ELLIPSIS_END.search(self.paragraphs[-1].text)


_Sorted = tuple[dt.date | None, dict[str, ExchangeRate], int | None, list[_Line]]


def _sort_lines(text: str) -> _Sorted:
    """Take out the ticker, the date, the counter and the furniture; keep the rest in order."""
    lines = [re.sub(r"\s+", " ", line).strip() for line in clean_text(text).split("\n")]
    rates: dict[str, ExchangeRate] = {}
    page_date: dt.date | None = None
    total: int | None = None
    author: str | None = None
    kept: list[_Line] = []
    for line in lines:
        if not line:
            continue
        if ticker := _TICKER.match(line):
            rate = _parse_rate(ticker)
            if rate is not None:
                rates.setdefault(rate.pair, rate)  # the ticker scrolls: repeats are copies
        elif date := _DATE.match(line):
            page_date = page_date or _parse_date(date)
        elif viewing := _VIEWING.match(line):
            total = int(viewing.group(1).replace(",", ""))
        elif crumb := page_chrome.author_of(line):
            author = crumb.casefold()
        elif page_chrome.is_furniture(line) or line.casefold() == author:
            # A link on its own line ends the teaser above it, like one at the end of a line.
            if kept and page_chrome.is_read_more(line):
                kept[-1] = _Line(kept[-1].text, False, ends_teaser=True)
        else:
            body, read_more = page_chrome.strip_read_more(line)
            shaped = not read_more and not _BULLET.match(body) and title_shaped(body)
            kept.append(_Line(body, shaped, read_more))
    kept = _without_bylines(kept)
    if kept and kept[-1].title_shaped and _cut_off(kept):
        kept[-1] = _Line(kept[-1].text, False)
    return page_date, rates, total, kept


def _without_bylines(lines: list[_Line]) -> list[_Line]:
    """Drop a bare name under a title: "Aigerim Sadykova" is who wrote it, not a title.

    A line of at most `_BYLINE_WORDS` capitalised words right after a longer
    title-shaped line; a sub-heading never comes straight after its title.
    """
    kept: list[_Line] = []
    for line in lines:
        previous = kept[-1] if kept else None
        # Only title-shaped lines are read for words: a body paragraph is kilobytes.
        if previous is not None and previous.title_shaped and line.title_shaped:
            name = words(line.text)
            if len(name) <= _BYLINE_WORDS < len(words(previous.text)) and all(
                w[0].isupper() for w in name
            ):
                continue
        kept.append(line)
    return kept


def _cut_off(lines: list[_Line]) -> bool:
    """Whether a title-shaped last line is the cut-off start or end of a paragraph.

    The dump stopped mid-line. Right after a title the line can only be the start of
    its body; after a paragraph, a line in sentence case is more of it, and one in
    title case a cut-off next title (dropped, for want of a body).
    """
    after_title = len(lines) >= 2 and lines[-2].title_shaped
    return after_title or not title_cased(lines[-1].text)


def _is_listing(lines: list[_Line], counter: bool) -> bool:
    """A listing page: the counter says so, or nearly every title has one paragraph."""
    if counter:
        return True
    titles = [i for i, line in enumerate(lines) if _opens(lines, i)]
    if len(titles) < 2:
        return False
    single = sum(
        1
        for i in titles
        if i + 2 >= len(lines) or lines[i + 2].title_shaped or lines[i + 1].ends_teaser
    )
    return single >= _LISTING_RHYTHM * len(titles)


def _opens(lines: list[_Line], index: int) -> bool:
    """A title-shaped line followed by a paragraph: a title or a sub-heading."""
    return (
        lines[index].title_shaped and index + 1 < len(lines) and not lines[index + 1].title_shaped
    )


def _pair_up(lines: list[_Line]) -> list[_Line]:
    """On a listing, read a run of title-shaped lines as title, snippet, title, snippet.

    A short snippet cut off mid-word has a title's shape. On a listing every title
    is followed by its snippet, so in a run of title-shaped lines that ends before a
    paragraph the last is a title and the lines before it alternate snippet, title,
    counting back; a run at the end of the page alternates from its start.
    """
    paired = list(lines)
    start = 0
    while start < len(paired):
        if not paired[start].title_shaped:
            start += 1
            continue
        end = start
        while end < len(paired) and paired[end].title_shaped:
            end += 1
        for index in range(start, end):
            from_title = (end - 1 - index) if end < len(paired) else (index - start)
            if from_title % 2:
                paired[index] = _Line(paired[index].text, False, paired[index].ends_teaser)
        start = end
    return paired


def parse_snapshot(text: str) -> Snapshot:
    """Parse one page dump. Unrecognised text is ignored, never raised on."""
    page_date, rates, total, lines = _sort_lines(text)
    paired = _pair_up(lines)
    listing = _is_listing(paired, counter=total is not None)
    if listing:
        lines = paired
    builder = _ArticleBuilder()
    for index, line in enumerate(lines):
        if _opens(lines, index):
            # A listing's item is a title and one snippet; an item that has grown more
            # paragraphs is an article, whose title-shaped lines may be sub-headings.
            if (listing and len(builder.paragraphs) <= 1) or not builder.in_article_body():
                builder.open(line.text)
                continue
            before = [p.text for p in builder.paragraphs[-_LOOKAHEAD:]]
            after = _paragraphs_after(lines, index)
            if not is_subheading(line.text, before, after, builder.countries):
                builder.open(line.text)
                continue
        elif line.title_shaped:
            # Followed by another title-shaped line: a page heading, an author's name, a
            # spam line or a list item; inside an article body, a list item. A last line
            # still title-shaped here is a cut-off title (see `_cut_off`).
            if not listing and index < len(lines) - 1 and builder.in_article_body():
                builder.add(line)
            continue
        if builder.title is not None and not builder.teaser_ended():
            builder.add(line)
        # else: text before any title, or after a teaser's link, is a teaser with no title.
    builder.close()
    used = sum(1 + len(article.paragraphs) for article in builder.articles)
    unread = max(len(lines) - used, 0)
    return Snapshot(page_date, tuple(rates.values()), tuple(builder.articles), total, unread)


def _paragraphs_after(lines: list[_Line], index: int) -> list[str]:
    after: list[str] = []
    for line in lines[index + 1 : index + 1 + _LOOKAHEAD]:
        if line.title_shaped:
            break
        after.append(line.text)
    return after
