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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

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
    stemmer = _RUSSIAN if _CYRILLIC.search(folded) else _ENGLISH
    return str(stemmer.stem(folded))


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

    @classmethod
    def of(cls, *texts: str) -> ArticleWords:
        # A title and a body are matched apart: a phrase never spans the two.
        sequence: list[str] = []
        for text in texts:
            sequence.extend(stems(text))
            sequence.append("")  # a boundary no keyword stem equals
        positions: dict[str, list[int]] = {}
        for index, word in enumerate(sequence):
            positions.setdefault(word, []).append(index)
        return cls(positions, tuple(sequence))

    def has(self, keyword: str) -> bool:
        wanted = stems(keyword)
        if not wanted:
            return False
        starts = self.positions.get(wanted[0], [])
        if len(wanted) == 1:
            return bool(starts)
        width = len(wanted)
        return any(self.sequence[start : start + width] == wanted for start in starts)


def matching(words: ArticleWords, keywords: Iterable[str]) -> list[str]:
    """The keywords that `words` contains, in the order given."""
    return [keyword for keyword in keywords if words.has(keyword)]


class MatchCache:
    """Article words by article id, built on first use: a digest batch checks the same
    few hundred articles for thousands of chats. Bounded by `limit` articles."""

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self._words: dict[int, ArticleWords] = {}

    def words(self, article_id: int, title: str, body: str) -> ArticleWords:
        found = self._words.get(article_id)
        if found is None:
            if len(self._words) >= self.limit:
                self._words.clear()
            found = self._words[article_id] = ArticleWords.of(title, body)
        return found


def any_match(words: ArticleWords, keywords: Sequence[str]) -> bool:
    return any(words.has(keyword) for keyword in keywords)
