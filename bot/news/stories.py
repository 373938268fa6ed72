"""Stories: the articles of several outlets, in English or Russian, about one event.

Pure rules over plain data; `storage/stories.py` keeps the index and the stories.

An article's *features* are what two reports of one event share:
  - **words** (one language): the stems of its title, counted twice, and of its
    lede, without stop words;
  - **names** (any language): the people, places and organisations it names,
    reduced to a *name key* that English and Russian spellings share: Cyrillic
    is transliterated, then spelling differences are folded and the vowels
    dropped, so Жапаров, Жапарова and Japarov all give "jprv", Бишкеке and
    Bishkek "bshk";
  - **numbers** of 10 and more that are not years ("980 km", "980 километров",
    "4,2 млрд" and "4.2 billion" share "980" and "4.2").

An article is compared with the stories of the time window that share an *index
key* with it (a name, a number, a title stem), never with every stored article:
at most MAX_CANDIDATES stories, each by at most MAX_MEMBERS of its articles.
Each shared name, number or word weighs by how rare it is in the window (its
inverse document frequency), so "Kazakhstan" counts for little and "Rogun" for
much. Within one language the words and the names count together; across
languages the names and numbers alone. The article joins the best story whose
score passes the threshold, which rises with the hours between them: a
follow-up days later needs more in common than a second report the same day.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.news import keywords
from bot.news.text import terms

# Bounds: what an article is compared with, and how much of it is read.
MAX_CANDIDATES = 24  # stories compared with one article
MAX_MEMBERS = 8  # articles of a story compared (its newest)
MAX_INDEX_KEYS = 48  # keys an article is indexed and looked up by
MAX_TERMS = 160  # keys whose window frequency weighs an article
LEDE_CHARS = 600  # of the body: news puts the event in its first sentences
NAME_CHARS = 1_500  # of the body read for names and numbers

# Scores: tuned on tests/stories (bench/stories.py prints the figures).
SAME_LANGUAGE_JOIN = 0.30
CROSS_LANGUAGE_JOIN = 0.20
THRESHOLD_PER_DAY = 0.30  # added per day past the first since the story's first report
WORDS_SHARE = 0.5  # within one language: words; the rest names and numbers
MIN_SHARED_NAMES = 2  # across languages: one shared name (a leader) is not an event

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_NAME = re.compile(r"(?<![\w'’])([A-ZА-ЯЁ][\w'’\-]*\w|[A-ZА-ЯЁ])")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f,]\d{3})+|\d+)(?:[.,](\d+))?(?![\w])")
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+|[\n«\"“(]\s*|[—–-]\s+)$")
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
          ("w", "v"), ("q", "k"), ("x", "h"), ("c", "k"), ("ts", "s"))  # fmt: skip
_VOWELS = re.compile(r"[aeiouy]+")
# Russian case endings with a consonant in them (those of vowels alone vanish with
# the vowels), taken off a name of at least four letters: Snowball's stemmer cuts
# names unevenly (Жапаров → жапар, Жапарова → жапаров).
_CASE_ENDING = re.compile(
    r"(?<=\w{4})(?:ами|ями|ого|его|ому|ему|ыми|ими|ом|ем|ым|им|ой|ей|ах|ях|ых|их|ую)$"
)
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
            "министр министерств правительств парламент республик",
        )
    ).split()
)


@dataclass(frozen=True)
class Features:
    """What an article is compared by (plain data: stored as JSON with the article)."""

    language: str
    words: Mapping[str, int]  # title stems twice, lede stems once
    names: frozenset[str]  # name keys, numbers prefixed "#"
    at: float  # POSIX seconds: published, else first seen

    def index_keys(self) -> list[str]:
        """The keys it is found by: its names and numbers, then its title's words."""
        title_words = sorted(self.words, key=lambda w: (-self.words[w], w))
        keys = sorted(self.names) + [f"w:{self.language}:{w}" for w in title_words]
        return keys[:MAX_INDEX_KEYS]

    def as_json(self) -> dict[str, object]:
        return {"l": self.language, "w": dict(self.words), "n": sorted(self.names), "t": self.at}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Features:
        words = data.get("w") or {}
        names = data.get("n") or []
        assert isinstance(words, dict) and isinstance(names, list)
        at = data.get("t") or 0.0
        assert isinstance(at, int | float)
        return cls(str(data.get("l") or "en"), dict(words), frozenset(names), float(at))


