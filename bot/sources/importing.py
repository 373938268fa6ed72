"""OPML in and out, between the sources and the bot (its shell: `bot.sources.opml` reads
and writes the files). One path for `newsbot sources --opml / --import` and for an
operator's `/source export` and `/source import` in Telegram.

Each feed of an imported file that the bot does not fetch yet is tried once, as
`/source add` tries a URL (the fetcher's guards: scheme, private addresses, size; and
something readable), IMPORT_CONCURRENCY at a time; those that answer are added under
the file's names, the others are reported with their reason and left out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.sources.catalog import outlet_for_url
from bot.sources.fetch_round import publisher
from bot.sources.opml import OpmlFeed
from storage.models import SourceRecord

IMPORT_CONCURRENCY = 4  # feeds tried at once


@dataclass(frozen=True)
class Imported:
    feed: OpmlFeed
    status: str  # "added", "known" (fetched already) or "failed"
    detail: str = ""  # the number of articles read, or why it failed


def feeds_to_export(
    urls: Sequence[str], records: Sequence[SourceRecord], displays: Mapping[str, str]
) -> list[OpmlFeed]:
    """The sources a round fetches (`urls`, in order) as OPML feeds: each named by the
    catalog, else by its operator, else as its articles are (`displays`: outlet key →
    name, the feed's own title), else by its host."""
    named = {record.url: record.name for record in records}
    found = []
    for url in urls:
        outlet = outlet_for_url(url)
        title = (
            (outlet.display if outlet else None)
            or named.get(url)
            or displays.get(publisher(url).key)
            or urlsplit(url).hostname
        )
        language = outlet.languages[0] if outlet and outlet.languages else None
        home = outlet.home if outlet else None
        found.append(OpmlFeed(title or url, url, home, language))
    return found


async def import_feeds(
    feeds: Sequence[OpmlFeed],
    *,
    known: set[str],
    try_feed: Callable[[str], Awaitable[int]],
    add: Callable[[OpmlFeed], Awaitable[None]],
) -> list[Imported]:
    """Each feed's outcome, in the file's order: `known` URLs are left as they are;
    the others are tried (`try_feed`: the articles read, or an exception saying why)
    and added (`add`) when they answer."""
    gate = asyncio.Semaphore(IMPORT_CONCURRENCY)

    async def one(feed: OpmlFeed) -> Imported:
        if feed.url in known:
            return Imported(feed, "known")
        async with gate:
            try:
                count = await try_feed(feed.url)
            except Exception as error:  # a feed that does not answer is reported, not fatal
                return Imported(feed, "failed", str(error)[:200] or type(error).__name__)
        await add(feed)
        return Imported(feed, "added", str(count))

    return list(await asyncio.gather(*(one(feed) for feed in feeds)))
