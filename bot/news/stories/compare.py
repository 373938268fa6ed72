"""How surely an article reports a story's event: weighed counts compared (pure).

A story is kept as summed counts of its articles' words (per language), names and
sounds, at most STORY_KEYS of each. Counts are weighed when compared, by how rare each
key is in the window around the article then (idf, smoothed by PRIOR_ARTICLES so a cold
window's first burst does not make its own words common): "Kazakhstan" counts for
little and "Rogun" for much. The score is a cosine against the story's counts (no
chaining through one member). Within one language words and names count together
(WORDS_SHARE); across languages names, numbers and sounds (what happened among them:
`bot.news.stories.concepts`), and against a story told in both languages the better of
the two, each by its own bar. Either way at least
MIN_SHARED keys beyond the region's commonplaces must be shared, and an article tagged
with countries joins no story of only other countries: one day's floods in Kazakhstan
and in Kyrgyzstan, one week's two central banks' rate decisions are two events.

An article joins a story whose score passes its `threshold`, which rises with the days
between the article and the story's first report (a follow-up days later needs more in
common) and when the story already has a report of the article's own outlet (an outlet
rarely reports one event twice: only an update that says nearly the same joins).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping
from typing import NamedTuple, Protocol

from bot.news.gazetteer import CENTRAL_ASIA
from bot.news.stories import meaning
from bot.news.stories.aliases import implied_formats, is_bloc
from bot.news.stories.commonplace import (
    PRIOR_ARTICLES,
    commonplace,
    geography,
    geography_words,
    ordinary_keys,
)
from bot.news.stories.features import Features
from bot.news.stories.kinds import BEFORE_SUMMIT, MINISTERS, SUMMIT
from bot.news.stories.meaning import Vector

STORY_KEYS = 64  # words (per language) and names a story keeps: its most frequent
VOICED = "sounds:"  # the part of a story's sounds of its reports in one language: "sounds:ru"

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
# One outlet rarely reports one event twice, except as an update that says nearly the
# same: a second report of an outlet already in the story must score this much more.
SAME_OUTLET_MARGIN = 0.15
# Meaning (a sentence embedding's cosine against the story's) moves the keys' score by
# MEANING_WEIGHT for each unit it is above or below MEANING_NEUTRAL. Across languages,
# where the keys share little, it lifts a join the keys nearly make, holds back one they
# barely make, and may stand in for the shared keys MIN_SHARED asks for. Within one
# language it only lifts (`similarity`): there the keys read the whole report, the
# encoder only its title and lede, and two reports of one event often lead with
# different facts (an earthquake's magnitude, its damage: cosine 0.23).
MEANING_NEUTRAL = 0.45
MEANING_WEIGHT = 0.5
MEANING_WITHIN = True
MIN_CROSS_SHARED = 1
MEANING_SPAN = (0.15, 0.75)  # where meaning lies but for rare pairs (bench/stories.py)


class Counts(Protocol):
    """Key counts of a window: how many of its articles carry a key."""

    def get(self, key: str, default: int = 0, /) -> int: ...


class Window(Protocol):
    """The articles around one article's time, as similarity reads them."""

    @property
    def total(self) -> int: ...

    @property
    def key(self) -> object: ...  # equal for views with equal counts (stories' norms cache)

    def df(self, part: str) -> Counts: ...


def idf(df: int, total: int) -> float:
    """How rare a key is in the window. PRIOR_ARTICLES pretend articles without the key
    smooth a cold window: in the first hour, a burst of one event's reports must not
    make that event's own words look common."""
    return math.log((total + PRIOR_ARTICLES + 1) / (df + 1))


# Who met, as far as the tagger tells: a report about all five of the region's countries
# (a summit of the five, with or without a power) joins no story whose every report is
# about one or two of them (a state visit, a bilateral the day before, which names the
# summit ahead). Only that way round: a summit's report about one leader's proposal at
# it is still the summit's, and joins its story. A title that names the story's bloc
# outweighs the tags: the SCO summit's report about all five joins the SCO's story.
_FIVE = frozenset(CENTRAL_ASIA)


