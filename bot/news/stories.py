"""Stories: the articles of several outlets, in English or Russian, about one event.

Pure rules over plain data; `storage/stories.py` keeps the index and the stories.

An article's *features* are what two reports of one event share:
  - **words** (one language): the stems of its title, counted twice, and of its
    lede, without stop words;
  - **names** (any language): the people, places and organisations it names,
    reduced to a *name key* that English and Russian spellings share: Cyrillic
    is transliterated, then spelling differences are folded and the vowels
    dropped, so Жапаров, Жапарова and Japarov all give "jprv", Бишкеке and
    Bishkek "bshk"; a place's adjective is the place (Рогунская ГЭС: "rgn"), a
    hyphenated name its parts (Кош-Тепа and Qosh Tepa), and a capitalised word in
    «guillemets» a name (Russian quotes its posts, clubs and firms: «Торугарт»);
  - **numbers** of 10 and more that are not years ("980 km", "980 километров",
    "4,2 млрд" and "4.2 billion" share "980" and "4.2").

An article is compared with the stories of the time window that share an *index
key* with it (a name, a number, a title stem, a sound), never with every stored
article: at most MAX_CANDIDATES stories, those sharing its rarest keys. A story is
kept as summed counts of its articles' words (per language), names and *sounds*
(each stem's name key cut to SOUND_LETTERS, so торугарт and torugart meet), at most
STORY_KEYS of each. Counts are weighed when compared, by how rare each key is in the
window then (idf, smoothed by PRIOR_ARTICLES so a cold window's first burst does not
make its own words common): "Kazakhstan" counts for little and "Rogun" for much.
The score is a cosine against the story's counts (no chaining through one member).
Within one language words and names count together (WORDS_SHARE); across languages
names, numbers and sounds. Either way at least MIN_SHARED keys must be shared, and
an article tagged with countries joins no story of only other countries: one day's
floods in Kazakhstan and in Kyrgyzstan, one week's two central banks' rate decisions
are two events. The article joins the best story whose score passes the threshold,
which rises with the days since the story's first report: a follow-up days later
needs more in common.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

from bot.news import keywords
from bot.news.countries import tag_countries
from bot.news.text import terms

# Bounds: what an article is compared with, and how much of it is read.
MAX_CANDIDATES = 12  # stories compared with one article (those sharing the rarest keys)
STORY_KEYS = 64  # words (per language) and names a story keeps: its most frequent
MAX_INDEX_KEYS = 48  # keys an article is indexed and looked up by
MAX_WORDS = 120  # stems an article keeps (most frequent): a long lede adds only noise
MAX_POSTINGS_PER_KEY = 64  # stories a key leads to (the newest)
MAX_POSTINGS = 400  # postings read for one article, its rarest keys first
LEDE_CHARS = 600  # of the body: news puts the event in its first sentences
NAME_CHARS = 1_500  # of the body read for names, numbers and countries (where the event is)

# Scores: tuned on tests/stories and the UCI headlines (bench/stories.py prints them),
# and checked on the seed pages (one outlet's distinct articles: nearly none may join).
# A score is a cosine against the story's summed counts, so it sits higher than one
# against a single article would: same-event reports ~0.3-0.6, other events < 0.25.
# Where precision and recall pull apart, precision wins: a wrong join hides a story
# from readers, a missed one shows it twice.
SAME_LANGUAGE_JOIN = 0.25  # fewer joins above it let distractors (same leader, same week) in
CROSS_LANGUAGE_JOIN = 0.15  # translations share fewer keys: names, numbers, sounds
THRESHOLD_PER_DAY = 0.30  # added per day past the first since the story's first report
WORDS_SHARE = 0.8  # within one language: words (they say what happened); the rest names
CROSS_NAMES_SHARE = 0.5  # across languages: names and numbers; the rest sounds
MIN_SHARED = 2  # keys an article and a story share at least: one word is no event
SOUND_LETTERS = 4  # of a stem's name key compared across languages (stems end unevenly)
PRIOR_ARTICLES = 500  # idf smoothing: the window counts as this many articles more
REWEIGH_EVERY = 50  # articles added before a story's norm is weighed anew (slow to change)

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_NAME = re.compile(r"(?<![\w'’])([A-ZА-ЯЁ][\w'’\-]*\w|[A-ZА-ЯЁ])")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f,]\d{3})+|\d+)(?:[.,](\d+))?(?![\w])")
# A day of a month ("March 10", "10 марта", "Nov. 3"): a date, shared by the day's news.
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
    r"|(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
)
_DATE = re.compile(rf"(?i)(?<!\w)(?:{_MONTH})\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{_MONTH})(?!\w)")
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
# capitalises it too.
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
FEATURES_VERSION = 2


@dataclass(frozen=True)
class Features:
    """What an article is compared by (plain data: stored as JSON with the article)."""

    language: str
    words: Mapping[str, int]  # title stems twice, lede stems once
    names: frozenset[str]  # name keys, numbers prefixed "#"
    at: float  # POSIX seconds: published, else first seen
    countries: frozenset[str] = frozenset()  # the countries it is about (bot.news.countries)

    @cached_property
    def sounds(self) -> dict[str, int]:
        """Its words as they sound, in any script: the first SOUND_LETTERS of each stem's
        name key, so that торугарт and torugart, консорциум and consortium meet."""
        found: dict[str, int] = {}
        for word, count in self.words.items():
            key = name_key(word)[:SOUND_LETTERS]
            if len(key) >= 3:
                found[key] = found.get(key, 0) + count
        return found

    def index_keys(self) -> list[str]:
        """The keys it is found by: its names and numbers, then its title's words."""
        title_words = sorted(self.words, key=lambda w: (-self.words[w], w))
        keys = sorted(self.names) + [f"w:{self.language}:{w}" for w in title_words]
        return keys[:MAX_INDEX_KEYS]

    @cached_property
    def lookup_keys(self) -> list[str]:
        """Its index keys, then its sound keys: looked up by `choose`, posted by `add`."""
        return self.index_keys() + self.sound_keys()

    def sound_keys(self) -> list[str]:
        """The keys it is found by in another language: its sounds, most frequent first."""
        sounds = sorted(self.sounds, key=lambda w: (-self.sounds[w], w))
        return [f"s:{s}" for s in sounds[:MAX_INDEX_KEYS]]

    def as_json(self) -> dict[str, object]:
        return {"l": self.language, "w": dict(self.words), "n": sorted(self.names),
                "t": self.at, "c": sorted(self.countries), "v": FEATURES_VERSION}  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Features:
        words = data.get("w") or {}
        names = data.get("n") or []
        countries = data.get("c") or []
        assert isinstance(words, dict) and isinstance(names, list) and isinstance(countries, list)
        at = data.get("t") or 0.0
        assert isinstance(at, int | float)
        language = str(data.get("l") or "en")
        return cls(language, dict(words), frozenset(names), float(at), frozenset(countries))


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
    title_case = bool(plain_title) and (len(title_words) / len(plain_title) >= TITLE_CASE_SHARE)
    chosen = set(body_names)
    for word, opens in title_words:
        # In a title-case headline a name is a word the body capitalises as well;
        # elsewhere any capitalised word past the first, and the first if the body has it.
        if (title_case or opens) and word not in body_names and not word.isupper():
            continue
        chosen.add(word)
    keys: set[str] = set()
    for word in chosen:
        if word.casefold() in _NOT_NAMES or keywords.stem(word) in _NOT_NAMES:
            continue
        # A hyphenated name is its parts: one outlet writes Кош-Тепа, another Qosh Tepa.
        keys.update(k for k in map(name_key, word.split("-")) if k)
    return keys


