"""The stand-in must answer like Telegram, or tests built on it prove nothing."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bot.standin.bot_api import FakeBotApi

TOKEN = "123456:ABCdefGhIJKlmnoPQRstuVWXyz0123456789"


def with_server(
    test: Callable[[FakeBotApi, Callable[..., Awaitable[Any]]], Awaitable[None]],
) -> None:
    async def main() -> None:
        api = FakeBotApi()
        await api.start()
        async with aiohttp.ClientSession() as http:

            async def call(
                method: str, token: str = TOKEN, form: bool = False, **params: Any
            ) -> tuple[int, Any]:
                url = f"{api.base_url}{token}/{method}"
                if form:
                    data = {
                        k: json.dumps(v) if isinstance(v, dict | list) else str(v)
                        for k, v in params.items()
                    }
                    response = await http.post(url, data=data)
                else:
                    response = await http.post(url, json=params)
                return response.status, await response.json()

            try:
                await test(api, call)
            finally:
                await api.stop()

    asyncio.run(main())


def test_get_me_and_bad_token() -> None:
    async def test(api: FakeBotApi, call: Callable[..., Awaitable[Any]]) -> None:
        status, body = await call("getMe")
        assert status == 200 and body["ok"] and body["result"]["username"] == api.username
        status, body = await call("getMe", token="nonsense")
        assert (status, body["error_code"], body["ok"]) == (401, 401, False)
        status, body = await call("noSuchMethod")
        assert status == 404 and not body["ok"]

    with_server(test)


def test_send_message_json_and_form_are_recorded() -> None:
    async def test(api: FakeBotApi, call: Callable[..., Awaitable[Any]]) -> None:
        markup = {"inline_keyboard": [[{"text": "KZ", "callback_data": "c:KZ"}]]}
        status, body = await call("sendMessage", chat_id=42, text="<b>hi</b>", parse_mode="HTML")
        assert status == 200 and body["result"]["chat"]["id"] == 42
        status, body = await call(
            "sendMessage", form=True, chat_id=42, text="two", reply_markup=markup
        )
        assert body["result"]["reply_markup"] == markup
        assert [m.text for m in api.messages_to(42)] == ["<b>hi</b>", "two"]
        message_id = body["result"]["message_id"]
        status, body = await call("editMessageText", chat_id=42, message_id=message_id, text="2")
        assert status == 200 and api.sent[-1].method == "editMessageText"
        status, body = await call("editMessageText", chat_id=42, message_id=999, text="x")
        assert status == 400 and "not found" in body["description"]
        status, body = await call("sendMessage", chat_id=42, text="x" * 4097)
        assert status == 400 and "too long" in body["description"]

    with_server(test)


def test_blocked_chat_and_injected_faults() -> None:
    async def test(api: FakeBotApi, call: Callable[..., Awaitable[Any]]) -> None:
        api.block_chat(7)
        status, body = await call("sendMessage", chat_id=7, text="hello")
        assert status == 403 and body["description"] == "Forbidden: bot was blocked by the user"
        api.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
        status, body = await call("sendMessage", chat_id=8, text="hello")
        assert status == 429 and body["parameters"] == {"retry_after": 3}
        api.fail_next("sendMessage", 502, "Bad Gateway", chat_id=9, times=2)
        assert (await call("sendMessage", chat_id=8, text="a"))[0] == 200
        assert (await call("sendMessage", chat_id=9, text="a"))[0] == 502
        assert (await call("sendMessage", chat_id=9, text="a"))[0] == 502
        assert (await call("sendMessage", chat_id=9, text="a"))[0] == 200

    with_server(test)


def test_get_updates_long_polls_and_honours_offset() -> None:
    async def test(api: FakeBotApi, call: Callable[..., Awaitable[Any]]) -> None:
        started = time.monotonic()
        status, body = await call("getUpdates", timeout=0.3)
        assert body["result"] == [] and time.monotonic() - started >= 0.25

        async def later() -> None:
            await asyncio.sleep(0.1)
            api.push_message(5, "/latest kz")

        pending = asyncio.create_task(later())
        status, body = await call("getUpdates", timeout=5)
        assert status == 200
        await pending
        [update] = body["result"]
        message = update["message"]
        assert message["text"] == "/latest kz"
        assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 7}]
        api.push_callback(5, 1, "toggle:UZ")
        _status, body = await call("getUpdates", offset=update["update_id"] + 1, timeout=0)
        [callback] = body["result"]
        assert callback["callback_query"]["data"] == "toggle:UZ"
        _status, body = await call("getUpdates", offset=callback["update_id"] + 1, timeout=0)
        assert body["result"] == []

    with_server(test)


def test_python_telegram_bot_understands_the_stand_in() -> None:
    """PTB's own Bot parses every answer: results, 403 Forbidden, 429 RetryAfter."""
    import datetime as dt

    from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
    from telegram.error import BadRequest, Forbidden, RetryAfter

    async def main() -> None:
        api = FakeBotApi()
        await api.start()
        try:
            async with Bot(TOKEN, base_url=api.base_url) as bot:
                assert bot.username == api.username
                markup = InlineKeyboardMarkup([[InlineKeyboardButton("KZ", callback_data="c:KZ")]])
                sent = await bot.send_message(
                    42, "<b>hi</b>", parse_mode="HTML", reply_markup=markup
                )
                assert (
                    sent.chat_id == 42 and api.sent[-1].params["reply_markup"] == markup.to_dict()
                )
                await bot.edit_message_text("edited", chat_id=42, message_id=sent.message_id)
                api.push_message(42, "/start")
                [update] = await bot.get_updates(timeout=1)
                assert update.message is not None and update.message.text == "/start"
                assert update.message.entities[0].type == "bot_command"
                api.fail_next("sendMessage", 429, "Too Many Requests: retry after 5", retry_after=5)
                try:
                    await bot.send_message(42, "x")
                    raise AssertionError("429 not raised")
                except RetryAfter as error:
                    assert error.retry_after in (5, dt.timedelta(seconds=5))
                api.block_chat(43)
                try:
                    await bot.send_message(43, "x")
                    raise AssertionError("403 not raised")
                except Forbidden as error:
                    assert "blocked" in error.message
                try:
                    await bot.edit_message_text("x", chat_id=42, message_id=12345)
                    raise AssertionError("400 not raised")
                except BadRequest as error:
                    assert "not found" in error.message
        finally:
            await api.stop()

    asyncio.run(main())
