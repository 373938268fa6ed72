"""One item per story for a reader: which article leads, and which outlets it links.

Pure rules over a story's articles (`StoredArticle`s sharing a `story`), stated here
once for digests, alerts, /latest and the command line:

- **Lead**: of the articles the chat reads (its news languages, outlets not switched
  off), one in the chat's own language, else any; then one that brought the story to
  the reader (`prefer`: a followed word in its title, its countries, the searched
  words in its title), so a report joined to the wrong story still shows under its
  own title to the reader who wanted it; then the fullest text (not an excerpt, then
  the longest); then the first stored. Its title and summary are the item's.
- **Also**: the other outlets' articles with a link, one per outlet, switched-off
  outlets left out; the chat's own language first, each marked with its language when
  it is another. At most MAX_LINKS, then "+N".
- **Countries**: every country any article is tagged with.
- **Coverage**: how many outlets reported it; digests put wider stories first.
- Muted and followed words, countries and languages are checked on every article of
  the story by the callers (`bot.delivery.schedule`): a muted word in any article hides
  the story; a followed word in any brings it in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable, Sequence

from bot.news.compose import outlet_label
from storage.repo import StoredArticle

MAX_LINKS = 5  # outlets linked under a story; more are counted ("+N")
# Readable: (language, outlet) -> whether the chat reads it (bot.prefs.reads).
Readable = Callable[[str, str], bool]
# Preference: how surely an article is what brought its story to the reader (higher
# first; 0 for none), e.g. `bot.delivery.schedule.brought_by`.
Preference = Callable[[StoredArticle], int]


def everything(_language: str, _outlet: str) -> bool:
    return True


def in_languages(languages: Collection[str] | None) -> Readable:
    """Articles in `languages` (None: in any), from any outlet."""
    return lambda language, _outlet: languages is None or language in languages


def outlet_name(article: StoredArticle) -> str:
    return outlet_label(article.source, article.url) or article.outlet or "?"


def _fullness(article: StoredArticle) -> tuple[bool, int]:
    return (bool(article.summary), len(article.body))


def _no_preference(_article: StoredArticle) -> int:
    return 0


def lead_article(
    articles: Sequence[StoredArticle],
    *,
    language: str,
    readable: Readable = everything,
    prefer: Preference = _no_preference,
) -> StoredArticle | None:
    """The article a chat reads a story by; None if it reads none of them. Language
    before `prefer`: an item whose title the reader cannot read helps less than one
    that is not the report that brought it."""
    shown = [a for a in articles if readable(a.language, a.outlet)]
    if not shown:
        return None
    return min(
        shown,
        key=lambda a: (
            a.language != language, -prefer(a), not _fullness(a)[0], -_fullness(a)[1], a.id
        ),
    )


def story_item(
    articles: Sequence[StoredArticle],
    *,
    language: str,
    readable: Readable = everything,
    hidden_outlets: Collection[str] = (),
    prefer: Preference = _no_preference,
) -> StoredArticle | None:
    """The story as one item for the chat: its lead (`lead_article`), with every
    article's countries, the other outlets' links and the number of outlets; None if it
    reads none."""
    lead = lead_article(articles, language=language, readable=readable, prefer=prefer)
    if lead is None:
        return None
    hidden = set(hidden_outlets)
    linked: dict[str, StoredArticle] = {}
    others = sorted(articles, key=lambda a: (a.language != language, a.id))
    for article in others:
        key = article.outlet or outlet_name(article)
        if (
            article.url
            and article.id != lead.id
            and article.outlet != lead.outlet
            and article.outlet not in hidden
            and key not in linked
        ):
            linked[key] = article
    links = list(linked.values())
    also = tuple(
        (outlet_name(a), a.url or "", "" if a.language == language else a.language)
        for a in links[:MAX_LINKS]
    )
    countries = sorted({code for a in articles for code in a.countries})
    return dataclasses.replace(
        lead,
        countries=tuple(countries),
        also=also,
        more_outlets=max(len(links) - MAX_LINKS, 0),
        outlets=len({a.outlet or outlet_name(a) for a in articles}),
    )


def by_coverage(items: Iterable[StoredArticle]) -> list[StoredArticle]:
    """Stories covered by more outlets first, then in the order given (newest first)."""
    return sorted(items, key=lambda item: -item.outlets)  # sorted() is stable
