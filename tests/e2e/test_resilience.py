"""Restarts, Telegram's errors and secrets: the bot keeps its word and its token."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bot.standin.bot_api import FakeBotApi
from storage.db import make_engine, open_session
from storage.subscribers import get_chat
from tests.e2e.conftest import ADMIN_ID
from tests.e2e.harness import TOKEN, BotProcess, Chat, free_port, wait_until


def _status(db_url: str, chat_id: int) -> str | None:
    engine = make_engine(db_url)
    with open_session(engine) as session:
        prefs = get_chat(session=session, chat_id=chat_id)
    engine.dispose()
    return prefs.status if prefs else None


def test_restart_keeps_every_preference(
    api: FakeBotApi, bot_env: dict[str, str], tmp_path: Path
) -> None:
    first = BotProcess(api, bot_env, tmp_path / "first.log").start()
    chat = Chat(api, 701)
    chat.send("/start")
    chat.send("/country tm af")
    chat.send("/time 06:45")
    chat.send("/timezone Europe/Paris")
    [before] = chat.send("/settings")
    assert first.stop() == 0

    second = BotProcess(api, bot_env, tmp_path / "second.log").start()
    try:
        [after] = chat.send("/settings")
        assert after.text == before.text
        assert (
            "🇹🇲 Turkmenistan, 🇦🇫 Afghanistan" in after.text and "06:45 Europe/Paris" in after.text
        )
    finally:
        second.stop()


def test_token_never_reaches_the_log(api: FakeBotApi, bot: BotProcess) -> None:
    chat = Chat(api, 702)
    chat.send("/start")
    chat.tap("country:KZ")
    chat.send("/latest")
    chat.send("/nonsense")
    api.fail_next("sendMessage", 502, "Bad Gateway", chat_id=702)
    chat.send("/help")
    assert bot.stop() == 0
    log = bot.log()
    assert " DEBUG " in log and "Bad Gateway" in log  # it did log, verbosely
    secret = TOKEN.split(":", 1)[1]
    assert TOKEN not in log and secret not in log
    assert "httpx" not in log  # the request log that prints URLs stays silent


def test_blocked_chat_becomes_inactive(api: FakeBotApi, bot: BotProcess, db_url: str) -> None:
    chat = Chat(api, 703)
    chat.send("/start")
    chat.send("/country uz")
    api.block_chat(703)
    chat.send("/latest", expect=0)
    wait_until(lambda: _status(db_url, 703) == "blocked", "the chat to be marked inactive")
    [stats] = Chat(api, ADMIN_ID).send("/stats")
    assert "0 active, 0 paused, 1 inactive" in stats.text
    assert "chat 703 is gone" in bot.log()
    # They unblock the bot and come back: /start makes them active again.
    api.blocked.discard(703)
    chat.send("/start")
    assert _status(db_url, 703) == "active"


def test_replies_survive_429_and_5xx(api: FakeBotApi, bot: BotProcess) -> None:
    chat = Chat(api, 704)
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    started = time.monotonic()
    [reply] = chat.send("/help")
    assert time.monotonic() - started >= 1.0 and "/latest — " in reply.text
    api.fail_next("sendMessage", 502, "Bad Gateway", chat_id=704, times=2)
    [reply] = chat.send("/settings")
    assert reply.text.startswith("You're not subscribed yet")
    assert "retry in" in bot.log()


def test_bad_tokens_exit_with_one_line(api: FakeBotApi, bot_env: dict[str, str]) -> None:
    def run(**changes: str | None) -> subprocess.CompletedProcess[str]:
        env = {**bot_env, **{k: v for k, v in changes.items() if v is not None}}
        for name in [k for k, v in changes.items() if v is None]:
            env.pop(name)
        import os

        base = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
        return subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            env={**base, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )

    missing = run(TELEGRAM_BOT_TOKEN=None)
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [
        "newsbot: error: TELEGRAM_BOT_TOKEN is not set (ask @BotFather for one)"
    ]
    malformed = run(TELEGRAM_BOT_TOKEN="not-a-token")
    assert malformed.returncode == 2 and "TELEGRAM_BOT_TOKEN is malformed" in malformed.stderr
    assert "not-a-token" not in malformed.stderr
    api.accepted_token = TOKEN
    refused = run(TELEGRAM_BOT_TOKEN="987654321:AAHanotherWellFormedTokenButRevoked12")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1] == (
        "newsbot: error: Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized)"
    )
    assert "Traceback" not in refused.stderr


def test_sigterm_while_telegram_is_unreachable_stops_at_once(
    api: FakeBotApi, bot_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**bot_env, "TELEGRAM_API_URL": f"http://127.0.0.1:{free_port()}/bot"}  # nobody there
    bot = BotProcess(api, env, tmp_path / "bot.log").start(wait=False)
    wait_until(lambda: "unreachable" in bot.log(), "the bot to retry start-up")
    started = time.monotonic()
    assert bot.stop() == 0
    assert time.monotonic() - started < 5  # not after the next retry, which may be 30 s away
    assert "stopped while waiting for Telegram" in bot.log()