def features(title: str, body: str, language: str, at: float) -> Features:
    """What the article is compared by (`at`: POSIX seconds, published or first seen)."""
    words = Counter(terms(title, language) * 2 + terms(body[:LEDE_CHARS], language))
    if len(words) > MAX_WORDS:
        words = Counter(dict(sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_WORDS]))
    names = names_of(title, body) | numbers_of(title) | numbers_of(body[:NAME_CHARS])
    countries = frozenset(tag_countries(title, body[:NAME_CHARS]))
    return Features(language, dict(words), frozenset(names), at, countries)


# The region's commonplaces: the words of diplomacy and economics nearly every story
# of it has. A cold window (the first hours of a deployment, a quiet night) has not
# seen them often enough to know they are common, and two unrelated summits would
# meet on "Central Asia", "summit" and "cooperation"; so they count as found in
# COMMONPLACE_SHARE of the PRIOR_ARTICLES. A warm window's own counts add to this.
# Countries, capitals and leaders are not among them: "Costa in Astana" and "Costa in
# Tashkent" are two events told apart by the capital.
COMMONPLACE_SHARE = 0.2
_COMMONPLACE_EN = " ".join(
    (
        "Central Asia Asian region regional president minister ministry government",
        "cooperation talks meeting meet visit summit forum trade partnership relations",
        "strategic economic economy investment development project countries country",
        "international billion million percent year official said says state national republic",
    )
).split()
_COMMONPLACE_RU = " ".join(
    (
        "Центральная Азия регион региональный президент министр министерство правительство",
        "сотрудничество переговоры встреча визит саммит форум торговля партнерство отношения",
        "стратегический экономический экономика инвестиции развитие проект страна страны",
        "международный миллиард миллион процент год заявил сообщил государственный",
        "национальный республика",
    )
).split()


