"""The bot process fetches its SOURCES on its own schedule and links what it found."""

from __future__ import annotations

from pathlib import Path

from bot.standin.bot_api import FakeBotApi
from bot.standin.local_site import FeedItem, ThreadedLocalSite, rss_feed
from storage import sources
from storage.models import SourceRecord
from tests.e2e.harness import BotProcess, Chat, read_db, wait_until

STORY = FeedItem(
    "Astana Opens a Cable Car to the Steppe Park",
    "https://steppe.example/kz/cable-car",
    "Astana opened a cable car to its new steppe park on Monday, the city said.\n\n"
    "The line carries 2,000 people an hour and is free for pupils in Kazakhstan.",
)


def test_the_bot_fetches_its_sources_and_links_titles(
    api: FakeBotApi, bot_env: dict[str, str], db_url: str, tmp_path: Path
) -> None:
    with ThreadedLocalSite() as site:
        site.documents["/feed"] = (
            rss_feed("Steppe Wire", site.base_url, [STORY]),
            "application/rss+xml",
        )
        env = {
            **bot_env,
            # Two sources, one of them missing (404): the other is fetched all the same.
            "SOURCES": f"{site.base_url}/feed, {site.base_url}/missing",
            "SOURCES_ALLOW_PRIVATE": "true",
            "FETCH_INTERVAL_MINUTES": "0.01",
        }
        process = BotProcess(api, env, tmp_path / "bot.log").start()
        try:

            def fetched() -> list[SourceRecord] | None:
                found = read_db(db_url, lambda db: sources.all_sources(session=db))
                return found if len([s for s in found if s.last_fetch_at]) == 2 else None

            known = wait_until(fetched, "both sources to be fetched")
            chat = Chat(api, 7001)
            chat.send("/start", expect=1)
            (reply,) = chat.send("/latest kz 3")
            chat.send("/country kz")
            digest = chat.send_all("/digest")
        finally:
            assert process.stop() == 0
    assert (
        '<a href="https://steppe.example/kz/cable-car">Astana Opens a Cable Car to the Steppe Park</a>'
        in reply.text
    )
    assert any('<a href="https://steppe.example/kz/cable-car">' in m.text for m in digest)
    health = {s.url.rsplit("/", 1)[-1]: s for s in known}
    assert health["missing"].last_status == 404 and health["missing"].failures >= 1
    assert "/feed" in site.requests and "Traceback" not in process.log()
