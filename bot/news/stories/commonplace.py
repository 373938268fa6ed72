"""The region's commonplaces and places: words and names that tell no event apart.

Nearly every report from Central Asia names its countries and capitals and speaks of
presidents, cooperation and summits. Sharing them is no evidence that two reports
are of one event; `bot.news.stories.compare` weighs them down and does not count
them as shared evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from bot.news.stories.aliases import COUNTRY_ALIASES
from bot.news.stories.features import SOUND_LETTERS
from bot.news.stories.keys import entity_key, name_key
from bot.news.text import terms

PRIOR_ARTICLES = 500  # idf smoothing: the window counts as this many articles more

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
        # How every meeting is told: who met, that they discussed and agreed.
        "leader leaders head heads met held hold holds discussed discuss agreed joint statement",
        "delegation sides",
    )
).split()
_COMMONPLACE_RU = " ".join(
    (
        "Центральная Азия регион региональный президент министр министерство правительство",
        "сотрудничество переговоры встреча визит саммит форум торговля партнерство отношения",
        "стратегический экономический экономика инвестиции развитие проект страна страны",
        "международный миллиард миллион процент год заявил сообщил государственный",
        "национальный республика",
        "лидер лидеры глава главы провели провел обсудили обсудил договорились совместный",
        "заявление делегация стороны заседание",
    )
).split()


def commonplace_words() -> tuple[str, ...]:
    """The region's commonplaces as written, English and Russian (search weighs them
    down too: `bot.search.query`)."""
    return (*_COMMONPLACE_EN, *_COMMONPLACE_RU)


@lru_cache(maxsize=16)
def commonplace(part: str) -> Mapping[str, float]:
    """Pretend document counts of the region's commonplaces for one part of the
    features ("names", "sounds" or a language's words)."""
    count = COMMONPLACE_SHARE * PRIOR_ARTICLES
    words = [w for w in _COMMONPLACE_EN + _COMMONPLACE_RU]
    if part == "names":
        keys = {entity_key(w) for w in words}
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
    """The name and sound keys of the region's places and the powers it deals with (as
    `names_of` and `Features.sounds` make them)."""
    names = {entity_key(word) for word in _GEOGRAPHY_EN + _GEOGRAPHY_RU}
    stems = terms(" ".join(_GEOGRAPHY_EN)) + terms(" ".join(_GEOGRAPHY_RU), "ru")
    sounds = {name_key(stem)[:SOUND_LETTERS] for stem in stems}
    return frozenset(names | sounds | COUNTRY_ALIASES - {""})


@lru_cache(maxsize=16)
def geography_words(language: str) -> frozenset[str]:
    """The word stems of the region's places in `language`'s rules."""
    places = _GEOGRAPHY_RU if language == "ru" else _GEOGRAPHY_EN
    return frozenset(terms(" ".join(places), language))
