"""What is stored for an article: its identity, tags and summary (pure functions)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from bot.news.countries import tag_countries
from bot.news.snapshot import Article
from bot.news.summarize import summarize

SUMMARY_SENTENCES = 3

_QUOTES = str.maketrans({c: "'" for c in '‘’‚‛′`´"“”„‟″«»'})
_DASHES = re.compile(r"[\u2010-\u2015\u2212\-]+")


def title_key(title: str) -> str:
    """An article's identity: its title with case, quotes, dashes and spaces folded."""
    key = unicodedata.normalize("NFKC", title).casefold().translate(_QUOTES)
    key = _DASHES.sub("-", key)
    key = re.sub(r"\s*-\s*", "-", key)
    return re.sub(r"\s+", " ", key).strip(" .")


@dataclass(frozen=True)
class PreparedArticle:
    title: str
    key: str
    body: str
    truncated: bool
    summary: tuple[str, ...]
    countries: tuple[str, ...]
    url: str | None = None  # canonical; a second identity key beside `key`
    source: str | None = None
    published: dt.datetime | None = None


def prepare_article(article: Article, source: str | None = None) -> PreparedArticle:
    body = article.body
    return PreparedArticle(
        title=article.title,
        key=title_key(article.title),
        body=body,
        truncated=article.truncated,
        summary=tuple(summarize(body, SUMMARY_SENTENCES, title=article.title)),
        countries=tuple(tag_countries(article.title, body)),
        url=article.url,
        source=source if article.url else None,
        published=article.published,
    )


def is_fuller(*, new_body: str, new_truncated: bool, old_body: str, old_truncated: bool) -> bool:
    """Whether a re-seen article's text should replace the stored one.

    A complete text beats a cut one; between two of the same kind, the longer wins.
    A cut text never replaces a complete one, however long.
    """
    if new_truncated != old_truncated:
        return old_truncated
    return len(new_body) > len(old_body)
