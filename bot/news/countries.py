"""Tag an article with the countries it is about.

Every mention of a name from the gazetteer adds its weight to its country,
counted more in the title and in the opening lines, where news puts its
subject.  A country is tagged when its score reaches `TAG_THRESHOLD`: one
strong name in the title or the lede, or a few mentions in the body.  A single
mention deep in the body is a passing one and does not tag.

An article about the region as a whole ("Central Asia" in the title or lede)
tags each republic it names, and all five when it says all five take part.
"""

from __future__ import annotations

import re
from collections import defaultdict

from bot.news import gazetteer
from bot.news.text import sentences_end

TAG_THRESHOLD = 4.0
TITLE_FACTOR = 3.0
LEDE_FACTOR = 2.0
LEDE_CHARS = 400
LEDE_SENTENCES = 2
ENUMERATION_COUNTRIES = 3
ENUMERATED_WEIGHT = 0.5

# A dateline ("ASTANA - ...", "TASHKENT, Dec. 5 —") names where the reporter
# is, not what the story is about.
_DATELINE = re.compile(r"^[A-Z][A-Z'\-]{2,}(?: [A-Z][A-Z'\-]+)*(?:,[^—–\-\n]{1,30})?\s+[—–\-]+\s+")
_TRAPS = re.compile("|".join(gazetteer.TRAPS))
_REGION = re.compile(r"(?<!\w)(?:" + "|".join(gazetteer.REGION) + r")(?!\w)")
_ALL_FIVE = re.compile("|".join(gazetteer.ALL_FIVE), re.IGNORECASE)
_LIST_GLUE = re.compile(r"\s*(?:,\s*(?:and\s+|и\s+)?|\s(?:and|и|&)\s+)\s*")
_REMIT = re.compile("|".join(gazetteer.REGION_REMIT), re.IGNORECASE)


# One pass over the text finds every name: one named group per country and tier. A
# pass tries every name at every position, so the names are split by script, and a text
# is searched only for those of the scripts it has letters of: an English text costs
# the English names, not the Russian ones too.
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
_LATIN = re.compile(r"[a-zA-Z]")
_GROUPS: dict[str, tuple[str, float]] = {}
_alternatives: dict[re.Pattern[str], list[str]] = {_LATIN: [], _CYRILLIC: []}
for _code, _tiers in gazetteer.NAMES.items():
    for _tier, (_weight, _patterns) in enumerate(_tiers.items()):
        _group = f"{_code}{_tier}"
        _GROUPS[_group] = (_code, _weight)
        for _script, _names in _alternatives.items():
            _written = [p for p in _patterns if (_script is _CYRILLIC) == bool(_CYRILLIC.search(p))]
            if _written:
                _names.append(f"(?P<{_group}>" + "|".join(_written) + ")")
_NAMES = {
    script: re.compile(r"(?<![\w\-])(?:" + "|".join(names) + r")(?!\w)")
    for script, names in _alternatives.items()
}


def is_known_name(word: str) -> bool:
    """Whether one word is a name the tagger knows (a country, its places, its leaders,
    its companies), as written: "Japarov", «Жапаров», not "Heart"."""
    return any(names.fullmatch(word) for names in _NAMES.values())


def lede_end(body: str) -> int:
    """Where the lede ends: after its first LEDE_SENTENCES sentences, at most LEDE_CHARS.

    A short item's last sentence is not its lede, however few characters come before:
    "Flour is dearer here, as in neighbouring Kazakhstan" closes a story, it does not
    open one.
    """
    return sentences_end(body, LEDE_SENTENCES, LEDE_CHARS)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _prepare(text: str) -> str:
    text = text.replace("’", "'")
    text = "\n".join(_DATELINE.sub(_blank, line) for line in text.split("\n"))
    return _TRAPS.sub(_blank, text)


def _mentions(text: str, *, enumerations: bool = True) -> list[tuple[str, float, int, int]]:
    """(country, weight, start, end) of every name in `text`, an enumeration's at a discount.

    "Kazakhstan, Kyrgyzstan, Tajikistan and Turkmenistan" in a body lists where something
    applies; it does not say what the story is about. Names of three or more countries
    joined by commas and "and" count as one passing mention each there. In a title
    (`enumerations=False`) such a list is the story's subject: "Tajikistan, Kyrgyzstan and
    Uzbekistan agree on water quotas" is about all three.
    """
    found = []
    for script, names in _NAMES.items():
        if script.search(text):
            for match in names.finditer(text):
                code, weight = _GROUPS[match.lastgroup or ""]
                found.append((code, weight, match.start(), match.end()))
    found.sort(key=lambda mention: mention[2])
    out: list[tuple[str, float, int, int]] = []
    start = 0
    while start < len(found):
        end = start + 1
        while end < len(found) and _LIST_GLUE.fullmatch(text, found[end - 1][3], found[end][2]):
            end += 1
        run = found[start:end]
        if enumerations and len({code for code, *_ in run}) >= ENUMERATION_COUNTRIES:
            run = [(code, ENUMERATED_WEIGHT, a, b) for code, _, a, b in run]
        out.extend(run)
        start = end
    return out


def mention_scores(text: str) -> dict[str, float]:
    """Sum of the weights of the country names found in `text` (datelines and traps not)."""
    scores: dict[str, float] = defaultdict(float)
    for code, weight, _, _ in _mentions(_prepare(text)):
        scores[code] += weight
    return dict(scores)


def country_scores(title: str, body: str) -> dict[str, float]:
    """How strongly the article is about each country, weighted by position."""
    return _scores(_prepare(title), _prepare(body))


def _scores(title: str, body: str) -> dict[str, float]:
    """`country_scores` of a prepared title and body."""
    total: dict[str, float] = defaultdict(float)
    for code, weight, _, _ in _mentions(title, enumerations=False):
        total[code] += TITLE_FACTOR * weight
    lede_ends = lede_end(body)
    for code, weight, start, _ in _mentions(body):
        lede = start < lede_ends and weight != ENUMERATED_WEIGHT
        total[code] += (LEDE_FACTOR if lede else 1.0) * weight
    return dict(total)


def tag_countries(title: str, body: str) -> list[str]:
    """Country codes the article is about, in `gazetteer.COUNTRY_CODES` order."""
    title, body = _prepare(title), _prepare(body)  # once: a third of the tagger's time
    scores = _scores(title, body)
    tagged = {code for code, score in scores.items() if score >= TAG_THRESHOLD}
    opening = title + "\n" + body[: lede_end(body)]
    if _REGION.search(_REMIT.sub(_blank, opening)):
        tagged |= {code for code in gazetteer.CENTRAL_ASIA if scores.get(code)}
        if _ALL_FIVE.search(opening) or _ALL_FIVE.search(title):
            tagged |= set(gazetteer.CENTRAL_ASIA)
    return [code for code in gazetteer.COUNTRY_CODES if code in tagged]
