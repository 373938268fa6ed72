"""Names that do not transliterate: one key for the English and Russian names of the
powers, blocs and institutions the region's news speaks of (pure data and a lookup).

Жапаров and Japarov meet by their sounds (`bot.news.stories.keys.name_key`); Китай and
China, СНГ and CIS, ШОС and SCO, Евросоюз and EU do not, and an English report of a
CIS summit would otherwise share nothing with a Russian one but the city. Each entry
is a key (the English name) with its forms: English words as written (any case) and
Russian stems, which match a word that begins with them and adds at most
MAX_ENDING letters of a case ending (Китая, Китаю, Китаем).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

MAX_ENDING = 3

# key: (English forms, Russian stems). Forms are single words as they are capitalised in
# text; acronyms are matched whole.
_ALIASES: dict[str, tuple[str, str]] = {
    "china": ("China Chinese PRC", "китай кита кнр"),
    "russia": ("Russia Russian Russians", "россия росси рф российск"),
    "japan": ("Japan Japanese", "япони японск"),
    "turkey": ("Turkey Türkiye Turkiye Turkish Ankara", "турци турецк анкар"),
    "germany": ("Germany German", "германи немецк"),
    "france": ("France French", "франци французск"),
    "britain": ("Britain British UK", "британи великобритани британск"),
    "usa": ("US USA U.S. America American Washington", "сша америк американск вашингтон"),
    "india": ("India Indian", "инди индийск"),
    "korea": ("Korea Korean", "коре корейск"),
    "uae": ("UAE Emirates Emirati", "оаэ эмират"),
    "saudi": ("Saudi", "саудовск"),
    "eu": ("EU European", "ес евросоюз европейск евросовет еврокомисс европарламент"),
    "un": ("UN", "оон"),
    "cis": ("CIS Commonwealth", "снг содружеств"),
    "sco": ("SCO", "шос"),
    "csto": ("CSTO", "одкб"),
    "eaeu": ("EAEU EEU", "еаэс"),
    "ots": ("OTS Turkic", "отг тюркск"),
    "wto": ("WTO", "вто"),
    "imf": ("IMF", "мвф"),
    "ebrd": ("EBRD", "ебрр"),
    "adb": ("ADB", "абр"),
    "taliban": ("Taliban", "талиб талибан"),
    "kremlin": ("Kremlin", "кремл"),
    "nato": ("NATO", "нато"),
    "opec": ("OPEC", "опек"),
}


# The blocs and formats whose meetings are events of their own: a CIS summit and a
# Russia–Central Asia summit in one city on two days are two events (compare.py).
BLOCS = frozenset(
    f"={name}" for name in ["eu", "un", "cis", "sco", "csto", "eaeu", "ots", "nato", "opec"]
)

# The formats in which the region's five meet one power: "Central Asia – China", «Россия –
# Центральная Азия», "C5+1". Each is a bloc of its own ("=ca+china"), written as formats
# are, with a dash, a plus or a slash between the two: "trade between Central Asia and
# China" names no meeting.
FORMAT_PREFIX = "=ca+"
_PARTNERS = {
    "china": r"china|кита[йяюе]\w*|кнр",
    "russia": r"russia|росси[яиюей]\w*|рф",
    "eu": r"eu|european\s+union|europe|евросоюз\w*|европейск\w+\s+союз\w*|европ[аыуе]\w*|ес",
    "japan": r"japan|япони[яиюей]\w*",
    "korea": r"(?:south\s+|republic\s+of\s+)?korea|(?:республик\w+\s+)?коре[яиюей]\w*",
    "usa": r"us|usa|u\.s\.|united\s+states|america|сша|америк\w*",
    "india": r"india|инди[яиюей]\w*",
    "germany": r"germany|германи[яиюей]\w*",
    "turkey": r"turkey|türkiye|турци[яиюей]\w*",
    "gulf": r"gcc|gulf|ссагпз|залив\w*",
    "britain": r"uk|britain|united\s+kingdom|великобритани[яиюей]\w*",
}
_REGION = r"(?:central[\s-]+asia|центральн\w*\s+ази[яиюей]\w*|ца)"
_JOINT = r"\s*[-–—+/]\s*"
_PARTNER = "|".join(f"(?P<{key}>{forms})" for key, forms in _PARTNERS.items())
_FORMATS = re.compile(
    rf"(?i)(?<!\w)(?:{_REGION}{_JOINT}(?:{_PARTNER})|(?:{_PARTNER.replace('?P<', '?P<r_')})"
    rf"{_JOINT}{_REGION}|c5\s*\+\s*1)(?!\w)"
)


# What every format's name holds: the region written out, "ЦА" with its dash or plus, or
# "C5". Texts without it (most) skip `_FORMATS`, whose partners are tried at every
# position of the text: half a millisecond an article, a tenth of its story features.
_MAY_NAME_A_FORMAT = re.compile(
    r"(?i)central[\s-]+asia|центральн|(?<!\w)ца\s*[-–—+/]|[-–—+/]\s*ца(?!\w)|c5"
)


def formats_of(text: str) -> set[str]:
    """The "Central Asia + power" formats `text` names ("=ca+china")."""
    found: set[str] = set()
    if not _MAY_NAME_A_FORMAT.search(text):
        return found
    for match in _FORMATS.finditer(text):
        partner = next((key for key, value in match.groupdict().items() if value), "r_usa")
        found.add(FORMAT_PREFIX + partner.removeprefix("r_"))
    return found


# Blocs written out in full ("the Shanghai Cooperation Organization", «Содружества
# Независимых Государств»): wire reports name a bloc so in the lede, its acronym later.
_FULL_NAMES = {
    "sco": r"shanghai\s+cooperation\s+organi[sz]ation|шанхайск\w+\s+организаци\w+"
           r"\s+сотрудничества",
    "cis": r"commonwealth\s+of\s+independent\s+states|содружеств\w+\s+независимых"
           r"\s+государств",
    "csto": r"collective\s+security\s+treaty\s+organi[sz]ation|организаци\w+\s+договора"
            r"\s+о\s+коллективной\s+безопасности",
    "eaeu": r"eurasian\s+economic\s+union|евразийск\w+\s+экономическ\w+\s+союз\w*",
    "ots": r"organi[sz]ation\s+of\s+turkic\s+states|организаци\w+\s+тюркских\s+государств",
}
_FULL = re.compile(
    "(?i)(?<!\\w)(?:" + "|".join(f"(?P<{key}>{forms})" for key, forms in _FULL_NAMES.items())
    + ")(?!\\w)"
)


def full_names_of(text: str) -> set[str]:
    """The blocs `text` names written out in full ("=sco")."""
    return {f"={key}" for match in _FULL.finditer(text) for key, value in
            match.groupdict().items() if value}  # fmt: skip


def implied_formats(names: Collection[str]) -> set[str]:
    """The formats a report about all five of the region's countries names by naming the
    power alone: "EU and Central Asia agree a roadmap" is the «Центральная Азия — ЕС»
    meeting, though no dash joins the two."""
    return {FORMAT_PREFIX + partner for partner in _PARTNERS if f"={partner}" in names}


def is_bloc(key: str) -> bool:
    """Whether a name key is a bloc's or a format's (their meetings are events of their own)."""
    return key in BLOCS or key.startswith(FORMAT_PREFIX)


# The powers: places, as the region's countries are (a shared "China" is no evidence).
_POWERS = "china russia japan turkey germany france britain usa india korea uae saudi"
COUNTRY_ALIASES = frozenset(f"={name}" for name in _POWERS.split())


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    english: dict[str, str] = {}
    russian: dict[str, str] = {}
    for key, (words, stems) in _ALIASES.items():
        english.update((word.casefold(), key) for word in words.split())
        russian.update((stem, key) for stem in stems.split())
    return english, russian


def alias_key(word: str) -> str | None:
    """The key of a name in the table (`=` and the English name), or None."""
    english, russian = _tables()
    folded = word.casefold().replace("ё", "е")
    found = english.get(folded)
    if found is None:
        for cut in range(len(folded), max(len(folded) - MAX_ENDING, 1) - 1, -1):
            found = russian.get(folded[:cut])
            if found is not None:
                break
    return None if found is None else f"={found}"
