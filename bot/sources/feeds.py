"""RSS 0.9x/1.0/2.0 and Atom feeds to articles, with feedparser (pure: text in, data out).

Each entry gives a title, a link, a GUID, a time, and text: `content:encoded` or
Atom content when the feed carries the whole story, else its summary, an excerpt
(marked truncated so that the page's fuller text upgrades it later). Entries with
no title cannot be identified and are left out; entries with no link are kept,
unlinked; a GUID or link seen twice in one feed is one entry.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import feedparser

from bot.news.snapshot import Article
from bot.sources.html_text import clean, html_paragraphs
from bot.sources.urls import canonical_url

MAX_ENTRIES = 200  # per feed and fetch: a feed is a window on the newest stories
_EXCERPT_END = re.compile(
    r"(\.\.\.|…|\[…\]|\[\.\.\.\])\s*$|\b(read more|continue reading)\W*$", re.I
)


_DECLARED_ENCODING = re.compile(r"""(<\?xml[^>]{0,200}?encoding\s*=\s*["'])[\w.:-]{1,40}""")


@dataclass(frozen=True)
class Feed:
    title: str
    articles: tuple[Article, ...]
    skipped: int  # entries left out: no title
    empty: bool = False  # well-formed, with no entries at all: a quiet feed, not a broken one


def looks_like_feed(text: str) -> bool:
    """An XML document whose root is rss, rdf:RDF or feed (not an HTML page)."""
    head = text[:1024].lstrip("\ufeff \t\r\n").lower()
    head = re.sub(
        r"^(<\?xml[^>]*>\s*|<!--.*?-->\s*|<\?xml-stylesheet[^>]*>\s*)*", "", head, flags=re.S
    )
    return head.startswith(("<rss", "<rdf:rdf", "<feed", "<rdf"))


def parse_feed(text: str, base_url: str) -> Feed | None:
    """The feed's articles; None when the text is not a feed feedparser can read."""
    if not looks_like_feed(text):
        return None
    # Only markup reaches feedparser (looks_like_feed): given a string that looks like a
    # URL or a path it would fetch or open it itself.
    # The text is decoded already (bot.sources.charset): its declaration must not make
    # feedparser decode it a second time as, say, KOI8-R.
    text = _DECLARED_ENCODING.sub(r"\1utf-8", text, count=1)
    # No sanitising or link rewriting: every field is turned into plain text here
    # (html_paragraphs), so feedparser's own pass over the HTML would be work thrown away.
    parsed = feedparser.parse(
        text.encode("utf-8"),
        sanitize_html=False,
        resolve_relative_uris=False,
        response_headers={
            "content-location": base_url,
            "content-type": "application/xml; charset=utf-8",
        },
    )
    if not parsed.get("version") and not parsed.entries:
        return None
    seen: set[str] = set()
    articles: list[Article] = []
    skipped = 0
    for entry in parsed.entries[:MAX_ENTRIES]:
        article = _article(entry)
        if article is None:
            skipped += 1
            continue
        identity = entry.get("id") or article.url or article.title
        if identity in seen:
            continue
        seen.add(identity)
        articles.append(article)
    empty = not parsed.entries and not parsed.get("bozo")
    return Feed(clean(parsed.feed.get("title", "")), tuple(articles), skipped, empty)


def _article(entry: Any) -> Article | None:
    title = clean(_plain(entry.get("title", "")))
    if not title:
        return None
    full = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    summary = entry.get("summary", "")
    paragraphs = html_paragraphs(max(full, key=len)) if full else html_paragraphs(summary)
    excerpt = not full and bool(paragraphs) and bool(_EXCERPT_END.search(paragraphs[-1]))
    if paragraphs and _EXCERPT_END.search(paragraphs[-1]):
        paragraphs[-1] = _EXCERPT_END.sub("", paragraphs[-1]).rstrip() + "..."
    link = entry.get("link") or ""
    return Article(
        title=title,
        paragraphs=tuple(p for p in paragraphs if p.strip(". ")),
        truncated=excerpt or not paragraphs,
        url=canonical_url(link) if link else None,
        published=_published(entry),
    )


def _plain(text: str) -> str:
    paragraphs = html_paragraphs(text)
    return " ".join(paragraphs)


def _published(entry: Any) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None