@lru_cache(maxsize=16)
def commonplace(part: str) -> Mapping[str, float]:
    """Pretend document counts of the region's commonplaces for one part of the
    features ("names", "sounds" or a language's words)."""
    count = COMMONPLACE_SHARE * PRIOR_ARTICLES
    words = [w for w in _COMMONPLACE_EN + _COMMONPLACE_RU]
    if part == "names":
        keys = {name_key(w) for w in words}
    elif part == "sounds":
        stems = terms(" ".join(_COMMONPLACE_EN)) + terms(" ".join(_COMMONPLACE_RU), "ru")
        keys = {name_key(stem)[:SOUND_LETTERS] for stem in stems}
    else:
        keys = set(terms(" ".join(_COMMONPLACE_RU if part == "ru" else _COMMONPLACE_EN), part))
    return {key: count for key in keys if key}


# The places nearly every report of the region names: across languages, sharing them
# is no evidence of one event (a Bishkek hospital and a Bishkek forum on one Monday).
_GEOGRAPHY_EN = " ".join(
    (
        "Kazakhstan Kyrgyzstan Tajikistan Turkmenistan Uzbekistan Afghanistan Russia China",
        "Central Asia Astana Almaty Bishkek Dushanbe Ashgabat Tashkent Kabul Moscow Beijing",
    )
).split()
_GEOGRAPHY_RU = " ".join(
    (
        "Казахстан Кыргызстан Киргизия Таджикистан Туркменистан Узбекистан Афганистан Россия",
        "Китай Центральная Азия Азии Астана Алматы Бишкек Душанбе Ашхабад Ташкент Кабул",
        "Москва Пекин",
    )
).split()


@lru_cache(maxsize=1)
def ordinary_keys() -> frozenset[str]:
    """The name and sound keys of the region's commonplaces: no evidence across languages
    either ("президент" and "president" share a sound, and every visit has one)."""
    return frozenset(commonplace("names").keys() | commonplace("sounds").keys())


@lru_cache(maxsize=1)
def geography() -> frozenset[str]:
    """The name and sound keys of the region's places (as `names_of` and `Features.sounds`
    make them)."""
    names = {name_key(word) for word in _GEOGRAPHY_EN + _GEOGRAPHY_RU}
    stems = terms(" ".join(_GEOGRAPHY_EN)) + terms(" ".join(_GEOGRAPHY_RU), "ru")
    return frozenset(names | {name_key(stem)[:SOUND_LETTERS] for stem in stems} - {""})


@lru_cache(maxsize=16)
def geography_words(language: str) -> frozenset[str]:
    """The word stems of the region's places in `language`'s rules."""
    places = _GEOGRAPHY_RU if language == "ru" else _GEOGRAPHY_EN
    return frozenset(terms(" ".join(places), language))


def idf(df: int, total: int) -> float:
    """How rare a key is in the window. PRIOR_ARTICLES pretend articles without the key
    smooth a cold window: in the first hour, a burst of one event's reports must not
    make that event's own words look common."""
    return math.log((total + PRIOR_ARTICLES + 1) / (df + 1))


