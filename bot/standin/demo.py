"""`newsbot demo`: the real bot, a local Bot API stand-in and a scripted chat.

No token and no internet: the sample snapshots are ingested into a temporary
SQLite file, the stand-in plays Telegram on loopback, and the same Application
`newsbot run` builds talks to it over HTTP. The chat is printed as a transcript.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from pydantic import SecretStr
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.standin.bot_api import FakeBotApi, SentMessage
from bot.standin.local_site import FeedItem, LocalSite, rss_feed
from bot.telegram.app import build_bot, serve
from storage.db import make_engine
from storage.migrate import upgrade_schema

DEMO_TOKEN = "123456789:DEMOdemoDEMOdemoDEMOdemoDEMOdemo123"
DEMO_CHAT = 4242
SAMPLES = Path(__file__).resolve().parents[2] / "tests" / "seeds"
SCRIPT: tuple[str, ...] = (
    "/start",
    "tap 🇰🇿",
    "tap 🇺🇿",
    "tap done",
    "/latest",
    "/digest",
    "/search Japan summit",
    "/settings",
)
# A second, Russian-language outlet on the local site, with stories written for the
# demo: a Russian reader's digest draws on both outlets, an English reader's on one.
RUSSIAN_OUTLET = "Дала Ньюс"
RUSSIAN_STORIES: tuple[tuple[str, str, str], ...] = (
    (
        "kz-grain",
        "Казахстан отправил первый состав с зерном в Иран по новой железной дороге",
        "Первый грузовой состав с казахстанским зерном отправился из Астаны в Иран по "
        "новой железной дороге через Туркменистан, сообщили в министерстве транспорта. "
        "Поезд везёт 3,5 тыс. т пшеницы. В министерстве ожидают, что к 2027 г. по маршруту "
        "будут перевозить до 5 млн т грузов в год.",
    ),
    (
        "uz-water",
        "В Узбекистане к весне обновят 800 км оросительных каналов",
        "Власти Узбекистана к весне обновят около 800 км оросительных каналов в "
        "Ферганской долине, сообщило министерство водного хозяйства. Работы обойдутся "
        "в 120 млн долл. США, т.е. почти вдвое дороже прошлогодних. «Мы сбережём до "
        "четверти воды, которая сейчас теряется», — сказал замминистра.",
    ),
)
# An answer is complete once the bot has been quiet this long: longer than the
# one second Telegram's per-chat limit puts between two messages of a long answer.
QUIET_SECONDS = 1.3
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>')
_TAG = re.compile(r"</?(b|i|u|s|code|pre|a)( [^>]*)?>")


class Transcript:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.bold = out.isatty()

    def _plain(self, text: str) -> str:
        # A linked title shows its link: "Title ↗ http://…".
        text = _LINK.sub(lambda m: f"{m.group(2)} ↗ {html.unescape(m.group(1))}", text)
        if self.bold:
            text = text.replace("<b>", "\033[1m").replace("</b>", "\033[0m")
        return html.unescape(_TAG.sub("", text))

    def user(self, text: str) -> None:
        print(f"\nyou ▸ {text}", file=self.out)

    def bot(self, message: SentMessage) -> None:
        label = "bot ✎ (edits its message)" if message.method == "editMessageText" else "bot ▸"
        body = self._plain(message.text).replace("\n", "\n      ")
        print(f"{label} {body}", file=self.out)
        markup = message.params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            print("      " + "  ".join(f"[ {b['text']} ]" for b in row), file=self.out)

    def toast(self, text: str) -> None:
        print(f"bot ▸ (a notice pops up) {text}", file=self.out)


class DemoChat:
    def __init__(self, api: FakeBotApi, transcript: Transcript, language_code: str | None) -> None:
        self.api, self.transcript, self.language_code = api, transcript, language_code

    def _buttons(self) -> list[tuple[str, str, int]]:
        for message in reversed(self.api.messages_to(DEMO_CHAT)):
            markup = message.params.get("reply_markup")
            if markup:
                rows = markup["inline_keyboard"]
                return [
                    (b["text"], b["callback_data"], message.message_id) for r in rows for b in r
                ]
        return []

    async def say(self, line: str) -> None:
        """A message, or `tap LABEL` to press the button whose label contains LABEL."""
        self.transcript.user(line)
        seen, answers = len(self.api.messages_to(DEMO_CHAT)), len(self.api.callback_answers)
        if line.lower().startswith("tap "):
            wanted = line[4:].strip().lower()
            # By label ("tap Kazakhstan", "tap 🇰🇿") or by its data ("tap done").
            match = [b for b in self._buttons() if wanted in b[0].lower() or wanted in b[1]]
            if not match:
                print("      (no such button here)", file=self.transcript.out)
                return
            _label, data, message_id = match[0]
            self.api.push_callback(DEMO_CHAT, message_id, data, first_name="Demo")
        else:
            self.api.push_message(
                DEMO_CHAT, line, first_name="Demo", language_code=self.language_code
            )
        await self._settle(seen, answers)
        for answer in self.api.callback_answers[answers:]:
            if answer.get("text"):
                self.transcript.toast(str(answer["text"]))
        for message in self.api.messages_to(DEMO_CHAT)[seen:]:
            self.transcript.bot(message)

    async def _settle(self, seen: int, answers: int, timeout: float = 10.0) -> None:
        def count() -> int:
            return len(self.api.messages_to(DEMO_CHAT)) + len(self.api.callback_answers)

        deadline = time.monotonic() + timeout
        last, quiet_since = count(), time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(0.02)
            now = count()
            if now != last:
                last, quiet_since = now, time.monotonic()
            elif now > seen + answers and time.monotonic() - quiet_since >= QUIET_SECONDS:
                return


async def run_demo(
    *,
    snapshots: Path = SAMPLES,
    interactive: bool = False,
    out: TextIO = sys.stdout,
    language: str = "en",
) -> None:
    from bot.news.ingest import ingest_paths  # the text stack loads only when needed

    files = sorted(snapshots.glob("*.txt")) if snapshots.is_dir() else [snapshots]
    with tempfile.TemporaryDirectory(prefix="newsbot-demo-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'demo.db'}"
        (Path(folder) / "snapshots").mkdir()  # the bot's watched folder: empty in the demo
        engine = make_engine(database_url)
        upgrade_schema(engine)
        report = await asyncio.to_thread(ingest_paths, engine, files, max_bytes=5_000_000)
        print(
            f"Ingested {report.articles_new} articles from {report.snapshots_new} sample "
            f"snapshots into a temporary SQLite file; Telegram is a local stand-in.",
            file=out,
        )
        site = LocalSite()
        feed_url = await _serve_feed(site, files)
        russian_url = _serve_russian_feed(site)
        fetched = await _fetch_once(engine, [feed_url, russian_url])
        print(
            f"A local news site serves them as an RSS feed at {feed_url}, beside a Russian"
            f" outlet's feed; one fetch linked or added {fetched} articles.",
            file=out,
        )
        api = FakeBotApi()
        await api.start()
        settings = Settings(
            telegram_bot_token=SecretStr(DEMO_TOKEN),
            telegram_api_url=api.base_url,
            database_url=database_url,
            snapshot_dir=str(Path(folder) / "snapshots"),
            admin_chat_ids=[DEMO_CHAT],
            sources=[feed_url, russian_url],
            sources_allow_private=True,  # the demo's site is on loopback
        )
        stop = asyncio.Event()
        bot = asyncio.create_task(serve(build_bot(settings, engine), stop))
        try:
            while not any(method.lower() == "getupdates" for method, _ in api.calls):
                if bot.done():
                    await bot  # start-up failed: raise its error
                await asyncio.sleep(0.02)
            # The demo user's Telegram speaks `language`: the bot answers in it.
            chat = DemoChat(api, Transcript(out), language_code=language)
            await (_interactive(chat, stop) if interactive else _scripted(chat, SCRIPT))
        finally:
            stop.set()
            await bot
            await api.stop()
            await site.stop()
            engine.dispose()


async def _serve_feed(site: LocalSite, files: Sequence[Path]) -> str:
    """The sample articles as an RSS feed on the local site, each with a page URL."""
    from bot.news.snapshot import parse_snapshot

    base = await site.start()
    items, seen = [], set()
    for path in files:
        for article in parse_snapshot(path.read_text(encoding="utf-8", errors="replace")).articles:
            slug = re.sub(r"[^a-z0-9]+", "-", article.title.lower()).strip("-")[:60]
            if slug not in seen:
                seen.add(slug)
                items.append(FeedItem(article.title, f"{base}/news/{slug}", article.body))
    site.documents["/feed"] = (rss_feed("Demo news", base, items), "application/rss+xml")
    return f"{base}/feed"


def _serve_russian_feed(site: LocalSite) -> str:
    base = site.base_url
    items = [FeedItem(title, f"{base}/ru/{slug}", text) for slug, title, text in RUSSIAN_STORIES]
    site.documents["/ru/feed"] = (rss_feed(RUSSIAN_OUTLET, base, items), "application/rss+xml")
    return f"{base}/ru/feed"


async def _fetch_once(engine: Engine, feeds: list[str]) -> int:
    """One fetch round over the demo's feeds; how many articles it linked or added."""
    import datetime as dt

    from bot.clock import system_clock
    from bot.sources.fetch_round import FetchRound
    from bot.sources.fetcher import Fetcher, FetchLimits

    fetcher = Fetcher(allow_private=True, limits=FetchLimits(host_interval=0))
    try:
        rounds = FetchRound(engine, fetcher, interval=dt.timedelta(minutes=15), clock=system_clock)
        report = await rounds.run(feeds, force=True)
    finally:
        await fetcher.close()
    return sum(s.articles_new + s.articles_updated for s in report.sources)


async def _scripted(chat: DemoChat, script: Sequence[str]) -> None:
    for line in script:
        await chat.say(line)


async def _interactive(chat: DemoChat, stop: asyncio.Event) -> None:
    print(
        "\nType commands (/help lists them) or `tap LABEL` to press a button; "
        "an empty line or Ctrl-D ends the demo.",
        file=chat.transcript.out,
    )
    while not stop.is_set():
        try:
            line = await asyncio.to_thread(input, "> ")
        except EOFError:
            return
        if not line.strip():
            return
        await chat.say(line.strip())
