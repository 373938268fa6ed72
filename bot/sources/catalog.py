"""The built-in outlet catalog (`catalog.toml`, data reviewed like code) and the SOURCES grammar.

`SOURCES` names what the bot fetches: `catalog` (every outlet's feed), `catalog:kz,uz`
(the feeds of those countries' outlets) and feed or page URLs, in any mix; `expand_sources`
turns that into the URLs, each once, in the order given. Pure apart from reading the
packaged TOML once.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from urllib.parse import urlsplit

from bot.news.regions import COUNTRIES, parse_country
from bot.sources.urls import canonical_url, web_url_problem

CATALOG = "catalog"
COUNTRY_CODES = frozenset(c.code for c in COUNTRIES)
LANGUAGES = frozenset({"en", "ru", "uz", "kk", "ky", "tg", "tk", "fa", "ps"})
SHAPES = frozenset({"full", "teaser"})
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_FIELDS = ("name", "display", "feed", "home", "languages", "countries", "shape", "checked")


class CatalogError(ValueError):
    """The catalog file is malformed; the message names the entry."""


@dataclass(frozen=True)
class Outlet:
    name: str  # short id: lowercase ascii, unique
    display: str  # as readers know it: an article's source
    feed: str
    home: str
    languages: tuple[str, ...]  # ISO 639-1
    countries: tuple[str, ...]  # KZ KG TJ TM UZ AF
    shape: str  # "full": the feed carries whole stories; "teaser": leads, the page has the rest
    checked: str  # which public references list the feed

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        return {field: list(v) if isinstance(v, tuple) else v for field, v in data.items()}


def parse_catalog(text: str) -> tuple[Outlet, ...]:
    """The outlets of a catalog file's text; CatalogError names the first bad entry."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(f"catalog.toml is not valid TOML: {error}") from None
    entries = data.get("outlet")
    if not isinstance(entries, list) or not entries:
        raise CatalogError("catalog.toml has no [[outlet]] entries")
    outlets: list[Outlet] = []
    names: set[str] = set()
    feeds: set[str] = set()
    for number, entry in enumerate(entries, 1):
        outlet = _outlet(entry, number)
        where = f"catalog.toml entry {number} ({outlet.name})"
        if outlet.name in names:
            raise CatalogError(f"{where}: the name is used twice")
        feed = canonical_url(outlet.feed) or outlet.feed
        if feed in feeds:
            raise CatalogError(f"{where}: the feed {outlet.feed} is listed twice")
        names.add(outlet.name)
        feeds.add(feed)
        outlets.append(outlet)
    return tuple(outlets)


def _outlet(entry: object, number: int) -> Outlet:
    if not isinstance(entry, dict):
        raise CatalogError(f"catalog.toml entry {number} is not a table")
    name = entry.get("name")
    where = f"catalog.toml entry {number} ({name!r})" if name else f"catalog.toml entry {number}"
    unknown = sorted(set(entry) - set(_FIELDS))
    missing = [f for f in _FIELDS if f not in entry]
    if unknown or missing:
        raise CatalogError(f"{where}: missing {missing}, unknown {unknown}")
    text = {f: entry[f] for f in ("name", "display", "feed", "home", "shape", "checked")}
    for field, value in text.items():
        if not isinstance(value, str) or not value.strip():
            raise CatalogError(f"{where}: {field} must be non-empty text")
    lists = {f: entry[f] for f in ("languages", "countries")}
    for field, value in lists.items():
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise CatalogError(f"{where}: {field} must be a non-empty list of codes")
    if not _NAME.fullmatch(entry["name"]):
        raise CatalogError(f"{where}: name must be lowercase ascii letters, digits and '-'")
    for field in ("feed", "home"):
        if problem := web_url_problem(entry[field]):
            raise CatalogError(f"{where}: {field} {entry[field]!r}: {problem}")
    if bad := sorted(set(entry["languages"]) - LANGUAGES):
        raise CatalogError(f"{where}: unknown language codes {bad}; known: {sorted(LANGUAGES)}")
    if bad := sorted(set(entry["countries"]) - COUNTRY_CODES):
        raise CatalogError(f"{where}: unknown country codes {bad}; known: {sorted(COUNTRY_CODES)}")
    if entry["shape"] not in SHAPES:
        raise CatalogError(f"{where}: shape must be 'full' or 'teaser', not {entry['shape']!r}")
    return Outlet(
        name=entry["name"],
        display=entry["display"].strip(),
        feed=entry["feed"],
        home=entry["home"],
        languages=tuple(entry["languages"]),
        countries=tuple(entry["countries"]),
        shape=entry["shape"],
        checked=entry["checked"].strip(),
    )


