"""A news site on loopback: fixed documents over HTTP, with ETags and 304s, and an RSS writer.

`newsbot demo` serves the sample articles as a feed from it, and the end-to-end
tests serve their feeds from it, so the bot fetches over real HTTP without the
internet.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import hashlib
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from aiohttp import web


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    text: str
    published: dt.datetime | None = None


def rss_feed(title: str, link: str, items: Sequence[FeedItem]) -> str:
    """An RSS 2.0 document: each item with its link, GUID, date and whole text."""
    entries = []
    for item in items:
        date = (
            f"<pubDate>{email.utils.format_datetime(item.published)}</pubDate>"
            if item.published
            else ""
        )
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in item.text.split("\n\n") if p)
        entries.append(
            f"<item><title>{escape(item.title)}</title><link>{escape(item.link)}</link>"
            f"<guid>{escape(item.link)}</guid>{date}"
            f"<description>{escape(paragraphs)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(link)}</link>"
        + "".join(entries)
        + "</channel></rss>\n"
    )


class LocalSite:
    """Serves `documents` (path -> (body, content type)) on 127.0.0.1."""

    def __init__(self, documents: Mapping[str, tuple[str, str]] | None = None) -> None:
        self.documents: dict[str, tuple[str, str]] = dict(documents or {})
        self.requests: list[str] = []
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        found = self.documents.get(request.path)
        if found is None:
            return web.Response(status=404)
        body, content_type = found
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(
            body=body.encode(), headers={"Content-Type": content_type, "ETag": etag}
        )

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


class ThreadedLocalSite:
    """`LocalSite` on its own thread and loop, for code that is not async (tests)."""

    def __init__(self, documents: Mapping[str, tuple[str, str]] | None = None) -> None:
        self.site = LocalSite(documents)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> LocalSite:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.site.start(), self._loop).result(timeout=10)
        return self.site

    def __exit__(self, *_exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.site.stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