class Story:
    """A story of the window, summed up: how many of its articles carry each word (per
    language) and each name or number, at most STORY_KEYS of each kept, the most
    frequent. Counts, not weights: they are weighed when compared, by the window as it
    is then."""

    __slots__ = ("countries", "first_at", "last_at", "names", "norms", "size", "sounds", "words")

    def __init__(self, first_at: float) -> None:
        self.first_at = first_at
        self.last_at = first_at
        self.size = 0
        self.words: dict[str, dict[str, float]] = {}  # language → stem → count
        self.names: dict[str, float] = {}
        self.sounds: dict[str, float] = {}  # of every language
        self.norms: dict[str, tuple[int, int, float]] = {}  # part → (stamp, size, norm²)
        self.countries: set[str] = set()  # of all its articles (at most the gazetteer's codes)

    def part(self, part: str) -> Mapping[str, float]:
        if part == "names":
            return self.names
        return self.sounds if part == "sounds" else self.words.get(part, {})

    def norm(self, part: str, window: Window) -> float:
        """The squared length of a part's weighed counts, kept until the story grows or
        the window's stamp changes (weighing all its keys for every article is slow)."""
        cached = self.norms.get(part)
        if cached is not None and cached[:2] == (window.stamp, self.size):
            return cached[2]
        prior = window.total + PRIOR_ARTICLES + 1
        df, usual = window.df(part), commonplace(part)
        norm = sum(
            (c * math.log(prior / (df.get(k, 0) + usual.get(k, 0.0) + 1))) ** 2
            for k, c in self.part(part).items()
        )
        self.norms[part] = (window.stamp, self.size, norm)
        return norm

    def add(self, article: Features) -> None:
        self.size += 1
        self.countries |= article.countries
        self.first_at = min(self.first_at, article.at)
        self.last_at = max(self.last_at, article.at)
        words = self.words.setdefault(article.language, {})
        for word, count in article.words.items():
            words[word] = words.get(word, 0.0) + count
        for name in article.names:
            self.names[name] = self.names.get(name, 0.0) + 1.0
        for sound, count in article.sounds.items():
            self.sounds[sound] = self.sounds.get(sound, 0.0) + count
        _cap(words, STORY_KEYS)
        _cap(self.names, STORY_KEYS)
        _cap(self.sounds, STORY_KEYS)


def _cap(counts: dict[str, float], keep: int) -> None:
    """Keep the `keep` most frequent keys (ties: alphabetical), dropping the rest."""
    if len(counts) > keep:
        kept = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]
        counts.clear()
        counts.update(kept)


# An article's counts of one part weighed by the window: key -> (count x idf, idf),
# and their squared length. Worked out once per article, not once per candidate.
Weights = tuple[dict[str, tuple[float, float]], float]


def _weighed(article: Mapping[str, float], part: str, window: Window) -> Weights:
    df, usual = window.df(part), commonplace(part)
    prior = window.total + PRIOR_ARTICLES + 1  # idf() inlined: this is the inner loop
    values, norm = {}, 0.0
    for key, count in article.items():
        weight = math.log(prior / (df.get(key, 0) + usual.get(key, 0.0) + 1))
        values[key] = (count * weight, weight)
        norm += (count * weight) ** 2
    return values, norm


def _cosine(weighed: Weights, story: Story, part: str, window: Window) -> tuple[float, list[str]]:
    """Cosine of the article's weighed counts of one `part` ("names", "sounds", or a
    language's words) and the story's, and the keys they share."""
    counts = story.part(part)
    values, norm = weighed
    dot = 0.0
    shared = []
    for key, (value, weight) in values.items():
        other = counts.get(key)
        if other is not None:
            dot += value * other * weight
            shared.append(key)
    if not dot:
        return 0.0, []
    return dot / math.sqrt(norm * story.norm(part, window)), shared


