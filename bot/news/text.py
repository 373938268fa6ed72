"""Word-level text helpers shared by the parser and the summariser.

Terms are lower-cased Snowball stems with sumy's English stop words removed:
the same normalisation sumy's own summarisers use, so scores are comparable.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer
from sumy.utils import get_stop_words

WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")
STOP_WORDS: frozenset[str] = frozenset(get_stop_words("english"))
_stemmer = SnowballStemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer.stem(word))


def words(text: str) -> list[str]:
    """Alphabetic words of `text`, apostrophes and inner hyphens kept."""
    return WORD.findall(text)


def terms(text: str) -> list[str]:
    """Content terms: lower-cased stems of words that are not stop words."""
    lowered = (w.lower().replace("’", "'") for w in words(text))
    return [stem(w) for w in lowered if len(w) > 1 and w not in STOP_WORDS]


def cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(count * b[term] for term, count in a.items() if term in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm
