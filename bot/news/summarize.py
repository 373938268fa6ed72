"""Extractive summaries: sentences picked verbatim from the text, in their order.

The summariser is a sumy summariser (`LeadCentroidSummarizer`) over sumy's
document model, fed by an offline tokenizer.  It scores each sentence by
  - position: news puts its key facts first;
  - centrality: similarity to the whole text's term vector (a linear-time
    stand-in for LexRank's quadratic graph);
  - similarity to the title, when one is given;
then picks the best, skipping sentences that repeat one already picked.
Only the first `MAX_CANDIDATES` sentences of the first `MAX_CHARS` characters
are considered, so the work stays bounded on very long texts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from sumy.models.dom import Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers._summarizer import AbstractSummarizer

from bot.news.sentences import SumyTokenizer
from bot.news.text import cosine, terms

MAX_CHARS = 30_000
MAX_CANDIDATES = 60
POSITION_WEIGHT = 0.5
CENTRALITY_WEIGHT = 0.35
TITLE_WEIGHT = 0.15
REDUNDANT_COSINE = 0.6
MIN_WORDS = 4

# Lines that carry no news: credits, bylines, calls to read on, cut fragments.
_NOT_CONTENT = re.compile(
    r"^(?:(?:image|photo|photos|credit|source|written by|by)\s*[:\-–]"
    r"|(?:continue reading|read more|read also)\b)"
    r"|(?:\.\.\.|…)[\"”’)]*$",
    re.IGNORECASE,
)


def _is_content(sentence: str) -> bool:
    return not _NOT_CONTENT.search(sentence) and len(sentence.split()) >= MIN_WORDS


class LeadCentroidSummarizer(AbstractSummarizer):  # type: ignore[misc]
    """Position + centrality + title similarity, with redundancy removal."""

    def __init__(self, title: str = "") -> None:
        super().__init__(Stemmer("english"))
        self._title_terms = Counter(terms(title))

    def __call__(self, document: object, sentences_count: int) -> tuple[Sentence, ...]:
        all_sentences: Sequence[Sentence] = document.sentences  # type: ignore[attr-defined]
        candidates = [s for s in all_sentences[:MAX_CANDIDATES] if _is_content(str(s))]
        if len(candidates) < sentences_count:
            candidates = list(all_sentences[:MAX_CANDIDATES])
        ratings = self.rate_sentences(candidates, sentences_count)
        return self._get_best_sentences(candidates, sentences_count, ratings)  # type: ignore[no-any-return]

    def rate_sentences(self, sentences: Sequence[Sentence], count: int) -> dict[Sentence, float]:
        vectors = [Counter(terms(str(s))) for s in sentences]
        centroid: Counter[str] = Counter()
        for vector in vectors:
            centroid.update(vector)
        scores = []
        for position, vector in enumerate(vectors):
            score = POSITION_WEIGHT / (1.0 + position) ** 0.5
            score += CENTRALITY_WEIGHT * cosine(vector, centroid)
            score += TITLE_WEIGHT * cosine(vector, self._title_terms)
            scores.append(score)
        # Greedy pick in score order, skipping near-repeats of a picked sentence.
        picked: list[int] = []
        for index in sorted(range(len(sentences)), key=lambda i: -scores[i]):
            if len(picked) == count:
                break
            if all(cosine(vectors[index], vectors[p]) < REDUNDANT_COSINE for p in picked):
                picked.append(index)
        rank = {index: len(picked) - order for order, index in enumerate(picked)}
        return {s: float(rank.get(i, 0)) - 1.0 + scores[i] / 10 for i, s in enumerate(sentences)}


def summarize(text: str, sentences: int = 3, *, title: str = "") -> list[str]:
    """The `sentences` most informative sentences of `text`, verbatim, in text order.

    A text with no more than `sentences` sentences comes back whole.
    """
    if sentences < 1 or not text.strip():
        return []
    document = PlaintextParser.from_string(text[:MAX_CHARS], SumyTokenizer()).document
    if len(document.sentences) <= sentences:
        return [str(s) for s in document.sentences]
    picked = LeadCentroidSummarizer(title)(document, sentences)
    return [str(s) for s in picked]
