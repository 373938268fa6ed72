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
    name_ru: str  # as Russian writes it (Кыргызстан, not Киргизия: the country's own choice)


COUNTRIES: tuple[Country, ...] = (
    Country("KZ", "Kazakhstan", "🇰🇿", "Asia/Almaty", "KZT", "Казахстан"),
    Country("KG", "Kyrgyzstan", "🇰🇬", "Asia/Bishkek", "KGS", "Кыргызстан"),
    Country("TJ", "Tajikistan", "🇹🇯", "Asia/Dushanbe", "TJS", "Таджикистан"),
    Country("TM", "Turkmenistan", "🇹🇲", "Asia/Ashgabat", "TMT", "Туркменистан"),
    Country("UZ", "Uzbekistan", "🇺🇿", "Asia/Tashkent", "UZS", "Узбекистан"),
    Country("AF", "Afghanistan", "🇦🇫", "Asia/Kabul", "AFN", "Афганистан"),
)
BY_CODE: dict[str, Country] = {c.code: c for c in COUNTRIES}
_BY_WORD: dict[str, Country] = {
    **{c.code.lower(): c for c in COUNTRIES},
    **{c.name.lower(): c for c in COUNTRIES},
    **{c.name_ru.lower(): c for c in COUNTRIES},
    "kyrgyz republic": BY_CODE["KG"],
    "kirghizia": BY_CODE["KG"],
    # Older Russian names people still type.
    "киргизия": BY_CODE["KG"],
    "киргизстан": BY_CODE["KG"],
    "туркмения": BY_CODE["TM"],
}


# The longest name, in words: a run of words longer than this is never one name.
MAX_NAME_WORDS = max(len(word.split()) for word in _BY_WORD)


def parse_country(text: str) -> Country:
    """A country by code, English or Russian name, any case; ValueError names the valid ones."""
    found = _BY_WORD.get(" ".join(text.split()).lower())
    if found is None:
        valid = ", ".join(f"{c.code} ({c.name})" for c in COUNTRIES)
        raise ValueError(f"unknown country {text!r}; choose from {valid}")
    return found