def _all_five(countries: Collection[str]) -> bool:
    return set(countries) >= _FIVE


def _one_or_two(countries: Collection[str]) -> bool:
    return 1 <= len(_FIVE & set(countries)) <= 2


def _blocs(names: frozenset[str]) -> set[str]:
    """The blocs and formats among an article's names."""
    return {name for name in names if is_bloc(name)}


def _homes_apart(article: Features, story: Story) -> bool:
    """Whether the article's title and the story's titles are about other countries, and
    neither text names the other's: the same kind of news from two countries (bread
    dearer in Dushanbe, and in Bishkek, both "on Kazakh wheat", so the countries the
    tagger reads in the whole texts meet). A title names one side of a bilateral, a
    joint project or a summit ("Parliament ratifies agreement with Uzbekistan",
    «Жогорку Кенеш ратифицировал…»), but then the text names the other side's country:
    measured on the sets tuned on (bench/stories.py --tuning), keeping apart titles of
    other countries alone lost recall on those (fixtures 0.940 -> 0.917, crowded cases
    0.880 -> 0.859); this way round none, and the crowded cases' precision went from
    0.933 to 0.988."""
    if not article.homes or not story.homes or article.homes & story.homes:
        return False
    return not (article.countries | article.homes) & story.homes and not (
        story.countries & article.homes
    )


def _who_met_apart(article: Features, five: bool, named: Collection[str], story: Story) -> bool:
    """Whether a report about all five and one about one or two of them are apart by who
    met: unless the first names the second's bloc in its title, they are one event only
    when the report about all five came first (a leader's proposal at the summit, after
    it opened); a report about one or two before it is another meeting (the bilateral of
    the day before). Read by time, not by arrival, so either order gives the same. Only
    where a meeting is on either side (a summit or ministers, by rank): an explainer of a
    two-country pipeline deal names all five countries its route crosses (measured on
    tests/stories/angles_cases.jsonl: recall 0.777 -> 0.804, the other sets tuned on
    unchanged)."""
    if not (article.rank or story.ranks[SUMMIT] or story.ranks[MINISTERS]):
        return False
    if five and _one_or_two(story.countries):
        return article.at >= story.first_at and not story.title_blocs.intersection(named)
    if _one_or_two(article.countries) and _all_five(story.countries):
        return article.at < story.first_at and not article.blocs & _named_blocs(story)
    return False


# Ranks of two meetings: the foreign ministers' and the summit they prepare; talks held
# ahead of a summit (named as their time) and the summit.
_OTHER_RANKS = {
    MINISTERS: (SUMMIT,), SUMMIT: (MINISTERS, BEFORE_SUMMIT), BEFORE_SUMMIT: (SUMMIT,)
}


def _other_rank(rank: str, ranks: Counter[str]) -> bool:
    """Whether a report of one meeting and a story of the other (`_OTHER_RANKS`: foreign
    ministers and the summit, talks ahead of a summit and the summit) are of two
    meetings: so when none of the story's reports is of the article's rank, and some
    are of the other."""
    others = _OTHER_RANKS.get(rank, ())
    return any(ranks[other] > 0 for other in others) and ranks[rank] == 0


def _named_blocs(story: Story) -> set[str]:
    """The blocs and formats a story names: those its articles name, and, for a story
    about all five of the region's countries, the formats of the powers it names (its
    English reports may write "the EU and Central Asia", its Russian ones the format)."""
    if not _all_five(story.countries):
        return story.blocs
    return story.blocs | implied_formats(story.names.keys())


