"""What every handler family shares: the `Shell` (settings, storage, the one sender, the
clock) with the reply, settings-change and permission checks every command goes through,
and the two ways a family puts its handlers on the Application."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, NamedTuple, TypeAlias, TypeVar

from sqlmodel import Session
from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot import prefs as rules
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.delivery.sender import ChatGone, Sender
from bot.i18n import language_for, say
from bot.sources.fetcher import Fetcher
from bot.store import Store
from bot.telegram import texts
from bot.telegram.updates import CURRENT_UPDATE
from storage import digests, subscribers, updates
from storage.subscribers import ChatPrefs

log = logging.getLogger(__name__)
App: TypeAlias = Application[Any, Any, Any, Any, Any, Any]
Context = ContextTypes.DEFAULT_TYPE
Change = Callable[[ChatPrefs], ChatPrefs]
Handler = Callable[["Shell", Update, Context], Coroutine[Any, Any, None]]
# Telegram's own account that speaks for a group's anonymous admins.
ANONYMOUS_ADMIN_BOT = 1087968824
# New messages only: an edited command is not run again (nor is an edit of plain talk
# answered twice); Telegram sends edits as updates of their own.
NEW_MESSAGES = filters.UpdateType.MESSAGE
T = TypeVar("T")


def add_commands(application: App, shell: Shell, **commands: Handler) -> None:
    """`/name` runs `commands[name]`, for new messages only."""
    for name, callback in commands.items():
        application.add_handler(
            CommandHandler(name, partial(callback, shell), filters=NEW_MESSAGES)
        )


def add_buttons(application: App, shell: Shell, callback: Handler, pattern: str | None) -> None:
    """A press of a button whose data matches `pattern` (None: any button) runs `callback`."""
    application.add_handler(CallbackQueryHandler(partial(callback, shell), pattern=pattern))


def topic_of(update: Update) -> int | None:
    """The forum topic a message was sent in (None: a chat without topics, or General)."""
    message = update.effective_message
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id


def command_text(update: Update) -> str:
    """What follows the command in the message: `/follow "gas prices"` → `"gas prices"`."""
    message = update.effective_message
    text = (message.text if message else None) or ""
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) == 2 else ""


class Pressed(NamedTuple, Generic[T]):
    """A press of one of our buttons that passed the checks (`Shell.pressed`)."""

    query: CallbackQuery
    target: Chat  # the chat whose settings it changes
    language: str  # to answer in
    choice: T  # what the button's data says


@dataclass
class Shell:
    """What every handler works through, built once in `build_bot`: one per bot, not per
    update, so it holds no state of its own beyond these."""

    settings: Settings
    store: Store
    sender: Sender
    clock: Clock = system_clock
    fetcher: Fetcher | None = None  # /source add tries a new source once before storing it

    # -- replies and stored settings ---------------------------------------------------------

    async def reply(
        self, update: Update, context: Context, texts_: list[str] | str,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:  # fmt: skip
        assert update.effective_chat is not None
        batch = [texts_] if isinstance(texts_, str) else texts_
        await self.sender.send_texts(
            update.effective_chat.id, batch, reply_markup=markup, thread_id=topic_of(update)
        )

    async def prefs(self, chat_id: int) -> ChatPrefs | None:
        return await self.store.run(lambda s: subscribers.get_chat(session=s, chat_id=chat_id))

    async def language(self, update: Update, current: ChatPrefs | None = None) -> str:
        """The chat's language; for a chat not yet stored, its user's (`language_code`)."""
        if current is None and update.effective_chat is not None:
            current = await self.prefs(update.effective_chat.id)
        if current is not None:
            return current.language
        user = update.effective_user
        return language_for(user.language_code if user else None)

    async def change(
        self, chat: Chat, change: Change, create: bool = True, language: str = "en"
    ) -> ChatPrefs | None:
        """Change the chat's settings; a chat seen the first time starts in `language`."""
        now = self.clock()
        fresh = rules.new_chat(
            chat.id,
            chat.type,
            self.settings.digest_time,
            self.settings.default_timezone,
            now=now,
            language=language,
        )

        update_id = CURRENT_UPDATE.get()

        def write(session: Session) -> ChatPrefs | None:
            # A digest planned ahead with the old settings is planned again with the new.
            digests.void_planned(session=session, chat_id=chat.id, now=now)
            if update_id is not None:  # a webhook update's effect and its "handled", together
                updates.finish_update(session=session, update_id=update_id)
            return subscribers.change_chat(
                session=session, chat_id=chat.id, change=change, create=fresh if create else None
            )

        return await self.store.write(write)

    async def target(self, update: Update) -> tuple[Chat, ChatPrefs | None, str]:
        """The chat a settings command changes, its settings, and the reply language.

        Usually the chat the command came from. A private chat that chose a channel
        with `/channel @name` sets that channel up instead; replies stay in the
        private chat, in its language."""
        chat = update.effective_chat
        assert chat is not None
        own = await self.prefs(chat.id)
        language = await self.language(update, own)
        if chat.type == ChatType.PRIVATE and own is not None and own.editing is not None:
            channel = await self.prefs(own.editing)
            if channel is not None and channel.status != "blocked":
                return Chat(own.editing, ChatType.CHANNEL), channel, language
        return chat, own, language

    async def setting(
        self,
        update: Update,
        context: Context,
        *,
        parse: Callable[[list[str]], Change],
        shown: Callable[[str, ChatPrefs | None], str],
        done: Callable[[str, ChatPrefs], str],
    ) -> None:
        """One setting command: alone it says what is set; with arguments it parses them
        (a refusal says how to correct them), checks who may change it, stores, confirms.

        `parse` turns the arguments into the change to make; `done` writes the
        confirmation in the chat's language after the change (a new one, for /language).
        """
        args = rules.clean_args(context.args or [])
        target, current, language = await self.target(update)
        if not args:
            await self.reply(update, context, shown(language, current))
            return
        try:
            change = parse(args)
        except rules.BadArgument as error:
            await self.reply(update, context, texts.refusal(language, error))
            return
        if await self.refuse_unless_allowed(update, context, target):
            return
        try:
            after = await self.change(target, change, language=language)
        except rules.BadArgument as error:  # the rule refused it (a limit): nothing stored
            await self.reply(update, context, texts.refusal(language, error))
            return
        assert after is not None
        # A channel set up from here: the answer stays in this chat's language.
        reply_language = language if target.type == ChatType.CHANNEL else after.language
        await self.reply(update, context, done(reply_language, after))

    # -- who may change settings -------------------------------------------------------------

    async def may_change(
        self, update: Update, context: Context, target: Chat | None = None
    ) -> bool:
        """In groups only admins change settings; in a private chat its owner does; a
        channel's, set up from a private chat, only the channel's administrators."""
        chat, user, message = update.effective_chat, update.effective_user, update.effective_message
        if target is not None and target.type == ChatType.CHANNEL:
            return user is not None and await self.is_admin(context, target.id, user.id)
        if chat is None or chat.type == ChatType.PRIVATE:
            return True
        if message is not None and message.sender_chat is not None:
            return message.sender_chat.id == chat.id  # an anonymous admin speaks as the group
        if user is None:
            return False
        if user.id == ANONYMOUS_ADMIN_BOT:
            return True
        return await self.is_admin(context, chat.id, user.id)

    async def is_admin(self, context: Context, chat_id: int | str, user_id: int) -> bool:
        member = await context.bot.get_chat_member(chat_id, user_id)
        return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)

    async def refuse_unless_allowed(
        self, update: Update, context: Context, target: Chat | None = None
    ) -> bool:
        if await self.may_change(update, context, target):
            return False
        await self.reply(
            update, context, texts.say_escaped(await self.language(update), texts.ADMINS_ONLY)
        )
        return True

    async def refuse_unless_operator(self, update: Update, context: Context, command: str) -> bool:
        """Operators' commands (`command`, "/stats") answer only the chats and users in
        ADMIN_CHAT_IDS; anyone else is told whose they are."""
        chat, user = update.effective_chat, update.effective_user
        admins = set(self.settings.admin_chat_ids)
        if (chat and chat.id in admins) or (user and user.id in admins):
            return False
        refusal = texts.say_escaped(
            await self.language(update), texts.OPERATORS_ONLY, command=command
        )
        await self.reply(update, context, refusal)
        return True

    # -- buttons -------------------------------------------------------------------------------

    async def pressed(
        self, update: Update, context: Context, parse: Callable[[str | None], T | None]
    ) -> Pressed[T] | None:
        """The checks every button of ours passes: data `parse` reads (else "expired"),
        a presser who may change the chat's settings (else "admins only"). Every press
        is answered, so the user's app stops its spinner."""
        query = update.callback_query
        assert query is not None
        choice = parse(query.data)
        if choice is None or update.effective_chat is None:
            await query.answer(say(await self.language(update), texts.STALE_BUTTON))
            return None
        target, _current, language = await self.target(update)
        if not await self.may_change(update, context, target):
            await query.answer(say(language, texts.ADMINS_ONLY))
            return None
        return Pressed(query, target, language, choice)

    async def edit(
        self, update: Update, query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        """Edit the message whose button was pressed (in the chat it was pressed in)."""
        assert update.effective_chat is not None
        chat_id = update.effective_chat.id
        try:
            await self.sender.call(
                chat_id, lambda: query.edit_message_text(text, reply_markup=markup)
            )
        except BadRequest as error:
            # "message is not modified" (a double tap) or a message too old to edit:
            # the choice is stored either way.
            log.info("message in chat %s not edited: %s", chat_id, error.message)

    # -- chats that are gone or too fast -------------------------------------------------------

    async def slow_down(self, chat_id: int) -> None:
        """A chat's commands came faster than it can be answered, and some were dropped."""
        try:
            current = await self.prefs(chat_id)
            await self.sender.send(
                chat_id, say(current.language if current else "en", texts.SLOW_DOWN)
            )
        except ChatGone as gone:
            await self.mark_gone(gone.chat_id)
        except Exception as error:  # a courtesy notice: never worth more than a log line
            log.info("could not tell chat %s to slow down: %s", chat_id, error)

    async def mark_gone(self, chat_id: int) -> None:
        await self.store.write(
            lambda s: subscribers.change_chat(session=s, chat_id=chat_id, change=rules.block)
        )
