"""An article's features: what it is compared by (plain data, stored as JSON with it).

  - **words** (one language): the stems of its title, counted twice, and of its
    lede, without stop words;
  - **names** (any language): name keys and numbers (`bot.news.stories.keys`);
  - **sounds**: each word stem's name key cut to SOUND_LETTERS, so торугарт and
    torugart, консорциум and consortium meet across scripts, and the concept of each
    word that names what happened (`bot.news.stories.concepts`), so "detained" and
    «задержан» meet too;
  - **countries**: those the tagger finds (the readers' countries), **homes**: those it
    finds in the title alone, and **places**: the provinces its title names
    (`bot.news.stories.places`);
  - **kind**: what sort of report it is (`bot.news.stories.kinds`);
  - **meaning**: a sentence embedding of its title and lede (`bot.news.stories.meaning`),
    encoded in batches when ingest prepares the article (`bot.news.articles`; `text`
    keeps what it is read from, for rows stored without one);
  - **outlet** and **time**: who reported it, and when (published, else first seen).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from bot.news.countries import tag_countries
from bot.news.stories.aliases import BLOCS, formats_of, full_names_of
from bot.news.stories.concepts import concept_of
from bot.news.stories.keys import NAME_CHARS, entity_key, name_key, names_of, numbers_of
from bot.news.stories.kinds import (
    SUMMIT,
    first_sentence,
    match_scores,
    meeting_rank,
    report_kind,
    summits_named,
)
from bot.news.stories.meaning import meaning_text
from bot.news.stories.places import places_of
from bot.news.text import terms

MAX_INDEX_KEYS = 48  # keys an article is indexed and looked up by
MAX_WORDS = 120  # stems an article keeps (most frequent): a long lede adds only noise
LEDE_CHARS = 600  # of the body: news puts the event in its first sentences
SOUND_LETTERS = 4  # of a stem's name key compared across languages (stems end unevenly)

_WORD = re.compile(r"[\w.]+")  # U.S., EU, СНГ
# The EU itself, or one of its institutions, in a title: the adjective alone ("European
# run", «европейские рынки») names no bloc that met.
_EU_ITSELF = re.compile(
    r"\b(?:EU|European\s+(?:Union|Commission|Council|Parliament))\b"
    r"|(?<!\w)(?:ЕС|Евросоюз\w*|Евросовет\w*|Еврокомисси\w*|Европарламент\w*"
    r"|[Ее]вропейск\w+\s+(?:союз|комисси|совет|парламент)\w*)(?!\w)"
)

# Features are stored with their article. Whenever `features` changes what it finds (a
# name's key, the words kept), this number goes up, and stored features of another
# version are computed anew from the article's text when the window is loaded: a story's
# old reports and new ones must be read by the same rules.
FEATURES_VERSION = 21


@dataclass(frozen=True)
class Features:
    """What an article is compared by."""

    language: str
    words: Mapping[str, int]  # title stems twice, lede stems once
    names: frozenset[str]  # name keys, numbers prefixed "#"
    at: float  # POSIX seconds: published, else first seen
    countries: frozenset[str] = frozenset()  # the countries it is about (bot.news.countries)
    outlet: str = ""  # the catalog's outlet or a source's key; "" for snapshot pages
    kind: str = ""  # bot.news.stories.kinds: "" the happening itself, "plan", "beside", "view"
    meaning: bytes = b""  # bot.news.stories.meaning: its vector, b"" until encoded
    blocs: frozenset[str] = frozenset()  # blocs its title names (aliases.BLOCS): what met
    text: str = ""  # what its meaning is read from (meaning.meaning_text), encoded when needed
    rank: str = ""  # kinds.meeting_rank: "ministers", "summit", "before" or "" (who met)
    places: frozenset[str] = frozenset()  # provinces its title names (places.py)
    homes: frozenset[str] = frozenset()  # the countries its title alone is about (tagger's)
    scores: frozenset[str] = frozenset()  # a match report's scores (kinds.match_scores)

    @cached_property
    def sounds(self) -> dict[str, int]:
        """Its words as they sound, in any script, and what they say happened in either
        language (`bot.news.stories.concepts`: "~arrest" for "detained" and «задержан»)."""
        found: dict[str, int] = {}
        for word, count in self.words.items():
            key = name_key(word)[:SOUND_LETTERS]
            if len(key) >= 3:
                found[key] = found.get(key, 0) + count
            concept = concept_of(word, self.language)
            if concept is not None:
                found[concept] = found.get(concept, 0) + count
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
                "t": self.at, "c": sorted(self.countries), "o": self.outlet, "k": self.kind,
                "e": base64.b64encode(self.meaning).decode(), "b": sorted(self.blocs),
                "x": self.text, "r": self.rank, "p": sorted(self.places),
                "h": sorted(self.homes), "s": sorted(self.scores),
                "v": FEATURES_VERSION}  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Features:
        words = data.get("w") or {}
        names = data.get("n") or []
        countries = data.get("c") or []
        blocs = data.get("b") or []
        places = data.get("p") or []
        homes = data.get("h") or []
        scores = data.get("s") or []
        assert isinstance(words, dict) and isinstance(names, list) and isinstance(countries, list)
        assert isinstance(blocs, list) and isinstance(places, list) and isinstance(homes, list)
        assert isinstance(scores, list)
        at = data.get("t") or 0.0
        assert isinstance(at, int | float)
        language = str(data.get("l") or "en")
        outlet, kind = str(data.get("o") or ""), str(data.get("k") or "")
        return cls(language, dict(words), frozenset(names), float(at), frozenset(countries),
                   outlet, kind, stored_meaning(data), frozenset(blocs),
                   str(data.get("x") or ""), str(data.get("r") or ""),
                   frozenset(places), frozenset(homes), frozenset(scores))  # fmt: skip


def stored_meaning(data: Mapping[str, object]) -> bytes:
    """The meaning stored with features (of any version), b"" if none or damaged."""
    try:
        return base64.b64decode(str(data.get("e") or ""), validate=True)
    except (binascii.Error, ValueError):
        return b""  # a damaged vector: compared by its keys alone


def _blocs_named(text: str) -> frozenset[str]:
    """The blocs and formats `text` (a title, a phrase) names."""
    blocs = frozenset(key for key in map(entity_key, _WORD.findall(text)) if key in BLOCS)
    if not _EU_ITSELF.search(text):  # "Kairat's European run" is no meeting of the EU
        blocs -= {"=eu"}
    return blocs | formats_of(text) | full_names_of(text)


# How far around a summit's mention its bloc is named: "the SCO summit", "a two-day
# summit of the Shanghai Cooperation Organization", «саммит ШОС».
SUMMIT_BLOC_BEFORE = 40
SUMMIT_BLOC_AFTER = 60


def _summits_bloc(sentence: str) -> frozenset[str]:
    """Whose summit a report is, when its title names no bloc ("Putin, Modi and Xi gather
    in Kyrgyzstan for security bloc summit"): the one bloc named beside the summits its
    first sentence names as such ("... for a two-day summit of the Shanghai Cooperation
    Organization"), not as the time of something else ("a day before the capital hosts a
    summit of the SCO": another summit of that week and city). None if not one."""
    named: set[str] = set()
    for start, end in summits_named(sentence):
        phrase = sentence[max(0, start - SUMMIT_BLOC_BEFORE) : end + SUMMIT_BLOC_AFTER]
        named |= _blocs_named(phrase)
    return frozenset(named) if len(named) == 1 else frozenset()


def features(
    title: str,
    body: str,
    language: str,
    at: float,
    outlet: str = "",
    countries: frozenset[str] | None = None,
) -> Features:
    """What the article is compared by (`at`: POSIX seconds, published or first seen;
    `countries`: the tagger's on the title and the first NAME_CHARS of the body, if the
    caller has them already)."""
    words = Counter(terms(title, language) * 2 + terms(body[:LEDE_CHARS], language))
    if len(words) > MAX_WORDS:
        words = Counter(dict(sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_WORDS]))
    names = names_of(title, body) | numbers_of(title) | numbers_of(body[:NAME_CHARS])
    names |= formats_of(f"{title}\n{body[:NAME_CHARS]}")
    names |= full_names_of(f"{title}\n{body[:NAME_CHARS]}")
    if countries is None:
        countries = frozenset(tag_countries(title, body[:NAME_CHARS]))
    kind = report_kind(title, body)
    rank = meeting_rank(title, body)
    blocs = _blocs_named(title)
    if not blocs and rank == SUMMIT:
        blocs = _summits_bloc(first_sentence(body))
    text = meaning_text(title, body)
    return Features(
        language, dict(words), frozenset(names), at, countries, outlet, kind, b"", blocs, text,
        rank, places_of(title), frozenset(tag_countries(title, "")), match_scores(title, body),
    )