@dataclass(frozen=True)
class Window:
    """In how many of the window's `total` articles each key occurs: names and numbers
    in `names`, words per language in `words`, sounds in `sounds`."""

    names: Mapping[str, int]
    words: Mapping[str, Mapping[str, int]]
    sounds: Mapping[str, int]
    total: int
    stamp: int  # changes every REWEIGH_EVERY articles: stories' norms are weighed anew

    def df(self, part: str) -> Mapping[str, int]:
        if part == "names":
            return self.names
        return self.sounds if part == "sounds" else self.words.get(part, {})


def similarity(
    article: Features,
    story: Story,
    window: Window,
    weighed: dict[str, Weights] | None = None,
) -> float:
    """How surely the article reports the story's event, 0 to 1 (`weighed`: the
    article's weights, kept between the candidates of one `choose`).

    Within a language the story is written in, words and names count together
    (WORDS_SHARE); across languages names and sounds. Either way they must share
    MIN_SHARED keys beyond the region's commonplaces and geography: one word
    ("bankruptcy", "CEO") in common is no event, nor are "Bishkek" and "forum" (two
    forums in one capital), nor "президент" and "president". And an article about other
    countries than the story's (the tagger's, as readers see them) is not of its event.
    """
    if article.countries and story.countries and not article.countries & story.countries:
        return 0.0  # an event happens somewhere: two countries' rate decisions are two events
    cache = weighed if weighed is not None else {}

    def weights(part: str, counts: Mapping[str, float]) -> Weights:
        if part not in cache:
            cache[part] = _weighed(counts, part, window)
        return cache[part]

    names, shared_names = _cosine(
        weights("names", dict.fromkeys(article.names, 1.0)), story, "names", window
    )
    story_words = story.words.get(article.language)
    if not story_words:
        sounds, shared_sounds = _cosine(weights("sounds", article.sounds), story, "sounds", window)
        evidence = (set(shared_names) | set(shared_sounds)) - geography() - ordinary_keys()
        if len(evidence) < MIN_SHARED:
            return 0.0
        return CROSS_NAMES_SHARE * names + (1 - CROSS_NAMES_SHARE) * sounds
    words, shared_words = _cosine(
        weights(article.language, article.words), story, article.language, window
    )
    ordinary = commonplace(article.language).keys() | geography_words(article.language)
    evidence = {w for w in shared_words if w not in ordinary}
    evidence |= set(shared_names) - geography()
    if len(evidence) < MIN_SHARED:
        return 0.0
    if not article.names or not story.names:
        return words
    return WORDS_SHARE * words + (1 - WORDS_SHARE) * names


def threshold(article: Features, story: Story) -> float:
    """What the article must score to join: more the farther it is from the story's
    first report, past the first day (a follow-up days later is a story of its own)."""
    same = article.language in story.words
    days = abs(article.at - story.first_at) / 86_400
    base = SAME_LANGUAGE_JOIN if same else CROSS_LANGUAGE_JOIN
    return base + THRESHOLD_PER_DAY * max(0.0, days - 1.0)


