"""The real `newsbot run` process against the Bot API stand-in, driven from a test."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import ClassVar, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot import prefs as rules
from bot.standin.bot_api import FakeBotApi, SentMessage
from storage import subscribers
from storage.db import make_engine, open_session
from storage.models import DigestDelivery
from tests.telegram_html import html_problems

T = TypeVar("T")
TOKEN = "123456789:AAHfakeTokenForTests_abcdefghijklmnop"
WAIT_SECONDS = 15.0
HELP_START = "<b>newsbot</b>: "

# A listing page with one article, none of the seeds: it shows up alone in a digest.
ONE_ARTICLE_SNAPSHOT = """Viewing results 1 - 6 of 80

Kazakhstan Opens a Hydrogen Research Centre in Karaganda

Kazakhstan has opened its first hydrogen research centre in Karaganda, the Ministry of Energy said on Monday. The centre will test electrolysers powered by wind farms in the Karaganda region and train engineers for Kazakhstan's planned export projects. Officials in Astana said the first pilot plant should start in 2027.
"""


def next_local(now: dt.datetime, zone: str, at: dt.time) -> dt.datetime:
    """The first instant after `now` when the wall clock in `zone` shows `at`, in UTC.

    Worked out here from the zone's rules, independently of the bot's own code,
    so a test states what it expects rather than echoing the implementation."""
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    for days in range(3):  # a local time recurs within two days, whatever DST does
        candidate = dt.datetime.combine(today + dt.timedelta(days=days), at, tz)
        if candidate.astimezone(dt.UTC) > now:
            return candidate.astimezone(dt.UTC)
    raise AssertionError(f"{at} never comes in {zone}")


def wait_until(check: Callable[[], T], what: str, timeout: float = WAIT_SECONDS) -> T:
    """Poll `check` until it returns something truthy; fail with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def post_json(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    """POST as Telegram posts to a webhook; the status and the JSON answer."""
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def add_subscribers(db_url: str, chat_ids: range, due: dt.datetime) -> None:
    """Chats following KZ and UZ, digest at 09:00 Almaty, first due at `due`.

    They read the three-sentence summaries (`/brief full`): digests of several
    messages, which the delivery tests need (per-chat pacing, parts sent once).
    """
    engine = make_engine(db_url)
    with open_session(engine) as session, session.begin():
        for chat_id in chat_ids:
            subscribed = due - dt.timedelta(hours=1)
            fresh = rules.new_chat(chat_id, "private", dt.time(9, 0), "Asia/Almaty", now=subscribed)
            subscribers.change_chat(
                session=session,
                chat_id=chat_id,
                create=fresh,
                change=lambda p, at=subscribed: rules.set_brevity(  # type: ignore[misc]
                    rules.set_countries(p, ("KZ", "UZ"), at), "full"
                ),
            )
    engine.dispose()


def read_db(db_url: str, query: Callable[[Session], T]) -> T:
    """Look at what the bot process stored (a separate connection, as an operator would)."""
    engine = make_engine(db_url)
    try:
        with open_session(engine) as session:
            return query(session)
    finally:
        engine.dispose()


def all_digests_sent(db_url: str, count: int) -> list[DigestDelivery] | None:
    """The ledger's rows once there are `count` and every one is sent; else None (for wait_until)."""
    rows = read_db(db_url, lambda s: list(s.exec(select(DigestDelivery))))
    return rows if len(rows) == count and all(r.state == "sent" for r in rows) else None


class FakeClock:
    """The bot's notion of "now" (FAKE_CLOCK_FILE): tests move it instead of waiting."""

    def __init__(self, path: Path, now: dt.datetime) -> None:
        self.path = path
        self.set(now)

    def set(self, now: dt.datetime) -> None:
        self.now = now
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(now.isoformat(), encoding="utf-8")
        temporary.replace(self.path)  # atomic: the bot never reads a half-written time

    def advance(self, **delta: float) -> None:
        self.set(self.now + dt.timedelta(**delta))


class BotProcess:
    """`python -m bot run`, configured only by its environment, logging to a file.

    Every process started is remembered in `started`, so a test that fails (or
    forgets) before stopping one does not leave it running: conftest kills them."""

    started: ClassVar[list[BotProcess]] = []

    def __init__(self, api: FakeBotApi, env: Mapping[str, str], log_path: Path, *args: str) -> None:
        self.api, self.env, self.log_path, self.args = api, dict(env), log_path, args
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *, wait: bool = True) -> BotProcess:
        polls_before = self._polls()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", *self.args],
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        BotProcess.started.append(self)
        if wait and self.env.get("WEBHOOK_URL") and "--polling" not in self.args:
            wait_until(self._serving_webhook, "the bot to serve its webhook")
        elif wait:
            wait_until(lambda: self._polls() > polls_before, "the bot to poll for updates")
        return self

    def _serving_webhook(self) -> bool:
        """Registered with the stand-in, and its health endpoint says so (it listens)."""
        if self.api.webhook is None or self.api.webhook.url != self.env["WEBHOOK_URL"]:
            return False
        try:
            with urllib.request.urlopen(self.health_url, timeout=1) as answer:
                return bool(answer.status == 200)
        except OSError:
            return False

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.env['WEBHOOK_PORT']}/healthz"

    def _polls(self) -> int:
        return sum(1 for method, _ in list(self.api.calls) if method.lower() == "getupdates")

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=20)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=20)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


