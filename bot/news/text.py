"""Word-level text helpers shared by the parser and the summariser.

Terms are lower-cased Snowball stems with sumy's English stop words removed:
the same normalisation sumy's own summarisers use, so scores are comparable.
Russian terms (`terms(text, "ru")`) are stemmed by the script-aware stemmer the
keyword matcher uses, with the Russian stop words below removed: sumy 0.13 ships
stop words for Ukrainian but none for Russian, and NLTK's list is a download.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from sumy.utils import get_stop_words

from bot.news import keywords

# Where a sentence ends, cheaply (no sentence model): its stop, a closing quote, then a
# capital or an opening quote. "Feb. 9" and "3.5 per cent" end none; an initial before a
# surname may end one, which costs a lede a few words, never the sentence it opens with.
SENTENCE_END = re.compile(r"[.!?][»\"')]?\s+(?=[«\"(]?[A-ZА-ЯЁ])")


def sentences_end(text: str, count: int, limit: int) -> int:
    """Where the first `count` sentences of `text` end, at most `limit` characters in."""
    for found, match in enumerate(SENTENCE_END.finditer(text, 0, limit), start=1):
        if found == count:
            return match.start() + 1
    return limit


WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")
STOP_WORDS: frozenset[str] = frozenset(get_stop_words("english"))

# Function words and news connectives, with "е" for "ё" (terms() folds ё too).
# Snowball's Russian stop list at heart, plus pronoun forms and the discourse words news
# sentences open with ("однако", "напомним", "ранее"): they carry no topic, and a
# capitalised one right after an abbreviation tells the sentence splitter that a
# new sentence began.
# fmt: off
RUSSIAN_STOP_WORDS: frozenset[str] = frozenset(
    {
        "а", "без", "более", "больше", "будет", "будто", "бы", "был", "была", "были", "было",
        "быть", "в", "вам", "вас", "вдруг", "ведь", "во", "вот", "впрочем", "все", "всегда",
        "всего", "всех", "всю", "вы", "где", "да", "даже", "два", "для", "до", "другой", "его",
        "ее", "ей", "ему", "если", "есть", "еще", "ж", "же", "за", "зачем", "здесь", "и", "из",
        "или", "им", "иногда", "их", "к", "как", "какая", "какой", "когда", "конечно", "кто",
        "куда", "ли", "лучше", "между", "меня", "мне", "много", "может", "можно", "мой", "моя",
        "мы", "на", "над", "надо", "наконец", "нас", "не", "него", "нее", "ней", "нельзя", "нет",
        "ни", "нибудь", "никогда", "ним", "них", "ничего", "но", "ну", "о", "об", "один", "он",
        "она", "они", "опять", "от", "перед", "по", "под", "после", "потом", "потому", "почти",
        "при", "про", "раз", "разве", "с", "сам", "свою", "себе", "себя", "сейчас", "со", "совсем",
        "так", "такой", "там", "тебя", "тем", "теперь", "то", "тогда", "того", "тоже", "только",
        "том", "тот", "три", "тут", "ты", "у", "уж", "уже", "хорошо", "хоть", "чего", "чем",
        "через", "что", "чтоб", "чтобы", "чуть", "эти", "этого", "этой", "этом", "этот", "эту",
        "я", "весь", "вся", "свой", "своя", "свое", "свои", "своих", "своей", "своего", "это",
        "эта", "этим", "этих", "таких", "такие", "такая", "такое", "тех", "нам", "ими", "ею",
        "нему", "нею", "оно", "который", "которая", "которое", "которые", "которых", "которой",
        "которого", "которым", "либо", "будут", "будем", "являются", "является", "однако", "также",
        "кроме", "поэтому", "затем", "ранее", "напомним", "сегодня", "вчера", "завтра", "именно",
        "кстати", "причем", "притом", "зато",
    }
)
# fmt: on


def stem(word: str) -> str:
    """Snowball's English stem of a lower-case word (cached with the other stemmers')."""
    return keywords.english_stem(word)


def words(text: str) -> list[str]:
    """Alphabetic words of `text`, apostrophes and inner hyphens kept."""
    return WORD.findall(text)


# Languages written in Cyrillic, and those written in either script (Uzbek is
# officially Latin, yet much of its press is Cyrillic; Kazakh is moving to Latin).
_CYRILLIC_LANGUAGES = frozenset(
    {"ru", "uk", "be", "bg", "mk", "ky", "tg", "mn", "tt", "ba", "cv", "ce", "os", "sah"}
)
_EITHER_SCRIPT = {"uz": "en", "tk": "en", "az": "en", "kk": "ru", "sr": "ru"}  # the usual one
_NAMES = {"russian": "ru", "english": "en", "ukrainian": "uk", "kazakh": "kk", "uzbek": "uz"}
SCRIPT_SAMPLE_CHARS = 2_000


def rules_language(language: str, text: str = "") -> str:
    """The rule set a language gets: "ru" for one written in Cyrillic, else "en".

    Accepts "ru", "ru-RU", "russian", "uz-Cyrl".  For a language written in either
    script ("uz", "kk") the letters of `text` (its first SCRIPT_SAMPLE_CHARS) decide.
    The Russian rules (abbreviations, quotes, stems) suit Cyrillic news far better
    than English ones do.
    """
    primary, *subtags = language.strip().lower().replace("_", "-").split("-")
    primary = _NAMES.get(primary, primary)
    scripts = [tag for tag in subtags if tag in ("cyrl", "latn")]
    if scripts:  # "sr-Latn" is Latin, "uz-Cyrl" Cyrillic, whatever the language
        return "ru" if scripts[0] == "cyrl" else "en"
    if primary in _CYRILLIC_LANGUAGES:
        return "ru"
    if primary not in _EITHER_SCRIPT:
        return "en"
    sample = text[:SCRIPT_SAMPLE_CHARS]
    cyrillic = sum(1 for char in sample if "\u0400" <= char <= "\u04ff")
    latin = sum(1 for char in sample if char.isascii() and char.isalpha())
    if cyrillic == latin:
        return _EITHER_SCRIPT[primary]
    return "ru" if cyrillic > latin else "en"


def terms(text: str, language: str = "en") -> list[str]:
    """Content terms: lower-cased stems of words that are not stop words.

    With a Cyrillic-script `language`, Cyrillic words get the Russian stemmer and
    Russian stop words; Latin words in such a text still get the English ones.
    """
    if language != "en" and rules_language(language, text) == "ru":
        return [term for term in map(_russian_term, words(text)) if term]
    return [term for term in map(_english_term, words(text)) if term]


# A word's term as written, "" for none: one cached call a word instead of folding,
# filtering and stemming each time (the summary reads every sentence of an article).
@lru_cache(maxsize=131_072)
def _english_term(word: str) -> str:
    folded = word.lower().replace("’", "'")
    if len(folded) > 1 and folded not in STOP_WORDS:
        return keywords.english_stem(folded)
    return ""


@lru_cache(maxsize=131_072)
def _russian_term(word: str) -> str:
    folded = word.lower().replace("’", "'").replace("ё", "е")
    if len(folded) > 1 and folded not in RUSSIAN_STOP_WORDS and folded not in STOP_WORDS:
        return keywords.stem(folded)
    return ""


def norm(vector: Counter[str]) -> float:
    return math.sqrt(sum(v * v for v in vector.values()))


def cosine(
    a: Counter[str], b: Counter[str], a_norm: float | None = None, b_norm: float | None = None
) -> float:
    """The cosine of two term vectors; their norms (`norm`) may be given, worked out once
    for a vector compared many times (a summary's centroid: that was a third of the
    summariser's time)."""
    if not a or not b:
        return 0.0
    a_norm = norm(a) if a_norm is None else a_norm
    b_norm = norm(b) if b_norm is None else b_norm
    if len(a) > len(b):
        a, b = b, a
    dot = sum(count * b[term] for term, count in a.items() if term in b)
    return dot / (a_norm * b_norm)
