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

Russian (and any text in a Cyrillic-script language) is split by the Russian
sentence rules, so "4,2 млрд долл. США" or "Ш. Мирзиёев" never cut a summary
sentence short, and scored on Russian Snowball stems without Russian stop words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from sumy.models.dom import Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers._summarizer import AbstractSummarizer

from bot.news import keywords
from bot.news.sentences import SumyTokenizer
from bot.news.text import cosine, norm, rules_language, terms

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
# The same in Russian; a Russian page may carry English credits too, so both apply.
_NOT_CONTENT_RU = re.compile(
    r"^(?:(?:фото|видео|иллюстрация|источник|автор|текст)\s*[:\-–—]"
    r"|(?:читайте также|читать далее|читать полностью|подробнее)\b)"
    r"|(?:\.\.\.|…)[\"”’)»]*$",
    re.IGNORECASE,
)


def _is_content(sentence: str, language: str = "en") -> bool:
    if language == "ru" and _NOT_CONTENT_RU.search(sentence):
        return False
    return not _NOT_CONTENT.search(sentence) and len(sentence.split()) >= MIN_WORDS


class LeadCentroidSummarizer(AbstractSummarizer):  # type: ignore[misc]
    """Position + centrality + title similarity, with redundancy removal."""

    def __init__(self, title: str = "", *, language: str = "en") -> None:
        """`language`: "en" or "ru", the rule set (see `rules_language`)."""
        super().__init__(keywords.stem if language == "ru" else Stemmer("english"))
        self._language = language
        self._title_terms = Counter(terms(title, language))

    def __call__(self, document: object, sentences_count: int) -> tuple[Sentence, ...]:
        all_sentences: Sequence[Sentence] = document.sentences  # type: ignore[attr-defined]
        candidates = [
            s for s in all_sentences[:MAX_CANDIDATES] if _is_content(str(s), self._language)
        ]
        if len(candidates) < sentences_count:
            candidates = list(all_sentences[:MAX_CANDIDATES])
        ratings = self.rate_sentences(candidates, sentences_count)
        return self._get_best_sentences(candidates, sentences_count, ratings)  # type: ignore[no-any-return]

    def rate_sentences(self, sentences: Sequence[Sentence], count: int) -> dict[Sentence, float]:
        vectors = [Counter(terms(str(s), self._language)) for s in sentences]
        centroid: Counter[str] = Counter()
        for vector in vectors:
            centroid.update(vector)
        norms = [norm(vector) for vector in vectors]
        centroid_norm, title_norm = norm(centroid), norm(self._title_terms)
        scores = []
        for position, vector in enumerate(vectors):
            score = POSITION_WEIGHT / (1.0 + position) ** 0.5
            score += CENTRALITY_WEIGHT * cosine(vector, centroid, norms[position], centroid_norm)
            score += TITLE_WEIGHT * cosine(vector, self._title_terms, norms[position], title_norm)
            scores.append(score)
        # Greedy pick in score order, skipping near-repeats of a picked sentence.
        picked: list[int] = []
        for index in sorted(range(len(sentences)), key=lambda i: -scores[i]):
            if len(picked) == count:
                break
            if all(
                cosine(vectors[index], vectors[p], norms[index], norms[p]) < REDUNDANT_COSINE
                for p in picked
            ):
                picked.append(index)
        rank = {index: len(picked) - order for order, index in enumerate(picked)}
        return {s: float(rank.get(i, 0)) - 1.0 + scores[i] / 10 for i, s in enumerate(sentences)}


def summarize(text: str, sentences: int = 3, *, title: str = "", language: str = "en") -> list[str]:
    """The `sentences` most informative sentences of `text`, verbatim, in text order.

    A text with no more than `sentences` sentences comes back whole.  `language`
    is the text's language code ("en", "ru", "kk", …): Cyrillic-script text gets
    the Russian sentence rules, stems and stop words, any other the English ones.
    """
    if sentences < 1 or not text.strip():
        return []
    rules = rules_language(language, text)
    document = PlaintextParser.from_string(text[:MAX_CHARS], SumyTokenizer(rules)).document
    if len(document.sentences) <= sentences:
        return [str(s) for s in document.sentences]
    picked = LeadCentroidSummarizer(title, language=rules)(document, sentences)
    return [str(s) for s in picked]
