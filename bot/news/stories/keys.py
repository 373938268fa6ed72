"""Name keys and numbers: what two reports of one event name, in English or Russian.

Pure functions over text. A *name key* is what English and Russian spellings of one
name share: Cyrillic is transliterated, spelling differences are folded and the vowels
dropped, so Жапаров, Жапарова and Japarov all give "jprv", Бишкеке and Bishkek "bshk";
a place's adjective is the place (Рогунская ГЭС: "rgn"), a hyphenated name its parts
(Кош-Тепа and Qosh Tepa), and a capitalised word in «guillemets» a name (Russian
quotes its posts, clubs and firms: «Торугарт»). *Numbers* of 10 and more that are not
years ("980 km", "980 километров", "4,2 млрд" and "4.2 billion" share "980" and "4.2").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.news import keywords
from bot.news.countries import is_known_name
from bot.news.stories.aliases import alias_key

NAME_CHARS = 1_500  # of the body read for names, numbers and countries (where the event is)

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_NAME = re.compile(r"(?<![\w'’])([A-ZА-ЯЁ][\w'’\-]*\w|[A-ZА-ЯЁ])")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f,]\d{3})+|\d+)(?:[.,](\d+))?(?![\w])")
# A day of a month ("March 10", "10 марта", "Nov. 3"): a date, shared by the day's news.
_MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december", "jan", "feb", "mar", "apr",
              "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec")  # fmt: skip
_MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря")  # fmt: skip
_MONTH = f"(?:{'|'.join(_MONTHS_EN)})\\.?|(?:{'|'.join(_MONTHS_RU)})"
# The months' first letters, tried before the months themselves: one test of a letter at
# each position of the text instead of two dozen words (0.19 → 0.14 ms an article).
_MONTH_FIRST = "[" + "".join(sorted({month[0] for month in _MONTHS_EN + _MONTHS_RU})) + "]"
_DATE = re.compile(
    rf"(?i)(?<!\w)(?={_MONTH_FIRST})(?:{_MONTH})\s+\d{{1,2}}\b"
    rf"|\b\d{{1,2}}\s+(?:{_MONTH})(?!\w)"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+|[\n«\"“(]\s*|[—–-]\s+)$")
# Russian puts both speech and names in «guillemets»: «Мы готовы к диалогу», — сказал он;
# the post «Торугарт», the club «Насаф». A capital after « opens a sentence unless the
# quotation closes within three words: then it is a name («Узбекистон темир йуллари»).
_AFTER_GUILLEMET = re.compile(r"«\s*$")
_SHORT_QUOTE = re.compile(r"[^\s«».!?]+(?:[ \u00a0][^\s«».!?]+){0,2}»")
_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
        "һ": "h", "і": "i", "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ў": "u",
    }
)  # fmt: skip
# Spellings of one sound across transliterations: Dzhaparov/Japarov, Khujand/Hujand.
_FOLDS = (("dzh", "j"), ("zh", "j"), ("dj", "j"), ("kh", "h"), ("sch", "sh"), ("ph", "f"),
          ("w", "v"), ("q", "k"), ("x", "h"), ("c", "k"), ("ts", "s"), ("z", "s"))  # fmt: skip
_VOWELS = re.compile(r"[aeiouy]+")
# Russian case endings with a consonant in them (those of vowels alone vanish with
# the vowels), taken off a name of at least four letters: Snowball's stemmer cuts
# names unevenly (Жапаров → жапар, Жапарова → жапаров).
_CASE_ENDING = re.compile(
    r"(?<=\w{4})(?:ами|ями|ого|его|ому|ему|ыми|ими|ом|ем|ым|им|ой|ей|ах|ях|ых|их|ую)$"
)
# A place's adjective names the place: Рогунская ГЭС is the Rogun plant, Алматинская
# область the Almaty region, Первомайский (Pervomaisky) суд the Pervomaisky court. Cut
# from the transliteration of either script alike, so a city named in -sk (Ust-Kamenogorsk,
# Усть-Каменогорске) loses it in both and still meets.
_ADJECTIVE = re.compile(r"(?<=[a-z]{3})(?:in|en)?sk(?:ii|iy|yi|y|aya|aja|oe|oye|ie|ikh|i|e|a|u)?$")
_REPEATS = re.compile(r"(.)\1+")
# Title-case headlines capitalise every word; such a word is a name only if the body
# capitalises it too. Only English writes headlines so: a Russian title with many names
# capitalised («Лидеры Центральной Азии и Китая подписали Чэндуйскую декларацию») is
# still in sentence case, and each of its capitalised words past the first is a name.
TITLE_CASE_SHARE = 0.6
# Capitalised words that name no one: months, weekdays, function words at a quote's start.
_NOT_NAMES = frozenset(
    " ".join(
        (
            "january february march april may june july august september october november",
            "december monday tuesday wednesday thursday friday saturday sunday president",
            "minister ministry government parliament republic the this that these those his",
            "her its their our on in at for from with by and but or as of to an a it he she",
            "they we i mr mrs ms dr январ феврал март апрел мая июн июл август сентябр октябр",
            "ноябр декабр понедельник вторник сред четверг пятниц суббот воскресень президент",
            "министр министерств правительств парламент республик это эт мы вы он она они",
            "наш ваш все всё как так но что",
        )
    ).split()
)


# Features are stored with their article. Whenever `features` changes what it finds (a
# name's key, the words kept), this number goes up, and stored features of another
# version are computed anew from the article's text when the window is loaded: a story's
# old reports and new ones must be read by the same rules.

@lru_cache(maxsize=65_536)
def name_key(word: str) -> str:
    """The key English and Russian spellings of one name share ("" for none)."""
    word = word.replace("’", "'").split("'")[0]  # Japarov's → Japarov
    if _CYRILLIC.search(word):  # Жапаровым → жапаров; a vowel ending goes with the vowels
        word = _CASE_ENDING.sub("", word.casefold().replace("ё", "е"))
    latin = unicodedata.normalize("NFKD", word.casefold().translate(_TRANSLIT))
    latin = _ADJECTIVE.sub("", "".join(c for c in latin if c.isascii() and c.isalpha()))
    for spelled, folded in _FOLDS:
        latin = latin.replace(spelled, folded)
    if len(latin) < 3:
        return ""
    skeleton = _REPEATS.sub(r"\1", latin[0] + _VOWELS.sub("", latin[1:]))
    if len(skeleton) >= 3:
        return skeleton
    # Too short a skeleton to tell names apart (Хилял, Tepa): the letters, without the
    # softening "y" of a transliteration (хилял → hilyal, Hilal → hilal).
    return latin[0] + latin[1:].replace("y", "")


def entity_key(word: str) -> str:
    """A name's key: the table's for names that do not transliterate, else its sounds."""
    return alias_key(word) or name_key(word)


def numbers_of(text: str) -> set[str]:
    """Numbers of 10 and more, not years nor days of a month, as "980" or "4.2" (grouping
    and decimal comma folded)."""
    found = set()
    for whole, fraction in _NUMBER.findall(_DATE.sub(" ", text)):
        digits = re.sub(r"\D", "", whole)
        if fraction and len(fraction) == 3 and not re.search(r"\D", whole):
            digits, fraction = digits + fraction, ""  # "1,000": a thousands comma
        value = int(digits) if digits else 0
        if fraction:
            found.add(f"#{value}.{fraction.rstrip('0') or '0'}".rstrip("."))
        elif value >= 10 and not 1900 <= value <= 2100:
            found.add(f"#{value}")
    return found


# What decides whether a word opens a sentence is just before it: a stop and spaces,
# a quote, a dash. Only this much is read back (reading the whole text before each
# capitalised word made names quadratic in the text's length).
_LOOK_BACK = 16


def _capitalised(text: str) -> list[tuple[str, bool]]:
    """Capitalised words, each with whether it opens a sentence."""
    found = []
    for match in _NAME.finditer(text):
        start = match.start()
        before = text[max(0, start - _LOOK_BACK) : start]
        if _AFTER_GUILLEMET.search(before):
            opens = not _SHORT_QUOTE.match(text, start)
        else:
            opens = start == 0 or bool(_SENTENCE_START.search(before))
        found.append((match.group(1), opens))
    return found


def names_of(title: str, body: str) -> set[str]:
    """Name keys of the people, places and organisations the article names."""
    text = body[:NAME_CHARS]
    in_body = _capitalised(text)
    body_names = {word for word, opens in in_body if not opens}
    title_words = _capitalised(title)
    plain_title = [w for w in re.findall(r"\w+", title) if w.isalpha()]
    title_case = (
        bool(plain_title)
        and not _CYRILLIC.search(title)
        and len(title_words) / len(plain_title) >= TITLE_CASE_SHARE
    )
    chosen = set(body_names)
    for word, opens in title_words:
        # In a title-case headline a name is a word the body capitalises as well;
        # elsewhere any capitalised word past the first, and the first if the body has it;
        # either way a name the country tagger knows (a leader, a capital, a company):
        # «Жапаров и Мирзиёев подписали 18 документов» over a teaser that names neither.
        unsure = (title_case or opens) and word not in body_names and not word.isupper()
        if unsure and not is_known_name(word):
            continue
        chosen.add(word)
    keys: set[str] = set()
    for word in chosen:
        if word.casefold() in _NOT_NAMES or keywords.stem(word) in _NOT_NAMES:
            continue
        # A hyphenated name is its parts: one outlet writes Кош-Тепа, another Qosh Tepa.
        keys.update(k for k in map(entity_key, word.split("-")) if k)
    return keys
