"""Searching the archive: a reader's words to the stories that match, best first.

The one path `/search`, inline queries, `newsbot search` and `bench/search.py` share:
parse the words (`bot.search.query`), ask the index (`storage.search`) for the best
stories in the reader's news languages and outlets, read their articles, drop those a
muted word hides (in any article, as digests do), and make each one item
(`bot.news.coverage.story_item`: its title in the reader's language where it has one).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from bot.news.coverage import Preference, Readable, everything, in_languages, story_item
from bot.news.keywords import ArticleIndex, ArticleWords, stemmed
from bot.news.stories import meaning
from bot.news.stories.features import stored_meaning
from bot.prefs import news_languages, reads
from bot.search import meaning_rank
from bot.search.query import (
    MAX_QUERY_CHARS,
    bounded,
    clean,
    group_fts5,
    group_pattern,
    group_tsquery,
    groups_of,
    parse_query,
    related_pattern,
    related_tsquery,
    typed_language,
)
from storage import search, stories
from storage.repo import StoredArticle
from storage.subscribers import ChatPrefs

log = logging.getLogger(__name__)

# Stories read from the index for one answer beyond those shown: muted words hide some.
MUTED_MARGIN = 10
# Meaning reads each story of the head by its first report: the first report says what
# the event was (later ones lean to a follow-up's angle), and one text a story judges
# every story alike (the most of several would favour big stories) and the same for
# every reader. It reads the meaning the ingest stored with that report's story
# features (its title and lede, encoded once when it was stored), so a search encodes
# only what was typed (3 ms); a report stored without one has its title encoded (the
# head's six and the query: 10-15 ms on one core, nothing once remembered). Titles
# alone and stored meanings order our tuning queries alike
# (bench/search_relevance.py --tuning).


@dataclass(frozen=True)
class Reader:
    """Whose search it is: what they read (as `bot.prefs.reads`), in which language, and
    the words they muted. The defaults: everything, in English."""

    language: str = "en"
    readable: Readable = everything
    languages: Collection[str] | None = None  # news languages (None: any), for the index
    hidden_outlets: Collection[str] = ()
    mutes: tuple[str, ...] = ()
    countries: Sequence[str] = ()


def reader_of(prefs: ChatPrefs | None, language: str) -> Reader:
    """A chat's reader: its news languages, outlets and muted words (a chat the bot does
    not know yet reads its user's language and English, as in /latest)."""
    if prefs is None:
        languages = frozenset((language, "en"))
        return Reader(language, in_languages(languages), languages)
    return Reader(
        prefs.language, reads(prefs), news_languages(prefs), prefs.hidden_outlets, prefs.mutes
    )


@dataclass(frozen=True)
class Found:
    item: StoredArticle  # the story as one item, for this reader
    score: float  # higher is better
    articles: Sequence[StoredArticle]  # every article of the story


def find_stories(
    session: Session, text: str, reader: Reader, *, limit: int, by_meaning: bool = True
) -> list[Found]:
    """The first `limit` stories matching `text` for `reader`, best first, then newest;
    [] when the words hold nothing searchable or nothing matches. The best by words are
    reordered by meaning (`bot.search.meaning_rank`) unless `by_meaning` is off."""
    query = parse_query(text)
    if query.is_empty or limit <= 0:
        return []
    groups = groups_of(query)
    terms = search.Terms(
        fts5=[(group_fts5(g), group_pattern(g), related_pattern(g)) for g in groups],
        tsquery=[
            (
                group_tsquery(g),
                group_tsquery(g, title=True),
                group_tsquery(g, related=False),
                related_tsquery(g),
            )
            for g in groups
        ],
        languages=[g.language for g in groups],
        common=[g.common for g in groups],
    )
    scored = search.search_stories(
        session=session,
        terms=terms,
        countries=reader.countries,
        languages=reader.languages,
        hidden_outlets=reader.hidden_outlets,
        # the head meaning reorders is read whole, so every page sees the same order
        limit=max(limit, meaning_rank.RERANK) + (limit * 3 + MUTED_MARGIN if reader.mutes else 0),
    )
    members = stories.story_articles(session=session, story_ids=[s.story for s in scored])
    ranked = [(s.story, s.score) for s in scored]
    # Meaning is asked only where words fall short: the best story by words lacks one of
    # the searched words (a synonym, the other language). Where it holds every word, the
    # words answer, and a search costs no encoding.
    if by_meaning and scored and scored[0].missed:
        ranked = _by_meaning(session, text, ranked, members)
    muted: frozenset[int] = frozenset()
    if reader.mutes:
        every = [article for articles in members.values() for article in articles]
        muted = ArticleIndex(every).having_any(reader.mutes)
    found = []
    prefer = _titled(tuple(" ".join(words) for words in query.words))
    for story, score in ranked:
        articles = members.get(story, [])
        if not articles or any(article.id in muted for article in articles):
            continue
        item = story_item(
            articles,
            language=reader.language,
            readable=reader.readable,
            hidden_outlets=reader.hidden_outlets,
            prefer=prefer,
        )
        if item is not None:
            found.append(Found(item, score, articles))
    return found[:limit]


