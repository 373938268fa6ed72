"""Which lines of a page can be titles, and which title-like lines are sub-headings.

A title is known by its shape, not its capitals: the site's newer pages write
"Kazakhstan to Host International Genetic Resources Bank", its older ones
"Kazakhstan: Senate passes water tariff bill in second reading". Both are one
line of title length, one clause, with no sentence-final full stop, and are
followed by a paragraph; `title_shaped` checks the line and the page parser
checks what follows. Capitals are a weak signal used only where the structure
says nothing (a last line cut off by the end of the file).

On an article page a title and a sub-heading look alike. What differs is the
topic around them. Under a sub-heading the text goes on about the same people
and things as the paragraphs above it; under a new title it starts afresh. So
`is_subheading` is a topic-shift test: the cosine between the term vectors of
the paragraphs just before and just after. Measured on the seed article page
(tests/seeds/004_*): sub-headings score 0.12-0.24, new titles 0.02-0.06; the
threshold sits between them.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.news.countries import mention_scores
from bot.news.text import STOP_WORDS, cosine, terms, words

# Titles on the site run to about 100 characters and 15 words; a longer line is a paragraph.
MAX_HEADING_CHARS = 180
MAX_HEADING_WORDS = 25
MIN_HEADING_WORDS = 2
SAME_TOPIC_COSINE = 0.09
# Real titles carry a subject, a verb and an object; a two- or three-word line
# inside an article ("Government Response") is a section label.
MAX_SECTION_LABEL_WORDS = 3
# ... and a sub-heading is a label, not a sentence: "A Question of Storage", "Government
# Response", "Kazakhstan as a Strategic Messenger?". A line of eight words or more inside
# an article starts the next one.
MIN_TITLE_WORDS = 8
# A title ends in a word, a figure, "?" or "!", or a closing quote after a word
# ("... Calls for ‘New Uzbekistan’"); a sentence ends in ".", ":" or a quote after one.
_NOT_A_HEADING_END = re.compile(r"[.,;:…(\[\-–—/]$|[.,;:…!?]['\"”’»)]+$")
# A title may end in an abbreviation: "... Forum of Central Asia and the U.S."
_ABBREVIATION_END = re.compile(r"(?:\b(?:[A-Z]\.){2,}|\b(?:Inc|Co|Ltd|Corp|Jr|Sr|St)\.)$")
# Bullets, brackets and lower-case starts are list items or continuations; an opening
# quotation mark is not: "‘We Will Not Leave Our Land’: An Interview with ..." is a title.
_NOT_A_HEADING_START = re.compile(r"^(?:[(\[•·▪●◦*\-–—]|[^\W\d_](?<=[a-zа-яё]))")
# A full stop between two words inside the line: two sentences, so a paragraph.
_INNER_SENTENCE_END = re.compile(r"[a-zа-яё0-9]{2}[.!?]\s+[\"“‘«]?[A-ZА-ЯЁ]")
_LINK = re.compile(r"https?://|www\.|\S@\S+\.\w", re.IGNORECASE)
_MINOR = STOP_WORDS | {"vs", "via", "amid", "per"}


def title_shaped(line: str) -> bool:
    """One line of title length and form: a clause with no sentence-final full stop."""
    if len(line) > MAX_HEADING_CHARS:
        return False
    if _NOT_A_HEADING_END.search(line) and not _ABBREVIATION_END.search(line):
        return False
    if _NOT_A_HEADING_START.match(line) or _LINK.search(line):
        return False
    if _INNER_SENTENCE_END.search(line):
        return False
    return MIN_HEADING_WORDS <= len(words(line)) <= MAX_HEADING_WORDS


def title_cased(line: str) -> bool:
    """Most significant words capitalised: the newer site's titles (a weak signal)."""
    significant = [w for w in words(line) if w.lower() not in _MINOR]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised / len(significant) >= 0.6


def is_subheading(line: str, before: list[str], after: list[str], known: set[str]) -> bool:
    """Whether a title-shaped `line` inside an article continues that article.

    `before` holds the paragraphs just above the line, `after` those just below,
    `known` the countries the article has named so far. A new article announces
    itself: a full title-length line, or a country the article has not named, in
    the line or leading the text below it; otherwise the topic test decides.
    """
    if not after:
        return False
    count = len(words(line))
    if count <= MAX_SECTION_LABEL_WORDS:
        return True
    if count >= MIN_TITLE_WORDS:
        return False
    if set(mention_scores(line)) - known:
        return False
    if after[0].rstrip().endswith(":"):
        return True  # "Residents list their wishes:" introduces a list; a lede does not
    below = mention_scores(after[0])
    if below and max(below, key=below.__getitem__) not in known:
        return False
    topic_before = Counter(terms(" ".join(before)))
    topic_after = Counter(terms(" ".join(after)))
    return cosine(topic_before, topic_after) >= SAME_TOPIC_COSINE
