"""The built-in outlet catalog: its data, the SOURCES grammar, and feeds in its outlets' shapes.

The feeds under tests/feeds are written for these tests in the shapes the catalog records
for three outlets (stories invented); they are served from 127.0.0.1, so nothing here
reaches the internet.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import text as sql
from sqlalchemy.engine import Engine

from bot.news.snapshot import Article
from bot.sources.catalog import (
    COUNTRY_CODES,
    LANGUAGES,
    CatalogError,
    Outlet,
    expand_sources,
    load_catalog,
    outlet_for_url,
    outlets_for,
    parse_catalog,
)
from bot.sources.fetch_round import FetchRound, read_articles
from bot.sources.fetcher import Fetcher, FetchLimits
from bot.sources.urls import canonical_url
from tests.sources_server import serve, text

FEEDS = Path(__file__).parent / "feeds"
QUICK = FetchLimits(max_bytes=1_000_000, connect_timeout=2, total_timeout=5, host_interval=0)
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN = re.compile(r"[A-Za-z]")


def by_name() -> dict[str, Outlet]:
    return {o.name: o for o in load_catalog()}


# ── the data ─────────────────────────────────────────────────────────────────────────────


def test_the_catalog_covers_the_region_in_english_and_russian() -> None:
    outlets = load_catalog()
    assert len(outlets) >= 25
    assert set().union(*(o.countries for o in outlets)) == COUNTRY_CODES
    assert sum("ru" in o.languages for o in outlets) >= 8
    assert sum("en" in o.languages for o in outlets) >= 8
    for code in COUNTRY_CODES:  # every country has an outlet of its own, not only regional ones
        assert any(o.countries == (code,) for o in outlets), code


def test_every_entry_is_well_formed() -> None:
    outlets = load_catalog()
    assert len({o.name for o in outlets}) == len(outlets)
    assert len({canonical_url(o.feed) for o in outlets}) == len(outlets)
    for o in outlets:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", o.name), o.name
        assert o.feed.startswith(("https://", "http://")) and o.home.startswith("http"), o.name
        assert set(o.languages) <= LANGUAGES and set(o.countries) <= COUNTRY_CODES, o.name
        assert o.shape in {"full", "teaser"}, o.name
        assert o.display.strip() and len(o.checked) > 20, o.name


def test_every_entry_cites_references_a_reader_can_open_or_says_unverified() -> None:
    # "owner/name: path" is a file in a public GitHub repository; an address is a page.
    reference = re.compile(r"[\w.-]+/[\w.-]+: \S+|https?://\S+")
    for o in load_catalog():
        assert o.checked.startswith("unverified") or reference.search(o.checked), o.name
        assert not re.search(r"\b(?:file\s+)?id\s*[:#]?\s*\d", o.checked, re.IGNORECASE), o.name


def test_the_catalog_is_read_once() -> None:
    assert load_catalog() is load_catalog()


def test_the_catalog_ships_inside_the_package() -> None:
    import importlib.resources

    assert importlib.resources.files("bot.sources").joinpath("catalog.toml").is_file()


ENTRY = """
[[outlet]]
name = "steppe"
display = "Steppe Wire"
feed = "https://steppe.example/feed/"
home = "https://steppe.example/"
languages = ["en"]
countries = ["KZ"]
shape = "full"
checked = "listed in example/repo feeds.py"
"""


def test_a_good_entry_parses() -> None:
    (outlet,) = parse_catalog(ENTRY)
    assert outlet.languages == ("en",) and outlet.countries == ("KZ",)
    assert outlet.as_json()["countries"] == ["KZ"]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (('countries = ["KZ"]', 'countries = ["KZ", "RU"]'), "unknown country codes ['RU']"),
        (('languages = ["en"]', 'languages = ["english"]'), "unknown language codes"),
        (('feed = "https://steppe.example/feed/"', 'feed = "ftp://steppe.example/"'), "feed"),
        (('home = "https://steppe.example/"', 'home = "steppe.example"'), "home"),
        (('shape = "full"', 'shape = "summary"'), "shape must be"),
        (('name = "steppe"', 'name = "Steppe Wire"'), "name must be"),
        (('checked = "listed in example/repo feeds.py"', 'checked = " "'), "checked"),
        (('countries = ["KZ"]', "countries = []"), "countries must be"),
        (('shape = "full"', 'shape = "full"\nfeeds = "x"'), "unknown ['feeds']"),
        (('shape = "full"\n', ""), "missing ['shape']"),
    ],
)
def test_a_bad_entry_is_refused_by_name(change: tuple[str, str], says: str) -> None:
    with pytest.raises(CatalogError) as raised:
        parse_catalog(ENTRY.replace(*change))
    assert "entry 1" in str(raised.value) and says in str(raised.value)


def test_names_and_feeds_are_unique() -> None:
    twice = ENTRY + ENTRY.replace('"https://steppe.example/feed/"', '"https://other.example/f"')
    with pytest.raises(CatalogError, match=r"entry 2 \(steppe\): the name is used twice"):
        parse_catalog(twice)
    renamed = ENTRY + ENTRY.replace('name = "steppe"', 'name = "steppe-2"').replace(
        "feed/", "feed/?utm_source=x"
    )
    with pytest.raises(CatalogError, match=r"entry 2 .* listed twice"):
        parse_catalog(renamed)


def test_a_file_that_is_not_a_catalog_is_refused() -> None:
    with pytest.raises(CatalogError, match="not valid TOML"):
        parse_catalog("[[outlet]\nname =")
    with pytest.raises(CatalogError, match="no \\[\\[outlet\\]\\] entries"):
        parse_catalog("title = 'x'")


# ── the SOURCES grammar ──────────────────────────────────────────────────────────────────


def test_catalog_is_every_feed_in_catalog_order() -> None:
    assert expand_sources(["catalog"]) == [o.feed for o in load_catalog()]
    assert expand_sources(["CATALOG"]) == expand_sources(["catalog"])


def test_catalog_with_countries_is_their_outlets() -> None:
    feeds = expand_sources(["catalog:kz,uz"])
    wanted = [o.feed for o in load_catalog() if {"KZ", "UZ"} & set(o.countries)]
    assert feeds == wanted
    assert "https://astanatimes.com/feed/" in feeds and "https://podrobno.uz/rss/" in feeds
    assert "https://24.kg/rss/" not in feeds  # Kyrgyzstan's own outlets are not asked for
    assert "https://timesca.com/feed/" in feeds  # a regional outlet carries both
    # Any case, names as well as codes, and the list split where SOURCES splits it.
    assert expand_sources(["Catalog:KZ,Uzbekistan"]) == feeds
    assert expand_sources(["catalog:kz", "uz"]) == feeds
    assert expand_sources(["catalog:", "kz", "uz"]) == feeds
    assert [o.feed for o in outlets_for(["af"])] == expand_sources(["catalog:af"])


def test_urls_mix_in_and_each_feed_comes_once_in_order() -> None:
    mine = "https://steppe.example/feed"
    feeds = expand_sources(
        [mine, "catalog:af", "https://www.khaama.com/feed/?utm_source=x", mine + "#top"]
    )
    assert feeds[0] == mine
    assert feeds[1:] == [o.feed for o in outlets_for(["AF"])]  # Khaama's feed once, as listed
    assert expand_sources(["catalog:tj", "catalog"]) == (
        expand_sources(["catalog:tj"])
        + [f for f in expand_sources(["catalog"]) if f not in expand_sources(["catalog:tj"])]
    )
    assert expand_sources([]) == []


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        (["catalog:xx"], ["'catalog:xx'", "unknown country 'xx'", "KZ (Kazakhstan)"]),
        (["catalog:kz,mongolia"], ["unknown country 'mongolia'", "AF (Afghanistan)"]),
        (["catalog:"], ["names no countries", "catalog:kz,uz"]),
    ],
)
def test_a_bad_country_list_is_refused_clearly(spec: list[str], says: list[str]) -> None:
    with pytest.raises(ValueError) as raised:
        expand_sources(spec)
    message = str(raised.value)
    assert all(part in message for part in says) and "\n" not in message


# ── which outlet a link belongs to ───────────────────────────────────────────────────────


def test_a_feed_url_finds_its_outlet_however_it_is_spelled() -> None:
    outlets = by_name()
    assert outlet_for_url("https://24.kg/english/rss/") == outlets["24kg-en"]
    assert outlet_for_url("https://24.kg/rss/?utm_source=tg#x") == outlets["24kg-ru"]
    assert outlet_for_url("HTTPS://Kaktus.Media/?rss") == outlets["kaktus"]


def test_an_article_link_finds_its_outlet_by_host_and_edition() -> None:
    outlets = by_name()
    assert outlet_for_url("https://24.kg/english/341234_bishkek_budget/") == outlets["24kg-en"]
    assert outlet_for_url("https://24.kg/obschestvo/341233_byudzhet/") == outlets["24kg-ru"]
    gazeta = outlet_for_url("https://gazeta.uz/en/2026/12/01/metro/")
    assert gazeta == outlets["gazeta-en"] and gazeta.display == "Gazeta.uz"
    assert outlet_for_url("https://www.gazeta.uz/ru/2026/12/01/metro/") == outlets["gazeta-ru"]
    tca = outlet_for_url("https://timesca.com/some-story/")
    assert tca is not None and tca.display == "The Times of Central Asia"


@pytest.mark.parametrize(
    "url", ["https://steppe.example/news/1", "javascript:alert(1)", "/ru/news/1", ""]
)
def test_other_links_have_no_outlet(url: str) -> None:
    assert outlet_for_url(url) is None


# ── feeds in the shapes of three catalog outlets, read by the real reader ────────────────

SHAPES = [
    # (fixture, the catalog outlet whose shape it has, its language)
    ("timesca-full.xml", "timesca", "en"),
    ("gazeta-ru-teaser.xml", "gazeta-ru", "ru"),
    ("uzdaily-en-teaser.xml", "uzdaily-en", "en"),
]


def served(fixture: str, content_type: str = "application/rss+xml; charset=utf-8") -> list[Article]:
    """The fixture served on 127.0.0.1 and read as the fetch round reads a source."""

    async def scenario() -> list[Article]:
        body = (FEEDS / fixture).read_bytes()
        async with serve({"/feed": text(body, content_type)}) as (base, _):
            fetcher = Fetcher(allow_private=True, limits=QUICK)
            try:
                response = await fetcher.get(base + "/feed")
            finally:
                await fetcher.close()
        reading = read_articles(response)
        assert reading[0] == "feed"  # (kind, articles, ...)
        return list(reading[1])

    return asyncio.run(scenario())


def language_of(article: Article) -> str:
    words = article.title + " " + article.body
    return "ru" if len(CYRILLIC.findall(words)) > len(LATIN.findall(words)) else "en"


@pytest.mark.parametrize(("fixture", "name", "language"), SHAPES)
def test_each_fixture_is_an_outlet_of_the_catalog_in_its_shape(
    fixture: str, name: str, language: str
) -> None:
    outlet = by_name()[name]
    assert language in outlet.languages
    assert ("full" in fixture) == (outlet.shape == "full")
    for article in served(fixture):
        assert article.url is not None and outlet_for_url(article.url) == outlet
        assert language_of(article) == language


def test_a_full_text_feed_gives_whole_stories() -> None:
    first, second = served("timesca-full.xml")
    assert first.title == "Kazakhstan and Uzbekistan Agree on Joint Monitoring of the Syr Darya"
    assert first.url == (
        "https://timesca.com/kazakhstan-and-uzbekistan-agree-on-joint-monitoring-of-the-syr-darya/"
    )  # the utm_ parameters WordPress adds are gone
    assert first.published == dt.datetime(2026, 12, 1, 8, 30, tzinfo=dt.UTC)
    assert not first.truncated and len(first.paragraphs) == 4
    assert (
        first.paragraphs[-1]
        == "The first stations are due to go online before the spring irrigation season."
    )
    assert "“Now both sides will look at one screen.”" in first.body  # entities decoded
    assert second.title == "Freight Trains Start Running on the New Balykchy–Kochkor Line"
    assert not second.truncated and len(second.paragraphs) == 3


def test_a_russian_teaser_feed_gives_leads() -> None:
    metro, water = served("gazeta-ru-teaser.xml", "text/xml; charset=utf-8")
    assert metro.title == "В Ташкенте открыли две новые станции метро"
    assert metro.url == "https://www.gazeta.uz/ru/2026/12/01/metro-stations/"
    assert metro.published == dt.datetime(2026, 12, 1, 10, 20, tzinfo=dt.UTC)  # +0500 read
    # One lead paragraph, its entities (inside CDATA) decoded, no-break spaces plain.
    assert metro.paragraphs == (
        "На продолжении «Юнусабадской» линии ташкентского метрополитена 1 декабря начали "
        "принимать пассажиров станции «Туркестан» и «Янги Юнусабад». Поезда ходят с "
        "интервалом в семь минут.",
    )
    assert water.title.startswith("Узбекистан и Кыргызстан договорились")
    assert len(water.paragraphs) == 1 and "электроэнергию" in water.body


def test_an_english_teaser_feed_marks_cut_leads_truncated() -> None:
    exports, runway = served("uzdaily-en-teaser.xml")
    assert exports.truncated and exports.body.endswith("the largest buyers...")
    assert exports.url == (
        "https://www.uzdaily.uz/en/uzbekistans-exports-of-fruit-and-vegetables-up-18-in-ten-months/"
    )
    assert runway.title == "Samarkand airport to get a second runway by 2028"
    assert len(runway.paragraphs) == 1  # a one-sentence lead: the page has the story


def test_a_fetch_round_stores_a_full_text_feed(engine: Engine) -> None:
    """The whole round over the full-text shape: no excerpt, so no page is fetched."""
    now = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)

    async def scenario() -> list[str]:
        body = (FEEDS / "timesca-full.xml").read_bytes()
        async with serve({"/feed": text(body)}) as (base, served_log):
            fetcher = Fetcher(allow_private=True, limits=QUICK)
            rounds = FetchRound(
                engine, fetcher, interval=dt.timedelta(minutes=15), clock=lambda: now
            )
            try:
                report = await rounds.run([base + "/feed"], force=True)
            finally:
                await fetcher.close()
        assert report.sources[0].status == "ok" and report.sources[0].articles_new == 2
        return served_log.paths()

    assert sorted(set(asyncio.run(scenario()))) == ["/feed", "/robots.txt"]
    with engine.connect() as connection:
        rows = connection.execute(sql("SELECT title, url, body FROM article ORDER BY id")).all()
    assert [row[0] for row in rows] == [
        "Kazakhstan and Uzbekistan Agree on Joint Monitoring of the Syr Darya",
        "Freight Trains Start Running on the New Balykchy–Kochkor Line",
    ]
    assert (
        rows[1][1]
        == "https://timesca.com/freight-trains-start-running-on-the-new-balykchy-kochkor-line/"
    )
    assert "Kara-Keche" in rows[1][2]