class Story:
    """A story summed up: how many of its articles carry each word (per language) and
    each name or number, at most STORY_KEYS of each kept, the most frequent. Counts, not
    weights: they are weighed when compared, by the window as it is then."""

    __slots__ = ("blocs", "countries", "first_at", "homes", "kinds", "last_at", "meaning",
                 "names", "norms", "outlets", "places", "ranks", "scores", "size", "sounds",
                 "title_blocs", "voiced", "words")  # fmt: skip

    def __init__(self, first_at: float) -> None:
        self.first_at = first_at
        self.last_at = first_at
        self.size = 0
        self.words: dict[str, dict[str, float]] = {}  # language → stem → count
        self.names: dict[str, float] = {}
        self.sounds: dict[str, float] = {}  # of every language
        self.voiced: dict[str, dict[str, float]] = {}  # language → its reports' sounds
        self.norms: dict[str, tuple[object, int, float]] = {}  # part → (window, size, norm²)
        self.countries: set[str] = set()  # of all its articles (at most the gazetteer's codes)
        self.places: set[str] = set()  # the provinces its articles name (places.py)
        self.homes: set[str] = set()  # the countries its titles are about (`_homes_apart`)
        self.outlets: set[str] = set()  # who reported it (one outlet, one report: threshold)
        self.kinds: Counter[str] = Counter()  # what sort of reports (bot.news.stories.kinds)
        self.meaning: Vector | None = None  # its articles' unit vectors summed (None: none)
        self.blocs: set[str] = set()  # the blocs any of its articles names
        self.title_blocs: set[str] = set()  # those its titles name: whose meeting it is
        self.ranks: Counter[str] = Counter()  # who met, by rank (kinds.meeting_rank)
        self.scores: set[str] = set()  # its match reports' scores (kinds.match_scores)

    @property
    def kind(self) -> str:
        """What sort of report most of its articles are (ties: the happening itself)."""
        return max(self.kinds, key=lambda k: (self.kinds[k], k == ""), default="")

    def part(self, part: str) -> Mapping[str, float]:
        """A part's counts: "names", "sounds" (of every language), "sounds:ru" (of its
        reports in one language), or a language's words."""
        if part == "names":
            return self.names
        if part.startswith(VOICED):
            return self.voiced.get(part.removeprefix(VOICED), {})
        return self.sounds if part == "sounds" else self.words.get(part, {})

    def norm(self, part: str, window: Window) -> float:
        """The squared length of a part's weighed counts, kept while the story and the
        window stay as they are (weighing all its keys for every article is slow)."""
        cached = self.norms.get(part)
        if cached is not None and cached[:2] == (window.key, self.size):
            return cached[2]
        prior = window.total + PRIOR_ARTICLES + 1
        counted = "sounds" if part.startswith(VOICED) else part
        df, usual = window.df(counted), commonplace(counted)
        norm = 0.0
        for key, count in self.part(part).items():
            norm += (count * math.log(prior / (df.get(key, 0) + usual.get(key, 0.0) + 1))) ** 2
        self.norms[part] = (window.key, self.size, norm)
        return norm

    def add(self, article: Features) -> None:
        self.size += 1
        self.countries |= article.countries
        self.places |= article.places
        self.homes |= article.homes
        self.outlets.add(article.outlet)
        self.kinds[article.kind] += 1
        self.blocs |= _blocs(article.names)
        self.title_blocs |= article.blocs
        self.ranks[article.rank] += 1
        self.scores |= article.scores
        if article.meaning:
            self.add_meaning(article.meaning)
        self.first_at = min(self.first_at, article.at)
        self.last_at = max(self.last_at, article.at)
        words = self.words.setdefault(article.language, {})
        for word, count in article.words.items():
            words[word] = words.get(word, 0.0) + count
        for name in article.names:
            self.names[name] = self.names.get(name, 0.0) + 1.0
        voiced = self.voiced.setdefault(article.language, {})
        for sound, count in article.sounds.items():
            self.sounds[sound] = self.sounds.get(sound, 0.0) + count
            voiced[sound] = voiced.get(sound, 0.0) + count
        _cap(words, STORY_KEYS)
        _cap(self.names, STORY_KEYS)
        _cap(self.sounds, STORY_KEYS)
        _cap(voiced, STORY_KEYS)

    def add_meaning(self, vector: bytes) -> None:
        unit = meaning.unit(vector)
        self.meaning = unit if self.meaning is None else self.meaning + unit


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


class Keys(NamedTuple):
    """How an article and a story compare by their keys, before meaning."""

    score: float
    enough: bool  # whether they share MIN_SHARED keys: the score stands without meaning
    across: bool = False  # compared across languages (names and sounds)
    shared: int = 0  # keys shared beyond the region's places and commonplaces