@lru_cache(maxsize=65_536)
def name_key(word: str) -> str:
    """The key English and Russian spellings of one name share ("" for none)."""
    word = word.replace("’", "'").split("'")[0]  # Japarov's → Japarov
    if _CYRILLIC.search(word):  # Жапаровым → жапаров; a vowel ending goes with the vowels
        word = _CASE_ENDING.sub("", word.casefold().replace("ё", "е"))
    latin = unicodedata.normalize("NFKD", word.casefold().translate(_TRANSLIT))
    latin = "".join(c for c in latin if c.isascii() and c.isalpha())
    for spelled, folded in _FOLDS:
        latin = latin.replace(spelled, folded)
    if len(latin) < 3:
        return ""
    skeleton = _REPEATS.sub(r"\1", latin[0] + _VOWELS.sub("", latin[1:]))
    return skeleton if len(skeleton) >= 3 else latin


def numbers_of(text: str) -> set[str]:
    """Numbers of 10 and more, not years, as "980" or "4.2" (grouping and decimal comma folded)."""
    found = set()
    for whole, fraction in _NUMBER.findall(text):
        digits = re.sub(r"\D", "", whole)
        if fraction and len(fraction) == 3 and not re.search(r"\D", whole):
            digits, fraction = digits + fraction, ""  # "1,000": a thousands comma
        value = int(digits) if digits else 0
        if fraction:
            found.add(f"#{value}.{fraction.rstrip('0') or '0'}".rstrip("."))
        elif value >= 10 and not 1900 <= value <= 2100:
            found.add(f"#{value}")
    return found


def _capitalised(text: str) -> list[tuple[str, bool]]:
    """Capitalised words, each with whether it opens a sentence."""
    return [
        (m.group(1), bool(_SENTENCE_START.search(text[: m.start()]))) for m in _NAME.finditer(text)
    ]


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
    keys = set()
    for word in chosen:
        if word.casefold() in _NOT_NAMES or keywords.stem(word) in _NOT_NAMES:
            continue
        key = name_key(word)
        if key:
            keys.add(key)
    return keys


def features(title: str, body: str, language: str, at: float) -> Features:
    words = Counter(terms(title, language) * 2 + terms(body[:LEDE_CHARS], language))
    names = names_of(title, body) | numbers_of(title) | numbers_of(body[:NAME_CHARS])
    return Features(language, dict(words), frozenset(names), at)


def idf(df: int, total: int) -> float:
    """How rare a key is in the window: keys every article has weigh nearly nothing."""
    return math.log((1 + total) / (1 + df)) + 0.05


def term_keys(article: Features) -> list[str]:
    """Every key whose frequency in the window weighs the article: its names and
    numbers, and its words as "w:<language>:<stem>" (at most MAX_TERMS)."""
    words = sorted(article.words, key=lambda w: (-article.words[w], w))
    return (sorted(article.names) + [f"w:{article.language}:{w}" for w in words])[:MAX_TERMS]


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


@dataclass(frozen=True)
class Weighed:
    """An article's words and names weighed by their rarity in the window when it came,
    as unit vectors: stored with it, so comparing is one sum over shared keys."""

    language: str
    words: Mapping[str, float]
    names: Mapping[str, float]
    at: float

    def as_json(self) -> dict[str, object]:
        round4 = {k: round(v, 4) for k, v in self.words.items()}
        return {"l": self.language, "w": round4, "n": {k: round(v, 4) for k, v in
                self.names.items()}, "t": self.at}  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Weighed:
        words, names, at = data.get("w") or {}, data.get("n") or {}, data.get("t") or 0.0
        assert isinstance(words, dict) and isinstance(names, dict)
        assert isinstance(at, int | float)
        return cls(str(data.get("l") or "en"), words, names, float(at))


def weigh(article: Features, df: Mapping[str, int], total: int) -> Weighed:
    """`df`: in how many of the window's `total` articles each of `term_keys` occurs."""
    prefix = f"w:{article.language}:"
    words = {w: c * idf(df.get(prefix + w, 0), total) for w, c in article.words.items()}
    names = {n: idf(df.get(n, 0), total) for n in article.names}
    return Weighed(article.language, _unit(words), _unit(names), article.at)


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[k] for k, v in a.items() if k in b)


def similarity(a: Weighed, b: Weighed) -> float:
    """How surely two articles report one event, 0 to 1. Within one language words
    and names count together; across languages names and numbers alone, and only
    when at least MIN_SHARED_NAMES of them are shared."""
    names = _dot(a.names, b.names)
    if a.language != b.language:
        shared = len(a.names.keys() & b.names.keys())
        return names if shared >= MIN_SHARED_NAMES else 0.0
    words = _dot(a.words, b.words)
    if not a.names or not b.names:
        return words
    return WORDS_SHARE * words + (1 - WORDS_SHARE) * names


