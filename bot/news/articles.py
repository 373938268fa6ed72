"""What is stored for an article: its identity, language, tags, summary, story features
and search stems, all worked out before anything is written (pure functions; the CPU
work of ingest, run on every core by `bot.news.text_work`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bot.news.countries import tag_countries
from bot.news.language import detect_language
from bot.news.snapshot import Article
from bot.news.stories import Features, features, meaning
from bot.news.stories.keys import NAME_CHARS
from bot.news.summarize import summarize
from bot.search.documents import search_stems

SUMMARY_SENTENCES = 3

_QUOTES = str.maketrans({c: "'" for c in '‘’‚‛′`´"“”„‟″«»'})
_DASHES = re.compile(r"[\u2010-\u2015\u2212\-]+")


def title_key(title: str) -> str:
    """An article's identity: its title with case, quotes, dashes and spaces folded."""
    key = unicodedata.normalize("NFKC", title).casefold().translate(_QUOTES)
    key = _DASHES.sub("-", key)
    key = re.sub(r"\s*-\s*", "-", key)
    return re.sub(r"\s+", " ", key).strip(" .")


NO_FEATURES = Features("en", {}, frozenset(), 0.0)


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
    # What stories compare it by (its time is set when it is stored: published, but
    # never later than first seen), and its title's and body's search stems.
    story: Features = NO_FEATURES
    search: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class Publisher:
    """Where articles come from, as ingest needs it: who, and in which languages."""

    key: str = ""  # a catalog name, "url:…" for other sources, "" for snapshot text
    display: str | None = None  # shown with each story
    languages: tuple[str, ...] = ()  # declared: the prior for language detection


# Snapshot files are The Times of Central Asia's pages (the parser reads their shapes):
# their text names no outlet key, and readers see the site's name beside each title.
SNAPSHOT_TEXT = Publisher(display="The Times of Central Asia")


def prepare_articles(
    articles: Sequence[Article], outlet: Publisher = SNAPSHOT_TEXT
) -> list[PreparedArticle]:
    """Every article prepared, its meaning encoded (in one batch)."""
    return prepare_each([(article, outlet) for article in articles])


def prepare_each(articles: Sequence[tuple[Article, Publisher]]) -> list[PreparedArticle]:
    """`prepare_articles` for articles of several outlets (each with its own)."""
    prepared = [prepare_article(article, outlet) for article, outlet in articles]
    vectors = meaning.embed([p.story.text for p in prepared]) if prepared else []
    return [
        dataclasses.replace(p, story=dataclasses.replace(p.story, meaning=vector))
        for p, vector in zip(prepared, vectors, strict=True)
    ]


def prepare_article(article: Article, outlet: Publisher = SNAPSHOT_TEXT) -> PreparedArticle:
    body = article.body
    language = detect_language(f"{article.title}\n{body}", prior=outlet.languages)
    countries = tuple(tag_countries(article.title, body))
    # Stories read the countries of the lede; a short body is all lede.
    lede_countries = frozenset(countries) if len(body) <= NAME_CHARS else None
    story = features(article.title, body, language, 0.0, outlet.key, lede_countries)
    return PreparedArticle(
        title=article.title,
        key=title_key(article.title),
        body=body,
        truncated=article.truncated,
        summary=tuple(summarize(body, SUMMARY_SENTENCES, title=article.title, language=language)),
        countries=countries,
        url=article.url,
        source=outlet.display,
        published=article.published,
        language=language,
        outlet=outlet.key,
        story=story,
        search=search_stems(article.title, body, story.names),
    )


def is_fuller(*, new_body: str, new_truncated: bool, old_body: str, old_truncated: bool) -> bool:
    """Whether a re-seen article's text should replace the stored one.

    A complete text beats a cut one; between two of the same kind, the longer wins.
    A cut text never replaces a complete one, however long.
    """
    return replaces(len(new_body), new_truncated, len(old_body), old_truncated)


def replaces(new_length: int, new_truncated: bool, old_length: int, old_truncated: bool) -> bool:
    """`is_fuller`, by the texts' lengths."""
    if new_truncated != old_truncated:
        return old_truncated
    return new_length > old_length
