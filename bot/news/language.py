"""Which language an article is written in, detected offline.

English and Russian get the full treatment (summary, keywords, tags). The other
languages of the region's press are recognised so that they are never taken for
English or Russian: Uzbek (Latin and Cyrillic), Kazakh, Kyrgyz, Tajik, Turkmen,
Dari and Pashto. Dari is reported as "fa", Persian: ISO 639-1 has no code of its
own for Dari, the Afghan variety of Persian ("prs" in ISO 639-3; "fa-AF" as a locale).

How: the script with the most letters (Latin, Cyrillic or Arabic) narrows the
choice to its languages. Then every word votes. A word with a distinctive letter
votes for the languages whose alphabet has it (ә: Kazakh; қ: Kazakh, Uzbek and
Tajik) and against the others; a common function word ("the", «что», "va",
"را") votes for its language. Counting words, not the presence of a letter, keeps
a Russian article that quotes one Kazakh word Russian. A long text is decided by
the votes alone. When they are close (a title, a few words, a name-heavy line),
lingua decides between the script's full language and the others, and when it
is unsure too, the outlet's declared language (`prior`) does.

lingua is restricted to English, Russian and Kazakh, plus Turkish and
Azerbaijani as stand-ins for Uzbek and Turkmen in Latin script, which it has no
models for. It has no Pashto model and Arabic script here is Dari or Pashto,
which the votes tell apart, so Persian would cost memory and decide nothing.

Beyond the region: an outlet that also publishes in Polish, German, Ukrainian or
Chinese must not have those articles labelled English or Russian (a reader who
chose English would get Polish). So a text the rules above call English or
Russian is checked once more (`beyond_the_region`): a text mostly in another
script is in that script's language, and a wider lingua detector of the same
script (Polish, German, French... for Latin; Ukrainian, Bulgarian, Serbian... for
Cyrillic) may overrule only when it is sure and the text has a sentence's worth
of words, so an English report quoting a German name stays English.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

LANGUAGES = ("en", "ru", "uz", "kk", "ky", "tg", "tk", "fa", "ps")
FULL = ("en", "ru")
DEFAULT = "en"

# Bound: only the first MAX_CHARS characters are examined (a headline and a
# lede are plenty), so a call costs the same for a long article as for a short one.
MAX_CHARS = 2_000
# Votes ahead of every other language that settle the question without lingua.
DECISIVE_VOTES = 3
# When the votes are close: the probability of the full language, from lingua and
# the votes together, at or above which it is the answer; at or below 1 - SURE the
# answer is one of the others; in between, the prior decides.
SURE = 0.8
# A text of fewer words (a name, a two-word title) is the prior's when it may be.
FEW_WORDS = 3

# A name quoted from another language («Үй-бүлөгө көмөк» in a Russian report, “Oʻzbekiston
# temir yoʻllari” in an English one) says nothing of the language it is quoted in: words
# between quotation marks are left out of the count when at least QUOTE_MIN_WORDS words
# stand outside them (a title that is one whole quotation keeps its words). Bound: a
# quotation of at most 80 characters, so a long quoted passage still counts.
_QUOTED = re.compile(r"«[^«»\n]{1,80}»|“[^“”\n]{1,80}”|„[^„“”\n]{1,80}[“”]")
QUOTE_MIN_WORDS = 8
_ANY_WORD = re.compile(r"[^\W\d_]+")

_OKINA = "ʻʼ‘’'`"  # Uzbek writes oʻ and gʻ with any of these in practice
_LATIN_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1effʻʼ"
_ARABIC_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


@dataclass(frozen=True, eq=False)  # hashed by identity: three instances
class _Script:
    words: re.Pattern[str]  # a word in the script
    full: str | None  # the language lingua is asked about
    other: str  # the other language taken when nothing marks one (the largest press)
    # The full language first, then the smaller alphabets: ties go to the first listed, as
    # a word with only ң is likelier Kyrgyz (three extra letters) than Kazakh (nine).
    languages: tuple[str, ...]
    marks: re.Pattern[str]  # distinctive letters (and letter pairs)
    owners: dict[str, frozenset[str]]  # a mark, lower-cased: the languages that have it
    common: dict[str, frozenset[str]]  # a common word: the languages it is common in


def _owners(table: dict[str, str]) -> dict[str, frozenset[str]]:
    return {mark: frozenset(codes.split()) for mark, codes in table.items()}


def _common(table: dict[str, str]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for code, words in table.items():
        for word in words.split():
            out.setdefault(word, set()).add(code)
    return {word: frozenset(codes) for word, codes in out.items()}


_CYRILLIC_MARKS = {
    **dict.fromkeys("әұһі", "kk"),
    **dict.fromkeys("ңөү", "kk ky"),
    **dict.fromkeys("ғқ", "kk uz tg"),
    "ў": "uz",
    "ҳ": "uz tg",
    **dict.fromkeys("ӣӯҷ", "tg"),
    # Kyrgyz long vowels (маалымат, суу, деңгээл); not оо or ии, common in Russian
    **dict.fromkeys(["аа", "уу", "ыы", "ээ", "өө", "үү"], "ky"),
}
_CYRILLIC = _Script(
    words=re.compile("[\u0400-\u052f][\u0400-\u052fiI]*"),  # Kazakh і typed as Latin i
    full="ru",
    other="kk",
    languages=("ru", "ky", "uz", "tg", "kk"),
    marks=re.compile("аа|уу|ыы|ээ|өө|үү|[әұһіңөүғқўҳӣӯҷ]", re.IGNORECASE),
    owners=_owners(_CYRILLIC_MARKS),
    common=_common(
        {
            "ru": "в и на с по не что для о из к от за это как также который которые"
            " году при после был была были его их а но до со во же",
            "kk": "мен жылы туралы деп деді еді бар осы бойынша және үшін бұл сондай"
            " ретінде кезінде арқылы",
            "ky": "жана менен боюнча жылы тууралуу деп деди болуп дагы анын бул ошондой"
            " тарабынан үчүн катары аркылуу бар",
            "uz": "ва билан учун бу эса йил йилда янги этди деди керак мумкин ҳам бўйича"
            " тўғрисида томонидан ушбу",
            "tg": "ва дар ба аз бо ки барои ин аст шуд мешавад мебошад гуфт низ вале буд"
            " кард шуда намуда",
        }
    ),
)
_LATIN = _Script(
    words=re.compile(rf"[{_LATIN_LETTER}]+(?:[{_OKINA}][{_LATIN_LETTER}]+)*"),
    full="en",
    other="uz",
    languages=("en", "uz", "tk"),
    # Uzbek oʻ/gʻ: an apostrophe-like mark then a lower-case letter, not an English
    # ending ("Togo's", "don't") nor an Irish name ("O'Brien").
    marks=re.compile(
        rf"[og][{_OKINA}](?!(?:[sdmt]|ll|re|ve)\b)(?-i:(?=[a-z]))|[ʻʼ]|[äçňöşüýž]",
        re.IGNORECASE,
    ),
    owners=_owners(
        {"oʻ": "uz", "gʻ": "uz", "ʻ": "uz", "ʼ": "uz", **dict.fromkeys("äçňöşüýž", "tk")}
    ),
    common=_common(
        {
            "en": "the of and to in a an for with is was said by at from that as its has"
            " have are were will be this which after but not he she they their",
            "uz": "va bilan uchun ham hamda bu esa yil yilda yangi haqida qilib etdi dedi kerak"
            " mumkin tomonidan ushbu shu yana lekin biroq",
            "tk": "bilen hem bu bolup barada edildi bolsa etdi",
        }
    ),
)
_ARABIC = _Script(
    words=re.compile(
        "[\u0621-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]+"
    ),
    full=None,
    other="fa",
    languages=("fa", "ps"),
    marks=re.compile("[ټډړږښګڼېۍځڅ]"),
    owners=_owners(dict.fromkeys("ټډړږښګڼېۍځڅ", "ps")),
    common=_common(
        {
            "fa": "در از را است این برای شد می شده کرد گفت اند بود خود آن های ها یک",
            "ps": "د په ته سره لپاره دا دغه وویل تر",
        }
    ),
)


_SCRIPTS = (_LATIN, _CYRILLIC, _ARABIC)


def _fold(word: str, script: _Script) -> str:
    word = word.lower()
    if script is _CYRILLIC:
        return word.replace("i", "і")  # Kazakh і typed as the Latin letter
    if script is _ARABIC:
        return word.translate(_ARABIC_FOLD)
    return word


def _mark_key(mark: str) -> str:
    mark = mark.lower()
    return mark[0] + "ʻ" if len(mark) == 2 and mark[1] in _OKINA else mark


@lru_cache(maxsize=32_768)
def _word_votes(script: _Script, word: str) -> tuple[int, ...]:
    """In `script.languages` order: 1 for a language the word is evidence for,
    -1 against (it has a mark the language's alphabet lacks), 0 neither."""
    folded = _fold(word, script)
    marks = script.marks.findall(word if script is _LATIN else folded)  # O'Brien is not oʻ
    if marks:
        fits = frozenset(script.languages)
        for mark in marks:
            fits &= script.owners[_mark_key(mark)]
        return tuple(1 if code in fits else -1 for code in script.languages)
    common = script.common.get(folded, frozenset())
    return tuple(int(code in common) for code in script.languages)


def _votes(script: _Script, words: list[str]) -> dict[str, int]:
    """Each language's votes for minus votes against."""
    totals = [0] * len(script.languages)
    for word, count in Counter(words).items():
        for index, vote in enumerate(_word_votes(script, word)):
            totals[index] += vote * count
    return dict(zip(script.languages, totals, strict=True))


@cache
def _detector() -> LanguageDetector:
    languages = [
        Language.ENGLISH,
        Language.RUSSIAN,
        Language.KAZAKH,
        Language.TURKISH,  # stands in for Turkmen and Uzbek in Latin script
        Language.AZERBAIJANI,
    ]
    return (
        LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
    )


def preload() -> None:
    """Load lingua's models now (about a second) rather than on the first article."""
    _detector()
    _wide_detector("latin")
    _wide_detector("ru")


def _confidence(words: list[str], language: Language) -> float:
    return _detector().compute_language_confidence(" ".join(words), language)


def _plain(script: _Script, words: list[str]) -> list[str]:
    """The words with no distinctive mark, the ones lingua reads: given the one Kazakh
    place name in a Russian title, it would call the whole title Kazakh."""
    return [word for word in words if not any(v < 0 for v in _word_votes(script, word))]


def _log_odds(probability: float) -> float:
    probability = min(max(probability, 0.001), 0.999)  # lingua says 1.0 on a unique letter
    return math.log(probability / (1 - probability))


def _first(prior: Sequence[str], candidates: list[str]) -> str | None:
    return next((code for code in prior if code in candidates), None)


def _other(script: _Script, others: list[str], score: dict[str, int], words: list[str]) -> str:
    """The best voted of the script's other languages, a tie to the first listed."""
    best = max(score[code] for code in others)
    if best <= 0 and script.other in others:  # nothing marks one: the largest press
        return script.other
    top = [code for code in others if score[code] == best]
    # lingua knows Kazakh, not Uzbek or Tajik: when only қ and ғ mark the text, it
    # tells Kazakh from them (not from Kyrgyz, which it reads as Kazakh too).
    plain = _plain(script, words) if "kk" in top[1:] and "ky" not in top else []
    if plain and _confidence(plain, Language.KAZAKH) >= SURE:
        return "kk"
    return top[0]


def detect_language(text: str, *, prior: Sequence[str] = ()) -> str:
    """The ISO 639-1 code of the language `text` is written in: one of LANGUAGES, or,
    for a text in none of them that reads as English or Russian to the region's rules,
    what it is (`beyond_the_region`: "pl", "zh", "uk"...), never English or Russian.

    `prior` is the outlet's declared language(s), most likely first. It settles
    close calls, a text of one or two words, and a text with no letters (which
    is in the prior's first language, or in English when there is no prior).
    """
    sample = _unquoted(unicodedata.normalize("NFC", text[:OTHER_CHARS]))
    if other := _other_script(sample):
        return other
    found = _region_language(text, prior)
    if found in FULL or (found in _UZ_TK_MARKS and _doubtful_uz_tk(sample, found)):
        return beyond_the_region(sample, found)
    if _UKRAINIAN.search(sample) and not _REGION_CYRILLIC.search(sample):
        return "uk"  # its і voted for Kazakh; ї, є and ґ are in no alphabet of the region
    return found


def _region_language(text: str, prior: Sequence[str]) -> str:
    """The ISO 639-1 code (one of LANGUAGES) of the language `text` is written in.

    `prior` is the outlet's declared language(s), most likely first. It settles
    close calls, a text of one or two words, and a text with no letters (which
    is in the prior's first language, or in English when there is no prior).
    """
    known = [code for code in prior if code in LANGUAGES]
    found = _words_by_script(_unquoted(unicodedata.normalize("NFC", text[:MAX_CHARS])))
    if not found:
        return known[0] if known else DEFAULT
    script, words = max(found, key=lambda item: sum(map(len, item[1])))  # the most letters
    score = _votes(script, words)
    best = max(score.values())
    close = [code for code in script.languages if best - score[code] < DECISIVE_VOTES]
    others = [code for code in close if code != script.full]
    if script.full is None or script.full not in close:
        return _first(known, others) or _other(script, others, score, words)
    if not others:
        return script.full
    if len(words) < FEW_WORDS and (chosen := _first(known, close)):
        return chosen
    # lingua's confidence and the votes, as log-odds: each vote counts as much as
    # odds of e to 1, so three votes ahead (odds of 20 to 1) settle it alone.
    full = Language.ENGLISH if script.full == "en" else Language.RUSSIAN
    lean = _log_odds(_confidence(_plain(script, words) or words, full))
    lean += score[script.full] - max(score[code] for code in others)
    if lean >= _log_odds(SURE):
        return script.full
    if lean > -_log_odds(SURE):  # unsure: the prior decides, else lingua's lean
        if chosen := _first(known, close):
            return chosen
        if lean >= 0:
            return script.full
    return _first(known, others) or _other(script, others, score, words)


def _unquoted(sample: str) -> str:
    """The sample without its quotations (`_QUOTED`), if QUOTE_MIN_WORDS words remain."""
    if "«" not in sample and "“" not in sample and "„" not in sample:
        return sample
    unquoted = _QUOTED.sub(" ", sample)
    return unquoted if len(_ANY_WORD.findall(unquoted)) >= QUOTE_MIN_WORDS else sample


def _words_by_script(sample: str) -> list[tuple[_Script, list[str]]]:
    """The words of each script the sample has words in."""
    return [(script, words) for script in _SCRIPTS if (words := script.words.findall(sample))]


# Scripts the region's press does not write in: a text mostly in one of them is in its
# language (Han: Chinese, kana: Japanese, Hangul: Korean, ...), never English.
_OTHER_SCRIPTS = (
    (re.compile("[\u3040-\u30ff]"), "ja"),  # kana first: Japanese mixes in Han
    (re.compile("[\u4e00-\u9fff\u3400-\u4dbf]"), "zh"),
    (re.compile("[\uac00-\ud7af\u1100-\u11ff]"), "ko"),
    (re.compile("[\u0370-\u03ff]"), "el"),
    (re.compile("[\u0590-\u05ff]"), "he"),
    (re.compile("[\u10a0-\u10ff]"), "ka"),
    (re.compile("[\u0530-\u058f]"), "hy"),
    (re.compile("[\u0900-\u097f]"), "hi"),
    (re.compile("[\u0e00-\u0e7f]"), "th"),
)
_LETTERS = re.compile(r"[^\W\d_]")
_LETTERS_WORD = re.compile(r"[^\W\d_]+")
_UKRAINIAN = re.compile("[їєґЇЄҐ]")
# Letters of Kazakh, Kyrgyz, Tajik, Uzbek and Turkmen Cyrillic that Ukrainian lacks.
_REGION_CYRILLIC = re.compile("[әғқңөұүһҳҷӣӯўҗӊ]", re.IGNORECASE)
# Languages a text the region's rules read as English, Russian, Uzbek or Turkmen may
# really be in: their scripts' other big languages. lingua decides among them.
_WIDE_LATIN = (
    Language.ENGLISH, Language.POLISH, Language.GERMAN, Language.FRENCH, Language.SPANISH,
    Language.ITALIAN, Language.PORTUGUESE, Language.DUTCH, Language.CZECH, Language.SLOVAK,
    Language.HUNGARIAN, Language.ROMANIAN, Language.TURKISH, Language.AZERBAIJANI,
    Language.INDONESIAN, Language.SWEDISH, Language.CROATIAN, Language.VIETNAMESE,
)  # fmt: skip
_WIDE_CYRILLIC = (
    Language.RUSSIAN, Language.UKRAINIAN, Language.BELARUSIAN, Language.BULGARIAN,
    Language.SERBIAN, Language.MACEDONIAN, Language.MONGOLIAN,
)  # fmt: skip
# lingua has no Uzbek or Turkmen: Uzbek and Turkmen in Latin letters read as Turkish or
# Azerbaijani to it, so for a text the rules call Uzbek or Turkmen those answers confirm them.
_LATIN_STAND_INS = {"uz": ("tr", "az"), "tk": ("tr", "az")}
# A word with a Latin letter outside Uzbek's and Turkmen's alphabets (Turkish ones kept:
# some Uzbek is typed with ğ and ı).
_NOT_UZ_TK = re.compile(r"\b\w*[À-ÖØ-öø-ÿĀ-ž](?<![äöüçşžýňğıÄÖÜÇŞŽÝŇĞİ])\w*")
MIN_FOREIGN_WORDS = 2
# What a sentence of each has that other Latin languages rarely do: Uzbek's oʻ and gʻ
# (however the apostrophe is typed) and its q; Turkmen's ý, ň, ş, ž and ç.
_UZ_TK_MARKS = {
    "uz": re.compile("[oOgG][ʻʼ'‘’`]|q"),
    "tk": re.compile("[ýňşžçÝŇŞŽÇ]"),
}
# How sure lingua must be that a text is in another of those languages to say so: a
# Polish article is sure; an English one quoting a German name is not.
OTHER_SURE = 0.9
MIN_OTHER_WORDS = 15  # a headline alone keeps the region's answer: trigrams misread them
# Words common in English or Russian and in no other language of its script (so not
# "in", "a" or "на"): a text where they make up OWN_WORDS_SHARE of the words is in that
# language whatever lingua says. Trigrams alone take "Winners and losers of the bull
# market" for Swedish; English's words do not.
_OWN_WORDS = {
    "en": frozenset(("the", "of", "and", "to", "for", "is", "was", "with", "that", "on", "by",
                     "from", "has", "have", "are", "said", "will", "at", "it")),
    "ru": frozenset(("что", "это", "как", "его", "был", "была", "были", "также", "который",
                     "которые", "не", "из", "он", "она", "они", "от")),
}  # fmt: skip
OWN_WORDS_SHARE = 0.05
OTHER_CHARS = 400  # of the text read for it: a title and a lede tell a language


def _other_script(sample: str) -> str | None:
    letters = len(_LETTERS.findall(sample))
    for script, code in _OTHER_SCRIPTS:
        if letters and len(script.findall(sample)) * 2 >= letters:
            return code
    return None


def _doubtful_uz_tk(sample: str, found: str) -> bool:
    """Whether a text the rules call Uzbek or Turkmen may be another Latin language: it
    has words with letters neither alphabet has (ą, é, ß...), or none of the marks of the
    one found (German's ü voted Turkmen). Only then is lingua asked, as it has no model of
    either and takes plain Uzbek for Swedish or Spanish."""
    foreign = len(_NOT_UZ_TK.findall(sample))
    return foreign >= MIN_FOREIGN_WORDS or not _UZ_TK_MARKS[found].search(sample)


@cache
def _wide_detector(script: str) -> LanguageDetector:
    # Trigram models only ("low accuracy"): 40 MB for both scripts where all n-grams take
    # 650 MB, and as sure on a sentence as the full models. Shorter texts never get here.
    languages = _WIDE_CYRILLIC if script == "ru" else _WIDE_LATIN
    builder = LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode()
    return builder.with_preloaded_language_models().build()


def beyond_the_region(sample: str, found: str) -> str:
    """`found` (English, Russian, or Uzbek or Turkmen in Latin letters), unless lingua
    is sure the text is in another language of that script: then that language's code."""
    words = [word.lower() for word in _LETTERS_WORD.findall(sample)]
    if len(words) < MIN_OTHER_WORDS:
        return found
    own = _OWN_WORDS.get(found)
    if own and sum(word in own for word in words) >= OWN_WORDS_SHARE * len(words):
        return found
    detector = _wide_detector("ru" if found == "ru" else "latin")
    confidences = detector.compute_language_confidence_values(sample)
    if not confidences or confidences[0].value < OTHER_SURE:
        return found
    code = confidences[0].language.iso_code_639_1.name.lower()
    return found if code in _LATIN_STAND_INS.get(found, ()) else code