def compare_keys(
    article: Features,
    story: Story,
    window: Window,
    weighed: dict[str, Weights] | None = None,
) -> Keys | None:
    """The keys' score; None where the article cannot be of the story's event, whatever
    it means (`weighed`: the article's weights, kept between the candidates of one
    `choose`).

    Within a language the story is written in, words and names count together
    (WORDS_SHARE); across languages names and sounds. Either way they must share
    MIN_SHARED keys beyond the region's commonplaces and geography: one word
    ("bankruptcy", "CEO") in common is no event, nor are "Bishkek" and "forum" (two
    forums in one capital), nor "президент" and "president"; across languages meaning
    may stand in for them. An article about other countries than the story's (the
    tagger's, as readers see them), a report about all five of the region's countries
    when every report of the story is about one or two (`_all_five`), a report of
    another sort (a plan, a meeting beside it, a view), or one whose title names a bloc
    (CIS, SCO) the story never names, or the reverse, or only other blocs than its
    titles do, is not of its event.
    """
    if article.countries and story.countries and not article.countries & story.countries:
        return None  # an event happens somewhere: two countries' rate decisions are two events
    if article.places and story.places and not article.places & story.places:
        return None  # and in one province: mudflows in Osh region and in Batken region
    if _homes_apart(article, story):
        return None  # and in one country: bread dearer in Dushanbe and in Bishkek
    five = _all_five(article.countries)
    # The blocs it names, and a report about all five names the format of each power it
    # names: "EU and Central Asia", «Токаев принял глав МИД Китая и стран ЦА».
    named = article.blocs | _blocs(article.names)
    if five:
        named |= implied_formats(article.names)
    if _who_met_apart(article, five, named, story):
        return None  # the region's summit is not the state visit of the day before
    if article.kind != story.kind:
        return None  # "to visit next week" is not the visit, nor a sideline meeting the summit
    if _other_rank(article.rank, story.ranks):
        return None  # the foreign ministers' meeting ahead of a summit is not the summit
    if article.scores and story.scores and not article.scores & story.scores:
        return None  # a cup's final is not its third-place match: their scores differ
    if article.blocs - _named_blocs(story) or story.title_blocs - named:
        return None  # a CIS summit is not the Russia–Central Asia summit of the day before
    if article.blocs and story.title_blocs and not article.blocs & story.title_blocs:
        return None  # whose meeting each is, by their titles: even when each names the other
    cache = weighed if weighed is not None else {}

    def weights(part: str, counts: Mapping[str, float]) -> Weights:
        if part not in cache:
            cache[part] = _weighed(counts, part, window)
        return cache[part]

    names, shared_names = _cosine(
        weights("names", dict.fromkeys(article.names, 1.0)), story, "names", window
    )

    def across(part: str) -> Keys:
        """Against the story's sounds of `part`: names and sounds, as across languages."""
        sounds, shared_sounds = _cosine(weights("sounds", article.sounds), story, part, window)
        evidence = (set(shared_names) | set(shared_sounds)) - geography() - ordinary_keys()
        score = CROSS_NAMES_SHARE * names + (1 - CROSS_NAMES_SHARE) * sounds
        return Keys(score, len(evidence) >= MIN_SHARED, across=True, shared=len(evidence))

    if not story.words.get(article.language):
        return across("sounds")
    words, shared_words = _cosine(
        weights(article.language, article.words), story, article.language, window
    )
    ordinary = commonplace(article.language).keys() | geography_words(article.language)
    evidence = {w for w in shared_words if w not in ordinary}
    evidence |= set(shared_names) - geography()
    within = None
    if len(evidence) >= MIN_SHARED:
        shares = article.names and story.names
        within = WORDS_SHARE * words + (1 - WORDS_SHARE) * names if shares else words
    # A story told in two languages: the article may say what its other-language reports
    # say better than what those of its own do (the Russian report of the damage, when
    # the story's Russian ones gave the magnitude). Compared with those as across
    # languages, its margin over the cross-language bar counts as one over the bar of
    # its own language.
    best = within
    for other in story.words.keys() - {article.language}:
        keys = across(VOICED + other)
        lifted = keys.score + SAME_LANGUAGE_JOIN - CROSS_LANGUAGE_JOIN
        if keys.enough and (best is None or lifted > best):
            best = lifted
    return None if best is None else Keys(best, True)


