"""Webhook mode: the stand-in POSTs updates to the real bot process, as Telegram would."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from bot.standin.bot_api import FakeBotApi
from tests.e2e.harness import TOKEN, BotProcess, Chat, free_port, post_json, wait_until

SECRET = "s3cret-Token_for_tests"
HOOK_PATH = "/telegram/hook"


@pytest.fixture
def webhook_env(bot_env: dict[str, str]) -> dict[str, str]:
    port = free_port()
    return {
        **bot_env,
        "WEBHOOK_URL": f"http://127.0.0.1:{port}{HOOK_PATH}",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": SECRET,
    }


def _forged_start(chat_id: int) -> bytes:
    chat = {"id": chat_id, "type": "private", "first_name": "Mallory"}
    message = {
        "message_id": 1,
        "date": 1_700_000_000,
        "chat": chat,
        "from": {"id": chat_id, "is_bot": False, "first_name": "Mallory"},
        "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    }
    return json.dumps({"update_id": 999_999, "message": message}).encode()


def test_updates_arrive_by_webhook_and_forged_ones_get_403(
    api: FakeBotApi, webhook_env: dict[str, str], tmp_path: Path
) -> None:
    bot = BotProcess(api, webhook_env, tmp_path / "bot.log").start()
    try:
        assert api.webhook is not None and api.webhook.secret_token == SECRET
        assert not any(method.lower() == "getupdates" for method, _ in api.calls)

        # Accepted: a real conversation, every update pushed to the webhook.
        alice = Chat(api, 501)
        [welcome] = alice.send("/start")
        assert welcome.text.startswith("Hello, Test!")
        [answer] = alice.send("/country kz")
        assert "Kazakhstan" in answer.text
        assert api.webhook.attempts and all(status == 200 for _, status in api.webhook.attempts)

        # Rejected: no secret header, a wrong one; neither reaches a handler.
        url = webhook_env["WEBHOOK_URL"]
        status, body = post_json(url, _forged_start(502), {})
        assert (status, body) == (403, {"ok": False, "error": "forbidden"})
        status, _ = post_json(url, _forged_start(502), {"X-Telegram-Bot-Api-Secret-Token": "guess"})
        assert status == 403
        # The right secret but not an update: refused, not crashed on.
        status, _ = post_json(url, b"\xff not json", {"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert status == 400
        # Chat 502's updates are handled in order: had the forged /start got through,
        # its welcome would come before this help text.
        mallory = Chat(api, 502)
        [only] = mallory.send("/help")
        assert only.text.startswith("<b>newsbot</b>")
        assert len(mallory.received()) == 1

        # Telegram's retry of an update already handled is acknowledged, not handled twice.
        secret = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        assert post_json(url, _forged_start(505), secret) == (200, {"ok": True})  # handled by now
        assert len(Chat(api, 505).received()) == 1
        assert post_json(url, _forged_start(505), secret) == (200, {"ok": True})
        assert Chat(api, 505).send("/help")[0].text.startswith("<b>newsbot</b>")
        assert len(Chat(api, 505).received()) == 2

        with urllib.request.urlopen(bot.health_url, timeout=5) as answer:
            assert answer.status == 200
            assert json.loads(answer.read()) == {
                "status": "ok",
                "bot": "running",
                "database": "ok",
            }
    finally:
        assert bot.stop() == 0
    # Other instances may still serve the URL: stopping must not delete the webhook.
    assert api.webhook is not None
    log = bot.log()
    assert "refused: wrong secret token" in log
    assert TOKEN.split(":")[1] not in log and SECRET not in log


def test_updates_sent_while_the_bot_was_down_arrive_after_restart(
    api: FakeBotApi, webhook_env: dict[str, str], tmp_path: Path
) -> None:
    """Telegram keeps retrying an undelivered update; none is lost across a restart.

    This one also logs as JSON (LOG_FORMAT=json): every line is an object, no secret in any."""
    webhook_env = {**webhook_env, "LOG_FORMAT": "json"}
    bot = BotProcess(api, webhook_env, tmp_path / "bot.log").start()
    chat = Chat(api, 503)
    chat.send("/start")
    bot.stop()
    api.push_message(503, "/settings")
    wait_until(
        lambda: any(status is None for _, status in api.webhook.attempts if api.webhook),
        "a delivery attempt to fail while the bot is down",
    )
    again = BotProcess(api, webhook_env, tmp_path / "bot2.log").start(wait=False)
    try:
        wait_until(lambda: len(chat.received()) == 2, "the queued update to be answered")
    finally:
        assert again.stop() == 0
    assert chat.received()[1].text.startswith("<b>Your settings</b>")
    lines = [json.loads(line) for line in (bot.log() + again.log()).splitlines()]
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    assert any("webhook" in line["message"] for line in lines)
    assert all(TOKEN.split(":")[1] not in str(line) and SECRET not in str(line) for line in lines)


def test_polling_flag_overrides_webhook_url(
    api: FakeBotApi, webhook_env: dict[str, str], tmp_path: Path
) -> None:
    """The Procfile's worker line: long polling even where WEBHOOK_URL is configured."""
    bot = BotProcess(api, webhook_env, tmp_path / "bot.log", "--polling").start()
    try:
        assert api.webhook is None
        assert any(method.lower() == "deletewebhook" for method, _ in api.calls)
        assert Chat(api, 504).send("/help")[0].text.startswith("<b>newsbot</b>")
    finally:
        assert bot.stop() == 0
    assert "(long polling)" in bot.log()