@functools.cache
def load_catalog() -> tuple[Outlet, ...]:
    """The packaged catalog, read and validated once."""
    text = resources.files("bot.sources").joinpath("catalog.toml").read_text(encoding="utf-8")
    return parse_catalog(text)


def country_codes(words: Iterable[str]) -> tuple[str, ...]:
    """Codes (KZ) of country codes or names in any case; ValueError names an unknown one."""
    return tuple(dict.fromkeys(parse_country(word).code for word in words))


def outlets_for(countries: Iterable[str]) -> tuple[Outlet, ...]:
    """The catalog's outlets that carry news of any of `countries` (codes or names)."""
    wanted = set(country_codes(countries))
    return tuple(o for o in load_catalog() if wanted.intersection(o.countries))


def expand_sources(spec: Sequence[str]) -> list[str]:
    """SOURCES as URLs: `catalog`, `catalog:kz,uz` and URLs; each URL once, first one kept.

    A catalog entry's country list may arrive split on its commas or spaces
    (`["catalog:kz", "uz"]`): a bare word after it continues the list. URLs are
    returned as written; checking them is the caller's (the settings) job.
    """
    urls: list[str] = []
    seen: set[str] = set()

    def add(url: str) -> None:
        key = canonical_url(url) or url
        if key not in seen:
            seen.add(key)
            urls.append(url)

    for item in _join_country_lists(spec):
        if item.lower() == CATALOG:
            outlets = load_catalog()
        elif item.lower().startswith(CATALOG + ":"):
            words = [w for w in re.split(r"[\s,]+", item[len(CATALOG) + 1 :]) if w]
            if not words:
                raise ValueError(f"{item!r} names no countries; write e.g. catalog:kz,uz")
            try:
                outlets = outlets_for(words)
            except ValueError as error:
                raise ValueError(f"{item!r}: {error}") from None
        else:
            add(item)
            continue
        for outlet in outlets:
            add(outlet.feed)
    return urls


def _join_country_lists(spec: Sequence[str]) -> list[str]:
    joined: list[str] = []
    for raw in spec:
        item = raw.strip()
        if not item:
            continue
        previous = joined[-1].lower() if joined else ""
        continues = ":" not in item and "/" not in item and item.lower() != CATALOG
        if previous.startswith(CATALOG + ":") and continues:
            joined[-1] = f"{joined[-1].rstrip(',')},{item}"
        else:
            joined.append(item)
    return joined


@functools.cache
def _by_feed() -> dict[str, Outlet]:
    return {canonical_url(o.feed) or o.feed: o for o in load_catalog()}


@functools.cache
def _by_host() -> dict[str, tuple[Outlet, ...]]:
    hosts: dict[str, list[Outlet]] = {}
    for outlet in load_catalog():
        for url in (outlet.home, outlet.feed):
            found = hosts.setdefault(_host(url), [])
            if outlet not in found:
                found.append(outlet)
    return {host: tuple(outlets) for host, outlets in hosts.items()}


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def outlet_for_url(url: str) -> Outlet | None:
    """The outlet a feed URL or an article link belongs to, or None.

    A feed matches by its canonical URL; any other link by its host (without
    "www."), and where one host has several editions (24.kg and 24.kg/english)
    by the longest home-page path the link starts with.
    """
    canonical = canonical_url(url)
    if canonical is None:
        return None
    if (outlet := _by_feed().get(canonical)) is not None:
        return outlet
    candidates = _by_host().get(_host(canonical), ())
    if not candidates:
        return None
    path = urlsplit(canonical).path
    best, depth = candidates[0], -1
    for candidate in candidates:
        home = urlsplit(candidate.home).path.rstrip("/") + "/"
        if (path + "/").startswith(home) and len(home) > depth:
            best, depth = candidate, len(home)
    return best