def similarity(
    article: Features,
    story: Story,
    window: Window,
    weighed: dict[str, Weights] | None = None,
) -> float:
    """How surely the article reports the story's event, 0 to 1: the keys' score
    (`compare_keys`), moved by meaning (MEANING_WEIGHT, clamped to MEANING_SPAN; within
    one language only up: `_lowest_meaning`) only where meaning may decide the join
    (`meaning_may_decide`), so a decision never depends on which meanings happen to be
    encoded: only on the articles. Where meaning may decide, both sides must have it
    (`StoryIndex.decide` sees to it)."""
    keys = compare_keys(article, story, window, weighed)
    if keys is None:
        return 0.0
    meant = _meaning(article, story)
    if meant is None or not meaning_may_decide(keys, threshold(article, story)):
        return keys.score if keys.enough else 0.0
    meant = min(max(meant, _lowest_meaning(keys)), MEANING_SPAN[1])
    return max(0.0, keys.score + MEANING_WEIGHT * (meant - MEANING_NEUTRAL))


def _lowest_meaning(keys: Keys) -> float:
    """The least meaning counts as: MEANING_SPAN's floor across languages; within one
    language MEANING_NEUTRAL, so a lede that reads unlike the story's never holds back a
    join the keys make over the whole text. Measured on the tuning sets (bench/stories.py
    --tuning): the hard cases' recall went from 0.836 to 0.910 (precision 0.963 to
    0.966); the fixtures stayed at 0.967 / 0.940; the UCI headlines' B-cubed precision
    went from 0.973 to 0.970, their recall from 0.424 to 0.416."""
    return MEANING_SPAN[0] if keys.across else MEANING_NEUTRAL


def _meaning_applies(keys: Keys) -> bool:
    """Meaning moves a score where the keys found something: within a language they
    share MIN_SHARED keys; across languages at least one beyond the region's places (a
    Bishkek hospital and a Bishkek airport share only the city)."""
    return keys.shared >= MIN_CROSS_SHARED if keys.across else MEANING_WITHIN


def meaning_may_decide(keys: Keys | None, needed: float) -> bool:
    """Whether meaning could move the keys' score across `needed` (the threshold): only
    then is it worth encoding (StoryIndex.encode). Meaning is taken to lie within
    MEANING_SPAN: one event's reports rarely reach beyond 0.75, other events below 0.15."""
    if keys is None or not _meaning_applies(keys):
        return False
    lowest = keys.score + MEANING_WEIGHT * (_lowest_meaning(keys) - MEANING_NEUTRAL)
    highest = keys.score + MEANING_WEIGHT * (MEANING_SPAN[1] - MEANING_NEUTRAL)
    if not keys.enough:
        # Across languages with too few shared keys only meaning can make the join, so it
        # decides wherever it could lift the score past the threshold: a high score with
        # one shared name must not be refused where a lower one would be weighed.
        return needed <= highest
    return lowest < needed <= highest


def _meaning(article: Features, story: Story) -> float | None:
    """The cosine of the article's meaning and the story's; None where either has none."""
    if not article.meaning or story.meaning is None:
        return None
    return meaning.cosine(meaning.unit(article.meaning), story.meaning)


def threshold(article: Features, story: Story) -> float:
    """What the article must score to join: more the farther it is from the story's
    first report, past the first day (a follow-up days later is a story of its own),
    and more if its outlet has reported the story already (only an update joins)."""
    same = article.language in story.words
    # The days the story would span with the article, whichever came first: the same
    # for an article after the story's reports as for one stored before them.
    days = (max(article.at, story.last_at) - min(article.at, story.first_at)) / 86_400
    base = SAME_LANGUAGE_JOIN if same else CROSS_LANGUAGE_JOIN
    if article.outlet in story.outlets:
        base += SAME_OUTLET_MARGIN
    return base + THRESHOLD_PER_DAY * max(0.0, days - 1.0)