def _titled(typed: tuple[str, ...]) -> Preference:
    """How many of the words typed (each part as typed: a phrase's words side by side)
    an article's title holds: a story found through one of its reports is shown under
    that report's title, not under another's that lacks the words."""
    wanted = stemmed(typed)

    def preference(article: StoredArticle) -> int:
        title = ArticleWords.of(article.title)
        return sum(title.has_stems(part) for part in wanted)

    return preference


def _in_countries(countries: Collection[str]) -> Preference:
    """Whether an article is of one of `countries`: the item leads with one."""
    wanted = set(countries)
    return lambda article: int(not wanted.isdisjoint(article.countries))


def _by_meaning(
    session: Session,
    text: str,
    ranked: list[tuple[int, float]],
    members: Mapping[int, Sequence[StoredArticle]],
) -> list[tuple[int, float]]:
    """`ranked` with its head reordered by how close the query comes to each story's
    first report (`bot.search.meaning_rank`): the meaning its ingest stored (title and
    lede), else its title's, encoded now."""
    head = [story for story in meaning_rank.head_of(ranked) if members.get(story)]
    typed = typed_language(tuple(clean(bounded(text, MAX_QUERY_CHARS)).split()))
    firsts = [members[story][0] for story in head]  # oldest first: the first report
    kept = stories.stored_features(session=session, ids=[a.id for a in firsts])
    stored = {a.id: stored_meaning(kept[a.id]) for a in firsts if a.id in kept}
    stored = {i: v for i, v in stored.items() if len(v) == meaning.DIMENSIONS}  # not damaged
    missing = [a.title for a in firsts if not stored.get(a.id)]
    try:
        *encoded, asked = meaning.remembered([*missing, bounded(clean(text), MAX_QUERY_CHARS)])
    except Exception:  # the encoder could not load or run: words alone still answer
        log.exception("search: meaning unavailable, ranking by words alone")
        return ranked
    fresh = iter(encoded)
    vectors = [stored.get(a.id) or next(fresh) for a in firsts]
    query = meaning.unit(asked)
    near = {story: meaning_rank.closeness(query, [meaning.unit(vector)],
                                          across=typed is not None and first.language != typed)
            for story, first, vector in zip(head, firsts, vectors, strict=True)}  # fmt: skip
    return meaning_rank.reranked(ranked, {s: c for s, c in near.items() if c is not None})


def newest_stories(session: Session, reader: Reader, *, limit: int) -> list[StoredArticle]:
    """The newest `limit` stories of the reader's countries (none: of all), one item
    each, as /latest and an empty inline query show them."""
    found = stories.latest_stories(
        session=session,
        countries=reader.countries,
        limit=limit + (limit * 3 + MUTED_MARGIN if reader.mutes else 0),
        languages=reader.languages,
        hidden_outlets=reader.hidden_outlets,
    )
    muted: frozenset[int] = frozenset()
    if reader.mutes:
        muted = ArticleIndex([a for articles in found for a in articles]).having_any(reader.mutes)
    items = (
        story_item(
            articles,
            language=reader.language,
            readable=reader.readable,
            hidden_outlets=reader.hidden_outlets,
            prefer=_in_countries(reader.countries),
        )
        for articles in found
        if not any(article.id in muted for article in articles)
    )
    return [item for item in items if item is not None][:limit]