class Chat:
    """One chat with the bot: send text or tap buttons, then read what came back."""

    def __init__(
        self,
        api: FakeBotApi,
        chat_id: int,
        *,
        chat_type: str = "private",
        language_code: str | None = None,
        thread_id: int | None = None,
    ) -> None:
        self.api, self.chat_id, self.chat_type = api, chat_id, chat_type
        self.language_code = language_code  # the user's Telegram language ("ru", "en"…)
        self.thread_id = thread_id  # messages are sent in this forum topic

    def _push(self, text: str, user_id: int | None) -> None:
        self.api.push_message(
            self.chat_id,
            text,
            user_id=user_id,
            chat_type=self.chat_type,
            language_code=self.language_code,
            thread_id=self.thread_id,
        )

    def received(self) -> list[SentMessage]:
        return self.api.messages_to(self.chat_id)

    def send(self, text: str, *, expect: int = 1, user_id: int | None = None) -> list[SentMessage]:
        """Send `text`; return the `expect` messages (or edits) the bot answers with."""
        before = len(self.received())
        self._push(text, user_id)
        if expect == 0:
            return []
        wait_until(lambda: len(self.received()) >= before + expect, f"an answer to {text!r}")
        return self.received()[before:]

    def send_all(self, text: str, *, user_id: int | None = None) -> list[SentMessage]:
        """Send `text` and return its whole answer, however many messages it takes.

        A chat's updates are handled in order, so a /help sent right after marks
        the end: everything before the help text answers `text`.
        """
        before = len(self.received())
        self._push(text, user_id)
        self._push("/help", user_id)

        def help_index() -> int | None:
            answers = self.received()[before:]
            found = [i for i, m in enumerate(answers) if m.text.startswith(HELP_START)]
            return found[0] + 1 if found else None  # +1: index 0 is a valid answer

        end = wait_until(help_index, f"the whole answer to {text!r}") - 1
        return self.received()[before : before + end]

    def tap(
        self,
        data: str,
        *,
        message_id: int | None = None,
        user_id: int | None = None,
        expect: int = 1,
    ) -> str:
        """Press an inline button and wait for its answer and `expect` edits or messages;
        return the text of the callback's answer."""
        if message_id is None:
            message_id = self.keyboard_message().message_id
        answered, before = len(self.api.callback_answers), len(self.received())
        self.api.push_callback(
            self.chat_id, message_id, data, user_id=user_id, chat_type=self.chat_type
        )
        wait_until(lambda: len(self.api.callback_answers) > answered, f"an answer to tap {data}")
        wait_until(lambda: len(self.received()) >= before + expect, f"the edit after {data}")
        return str(self.api.callback_answers[answered].get("text") or "")

    def keyboard_message(self) -> SentMessage:
        return next(m for m in reversed(self.received()) if "reply_markup" in m.params)

    def buttons(self, message: SentMessage | None = None) -> list[tuple[str, str]]:
        message = message or self.keyboard_message()
        rows = message.params["reply_markup"]["inline_keyboard"]
        return [(b["text"], b["callback_data"]) for row in rows for b in row]


def subscribed(api: FakeBotApi, chat_id: int, *commands: str, **options: object) -> Chat:
    """A chat that has sent `commands` (each answered); `options` as for `Chat`."""
    chat = Chat(api, chat_id, **options)  # type: ignore[arg-type]
    for command in commands:
        chat.send(command)
    return chat


def check_replies(chat: Chat, expected: Mapping[str, str]) -> list[SentMessage]:
    """Send each command; its one reply must contain the expected text and be valid
    Telegram HTML. Returns the replies, in order."""
    replies = []
    for command, wanted in expected.items():
        [reply] = chat.send(command)
        assert wanted in reply.text, (command, reply.text)
        assert not html_problems(reply.text), reply.text
        replies.append(reply)
    return replies