class StoryIndex:
    """The window's stories in memory, bounded by the window: an article is forgotten
    once it is `window_seconds` older than the newest article seen, and a story once
    all its articles are. Postings lead from an index key to the stories whose
    articles carry it (the newest MAX_POSTINGS_PER_KEY of them)."""

    def __init__(self, window_seconds: float) -> None:
        self.window = window_seconds
        self.newest = -math.inf
        self.stories: dict[int, Story] = {}
        self.alive: dict[int, int] = {}  # story → its articles in the window
        self.postings: dict[str, dict[int, None]] = {}  # key → stories, newest last
        self.names_df: dict[str, int] = {}
        self.words_df: dict[str, dict[str, int]] = {}
        self.sounds_df: dict[str, int] = {}
        self.recent: list[tuple[float, int, int, Features]] = []  # heap: (at, n, story, …)
        self.added = 0
        self.next_story = 1

    # The window ---------------------------------------------------------------------

    def _count(self, article: Features, step: int) -> None:
        words_df = self.words_df.setdefault(article.language, {})
        for table, keys in (
            (self.names_df, article.names),
            (words_df, article.words),
            (self.sounds_df, article.sounds),
        ):
            for key in keys:
                count = table.get(key, 0) + step
                if count > 0:
                    table[key] = count
                else:
                    table.pop(key, None)
                    if table is self.names_df:
                        self.postings.pop(key, None)
                    elif table is words_df:
                        self.postings.pop(f"w:{article.language}:{key}", None)
                    else:
                        self.postings.pop(f"s:{key}", None)

    def _forget_before(self, since: float) -> None:
        while self.recent and self.recent[0][0] < since:
            _at, _n, story, article = heapq.heappop(self.recent)
            self._count(article, -1)
            self.alive[story] -= 1
            if not self.alive[story]:
                del self.alive[story], self.stories[story]

    def snapshot(self) -> Window:
        """The window as `similarity` reads it (shared, not copied)."""
        return Window(self.names_df, self.words_df, self.sounds_df, len(self.recent),
                      self.added // REWEIGH_EVERY)  # fmt: skip

    # Reading --------------------------------------------------------------------------

    def candidates(self, article: Features) -> list[int]:
        """Stories sharing an index key with the article, near it in time: those sharing
        the rarest keys (at most MAX_CANDIDATES; ties to the older story)."""
        total = len(self.recent)
        weighed = []
        words_df = self.words_df.get(article.language, {})
        for key in article.lookup_keys:
            if key in self.postings:
                if key.startswith("w:"):
                    df = words_df.get(key[len(article.language) + 3 :], 0)
                elif key.startswith("s:"):
                    df = self.sounds_df.get(key[2:], 0)
                else:
                    df = self.names_df.get(key, 0)
                weighed.append((df, key))
        weighed.sort()
        shared: dict[int, float] = {}
        read = 0
        for df, key in weighed:
            if read >= MAX_POSTINGS:
                break
            weight = idf(df, total)
            for story in itertools.islice(reversed(self.postings[key]), MAX_POSTINGS_PER_KEY):
                read += 1
                shared[story] = shared.get(story, 0.0) + weight
        near = [s for s in shared if s in self.stories and self._near(article, self.stories[s])]
        return sorted(near, key=lambda s: (-shared[s], s))[:MAX_CANDIDATES]

    def _near(self, article: Features, story: Story) -> bool:
        """Within a window of the story's first or last report."""
        return story.first_at - self.window <= article.at <= story.last_at + self.window

    def choose(self, article: Features) -> int | None:
        """The story the article joins, or None for a new one: of the candidates whose
        threshold its similarity passes, the one it passes by most (ties: lower id)."""
        window = self.snapshot()
        weighed: dict[str, Weights] = {}
        best: tuple[float, int] | None = None
        for story in self.candidates(article):
            candidate = self.stories[story]
            score = similarity(article, candidate, window, weighed)
            margin = score - threshold(article, candidate)
            if margin >= 0 and (best is None or (margin, -story) > (best[0], -best[1])):
                best = (margin, story)
        return None if best is None else best[1]

    # Writing --------------------------------------------------------------------------

    def add(self, article: Features, story: int, first_at: float | None = None) -> None:
        """Record an article of `story` (loading the window from the database, oldest
        first, or after `choose`)."""
        self.newest = max(self.newest, article.at)
        self._forget_before(self.newest - self.window)
        if article.at < self.newest - self.window:
            return  # older than the window: nothing to compare it with later
        summary = self.stories.get(story)
        if summary is None:
            summary = self.stories[story] = Story(article.at if first_at is None else first_at)
            self.alive[story] = 0
        summary.add(article)
        if first_at is not None:
            summary.first_at = min(summary.first_at, first_at)
        self.alive[story] += 1
        self.next_story = max(self.next_story, story + 1)
        for key in article.lookup_keys:
            stories = self.postings.setdefault(key, {})
            stories.pop(story, None)
            stories[story] = None
            if len(stories) > MAX_POSTINGS_PER_KEY:
                del stories[next(iter(stories))]
        self._count(article, +1)
        heapq.heappush(self.recent, (article.at, self.added, story, article))
        self.added += 1

    def assign(self, article: Features, new_story: Callable[[], int] | None = None) -> int:
        """The article's story: the one `choose` finds, else a new one (`new_story()`, or
        the next number); recorded with `add`."""
        story = self.choose(article)
        if story is None:
            if new_story is None:
                story, self.next_story = self.next_story, self.next_story + 1
            else:
                story = new_story()
        self.add(article, story)
        return story
