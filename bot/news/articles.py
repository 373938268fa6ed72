"""What is stored for an article: its identity, tags and summary (pure functions)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from bot.news.countries import tag_countries
from bot.news.language import detect_language
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
    url: str | None = None  # canonical: the identity of an article that has one
    source: str | None = None  # the outlet's display name
    published: dt.datetime | None = None
    language: str = "en"  # ISO 639-1
    outlet: str = ""  # the outlet's key ("" for snapshot text): `key` is unique within it


@dataclass(frozen=True)
class Publisher:
    """Where articles come from, as ingest needs it: who, and in which languages."""

    key: str = ""  # a catalog name, "url:…" for other sources, "" for snapshot text
    display: str | None = None  # shown with each story
    languages: tuple[str, ...] = ()  # declared: the prior for language detection


# Snapshot files are The Times of Central Asia's pages (the parser reads their shapes):
# their text names no outlet key, and readers see the site's name beside each title.
SNAPSHOT_TEXT = Publisher(display="The Times of Central Asia")


def prepare_article(article: Article, outlet: Publisher = SNAPSHOT_TEXT) -> PreparedArticle:
    body = article.body
    language = detect_language(f"{article.title}\n{body}", prior=outlet.languages)
    return PreparedArticle(
        title=article.title,
        key=title_key(article.title),
        body=body,
        truncated=article.truncated,
        summary=tuple(summarize(body, SUMMARY_SENTENCES, title=article.title, language=language)),
        countries=tuple(tag_countries(article.title, body)),
        url=article.url,
        source=outlet.display,
        published=article.published,
        language=language,
        outlet=outlet.key,
    )


def is_fuller(*, new_body: str, new_truncated: bool, old_body: str, old_truncated: bool) -> bool:
    """Whether a re-seen article's text should replace the stored one.

    A complete text beats a cut one; between two of the same kind, the longer wins.
    A cut text never replaces a complete one, however long.
    """
    if new_truncated != old_truncated:
        return old_truncated
    return len(new_body) > len(old_body)
