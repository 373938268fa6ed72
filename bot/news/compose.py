"""Compose Telegram HTML messages from articles (pure functions).

Telegram caps a message at 4096 characters counted in UTF-16 code units (a
flag emoji is four), so lengths here are counted that way, and messages are
split between articles, never inside one.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Sequence
from typing import Protocol
from urllib.parse import urlsplit

from bot.i18n import DEFAULT_LANGUAGE, format_day, translator
from bot.news.rates import readable_rate
from bot.news.regions import BY_CODE

MESSAGE_LIMIT = 4096
ELLIPSIS = "…"


class ArticleView(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> tuple[str, ...]: ...
    @property
    def countries(self) -> tuple[str, ...]: ...
    @property
    def page_date(self) -> dt.date | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def source(self) -> str | None: ...  # the outlet's display name
    # The story's other outlets (name, URL, language when not the chat's), and how
    # many more there are (bot.news.coverage).
    @property
    def also(self) -> tuple[tuple[str, str, str], ...]: ...
    @property
    def more_outlets(self) -> int: ...


class RateView(Protocol):
    @property
    def currency(self) -> str: ...
    @property
    def base(self) -> str: ...
    @property
    def rate(self) -> float: ...
    @property
    def change(self) -> str: ...


def escape(text: str) -> str:
    """Text for parse mode HTML: Telegram needs only <, > and & escaped."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` UTF-16 units, ending in an ellipsis."""
    if utf16_len(text) <= limit:
        return text
    used = end = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit - 1:
            break
        end = index + 1
    head, space, _rest = text[:end].rpartition(" ")
    return (head if space else text[:end]).rstrip() + ELLIPSIS


# The "Also" line's share of a message: five links with long URLs still leave room
# for the title and summary; links beyond it are counted in "+N".
ALSO_LIMIT = 1_200


def outlet_label(source: str | None, url: str | None) -> str:
    """An outlet's name as readers see it: its display name, else its site's host; ""
    when neither is known."""
    return source or urlsplit(url or "").hostname or ""


def outlet_link(name: str, url: str) -> str:
    if url.startswith(("https://", "http://")):
        return f'<a href="{html.escape(url, quote=True)}">{escape(name)}</a>'
    return escape(name)


def render_also(article: ArticleView, language: str = DEFAULT_LANGUAGE) -> str | None:
    """ "Also: Eurasianet · 24.kg (ru) · AKIpress +2": the story's other outlets."""
    if not article.also and not article.more_outlets:
        return None
    parts: list[str] = []
    more = article.more_outlets
    used = 0
    for name, url, other_language in article.also:
        part = outlet_link(shorten(name, 60), url)
        if other_language:
            part += f" ({escape(other_language)})"
        if used + utf16_len(part) > ALSO_LIMIT:
            more += 1
            continue
        used += utf16_len(part) + 3
        parts.append(part)
    label = escape(translator(language).gettext("Also:"))
    line = f"{label} " + " · ".join(parts) if parts else label
    return line + (f" +{more}" if more else "")


def format_date(day: dt.date, language: str = DEFAULT_LANGUAGE) -> str:
    return format_day(day, language)


def country_name(code: str, language: str = DEFAULT_LANGUAGE) -> str:
    country = BY_CODE[code]
    return country.name_ru if language == "ru" else country.name


def title_line(article: ArticleView, *, hide_flag: str | None = None, limit: int = 1_000) -> str:
    """The bold title (a link to the article when it has a URL), the outlet that
    reported it ("Title — 24.kg") and the countries' flags; text escaped."""
    flags = "".join(BY_CODE[c].flag for c in article.countries if c in BY_CODE and c != hide_flag)
    title = escape(shorten(article.title, limit))
    if article.url and article.url.startswith(("https://", "http://")):
        title = f'<a href="{html.escape(article.url, quote=True)}">{title}</a>'
    outlet = outlet_label(article.source, article.url)
    line = f"<b>{title}</b>" + (f" — {escape(shorten(outlet, 60))}" if outlet else "")
    return line + (f" {flags}" if flags else "")


def render_article(
    article: ArticleView,
    *,
    hide_flag: str | None = None,
    language: str = DEFAULT_LANGUAGE,
    brevity: str = "full",
) -> str:
    """One article: its title line (`title_line`), summary, the story's other outlets,
    page date; text escaped. Link previews are off where messages are sent."""
    title = title_line(article, hide_flag=hide_flag)
    # "headlines": the title alone; "short": the first summary sentence; "full": all three.
    sentences = {"headlines": 0, "short": 1}.get(brevity, len(article.summary))
    summary = escape(" ".join(article.summary[:sentences]))
    # Leave room for the date line and the headings that may share its block.
    budget = MESSAGE_LIMIT - utf16_len(title) - 200
    also = render_also(article, language)
    if also:
        budget -= utf16_len(also) + 1
    lines = [title, shorten(summary, budget)] if summary else [title]
    if also:
        lines.append(also)
    if article.page_date is not None and brevity != "headlines":
        lines.append(f"<i>{format_date(article.page_date, language)}</i>")
    return "\n".join(lines)


