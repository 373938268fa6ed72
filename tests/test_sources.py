"""Feeds and pages fetched from a local HTTP server: every answer a source may give.

Each case checks that nothing crashes, that the source's health records it, that
the other sources in the round are fetched, and that what is stored stays as it
was when a source answers with garbage.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gzip
import itertools
import socket
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import text as sql
from sqlalchemy.engine import Engine

from bot.news.articles import Publisher
from bot.news.ingest import ingest_paths
from bot.news.snapshot import Article
from bot.news.text_work import TextWork
from bot.sources import fetcher as fetcher_module
from bot.sources.fetch_round import FetchReport, FetchRound, next_try
from bot.sources.fetcher import Fetcher, FetchLimits, PublicOnlyResolver
from storage import repo, sources
from storage.db import open_session
from tests.sources_server import BRIDGE, FEED, TALKS, item, rss, serve, status, text

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
INTERVAL = dt.timedelta(minutes=15)
QUICK = FetchLimits(max_bytes=1_000_000, connect_timeout=2, total_timeout=2, host_interval=0)


def fetch(
    engine: Engine,
    routes: dict[str, Any],
    paths: list[str],
    *,
    limits: FetchLimits = QUICK,
    allow_private: bool = True,
    rounds: int = 1,
) -> tuple[list[FetchReport], list[str]]:
    """Serve `routes`, run `rounds` fetch rounds over `paths`; the reports and paths asked."""

    async def scenario() -> tuple[list[FetchReport], list[str]]:
        async with serve(routes) as (base, served):
            fetcher = Fetcher(
                allow_private=allow_private, contact="ops@steppe.example", limits=limits
            )
            runner = FetchRound(engine, fetcher, interval=INTERVAL, clock=lambda: NOW)
            try:
                reports = [
                    await runner.run([base + p for p in paths], force=True) for _ in range(rounds)
                ]
            finally:
                await fetcher.close()
            return reports, served.paths()

    return asyncio.run(scenario())


def health(engine: Engine) -> dict[str, Any]:
    with open_session(engine) as session:
        return {r.url.split("/", 3)[-1]: r for r in sources.all_sources(session=session)}


def stored(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(sql("SELECT title, body, url, source FROM article ORDER BY id"))
        return [tuple(row) for row in rows]


def test_a_feed_is_stored_with_links_and_then_answers_304(engine: Engine) -> None:
    async def feed(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(text=FEED, content_type="application/rss+xml", headers={"ETag": '"v1"'})

    (first, second), asked = fetch(engine, {"/feed": feed}, ["/feed"], rounds=2)
    assert first.as_json()["articles_new"] == 2
    assert second.sources[0].status == "not_modified" and second.sources[0].http_status == 304
    rows = stored(engine)
    assert (
        rows[0][0],
        rows[0][2],
    ) == ("Kazakhstan Opens a Bridge Over the Ili", "https://steppe.example/kz/bridge")
    assert rows[0][3] == "Steppe Wire"  # the outlet: the feed's own title (not in the catalog)
    source = health(engine)["feed"]
    assert source.kind == "feed" and source.failures == 0 and source.last_status == 304
    assert source.etag == '"v1"'
    assert asked.count("/robots.txt") == 1  # read once, kept for the hour


def test_304_after_last_modified(engine: Engine) -> None:
    stamp = "Tue, 01 Dec 2026 08:00:00 GMT"

    async def feed(request: web.Request) -> web.Response:
        if request.headers.get("If-Modified-Since") == stamp:
            return web.Response(status=304)
        return web.Response(text=FEED, content_type="text/xml", headers={"Last-Modified": stamp})

    (_, second), _ = fetch(engine, {"/feed": feed}, ["/feed"], rounds=2)
    assert second.sources[0].status == "not_modified"


@pytest.mark.parametrize("code", [404, 410, 500])
def test_http_errors_are_recorded_and_back_off(engine: Engine, code: int) -> None:
    reports, _ = fetch(engine, {"/feed": status(code)}, ["/feed"], rounds=2)
    result = reports[-1].sources[0]
    assert result.status == "failed" and result.http_status == code
    source = health(engine)["feed"]
    assert source.failures == 2 and source.last_status == code
    assert source.next_fetch_at == NOW + 2 * INTERVAL  # twice the interval after two in a row


def test_503_with_retry_after_is_honoured(engine: Engine) -> None:
    fetch(engine, {"/feed": status(503, **{"Retry-After": "7200"})}, ["/feed"])
    source = health(engine)["feed"]
    assert source.last_status == 503 and source.next_fetch_at == NOW + dt.timedelta(hours=2)


def test_backoff_doubles_up_to_six_hours() -> None:
    waits = [
        next_try(now=NOW, interval=INTERVAL, failures=n, retry_after=None) - NOW for n in range(12)
    ]
    assert waits[:4] == [INTERVAL, INTERVAL, 2 * INTERVAL, 4 * INTERVAL]
    assert max(waits) == dt.timedelta(hours=6)
    assert next_try(
        now=NOW, interval=INTERVAL, failures=1, retry_after=10**9
    ) - NOW == dt.timedelta(hours=6)


def _silent_server() -> tuple[socket.socket, int]:
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    return listener, listener.getsockname()[1]


def test_a_server_that_never_answers_times_out_and_others_are_still_fetched(engine: Engine) -> None:
    listener, port = _silent_server()

    async def scenario() -> FetchReport:
        async with serve({"/feed": text(FEED)}) as (base, _):
            fetcher = Fetcher(allow_private=True, limits=QUICK)
            runner = FetchRound(engine, fetcher, interval=INTERVAL, clock=lambda: NOW)
            try:
                return await runner.run(
                    [f"http://127.0.0.1:{port}/feed", base + "/feed"], force=True
                )
            finally:
                await fetcher.close()

    try:
        report = asyncio.run(scenario())
    finally:
        listener.close()
    silent, good = report.sources
    assert silent.status == "failed" and "timed out" in (silent.error or "")
    assert good.status == "ok" and good.articles_new == 2


def test_a_body_that_drips_is_cut_off_by_the_total_timeout(engine: Engine) -> None:
    async def drip(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/xml"})
        await response.prepare(request)
        for char in FEED:
            await response.write(char.encode())
            await asyncio.sleep(1)
        return response

    (report,), _ = fetch(engine, {"/feed": drip}, ["/feed"])
    assert report.sources[0].status == "failed" and "timed out" in (report.sources[0].error or "")


def test_a_50_mb_body_is_cut_off_at_the_cap(engine: Engine) -> None:
    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        chunk = b"<p>" + b"x" * 65_536 + b"</p>"
        for _ in range(50 * 16):
            await response.write(chunk)
        return response

    (report,), _ = fetch(engine, {"/page": huge}, ["/page"])
    assert report.sources[0].status == "failed" and "larger than" in (report.sources[0].error or "")


def test_a_gzip_bomb_is_cut_off_after_decompression(engine: Engine) -> None:
    bomb = gzip.compress(b"<p>" + b"0" * 200_000_000, compresslevel=9)  # 200 MB as ~200 kB

    async def handler(_: web.Request) -> web.Response:
        return web.Response(
            body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
        )

    (report,), _ = fetch(engine, {"/page": handler}, ["/page"])
    assert report.sources[0].status == "failed" and "decompressed" in (
        report.sources[0].error or ""
    )


def test_deflate_bodies_are_read(engine: Engine) -> None:
    body = zlib.compress(FEED.encode())
    handler = text(body, "text/xml; charset=utf-8", **{"Content-Encoding": "deflate"})
    (report,), _ = fetch(engine, {"/feed": handler}, ["/feed"])
    assert report.sources[0].articles_new == 2


def test_garbage_changes_nothing_stored(engine: Engine) -> None:
    fetch(engine, {"/feed": text(FEED)}, ["/feed"])
    before = stored(engine)
    routes = {
        "/broken": text("<rss><channel><item><title>Broken", "text/xml"),
        "/binary": text(bytes(range(256)) * 100, "application/octet-stream"),
        "/empty": text(""),
    }
    (report,), _ = fetch(engine, routes, ["/broken", "/binary", "/empty"])
    assert all(s.status in ("failed", "ok") for s in report.sources)
    assert {s.url.rsplit("/", 1)[-1]: s.status for s in report.sources}["binary"] == "failed"
    assert {s.url.rsplit("/", 1)[-1]: s.status for s in report.sources}["empty"] == "failed"
    assert stored(engine)[: len(before)] == before


def test_a_well_formed_feed_with_no_items_is_quiet_not_broken(engine: Engine) -> None:
    """A feed with nothing in it yet (a new section, a quiet week) is fetched as usual
    and not pushed back as a failure; one whose items are all unreadable is a failure."""
    empty = '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    untitled = rss(item(None, link="https://steppe.example/a"))
    (report,), _ = fetch(engine, {"/quiet": text(empty), "/untitled": text(untitled)},
                         ["/quiet", "/untitled"])  # fmt: skip
    statuses = {s.url.rsplit("/", 1)[-1]: (s.status, s.articles_new) for s in report.sources}
    assert statuses == {"quiet": ("ok", 0), "untitled": ("failed", 0)}
    assert health(engine)["quiet"].failures == 0
    assert health(engine)["untitled"].failures == 1
    (report,), _ = fetch(engine, {"/quiet": text(FEED)}, ["/quiet"])  # its first items
    assert report.sources[0].articles_new > 0


def test_malformed_xml_is_reported(engine: Engine) -> None:
    (report,), _ = fetch(
        engine, {"/feed": text("<rss><channel><item>&bogus;<<<</rss>", "text/xml")}, ["/feed"]
    )
    assert report.sources[0].status == "failed"
    assert health(engine)["feed"].failures == 1


def test_html_served_as_a_feed_is_read_as_a_page(engine: Engine) -> None:
    page = (
        "<html><head><title>Steppe Wire</title></head><body>"
        '<article><h2><a href="/kg/osh">Osh Opens a New Market</a></h2><p>The market in Osh opened on Friday.</p></article>'
        '<article><h2><a href="/tj/rogun">Rogun Adds a Turbine</a></h2><p>Tajikistan started a third turbine.</p></article>'
        "</body></html>"
    )
    (report,), _ = fetch(engine, {"/feed": text(page, "application/rss+xml")}, ["/feed"])
    assert report.sources[0].status == "ok" and report.sources[0].articles_new == 2
    assert health(engine)["feed"].kind == "page"
    assert {row[2].rsplit("/", 2)[-2:][0] for row in stored(engine)} == {"kg", "tj"}


def test_charsets_wrong_missing_and_cp1251(engine: Engine) -> None:
    def russian(title: str) -> str:
        return rss(
            item(
                title,
                link=f"https://steppe.example/ru/{len(title)}",
                description="Мост через Или открыт в понедельник.",
            )
        )

    routes = {
        "/wrong": text(
            russian("Казахстан открыл новый мост").encode("cp1251"), "text/xml; charset=utf-8"
        ),
        "/missing": text(
            russian("Казахстан открыл новый мост")
            .replace(' encoding="utf-8"', "")
            .encode("cp1251"),
            "text/xml",
        ),
        "/koi8": text(
            russian("Узбекистан открыл новую дорогу").replace("utf-8", "koi8-r").encode("koi8_r"),
            "text/xml",
        ),
    }
    (report,), _ = fetch(engine, routes, ["/wrong", "/missing", "/koi8"])
    wrong, missing, koi8 = report.sources
    assert wrong.status == "failed" and "utf-8" in (wrong.error or "")
    assert missing.status == "ok" and missing.articles_new == 1
    assert koi8.status == "ok"
    assert {row[0] for row in stored(engine)} == {
        "Казахстан открыл новый мост",
        "Узбекистан открыл новую дорогу",
    }


def test_a_redirect_loop_stops(engine: Engine) -> None:
    (report,), asked = fetch(
        engine, {"/a": status(302, Location="/b"), "/b": status(301, Location="/a")}, ["/a"]
    )
    assert report.sources[0].status == "failed" and "redirects" in (report.sources[0].error or "")
    assert asked.count("/a") + asked.count("/b") == 6  # the first request and five redirects


def test_a_redirect_to_a_private_address_is_refused(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test server is on 127.0.0.1: call it public here, and 10.x private as it is.
    real = fetcher_module._public
    monkeypatch.setattr(fetcher_module, "_public", lambda a: a == "127.0.0.1" or real(a))
    routes = {"/feed": status(302, Location="http://10.1.2.3/feed")}
    (report,), _ = fetch(engine, routes, ["/feed"], allow_private=False)
    assert report.sources[0].status == "failed"
    assert "10.1.2.3 is not a public address" in (report.sources[0].error or "")


def test_private_hosts_are_refused_unless_allowed(engine: Engine) -> None:
    (report,), asked = fetch(engine, {"/feed": text(FEED)}, ["/feed"], allow_private=False)
    assert report.sources[0].status == "failed" and "refused" in (report.sources[0].error or "")
    assert asked == []  # not even robots.txt was asked for

    async def resolve() -> None:
        resolver = PublicOnlyResolver()
        try:
            await resolver.resolve("localhost", 80)
        finally:
            await resolver.close()

    with pytest.raises(OSError, match="non-public"):
        asyncio.run(resolve())


def test_robots_txt_is_obeyed(engine: Engine) -> None:
    routes = {
        "/robots.txt": text("User-agent: *\nDisallow: /private\n", "text/plain"),
        "/private/feed": text(FEED),
        "/feed": text(FEED),
    }
    (report,), asked = fetch(engine, routes, ["/private/feed", "/feed"])
    private, public = report.sources
    assert private.status == "skipped" and "robots.txt" in (private.error or "")
    assert public.status == "ok"
    assert "/private/feed" not in asked


def test_one_request_a_second_per_host(engine: Engine) -> None:
    async def scenario() -> list[float]:
        async with serve({"/a": text(FEED), "/b": text(rss(TALKS))}) as (base, served):
            fetcher = Fetcher(allow_private=True, limits=FetchLimits(host_interval=1.0))
            runner = FetchRound(engine, fetcher, interval=INTERVAL, clock=lambda: NOW)
            try:
                await runner.run([base + "/a", base + "/b"], force=True)
            finally:
                await fetcher.close()
            return [t for _, _, t in served.requests]

    times = asyncio.run(scenario())
    assert len(times) == 3  # robots.txt, then the two feeds
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.95  # a lower bound: a busy machine only makes the gaps longer


def test_items_without_link_date_or_title_and_duplicate_guids(engine: Engine) -> None:
    feed = rss(
        item("No Link, Still a Story About Bishkek", date=None, description="Bishkek council met."),
        item(None, link="https://steppe.example/untitled", description="Untitled item"),
        BRIDGE,
        BRIDGE.replace("Kazakhstan Opens a Bridge Over the Ili", "A Copy With the Same GUID"),
    )
    (report,), _ = fetch(engine, {"/feed": text(feed)}, ["/feed"])
    assert report.sources[0].articles_new == 2
    rows = {row[0]: row for row in stored(engine)}
    assert rows["No Link, Still a Story About Bishkek"][2] is None
    assert "A Copy With the Same GUID" not in rows


def test_the_same_story_in_a_snapshot_and_a_feed_is_one_article(
    engine: Engine, tmp_path: Path
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "Kazakhstan Opens a Bridge Over the Ili\n\nKazakhstan opened a road bridge over the Ili river on Monday...\n",
        encoding="utf-8",
    )
    ingest_paths(engine, [page], max_bytes=100_000, clock=lambda: NOW)
    (report,), _ = fetch(engine, {"/feed": text(FEED)}, ["/feed"])
    assert report.sources[0].articles_new == 1 and report.sources[0].articles_updated == 1
    with open_session(engine) as session:
        bridge = repo.latest_articles(session=session, limit=10)
    linked = [a for a in bridge if a.title.startswith("Kazakhstan Opens")]
    assert len(linked) == 1 and linked[0].url == "https://steppe.example/kz/bridge"
    # The feed's whole text replaced the snapshot's cut one.
    assert "cuts the drive" in " ".join(linked[0].summary)


def test_two_outlets_with_the_same_headline_are_two_articles_with_two_links(
    engine: Engine,
) -> None:
    """The title is an identity only within one outlet: a second outlet's article
    with a word-for-word headline is stored beside the first, with its own link."""
    same = "Kyrgyzstan and Tajikistan Sign Their Border Treaty"
    body = "<p>The presidents of Kyrgyzstan and Tajikistan signed the border treaty in Bishkek on Tuesday.</p>"
    first = rss(item(same, link="https://steppe.example/treaty", content=body), title="Steppe Wire")
    second = rss(
        item(same, link="https://oasis.example/news/77", content=body), title="Oasis Daily"
    )
    (report,), _ = fetch(engine, {"/a": text(first), "/b": text(second)}, ["/a", "/b"])
    assert [s.articles_new for s in report.sources] == [1, 1]
    rows = sorted((r[2], r[3]) for r in stored(engine))
    assert rows == [
        ("https://oasis.example/news/77", "Oasis Daily"),
        ("https://steppe.example/treaty", "Steppe Wire"),
    ]
    # Fetched again, each outlet's article is recognised as itself.
    (again,), _ = fetch(engine, {"/a": text(first + " "), "/b": text(second + " ")}, ["/a", "/b"])
    assert [s.articles_new for s in again.sources] == [0, 0]


def test_each_article_is_stored_with_the_language_of_its_text(engine: Engine) -> None:
    english = item(
        "Uzbekistan Opens a Solar Plant Near Samarkand",
        link="https://steppe.example/uz/solar",
        content="<p>Uzbekistan opened a 200-megawatt solar plant near Samarkand on Friday, "
        "the energy ministry said. The plant will supply about 60,000 homes.</p>",
    )
    russian = item(
        "В Узбекистане открыли солнечную электростанцию под Самаркандом",
        link="https://steppe.example/ru/solar",
        content="<p>В пятницу под Самаркандом открыли солнечную электростанцию мощностью "
        "200 мегаватт, сообщило министерство энергетики. Станция обеспечит около 60 тыс. домов.</p>",
    )
    fetch(engine, {"/feed": text(rss(english, russian))}, ["/feed"])
    with engine.connect() as connection:
        found = dict(connection.execute(sql("SELECT url, language FROM article")).all())
    assert found == {
        "https://steppe.example/uz/solar": "en",
        "https://steppe.example/ru/solar": "ru",
    }


def test_the_cli_fetch_json_shape(
    engine: Engine,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import json

    from bot.__main__ import main

    async def scenario() -> tuple[int, str]:
        async with serve({"/feed": text(FEED), "/gone": status(410)}) as (base, _):
            monkeypatch.setenv("DATABASE_URL", database_url)
            monkeypatch.setenv("SOURCES_ALLOW_PRIVATE", "true")
            code = await asyncio.to_thread(
                main, ["fetch", base + "/feed", base + "/gone", "--json"]
            )
            return code, capsys.readouterr().out

    code, out = asyncio.run(scenario())
    report = json.loads(out)
    assert code == 0
    assert set(report) == {"sources", "articles_new", "articles_updated"}
    ok, gone = report["sources"]
    assert set(ok) == {"url", "status", "http_status", "articles_new", "articles_updated", "error"}
    assert (ok["status"], ok["articles_new"], gone["status"], gone["http_status"]) == (
        "ok",
        2,
        "failed",
        410,
    )
    assert main(["sources", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {
        "url",
        "kind",
        "last_fetch_at",
        "last_success_at",
        "last_status",
        "failures",
        "next_fetch_at",
    } <= set(listed[0])
    assert main(["fetch", "ftp://steppe.example/feed"]) == 2


def test_feed_and_page_text_keeps_its_non_ascii_characters() -> None:
    from bot.sources.feeds import parse_feed
    from bot.sources.pages import parse_page

    feed = parse_feed(
        rss(
            item(
                "Uzbekistan’s Reform",
                link="https://steppe.example/r",
                description="<p>Узбекистан’s президент «сказал».</p>",
            )
        ),
        "https://steppe.example/feed",
    )
    assert feed is not None and feed.articles[0].paragraphs == ("Узбекистан’s президент «сказал».",)
    page = parse_page(
        '<?xml version="1.0" encoding="koi8-r"?><html><body><h1>Заголовок</h1><p>Один.</p><p>Два.</p><p>Три — «ёж».</p></body></html>',
        "https://steppe.example/a",
    )
    assert page is not None and page.articles[0].paragraphs[-1] == "Три — «ёж»."


def test_an_excerpt_is_upgraded_from_its_own_page(engine: Engine) -> None:
    title = "Uzbek and Kyrgyz Ministers Meet on Water"

    async def feed(request: web.Request) -> web.Response:
        link = f"http://{request.host}/uz/water"
        excerpt = "The water ministers of Uzbekistan and Kyrgyzstan met in Osh [&#8230;]"
        return web.Response(
            text=rss(item(title, link=link, description=excerpt)), content_type="text/xml"
        )

    page = (
        "<html><body><nav><a href='/'>Home</a></nav><article><h1>Uzbek, Kyrgyz Ministers Meet on Water</h1>"
        "<p>The water ministers of Uzbekistan and Kyrgyzstan met in Osh on Tuesday.</p>"
        "<p>They agreed on summer releases from the Toktogul reservoir.</p>"
        "<p>Farmers in the Fergana valley depend on them.</p></article></body></html>"
    )
    routes = {"/feed": feed, "/uz/water": text(page, "text/html; charset=utf-8")}
    (report,), asked = fetch(engine, routes, ["/feed"])
    assert (report.sources[0].articles_new, report.sources[0].articles_updated) == (1, 1)
    ((stored_title, body, url, _),) = stored(engine)
    assert stored_title == title and "Farmers in the Fergana" in body and url.endswith("/uz/water")
    assert asked.count("/uz/water") == 1


def test_two_instances_fetch_a_due_source_once(engine: Engine) -> None:
    async def scenario() -> tuple[list[FetchReport], list[str]]:
        async with serve({"/feed": text(FEED)}) as (base, served):
            fetchers = [Fetcher(allow_private=True, limits=QUICK) for _ in range(2)]
            rounds = [FetchRound(engine, f, interval=INTERVAL, clock=lambda: NOW) for f in fetchers]
            try:
                reports = await asyncio.gather(*(r.run([base + "/feed"]) for r in rounds))
                again = await rounds[0].run([base + "/feed"])  # not due before the interval
            finally:
                for f in fetchers:
                    await f.close()
            return [*reports, again], served.paths()

    reports, asked = asyncio.run(scenario())
    statuses = sorted(r.sources[0].status for r in reports[:2])
    assert statuses == ["ok", "skipped"] and asked.count("/feed") == 1
    assert reports[2].sources[0].status == "skipped"
    assert health(engine)["feed"].next_fetch_at == NOW + INTERVAL


def test_a_host_that_never_accepts_the_connection_times_out(engine: Engine) -> None:
    # A listening socket whose backlog is full: the kernel drops further SYNs, so
    # connecting hangs as it does to a host that is down.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    limits = FetchLimits(connect_timeout=1, total_timeout=10, host_interval=0)

    async def scenario() -> FetchReport:
        fetcher = Fetcher(allow_private=True, limits=limits)
        runner = FetchRound(engine, fetcher, interval=INTERVAL, clock=lambda: NOW)
        try:
            return await runner.run([f"http://127.0.0.1:{port}/feed"], force=True)
        finally:
            await fetcher.close()

    try:
        report = asyncio.run(scenario())
    finally:
        for sock in [listener, *fillers]:
            sock.close()
    assert report.sources[0].status == "failed"
    assert "could not connect within 1 s" in (report.sources[0].error or "")


def test_stats_show_each_sources_health() -> None:
    from bot.telegram.texts import SourceHealth, stats_text
    from tests.telegram_html import html_problems

    text = stats_text(
        "en",
        {"active": 3},
        10,
        None,
        None,
        [
            SourceHealth("https://steppe.example/feed", 0, 200, NOW, None),
            SourceHealth(
                "https://broken.example/<feed>", 4, 503, None, "HTTP 503 <Service Unavailable>"
            ),
        ],
    )
    assert "✅ https://steppe.example/feed (HTTP 200" in text
    assert "⚠️ 4 failures in a row https://broken.example/&lt;feed&gt;" in text
    assert "HTTP 503 &lt;Service Unavailable&gt;" in text and html_problems(text) == []


class _CountingWork(TextWork):
    """Text work that notes the title of every article it prepares."""

    def __init__(self) -> None:
        super().__init__(workers=1)
        self.titles: list[str] = []

    def start_each(self, articles: Sequence[tuple[Article, Publisher]]) -> Any:
        self.titles += [article.title for article, _outlet in articles]
        return super().start_each(articles)

    def start_workers(self) -> None:
        self.titles.append("(workers started)")  # with one worker there is no pool


def test_a_feed_that_changed_prepares_only_what_storing_would_change(engine: Engine) -> None:
    """A feed that gained one item gives its others again: the item stored as it is costs
    no text work, a fuller text of a stored one is prepared and replaces it, and the new
    one is stored. Each prepared article is ~10 ms of one core (meaning included)."""
    lead = "Bishkek, Kyrgyzstan. The council met on Monday and agreed the new budget."
    rounds = [
        rss(item("Budget agreed", link="https://steppe.example/a", content=lead),
            item("Bridge opens", link="https://steppe.example/b", content="A short lead.")),
        rss(item("Budget agreed", link="https://steppe.example/a", content=lead),
            item("Bridge opens", link="https://steppe.example/b",
                 content="A short lead. Now the whole story, with every detail of the bridge."),
            item("Talks resume", link="https://steppe.example/c", content=lead + " Talks too.")),
    ]  # fmt: skip
    served = iter(rounds)

    async def feed(_: web.Request) -> web.Response:
        return web.Response(text=next(served), content_type="application/rss+xml")

    async def scenario() -> list[FetchReport]:
        async with serve({"/feed": feed}) as (base, _served):
            fetcher = Fetcher(allow_private=True, contact="ops@steppe.example", limits=QUICK)
            runner = FetchRound(engine, fetcher, interval=INTERVAL, clock=lambda: NOW, work=work)
            try:
                return [await runner.run([base + "/feed"], force=True) for _ in rounds]
            finally:
                await fetcher.close()

    work = _CountingWork()
    first, second = asyncio.run(scenario())
    # The first fetch starts the workers as the round begins (every item of it is new)
    # and prepares both items; the second, of a source fetched before, starts none and
    # prepares only the fuller text and the new item, oldest first (undated: in the
    # feed's order).
    assert work.titles == [
        "(workers started)", "Budget agreed", "Bridge opens", "Bridge opens", "Talks resume"
    ]
    assert (first.sources[0].articles_new, first.sources[0].articles_updated) == (2, 0)
    assert (second.sources[0].articles_new, second.sources[0].articles_updated) == (1, 1)
    assert [row[:2] for row in stored(engine)] == [
        ("Budget agreed", lead),
        ("Bridge opens", "A short lead. Now the whole story, with every detail of the bridge."),
        ("Talks resume", lead + " Talks too."),
    ]
