"""A local HTTP server for the source tests, and feeds and pages written for them.

Every feed and page here is invented; the server runs on 127.0.0.1 inside the
test's own event loop, so no test reaches the internet.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def rss(*items: str, title: str = "Steppe Wire") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{title}</title><link>https://steppe.example/</link>"
        + "".join(items)
        + "</channel></rss>"
    )


def item(
    title: str | None,
    *,
    link: str | None = None,
    guid: str | None = None,
    date: str | None = "Tue, 01 Dec 2026 08:00:00 GMT",
    description: str | None = None,
    content: str | None = None,
) -> str:
    parts = ["<item>"]
    if title is not None:
        parts.append(f"<title>{title}</title>")
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if guid is not None:
        parts.append(f"<guid>{guid}</guid>")
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    if description is not None:
        parts.append(f"<description><![CDATA[{description}]]></description>")
    if content is not None:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    parts.append("</item>")
    return "".join(parts)


BRIDGE = item(
    "Kazakhstan Opens a Bridge Over the Ili",
    link="https://steppe.example/kz/bridge?utm_source=rss#comments",
    guid="steppe-1",
    content="<p>Kazakhstan opened a road bridge over the Ili river on Monday, officials in Almaty said.</p>"
    "<p>The bridge cost $40 million and cuts the drive to the Chinese border by an hour.</p>",
)
TALKS = item(
    "Uzbek and Kyrgyz Ministers Meet on Water",
    link="https://steppe.example/uz/water",
    guid="steppe-2",
    description="The water ministers of Uzbekistan and Kyrgyzstan met in Osh to agree on summer releases from the Toktogul reservoir [&#8230;]",
)
FEED = rss(BRIDGE, TALKS)


@dataclass
class Served:
    """What the server was asked: (path, request headers, monotonic time)."""

    requests: list[tuple[str, dict[str, str], float]] = field(default_factory=list)

    def paths(self) -> list[str]:
        return [path for path, _, _ in self.requests]


@asynccontextmanager
async def serve(routes: dict[str, Handler]) -> AsyncIterator[tuple[str, Served]]:
    """Serve `routes` (path -> handler) on 127.0.0.1; yields the base URL and the log."""
    served = Served()

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        served.requests.append(
            (request.path, dict(request.headers), asyncio.get_running_loop().time())
        )
        return await handler(request)

    app = web.Application(middlewares=[record])
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    if "/robots.txt" not in routes:
        app.router.add_get("/robots.txt", status(404))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", served
    finally:
        await runner.cleanup()


def text(
    body: str | bytes, content_type: str = "application/rss+xml; charset=utf-8", **headers: str
) -> Handler:
    async def handler(_: web.Request) -> web.Response:
        data = body.encode("utf-8") if isinstance(body, str) else body
        return web.Response(body=data, headers={"Content-Type": content_type, **headers})

    return handler


def status(code: int, **headers: str) -> Handler:
    async def handler(_: web.Request) -> web.Response:
        return web.Response(status=code, headers=headers)

    return handler


def http_date(when: dt.datetime) -> str:
    return when.strftime("%a, %d %b %Y %H:%M:%S GMT")
