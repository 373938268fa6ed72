"""Tell headings from paragraphs, and article titles from sub-headings.

On an article page a title and a sub-heading look alike: short, title-cased, no
final full stop.  What differs is the topic around them.  Under a sub-heading
the text goes on about the same people and things as the paragraphs above it;
under a new title it starts afresh.  So the decision is a topic-shift test: the
cosine between the term vectors of the paragraphs just before and just after.

Measured on the seed article page (tests/seeds/004_*): sub-headings score
0.12-0.24, new titles 0.02-0.06; the threshold sits between them.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.news.text import STOP_WORDS, cosine, terms, words

MAX_HEADING_CHARS = 200
MAX_HEADING_WORDS = 30
SAME_TOPIC_COSINE = 0.09
# Real titles carry a subject, a verb and an object; a two- or three-word line
# inside an article ("Government Response") is a section label.
MAX_SECTION_LABEL_WORDS = 3
_NOT_A_HEADING_END = re.compile(r"[.,;:…\"”'’(\-–—]$")
# A title may end in an abbreviation: "... Forum of Central Asia and the U.S."
_ABBREVIATION_END = re.compile(r"(?:\b(?:[A-Z]\.){2,}|\b(?:Inc|Co|Ltd|Corp|Jr|Sr|St)\.)$")
_NOT_A_HEADING_START = re.compile(r"^[\"“‘'(\[•·\-–—*]")
_MINOR = STOP_WORDS | {"vs", "via", "amid", "per"}


def looks_like_heading(line: str) -> bool:
    """A short, title-cased line with no sentence-final punctuation."""
    if len(line) > MAX_HEADING_CHARS:
        return False
    if _NOT_A_HEADING_END.search(line) and not _ABBREVIATION_END.search(line):
        return False
    if _NOT_A_HEADING_START.match(line):
        return False
    all_words = words(line)
    if not all_words or len(all_words) > MAX_HEADING_WORDS:
        return False
    significant = [w for w in all_words if w.lower() not in _MINOR]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised / len(significant) >= 0.6


def is_subheading(line: str, before: list[str], after: list[str]) -> bool:
    """Whether a heading-like `line` inside an article continues that article.

    `before` holds the paragraphs just above the line, `after` those just below.
    """
    if not after:
        return False
    if len(words(line)) <= MAX_SECTION_LABEL_WORDS:
        return True
    topic_before = Counter(terms(" ".join(before)))
    topic_after = Counter(terms(" ".join(after)))
    return cosine(topic_before, topic_after) >= SAME_TOPIC_COSINE
