"""Parse a plain-text dump of a Times of Central Asia page into a `Snapshot`.

A page dump is a sequence of lines of a few kinds: currency ticker lines, a date
line, a "Viewing results 1 - 6 of N" counter, article titles, body paragraphs
(sub-headings and bullet lines included) and boilerplate such as "Continue
reading" or image credits.  Each line is classified on its own, then the lines
are grouped into articles.  The function never raises on any input text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.news.headings import is_subheading, looks_like_heading


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

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Snapshot:
    date: dt.date | None
    rates: tuple[ExchangeRate, ...]
    articles: tuple[Article, ...]
    total_results: int | None = None  # N of "Viewing results 1 - 6 of N": marks a listing page


_TICKER = re.compile(
    r"^[•·*\-]?\s*([A-Z]{3})\s*/\s*([A-Z]{3})\s*=\s*(\d+(?:[.,]\d+)?)\s+([+\-−]?\d+(?:[.,]\d+)?\s*%)"
)
# Spelled out rather than taken from `calendar`, whose names follow the locale.
_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
_DATE = re.compile(r"^(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})$", re.IGNORECASE)
_VIEWING = re.compile(r"^Viewing results\s+\d+\s*[-–]\s*\d+\s+of\s+([\d,]+)$", re.IGNORECASE)
_BULLET = re.compile(r"^[•·▪●◦\-–*]\s+\S")
# Boilerplate lines the site prints around articles; none of them is news.
_BOILERPLATE = re.compile(
    r"^(continue reading|read more|read also|share( this)?|advertisement|related( articles)?)\W*$"
    r"|^(written by|by|image|photo|photos|credit|source|pictured)\s*[:\-–]?\s+\S.{0,120}$",
    re.IGNORECASE,
)
# WordPress shortcodes leak into dumps: "[caption id=...]Image: ...[/caption]".
_CAPTION = re.compile(r"\[caption[^\]]*\].*?\[/caption\]", re.IGNORECASE | re.DOTALL)
_SHORTCODE = re.compile(r"\[/?[a-z_]+(?:\s[^\]]*)?\]", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff\ufffd]")
_ELLIPSIS_END = re.compile(r"(\.\.\.|…)[\"”’)]*$")
_SENTENCE_END = re.compile(r"[.!?…\"”’)\]]$|[.!?][\"”’)]+$")
# Listing snippets are one long paragraph; article paragraphs are much shorter.
_LISTING_SNIPPET_CHARS = 1200


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
    month = [m.lower() for m in _MONTHS].index(match.group(2).lower()) + 1
    try:
        return dt.date(int(match.group(3)), month, int(match.group(1)))
    except ValueError:
        return None


def _is_truncated(paragraphs: list[str]) -> bool:
    last = paragraphs[-1].rstrip()
    return bool(_ELLIPSIS_END.search(last)) or not _SENTENCE_END.search(last)


class _ArticleBuilder:
    """Accumulates the lines of the article being read."""

    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.title: str | None = None
        self.paragraphs: list[str] = []

    def close(self) -> None:
        # A title with no body (a cut-off last line, a stray label) is not an article.
        if self.title and self.paragraphs:
            truncated = _is_truncated(self.paragraphs)
            self.articles.append(Article(self.title, tuple(self.paragraphs), truncated))
        self.title, self.paragraphs = None, []

    def open(self, title: str) -> None:
        self.close()
        self.title = title

    def in_article_body(self) -> bool:
        """True once the open article looks like a full article, not a listing snippet."""
        if self.title is None or not self.paragraphs:
            return False
        if len(self.paragraphs) == 1 and len(self.paragraphs[0]) >= _LISTING_SNIPPET_CHARS:
            return False
        return not _ELLIPSIS_END.search(self.paragraphs[-1])


def parse_snapshot(text: str) -> Snapshot:
    """Parse one page dump. Unrecognised text is ignored, never raised on."""
    lines = [re.sub(r"\s+", " ", line).strip() for line in clean_text(text).split("\n")]
    lines = [line for line in lines if line]

    rates: dict[str, ExchangeRate] = {}
    page_date: dt.date | None = None
    total: int | None = None
    body_lines: list[str] = []
    for line in lines:
        if ticker := _TICKER.match(line):
            rate = _parse_rate(ticker)
            if rate is not None:
                rates.setdefault(rate.pair, rate)  # the ticker scrolls: repeats are copies
        elif date := _DATE.match(line):
            page_date = page_date or _parse_date(date)
        elif viewing := _VIEWING.match(line):
            total = int(viewing.group(1).replace(",", ""))
        elif not _BOILERPLATE.match(line):
            body_lines.append(line)

    listing = total is not None
    builder = _ArticleBuilder()
    for index, line in enumerate(body_lines):
        if _BULLET.match(line) or not looks_like_heading(line):
            if builder.title is not None:  # text before any title is a teaser: dropped
                builder.paragraphs.append(line)
            continue
        if not listing and builder.in_article_body():
            before = builder.paragraphs[-3:]
            after = _paragraphs_after(body_lines, index)
            if is_subheading(line, before, after):
                builder.paragraphs.append(line)
                continue
        builder.open(line)
    builder.close()
    return Snapshot(page_date, tuple(rates.values()), tuple(builder.articles), total)


def _paragraphs_after(lines: list[str], index: int, limit: int = 3) -> list[str]:
    after: list[str] = []
    for line in lines[index + 1 :]:
        if len(after) == limit or (looks_like_heading(line) and not _BULLET.match(line)):
            break
        after.append(line)
    return after
