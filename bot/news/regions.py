"""The countries a subscriber can follow: codes, names, flags, zones, currencies."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    flag: str
    timezone: str  # the capital's IANA zone: a first guess for a new subscriber
    currency: str


COUNTRIES: tuple[Country, ...] = (
    Country("KZ", "Kazakhstan", "🇰🇿", "Asia/Almaty", "KZT"),
    Country("KG", "Kyrgyzstan", "🇰🇬", "Asia/Bishkek", "KGS"),
    Country("TJ", "Tajikistan", "🇹🇯", "Asia/Dushanbe", "TJS"),
    Country("TM", "Turkmenistan", "🇹🇲", "Asia/Ashgabat", "TMT"),
    Country("UZ", "Uzbekistan", "🇺🇿", "Asia/Tashkent", "UZS"),
    Country("AF", "Afghanistan", "🇦🇫", "Asia/Kabul", "AFN"),
)
BY_CODE: dict[str, Country] = {c.code: c for c in COUNTRIES}
_BY_WORD: dict[str, Country] = {
    **{c.code.lower(): c for c in COUNTRIES},
    **{c.name.lower(): c for c in COUNTRIES},
    "kyrgyz republic": BY_CODE["KG"],
    "kirghizia": BY_CODE["KG"],
}


# The longest name, in words: a run of words longer than this is never one name.
MAX_NAME_WORDS = max(len(word.split()) for word in _BY_WORD)


def parse_country(text: str) -> Country:
    """A country from its code or English name, any case; ValueError names the valid ones."""
    found = _BY_WORD.get(" ".join(text.split()).lower())
    if found is None:
        valid = ", ".join(f"{c.code} ({c.name})" for c in COUNTRIES)
        raise ValueError(f"unknown country {text!r}; choose from {valid}")
    return found