def render_rates(
    rates: Iterable[RateView], currencies: Sequence[str], language: str = DEFAULT_LANGUAGE
) -> str | None:
    shown = [r for r in rates if r.currency in currencies]
    if not shown:
        return None
    shown.sort(key=lambda r: currencies.index(r.currency))
    readable = (readable_rate(r.currency, r.base, r.rate, r.change, language) for r in shown)
    lines = [escape(line) for line in readable if line]
    heading = translator(language).gettext("Exchange rates")
    return (f"💱 <b>{escape(heading)}</b>\n" + "\n".join(lines)) if lines else None


def pack_messages(blocks: Iterable[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join blocks with blank lines into as few messages as fit under `limit`."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        block = block if utf16_len(block) <= limit else shorten(block, limit)
        candidate = f"{current}\n\n{block}" if current else block
        if utf16_len(candidate) <= limit:
            current = candidate
        else:
            messages.append(current)
            current = block
    if current:
        messages.append(current)
    return messages


def compose_digest(
    articles: Sequence[ArticleView],
    countries: Sequence[str],
    *,
    rates: Iterable[RateView] = (),
    max_per_country: int = 5,
    title: str | None = None,
    language: str = DEFAULT_LANGUAGE,
    brevity: str = "full",
    topics: Sequence[ArticleView] = (),
) -> list[str]:
    """The digest messages for a chat following `countries`; [] when nothing is new.

    `articles` come newest first.  Each article appears once, under the first of
    the chat's countries it is tagged with; its other countries show as flags.
    `topics` (a followed word brought them in, from none of the countries) come
    after them, under "Your topics".
    Headings, dates and numbers are in `language`; article texts stay as written.
    """
    t = translator(language)
    title = title or t.gettext("Central Asia news digest")
    blocks: list[str] = []
    placed: set[int] = set()
    for code in countries:
        country = BY_CODE[code]
        mine = [(i, a) for i, a in enumerate(articles) if code in a.countries and i not in placed]
        if not mine:
            continue
        placed.update(i for i, _article in mine)
        rendered = [
            render_article(a, hide_flag=code, language=language, brevity=brevity)
            for _index, a in mine[:max_per_country]
        ]
        # The country heading travels with its first article, never alone at a message end.
        heading = f"{country.flag} <b>{escape(country_name(code, language))}</b>"
        if not blocks:
            heading = f"📰 <b>{escape(title)}</b>\n\n{heading}"
        blocks.append(f"{heading}\n\n{rendered[0]}")
        blocks.extend(rendered[1:])
        if len(mine) > max_per_country:
            more = len(mine) - max_per_country
            line = t.ngettext(
                "and {n} more — /latest {code}", "and {n} more — /latest {code}", more
            )
            blocks.append(f"<i>{escape(line.format(n=more, code=code.lower()))}</i>")
    # Articles that came in by a followed word, from none of the chat's countries.
    topics = topics[:max_per_country]
    if topics:
        rendered = [render_article(a, language=language, brevity=brevity) for a in topics]
        topics_title = t.gettext("Your topics")  # a plain call: the extractor skips f-strings
        heading = f"🔎 <b>{escape(topics_title)}</b>"
        if not blocks:
            heading = f"📰 <b>{escape(title)}</b>\n\n{heading}"
        blocks.append(f"{heading}\n\n{rendered[0]}")
        blocks.extend(rendered[1:])
    if not blocks:
        return []
    currencies = [BY_CODE[c].currency for c in countries]
    rates_block = render_rates(rates, currencies, language)
    if rates_block:
        blocks.append(rates_block)
    return pack_messages(blocks)


def compose_alert(
    article: ArticleView,
    keyword: str,
    language: str = DEFAULT_LANGUAGE,
    brevity: str = "full",
) -> str:
    """One breaking-news alert: the followed word that matched, then the article."""
    heading = translator(language).gettext("🔔 Alert: “{keyword}”").format(keyword=keyword)
    # render_article leaves 200 units of its message for headings like this one.
    body = render_article(article, language=language, brevity=brevity)
    return f"<b>{escape(heading)}</b>\n\n{body}"


def compose_latest(
    articles: Sequence[ArticleView],
    heading: str,
    language: str = DEFAULT_LANGUAGE,
    brevity: str = "full",
) -> list[str]:
    """The /latest answer: a heading, then each article with its flags, newest first."""
    blocks = [render_article(a, language=language, brevity=brevity) for a in articles]
    if blocks:
        blocks[0] = f"{heading}\n\n{blocks[0]}"
    return pack_messages(blocks)
