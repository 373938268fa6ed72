"""Web pages to articles: a listing's linked titles with their teasers, or one article.

A listing page (a home page, a category or tag page) is a run of items, each a
heading whose link is the story, followed by its teaser paragraphs. An article
page is one heading (`<h1>`, or its `og:title`) over many paragraphs, and its URL
is its `<link rel="canonical">`, else the page's own. Teasers are excerpts
(truncated), so the article's own page, fetched later or through a feed, upgrades
them. Pure: HTML text and its URL in, articles out.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import html

from bot.news.snapshot import Article
from bot.sources.html_text import BLOCKS, clean, paragraphs_of, parse_html
from bot.sources.urls import canonical_url

MAX_ITEMS = 100  # per page
_HEADINGS = ("h1", "h2", "h3")
# A listing needs a few linked headings; one is an article page's own title.
MIN_LISTING_ITEMS = 2


@dataclass(frozen=True)
class Page:
    title: str
    articles: tuple[Article, ...]
    kind: str  # "listing" or "article"


def parse_page(markup: str, page_url: str) -> Page | None:
    """The page's articles; None when it has no title or text to read."""
    root = parse_html(markup)
    if root is None:
        return None
    for element in list(root.iter("header", "footer", "aside")):
        element.drop_tree()
    listing = [] if _is_article_page(root, page_url) else _listing(root, page_url)
    if len(listing) >= MIN_LISTING_ITEMS:
        return Page(_page_title(root), tuple(listing[:MAX_ITEMS]), "listing")
    article = _article(root, page_url)
    return None if article is None else Page(article.title, (article,), "article")


def _page_title(root: html.HtmlElement) -> str:
    title = root.find(".//title")
    return clean(title.text_content()) if title is not None else ""


def _linked_heading(element: html.HtmlElement, page_url: str) -> tuple[str, str] | None:
    """(title, canonical URL) of a heading that links to a story."""
    for link in element.iter("a"):
        href = link.get("href")
        url = canonical_url(urljoin(page_url, href)) if href else None
        title = clean(element.text_content())
        if url and title and url != canonical_url(page_url):
            return title, url
    return None


def _listing(root: html.HtmlElement, page_url: str) -> list[Article]:
    """Linked headings, each with the paragraphs up to the next heading."""
    items: list[Article] = []
    body = root.find("body")
    if body is None:
        return items
    current: tuple[str, str] | None = None
    teaser: list[str] = []
    for element in body.iter(*_HEADINGS, *BLOCKS):
        if element.tag in _HEADINGS:
            if current:
                items.append(_teaser(current, teaser))
            current, teaser = _linked_heading(element, page_url), []
        elif current and not any(p.tag in BLOCKS for p in element.iterancestors()):
            text = clean(element.text_content())
            if text:
                teaser.append(text)
    if current:
        items.append(_teaser(current, teaser))
    return items


def _teaser(heading: tuple[str, str], paragraphs: list[str]) -> Article:
    title, url = heading
    return Article(title, tuple(paragraphs), truncated=True, url=url)


def _container(root: html.HtmlElement) -> html.HtmlElement | None:
    for path in (".//article", ".//main", "body"):
        found = root.find(path)
        if found is not None:
            return found
    return None


def _is_article_page(root: html.HtmlElement, page_url: str) -> bool:
    """One <h1> over a body of text, whatever links to other stories sit beside it."""
    container = _container(root)
    if container is None or len(root.findall(".//h1")) != 1:
        return False
    linked = [h for h in container.iter(*_HEADINGS) if _linked_heading(h, page_url)]
    return len(linked) < MIN_LISTING_ITEMS and len(paragraphs_of(container)) >= 3


def _article(root: html.HtmlElement, page_url: str) -> Article | None:
    heading = root.find(".//h1")
    title = clean(heading.text_content()) if heading is not None else ""
    if not title:
        og = root.find(".//meta[@property='og:title']")
        title = clean(og.get("content", "")) if og is not None else ""
    if not title:
        return None
    container = _container(root)
    if container is None:
        return None
    paragraphs = [p for p in paragraphs_of(container) if p != title]
    canonical = root.find(".//link[@rel='canonical']")
    href = canonical.get("href") if canonical is not None else None
    url = canonical_url(urljoin(page_url, href)) if href else canonical_url(page_url)
    return Article(title, tuple(paragraphs), truncated=not paragraphs, url=url)
