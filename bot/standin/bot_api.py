"""A local stand-in for the Telegram Bot API, speaking its real HTTP JSON.

Telegram is unreachable from tests and demos, so the real bot process talks to
this server over HTTP exactly as it would to api.telegram.org:
`POST {base}/bot<token>/<method>` with JSON or form fields, answered with
`{"ok": true, "result": ...}` or `{"ok": false, "error_code": ..., "description": ...}`.

The owner (a test, the demo) drives it in-process: `push_message` and
`push_callback` queue updates for `getUpdates`; `fail_next` and `block_chat`
inject Telegram's real error answers; `sent` records every message the bot
sent, with a timestamp.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.standin.flood_control import FloodControl, FloodRules
from bot.standin.webhook_pusher import Webhook, push_updates

JSON = dict[str, Any]
_TOKEN = re.compile(r"^\d{3,}:[\w-]{20,}$")
_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(?:@\w+)?")
# Form-encoded requests carry nested objects as JSON strings.
_JSON_FIELDS = {
    *("reply_markup", "commands", "allowed_updates", "link_preview_options", "scope"),
    "results",
}


@dataclass
class SentMessage:
    method: str  # "sendMessage" or "editMessageText"
    chat_id: int
    message_id: int
    text: str
    at: float  # time.monotonic() when the server accepted it
    params: JSON = field(default_factory=dict)


@dataclass
class Fault:
    method: str
    error_code: int
    description: str
    retry_after: int | None = None
    chat_id: int | None = None
    remaining: int = 1


class FakeBotApi:
    """State and handlers of the stand-in; `start()` serves it on loopback."""

    def __init__(
        self,
        *,
        bot_id: int = 100200300,
        username: str = "newsbot_test_bot",
        flood: FloodRules | None = None,
    ) -> None:
        self.bot_id = bot_id
        self.flood = FloodControl(flood or FloodRules())  # Telegram's 429s, per chat and in all
        self.username = username
        self.sent: list[SentMessage] = []
        self.calls: list[tuple[str, JSON]] = []
        self.commands: list[JSON] = []  # the default menu
        self.menus: dict[str, list[JSON]] = {}  # by language_code
        self.callback_answers: list[JSON] = []
        self.inline_answers: list[JSON] = []  # answerInlineQuery calls, in order
        self.blocked: set[int] = set()
        self.chat_admins: dict[int, set[int]] = {}
        # Supergroups with topics: their open topics' message_thread_ids.
        self.forum_topics: dict[int, set[int]] = {}
        self.channels: dict[str, int] = {}  # public channels: username (no "@") -> chat id
        self.files: dict[str, bytes] = {}  # documents users sent, by file_id (getFile)
        self.accepted_token: str | None = None  # when set, any other token gets 401
        self.loop: asyncio.AbstractEventLoop | None = None  # set when served from a thread
        self._faults: list[Fault] = []
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._closing = False
        self.webhook: Webhook | None = None  # set by setWebhook: updates are pushed, not polled
        self._pusher: asyncio.Task[None] | None = None

    # -- driving it ------------------------------------------------------------------------

    def push_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Test",
        language_code: str | None = None,
        thread_id: int | None = None,
    ) -> JSON:
        message = self.user_message(chat_id, text, user_id=user_id, chat_type=chat_type,
                                    first_name=first_name, language_code=language_code,
                                    thread_id=thread_id)  # fmt: skip
        return self._push({"message": message})

    def push_document(
        self,
        chat_id: int,
        file_name: str,
        content: bytes,
        *,
        caption: str | None = None,
        user_id: int | None = None,
        mime_type: str = "application/octet-stream",
    ) -> JSON:
        """A user sends a file (a document), with `caption` under it; the bot reads it
        with getFile and a download from /file/bot<token>/<file_path>."""
        file_id = f"doc{next(self._message_ids)}"
        self.files[file_id] = content
        message = self.user_message(chat_id, None, user_id=user_id)
        message["document"] = {"file_id": file_id, "file_unique_id": f"u{file_id}",
                               "file_name": file_name, "mime_type": mime_type,
                               "file_size": len(content)}  # fmt: skip
        if caption is not None:
            message["caption"] = caption
            if command := _COMMAND.match(caption):
                message["caption_entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(command.group(0))}
                ]
        return self._push({"message": message})

    def open_topic(self, chat_id: int, thread_id: int) -> None:
        """A forum topic in supergroup `chat_id` (the chat becomes a forum)."""
        self.forum_topics.setdefault(chat_id, set()).add(thread_id)

    def add_channel(
        self, username: str, chat_id: int, *, admins: set[int], bot_is_admin: bool = True
    ) -> None:
        """A public channel @username whose administrators are `admins` (and the bot)."""
        self.channels[username.lower()] = chat_id
        self.chat_admins[chat_id] = set(admins) | ({self.bot_id} if bot_is_admin else set())

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """Sends into the topic answer 400 "message thread not found" from now on."""
        self.forum_topics.get(chat_id, set()).discard(thread_id)

    def user_message(
        self,
        chat_id: int,
        text: str | None,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Test",
        language_code: str | None = None,
        thread_id: int | None = None,
    ) -> JSON:
        """A message from a user as Telegram shows it to the bot (`text` None: no text);
        `thread_id`: sent in that topic of a forum supergroup."""
        user_id = user_id if user_id is not None else chat_id
        sender: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            sender["language_code"] = language_code  # the user's Telegram app language
        message: JSON = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": _chat(chat_id, chat_type, first_name),
            "from": sender,
        }
        if chat_id in self.forum_topics:
            message["chat"]["is_forum"] = True
        if thread_id is not None:
            message["message_thread_id"], message["is_topic_message"] = thread_id, True
        if text is not None:
            message["text"] = text
            if command := _COMMAND.match(text):
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(command.group(0))}
                ]
        return message

    def push_update(self, kind: str, payload: JSON) -> JSON:
        """Any other update (`edited_message`, `my_chat_member`, a sticker's `message`…)."""
        return self._push({kind: payload})

    def push_callback(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Test",
    ) -> JSON:
        user_id = user_id if user_id is not None else chat_id
        original = next(
            (m for m in reversed(self.sent) if m.chat_id == chat_id and m.message_id == message_id),
            None,
        )
        query = {
            "id": str(next(self._message_ids)),
            "from": {"id": user_id, "is_bot": False, "first_name": first_name},
            "chat_instance": str(chat_id),
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": _chat(chat_id, chat_type, first_name),
                "from": {"id": self.bot_id, "is_bot": True, "first_name": "newsbot"},
                "text": original.text if original else "",
            },
        }
        return self._push({"callback_query": query})

    def push_inline_query(
        self, user_id: int, query: str, *, language_code: str | None = None
    ) -> JSON:
        """A user typing `@bot query` in some chat (inline mode: no chat in the update)."""
        user: JSON = {"id": user_id, "is_bot": False, "first_name": "Test"}
        if language_code:
            user["language_code"] = language_code
        inline = {"id": str(next(self._message_ids)), "from": user, "query": query, "offset": ""}
        return self._push({"inline_query": inline})

    def choose_inline_result(self, chat_id: int, answer: JSON, result_id: str) -> SentMessage:
        """The user picks a result of `answer` (an answerInlineQuery call): their app sends
        its message to `chat_id`, "via" the bot. Recorded as the bot's sendMessage would
        be, with Telegram's checks of the text."""
        [result] = [r for r in answer["results"] if r["id"] == result_id]
        content = result["input_message_content"]
        text = str(content["message_text"])
        if not text.strip() or len(text.encode("utf-16-le")) // 2 > 4096:
            raise ValueError("Telegram would refuse this result's message")
        message = SentMessage(
            "viaBot", chat_id, next(self._message_ids), text, time.monotonic(), dict(content)
        )
        self.sent.append(message)
        return message

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` (for `chat_id`, if given) get this error."""
        self._faults.append(Fault(method, error_code, description, retry_after, chat_id, times))

    def block_chat(self, chat_id: int) -> None:
        """The user blocked the bot: every send to them answers 403 from now on."""
        self.blocked.add(chat_id)

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]

    async def wait_for_messages(
        self, chat_id: int, count: int, timeout: float = 10.0
    ) -> list[SentMessage]:
        """Wait until `chat_id` has received at least `count` messages."""
        deadline = time.monotonic() + timeout
        while len(self.messages_to(chat_id)) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"chat {chat_id} got {len(self.messages_to(chat_id))} messages, wanted {count}"
                )
            await asyncio.sleep(0.01)
        return self.messages_to(chat_id)

    # -- serving -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The value for TELEGRAM_API_URL: the token and method are appended."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self, port: int = 0) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/documents/{file_id}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()  # long polls return now instead of at their timeout
        if self._pusher is not None:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- the Bot API -------------------------------------------------------------------------

    def _push(self, update: JSON) -> JSON:
        update = {"update_id": next(self._update_ids), **update}
        if self.loop is None or _on_loop(self.loop):
            self._append(update)
        else:  # pushed from another thread: the queue belongs to the server's loop
            self.loop.call_soon_threadsafe(self._append, update)
        return update

    def _append(self, update: JSON) -> None:
        self._updates.append(update)
        self._new_update.set()

    async def _download(self, request: web.Request) -> web.Response:
        content = self.files.get(request.match_info["file_id"])
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content, content_type="application/octet-stream")

    async def _params(self, request: web.Request) -> JSON:
        if request.content_type == "application/json":
            body = await request.json()
            return dict(body) if isinstance(body, dict) else {}
        form = await request.post()
        params: JSON = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):  # an upload: sendDocument's file
                params[key] = value.file.read()
                params[f"{key}_name"] = value.filename
                continue
            text = value if isinstance(value, str) else str(value)
            params[key] = json.loads(text) if key in _JSON_FIELDS else text
        params.update({k: v for k, v in request.query.items() if k not in params})
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if not _TOKEN.match(token) or self.accepted_token not in (None, token):
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        try:
            params = await self._params(request)
        except (ValueError, json.JSONDecodeError):
            return _error(400, "Bad Request: can't parse request body")
        self.calls.append((method, params))
        if fault := self._take_fault(method, params):
            extra = {"retry_after": fault.retry_after} if fault.retry_after is not None else None
            return _error(fault.error_code, fault.description, extra)
        handler = self._methods().get(method.lower())
        if handler is None:
            return _error(404, "Not Found: method not found")
        try:
            result = await handler(params)
        except _ApiError as error:
            return _error(error.code, error.description, error.parameters)
        return web.json_response({"ok": True, "result": result})

    def _methods(self) -> dict[str, Callable[[JSON], Any]]:
        return {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "answercallbackquery": self._answer_callback_query,
            "answerinlinequery": self._answer_inline_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "getchatmember": self._get_chat_member,
            "getchat": self._get_chat,
            "senddocument": self._send_document,
            "getfile": self._get_file,
        }

    def _take_fault(self, method: str, params: JSON) -> Fault | None:
        for fault in self._faults:
            if fault.method.lower() != method.lower():
                continue
            if fault.chat_id is not None and _int(params.get("chat_id")) != fault.chat_id:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            return fault
        return None

    async def _true(self, _params: JSON) -> bool:
        return True

    async def _get_me(self, _params: JSON) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "newsbot",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,  # switched on with @BotFather's /setinline
        }

    async def _set_webhook(self, params: JSON) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self._delete_webhook(params)
        if not url.startswith(("http://", "https://")):
            raise _ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates") in (True, "true", "True"):
            self._updates.clear()
        allowed = params.get("allowed_updates")
        self.webhook = Webhook(url, None if secret is None else str(secret), allowed)
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.create_task(self._push_to_webhook())
        return True

    async def _delete_webhook(self, params: JSON) -> bool:
        self.webhook = None
        self._new_update.set()  # the pusher notices and ends
        if params.get("drop_pending_updates") in (True, "true", "True"):
            self._updates.clear()
        return True

    async def _get_webhook_info(self, _params: JSON) -> JSON:
        info: JSON = {"url": "", "has_custom_certificate": False}
        if self.webhook is not None:
            info["url"] = self.webhook.url
            if self.webhook.last_error:
                info["last_error_message"] = self.webhook.last_error
                info["last_error_date"] = int(time.time())
        return {**info, "pending_update_count": len(self._updates)}

    async def _push_to_webhook(self) -> None:
        async def next_update() -> JSON | None:
            if not self._updates:
                self._new_update.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), 1.0)
                return None
            return self._updates[0]

        def delivered(update_id: int) -> None:
            self._updates = [u for u in self._updates if u["update_id"] != update_id]

        while self.webhook is not None and not self._closing:
            webhook = self.webhook

            def still_set(webhook: Webhook = webhook) -> bool:
                return self.webhook is webhook and not self._closing

            await push_updates(
                webhook, next_update=next_update, delivered=delivered, still_set=still_set
            )

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook is not None:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _int(params.get("offset")) or 0
        limit = min(_int(params.get("limit")) or 100, 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            # Telegram forgets updates below the offset: they were confirmed.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        while not self._updates and not self._closing and time.monotonic() < deadline:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        return self._updates[:limit]

    def _check_chat(self, params: JSON) -> int:
        chat_id = _int(params.get("chat_id"))
        if chat_id is None:
            raise _ApiError(400, "Bad Request: chat not found")
        if chat_id in self.blocked:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _flood_check(self, chat_id: int) -> None:
        refused = self.flood.admit(chat_id, time.monotonic())
        if refused is not None:  # the same words whether one chat or the bot is over
            _, retry_after = refused
            raise _ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )

    async def _send_message(self, params: JSON) -> JSON:
        chat_id = self._check_chat(params)
        text = str(params.get("text") or "")
        if not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        thread = _int(params.get("message_thread_id"))
        if thread is not None and thread not in self.forum_topics.get(chat_id, set()):
            raise _ApiError(400, "Bad Request: message thread not found")
        self._flood_check(chat_id)
        message_id = next(self._message_ids)
        self.sent.append(
            SentMessage("sendMessage", chat_id, message_id, text, time.monotonic(), params)
        )
        return self._message_json(chat_id, message_id, text, params)

    async def _send_document(self, params: JSON) -> JSON:
        """A file the bot sends; its bytes are kept in the sent message's params."""
        chat_id = self._check_chat(params)
        if not isinstance(params.get("document"), bytes | str) or not params.get("document"):
            raise _ApiError(400, "Bad Request: there is no document in the request")
        self._flood_check(chat_id)
        message_id = next(self._message_ids)
        caption = str(params.get("caption") or "")
        self.sent.append(
            SentMessage("sendDocument", chat_id, message_id, caption, time.monotonic(), params)
        )
        message = self._message_json(chat_id, message_id, caption, params)
        del message["text"]
        message["document"] = {"file_id": f"out{message_id}", "file_unique_id": f"uo{message_id}",
                               "file_name": str(params.get("document_name") or "file")}  # fmt: skip
        return message

    async def _get_file(self, params: JSON) -> JSON:
        file_id = str(params.get("file_id") or "")
        if file_id not in self.files:
            raise _ApiError(400, "Bad Request: invalid file_id")
        size = len(self.files[file_id])
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": size,
                "file_path": f"documents/{file_id}"}  # fmt: skip

    async def _edit_message_text(self, params: JSON) -> JSON:
        chat_id = self._check_chat(params)
        message_id = _int(params.get("message_id"))
        if not any(m.chat_id == chat_id and m.message_id == message_id for m in self.sent):
            raise _ApiError(400, "Bad Request: message to edit not found")
        text = str(params.get("text") or "")
        assert message_id is not None
        self._flood_check(chat_id)
        self.sent.append(
            SentMessage("editMessageText", chat_id, message_id, text, time.monotonic(), params)
        )
        return self._message_json(chat_id, message_id, text, params)

    async def _answer_callback_query(self, params: JSON) -> bool:
        self.callback_answers.append(params)
        return True

    async def _answer_inline_query(self, params: JSON) -> bool:
        """Telegram's checks: at most 50 results, unique ids of 1-64 bytes, each with a
        title and a message of 1-4096 characters."""
        results = params.get("results")
        if not isinstance(results, list) or len(results) > 50:
            raise _ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [str(r.get("id", "")) for r in results]
        if len(set(ids)) != len(ids) or any(not 0 < len(i.encode()) <= 64 for i in ids):
            raise _ApiError(400, "Bad Request: RESULT_ID_INVALID")
        for result in results:
            text = str((result.get("input_message_content") or {}).get("message_text") or "")
            if not result.get("title") or not text.strip():
                raise _ApiError(400, "Bad Request: MESSAGE_EMPTY")
            if len(text.encode("utf-16-le")) // 2 > 4096:
                raise _ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.inline_answers.append(params)
        return True

    async def _set_my_commands(self, params: JSON) -> bool:
        # One menu per language_code, as Telegram keeps them; "" is the default menu.
        language = str(params.get("language_code") or "")
        self.menus[language] = list(params.get("commands") or [])
        if not language:
            self.commands = self.menus[language]
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        return self.menus.get(str(params.get("language_code") or ""), [])

    def _chat_id_of(self, value: object) -> int:
        """A chat id, or a public channel's "@username", as Telegram accepts either."""
        if isinstance(value, str) and value.startswith("@"):
            found = self.channels.get(value[1:].lower())
            if found is None:
                raise _ApiError(400, "Bad Request: chat not found")
            return found
        chat_id = _int(value)
        if chat_id is None:
            raise _ApiError(400, "Bad Request: chat not found")
        return chat_id

    async def _get_chat(self, params: JSON) -> JSON:
        chat_id = self._chat_id_of(params.get("chat_id"))
        username = next((name for name, known in self.channels.items() if known == chat_id), None)
        if username is None:
            return {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup",
                    "accent_color_id": 0, "max_reaction_count": 11,
                    "accepted_gift_types": _NO_GIFTS}  # fmt: skip
        return {"id": chat_id, "type": "channel", "title": f"Channel {username}",
                "username": username, "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": _NO_GIFTS}  # fmt: skip

    async def _get_chat_member(self, params: JSON) -> JSON:
        chat_id, user_id = self._chat_id_of(params.get("chat_id")), _int(params.get("user_id"))
        admins = self.chat_admins.get(chat_id or 0, set())
        status = "administrator" if user_id in admins else "member"
        user = {"id": user_id, "is_bot": user_id == self.bot_id, "first_name": "Test"}
        if status == "administrator":
            return {
                "can_post_messages": chat_id in self.channels.values(),
                "status": status,
                "user": user,
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
            }
        return {"status": status, "user": user}

    def _message_json(self, chat_id: int, message_id: int, text: str, params: JSON) -> JSON:
        message: JSON = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": {
                "id": self.bot_id,
                "is_bot": True,
                "first_name": "newsbot",
                "username": self.username,
            },
            "text": text,
        }
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        return message


class _ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


def _error(code: int, description: str, parameters: JSON | None = None) -> web.Response:
    body: JSON = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


_NO_GIFTS = {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
             "premium_subscription": False, "gifts_from_channels": False}  # fmt: skip


def _chat(chat_id: int, chat_type: str, first_name: str = "Test") -> JSON:
    if chat_type == "private":
        return {"id": chat_id, "type": chat_type, "first_name": first_name}
    return {"id": chat_id, "type": chat_type, "title": "Test group"}


def _int(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None and value != "" else None
    except ValueError:
        return None


class ThreadedFakeBotApi:
    """The stand-in served from its own thread and event loop, driven synchronously.

    For tests and benchmarks whose bot is another process: they push updates
    and read `sent` from plain code, while the server keeps answering.
    """

    def __init__(self, api: FakeBotApi | None = None) -> None:
        self.api = api or FakeBotApi()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.api.start(), self._loop).result(timeout=10)
        self.api.loop = self._loop
        return self.api

    def __exit__(self, *_exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.api.stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