@dataclass(frozen=True)
class Candidate:
    """A story of the window: its first article's time and its newest articles."""

    story: int
    members: Sequence[Weighed]  # its newest MAX_MEMBERS articles
    first_at: float


def threshold(article: Weighed, story: Candidate) -> float:
    """What the article must score to join: more the longer after the story's first
    report, past the first day (a follow-up days later is a story of its own)."""
    same = any(m.language == article.language for m in story.members)
    late_days = max(0.0, (article.at - story.first_at) / 86_400 - 1.0)
    base = SAME_LANGUAGE_JOIN if same else CROSS_LANGUAGE_JOIN
    return base + THRESHOLD_PER_DAY * late_days


def choose_story(article: Weighed, candidates: Sequence[Candidate]) -> int | None:
    """The story the article joins, or None for a new one: the candidate whose
    threshold its best member similarity passes by most; ties go to the older story
    (lower id), so the answer does not depend on the order candidates come in."""
    best: tuple[float, int] | None = None
    for candidate in candidates[:MAX_CANDIDATES]:
        members = candidate.members[-MAX_MEMBERS:]
        if not members:
            continue
        score = max(similarity(article, member) for member in members)
        margin = score - threshold(article, candidate)
        if margin >= 0 and (best is None or (margin, -candidate.story) > (best[0], -best[1])):
            best = (margin, candidate.story)
    return None if best is None else best[1]


# Postings read for one article: its rarest keys first (they tell events apart), the
# newest articles of each, until MAX_POSTINGS in all.
MAX_POSTINGS_PER_KEY = 100
MAX_POSTINGS = 600


def rank_candidates(postings: Iterable[tuple[str, int]]) -> list[int]:
    """From (key, story) postings of the window's articles sharing an index key with
    the new one: the stories sharing the most keys (at most MAX_CANDIDATES; ties to
    the older story)."""
    shared: Counter[int] = Counter(story for _key, story in postings)
    return sorted(shared, key=lambda story: (-shared[story], story))[:MAX_CANDIDATES]


class MemoryIndex:
    """The window's stories in memory: what `storage.stories` does with tables, for the
    benchmark and the property tests, through the same `weigh`, `rank_candidates` and
    `choose_story`. Memory is bounded by the window: older articles are forgotten."""

    def __init__(self, window_seconds: float) -> None:
        self.window = window_seconds
        self.postings: dict[str, deque[tuple[float, int]]] = {}
        self.df: Counter[str] = Counter()
        self.recent: deque[tuple[float, list[str]]] = deque()  # (time, term keys), in order
        self.members: dict[int, list[Weighed]] = {}
        self.first_at: dict[int, float] = {}
        self.next_story = 1

    def _forget_before(self, since: float) -> None:
        while self.recent and self.recent[0][0] < since:
            _at, keys = self.recent.popleft()
            self.df.subtract(keys)

    def assign(self, article: Features) -> int:
        since = article.at - self.window
        self._forget_before(since)
        keys = article.index_keys()
        found: list[tuple[str, int]] = []
        for key in sorted(keys, key=lambda k: (self.df[k], k)):
            if len(found) >= MAX_POSTINGS:
                break
            postings = self.postings.get(key, ())
            newest = [postings[i] for i in range(max(0, len(postings) - MAX_POSTINGS_PER_KEY),
                                                 len(postings))]  # fmt: skip
            found.extend((key, story) for at, story in newest if at >= since)
        terms_ = term_keys(article)
        total = len(self.recent) + 1
        weighed = weigh(article, self.df, total)
        candidates = [
            Candidate(s, self.members[s][-MAX_MEMBERS:], self.first_at[s])
            for s in rank_candidates(found)
        ]
        story = choose_story(weighed, candidates)
        if story is None:
            story, self.next_story = self.next_story, self.next_story + 1
            self.members[story], self.first_at[story] = [], article.at
        self.members[story] = [*self.members[story][-MAX_MEMBERS + 1 :], weighed]
        for key in keys:
            self.postings.setdefault(key, deque(maxlen=MAX_POSTINGS_PER_KEY)).append(
                (article.at, story)
            )
        self.df.update(terms_)
        self.recent.append((article.at, terms_))
        return story
