"""What a searched word also matches (pure): the other names of its country and people
in both languages, the name key English and Russian spellings share, its number.

A reader types "kyrgyz" for a story that says Kyrgyzstan, «кыргызский» for one that says
Кыргызстан, "rahmon" for one in Russian that says Рахмона. Each searched word becomes
a group of alternatives (`bot.search.query.Group`); a story matches the word if any
article of it holds any alternative.

  - **Countries and peoples**: a word of a country's family (its name, its people, its
    adjective, in English or Russian) matches every word of that family. English words
    are matched as stems, Russian ones as the beginnings of words («казах» matches
    Казахстан, казахский, казахстанцы): Russian builds them all on one root.
  - **Names across scripts**: the index holds each article's name keys as tokens "nk"
    + key (`bot.search.documents`), so a word's key (`bot.news.stories.keys.name_key`:
    Жапарова and japarov both "jprv") finds the articles of the other script that name
    it.
  - **Numbers**: an article's numbers are indexed as "nm" + the number with its
    grouping folded ("5,000" and "5 000" are "nm5000"), so "5000" finds them.
  - **What happened**: a word that names an event's concept
    (`bot.news.stories.concepts`: "detained", «задержан», "arrested") is indexed as
    "cc" + the concept too, so "earthquake" finds «землетрясение» and "detained" finds
    "arrested".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from bot.news import keywords
from bot.news.stories.concepts import PREFIX as CONCEPT_PREFIX
from bot.news.stories.concepts import concept_of_stem
from bot.news.stories.keys import entity_key

NAME_TOKEN = "nk"  # an indexed name key: "nk" + key
NUMBER_TOKEN = "nm"  # an indexed number: "nm" + digits ("p" for a decimal point)
CONCEPT_TOKEN = "cc"  # an indexed concept: "cc" + concept ("ccearthquake")
MIN_NAME_KEY = 3  # a shorter key tells too little (two consonants)

# Country and people: English words (as written), Russian roots, Russian acronyms.
_FAMILIES: dict[str, tuple[str, str, str]] = {
    "KZ": ("kazakhstan kazakh kazakhs kazakhstani kazakhstanis", "казах", "рк"),
    "KG": ("kyrgyzstan kyrgyz kirgiz kirghiz kyrgyzstani", "кыргыз киргиз", "кр"),
    "TJ": ("tajikistan tajik tajiks tajikistani", "таджик", "рт"),
    "TM": ("turkmenistan turkmen turkmens turkmenistani turkmenia", "туркмен", ""),
    "UZ": ("uzbekistan uzbek uzbeks uzbekistani", "узбек", "руз"),
    "AF": ("afghanistan afghan afghans", "афган", "ига"),
    "RU": ("russia russian russians", "росс", "рф"),  # россия: stem "росс"
    "CN": ("china chinese", "кит", "кнр"),  # китая: stem "кит"
}


@lru_cache(maxsize=1)
def _families() -> dict[str, tuple[frozenset[str], tuple[str, ...], frozenset[str]]]:
    """family → (English stems, Russian roots, Russian acronyms)."""
    return {
        code: (
            frozenset(keywords.stem(word) for word in english.split()),
            tuple(roots.split()),
            frozenset(acronyms.split()),
        )
        for code, (english, roots, acronyms) in _FAMILIES.items()
    }


def family_of(word: str) -> str | None:
    """The country family a word belongs to, in either language; None for none."""
    folded = word.casefold().replace("ё", "е")
    stem = keywords.stem(folded)
    for code, (english, roots, acronyms) in _families().items():
        if stem in english or folded in acronyms:
            return code
        if any(folded.startswith(root) for root in roots):
            return code
    return None


def family_forms(code: str) -> tuple[tuple[str, bool], ...]:
    """(stem, as a prefix) of every word of the family."""
    english, roots, acronyms = _families()[code]
    found = [(stem, False) for stem in sorted(english)]
    found += [(root, True) for root in roots]  # a root is shorter than its words' stems
    found += [(acronym, False) for acronym in sorted(acronyms)]
    return tuple(dict.fromkeys(found))


def name_token(word: str) -> str | None:
    """The index token of the word's name key ("nk" + key), None if too short to tell."""
    return key_token(entity_key(word))


def key_token(key: str) -> str | None:
    """The index token of a name key; None for one too short to tell names apart."""
    key = key.removeprefix("=")
    if len(key) < MIN_NAME_KEY or not key.isascii() or not key.isalpha():
        return None
    return NAME_TOKEN + key


def number_token(number: str) -> str:
    """The index token of a number as `bot.news.stories.keys.numbers_of` gives it."""
    return NUMBER_TOKEN + number.lstrip("#").replace(".", "p")




def concept_token(stem: str) -> str | None:
    """The index token of the concept a search stem names ("ccarrest"), None for none."""
    concept = concept_of_stem(stem)
    return None if concept is None else CONCEPT_TOKEN + concept.removeprefix(CONCEPT_PREFIX)


def concept_tokens(stems: Iterable[str]) -> list[str]:
    """The concept tokens of an article's search stems, each once, in order (each stem
    looked up once: an article's stems repeat, half of them on average)."""
    found = map(concept_token, dict.fromkeys(stems))
    return list(dict.fromkeys(t for t in found if t is not None))
