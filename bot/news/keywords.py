"""Words and phrases a reader follows or mutes, and whether an article matches them.

Matching is on word boundaries, case-insensitive and forgiving of inflection:
every word is reduced to its Snowball stem (English for Latin script, Russian
for Cyrillic), so "election" matches "elections" and «выборы» matches «выборов».
A phrase matches where its stems appear side by side, in order.

The stemmers are NLTK's Snowball rules, pure Python that ships with the package
(sumy already depends on NLTK): nothing is downloaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from nltk.stem.snowball import SnowballStemmer

# Bounds: a reader keeps at most MAX_KEYWORDS words and phrases (follows and mutes
# together), each at most MAX_KEYWORD_CHARS long; an article is matched on its first
# MATCH_TEXT_CHARS characters, so matching is linear and bounded per article.
MAX_KEYWORDS = 50
MAX_KEYWORD_CHARS = 64
MATCH_TEXT_CHARS = 20_000

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ENGLISH = SnowballStemmer("english")
_RUSSIAN = SnowballStemmer("russian")


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """One word's stem, lower-cased; a word in Cyrillic by the Russian rules."""
    folded = word.casefold().replace("’", "'").replace("ё", "е")
    return russian_stem(folded) if _CYRILLIC.search(folded) else english_stem(folded)


# One cache a language for every stemmer of the process: the summary, the stories and the
# search index stem the same words of an article (as written, lower-cased, folded), and
# Snowball's pure-Python rules were a sixth of an article's text work.
@lru_cache(maxsize=131_072)
def english_stem(word: str) -> str:
    """Snowball's English stem of a lower-case word."""
    return str(_ENGLISH.stem(word))


@lru_cache(maxsize=131_072)
def russian_stem(word: str) -> str:
    """Snowball's Russian stem of a lower-case word."""
    return str(_RUSSIAN.stem(word))


def stems(text: str) -> tuple[str, ...]:
    """The stems of the words of `text`, in order (its first MATCH_TEXT_CHARS characters)."""
    return tuple(stem(word) for word in _WORD.findall(text[:MATCH_TEXT_CHARS]))


def words_of(phrase: str) -> list[str]:
    """The words a keyword is made of (punctuation between them does not count)."""
    return _WORD.findall(phrase)


@dataclass(frozen=True)
class ArticleWords:
    """An article's stems, indexed once so each keyword is checked in time of its length."""

    positions: dict[str, list[int]]
    sequence: tuple[str, ...]
    first_end: int = 0  # where the first text (the title) ends in `sequence`

    @classmethod
    def of(cls, *texts: str) -> ArticleWords:
        # A title and a body are matched apart: a phrase never spans the two.
        sequence: list[str] = []
        first_end = 0
        for number, text in enumerate(texts):
            sequence.extend(stems(text))
            if number == 0:
                first_end = len(sequence)
            sequence.append("")  # a boundary no keyword stem equals
        positions: dict[str, list[int]] = {}
        for index, word in enumerate(sequence):
            positions.setdefault(word, []).append(index)
        return cls(positions, tuple(sequence), first_end)

    def has(self, keyword: str) -> bool:
        return self.has_stems(stems(keyword))

    def has_stems(self, wanted: tuple[str, ...], *, in_first: bool = False) -> bool:
        """Whether the stems `wanted` stand here side by side, in order (`in_first`: in
        the first text, the title)."""
        if not wanted:
            return False
        starts = self.positions.get(wanted[0])
        if not starts:
            return False
        if in_first:
            starts = [start for start in starts if start < self.first_end]
        width = len(wanted)
        if width == 1:
            return bool(starts)
        return any(self.sequence[start : start + width] == wanted for start in starts)

    def has_any(self, keywords: tuple[tuple[str, ...], ...]) -> bool:
        return any(self.has_stems(wanted) for wanted in keywords)


@lru_cache(maxsize=16_384)
def stemmed(keywords: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """A chat's keywords as stems, worked out once for every chat with the same list."""
    return tuple(stems(keyword) for keyword in keywords)


class Matchable(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def body(self) -> str: ...


class ArticleIndex:
    """The words of a batch of articles, indexed on first use: which of them a keyword
    is in then costs what the keyword matches, not the batch's size, and is remembered
    for every chat of the batch that has the same keyword (a digest batch checks a few
    hundred articles for thousands of chats). Linear in the batch's text, bounded by
    MATCH_TEXT_CHARS per article."""

    def __init__(self, articles: Iterable[Matchable]) -> None:
        self._articles = list(articles)
        self._words: dict[int, ArticleWords] | None = None
        self._by_stem: dict[str, set[int]] = {}
        self._found: dict[tuple[str, ...], frozenset[int]] = {}

    def _built(self) -> dict[int, ArticleWords]:
        if self._words is None:
            self._words = {a.id: ArticleWords.of(a.title, a.body) for a in self._articles}
            for article_id, words in self._words.items():
                for word in words.positions:
                    self._by_stem.setdefault(word, set()).add(article_id)
        return self._words

    def having(self, wanted: tuple[str, ...]) -> frozenset[int]:
        """The ids of the articles in which the stems `wanted` stand side by side."""
        if wanted not in self._found:
            words = self._built()
            first = self._by_stem.get(wanted[0], set()) if wanted else set()
            if len(wanted) > 1:
                first = {i for i in first if words[i].has_stems(wanted)}
            self._found[wanted] = frozenset(first)
        return self._found[wanted]

    def having_any(self, keywords: tuple[str, ...]) -> frozenset[int]:
        """The ids of the articles that contain any of `keywords`."""
        found: set[int] = set()
        for wanted in stemmed(keywords):
            found |= self.having(wanted)
        return frozenset(found)

    def in_title(self, article_id: int, keywords: tuple[str, ...]) -> bool:
        """Whether any of `keywords` stands in the article's title."""
        words = self._built().get(article_id)
        return words is not None and any(
            words.has_stems(wanted, in_first=True) for wanted in stemmed(keywords)
        )

    def first_keyword(self, article_id: int, keywords: tuple[str, ...]) -> str | None:
        """The first of `keywords` the article contains, if any."""
        return next(
            (k for k, wanted in zip(keywords, stemmed(keywords), strict=True)
             if article_id in self.having(wanted)),
            None,
        )  # fmt: skip
