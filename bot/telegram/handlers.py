"""Command and button handlers: thin glue between Telegram, `bot.prefs` and storage."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from sqlmodel import Session
from telegram import CallbackQuery, Chat, ChatMemberAdministrator, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot import prefs as rules
from bot import topics
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.delivery.schedule import OLDEST_NEWS, compose_for, unsent
from bot.delivery.sender import ChatGone, Sender
from bot.i18n import language_for, say
from bot.news.compose import compose_latest, country_name, escape
from bot.news.keywords import ArticleIndex
from bot.store import Store
from bot.telegram import texts
from bot.telegram.picker import (
    DONE,
    WEEKDAYS,
    keywords_markup,
    parse_callback,
    parse_keyword_callback,
    parse_setting_callback,
    picker_markup,
    settings_markup,
)
from bot.telegram.updates import CURRENT_UPDATE
from storage import alerts, digests, repo, sources, subscribers, updates
from storage.models import ExchangeRateRecord as Rate
from storage.repo import StoredArticle
from storage.subscribers import ALL_DAYS, ChatPrefs

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
Change = Callable[[ChatPrefs], ChatPrefs]
# Telegram's own account that speaks for a group's anonymous admins.
ANONYMOUS_ADMIN_BOT = 1087968824
T = TypeVar("T")


def _topic_of(update: Update) -> int | None:
    """The forum topic a message was sent in (None: a chat without topics, or General)."""
    message = update.effective_message
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id


class Pressed(NamedTuple, Generic[T]):
    """A press of one of our buttons that passed the checks (`Handlers._pressed`)."""

    query: CallbackQuery
    target: Chat  # the chat whose settings it changes
    language: str  # to answer in
    choice: T  # what the button's data says


def _command_text(update: Update) -> str:
    """What follows the command in the message: `/follow "gas prices"` → `"gas prices"`."""
    message = update.effective_message
    text = (message.text if message else None) or ""
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) == 2 else ""


@dataclass
class Handlers:
    settings: Settings
    store: Store
    sender: Sender
    clock: Clock = system_clock

    # -- helpers -------------------------------------------------------------------------------

    async def _reply(
        self, update: Update, context: Context, texts_: list[str] | str,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:  # fmt: skip
        assert update.effective_chat is not None
        batch = [texts_] if isinstance(texts_, str) else texts_
        await self.sender.send_texts(
            update.effective_chat.id, batch, reply_markup=markup, thread_id=_topic_of(update)
        )

    async def _chat(self, chat_id: int) -> ChatPrefs | None:
        return await self.store.run(lambda s: subscribers.get_chat(session=s, chat_id=chat_id))

    async def _language(self, update: Update, current: ChatPrefs | None = None) -> str:
        """The chat's language; for a chat not yet stored, its user's (`language_code`)."""
        if current is None and update.effective_chat is not None:
            current = await self._chat(update.effective_chat.id)
        if current is not None:
            return current.language
        user = update.effective_user
        return language_for(user.language_code if user else None)

    async def _change(
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

    async def _target(self, update: Update) -> tuple[Chat, ChatPrefs | None, str]:
        """The chat a settings command changes, its settings, and the reply language.

        Usually the chat the command came from. A private chat that chose a channel
        with `/channel @name` sets that channel up instead; replies stay in the
        private chat, in its language."""
        chat = update.effective_chat
        assert chat is not None
        own = await self._chat(chat.id)
        language = await self._language(update, own)
        if chat.type == ChatType.PRIVATE and own is not None and own.editing is not None:
            channel = await self._chat(own.editing)
            if channel is not None and channel.status != "blocked":
                return Chat(own.editing, ChatType.CHANNEL), channel, language
        return chat, own, language

    async def _may_change(
        self, update: Update, context: Context, target: Chat | None = None
    ) -> bool:
        """In groups only admins change settings; in a private chat its owner does; a
        channel's, set up from a private chat, only the channel's administrators."""
        chat, user, message = update.effective_chat, update.effective_user, update.effective_message
        if target is not None and target.type == ChatType.CHANNEL:
            return user is not None and await self._is_admin(context, target.id, user.id)
        if chat is None or chat.type == ChatType.PRIVATE:
            return True
        if message is not None and message.sender_chat is not None:
            return message.sender_chat.id == chat.id  # an anonymous admin speaks as the group
        if user is None:
            return False
        if user.id == ANONYMOUS_ADMIN_BOT:
            return True
        return await self._is_admin(context, chat.id, user.id)

    async def _is_admin(self, context: Context, chat_id: int | str, user_id: int) -> bool:
        member = await context.bot.get_chat_member(chat_id, user_id)
        return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)

    async def _refuse_unless_allowed(
        self, update: Update, context: Context, target: Chat | None = None
    ) -> bool:
        if await self._may_change(update, context, target):
            return False
        await self._reply(
            update, context, texts.say_escaped(await self._language(update), texts.ADMINS_ONLY)
        )
        return True

    # -- commands ------------------------------------------------------------------------------

    async def start(self, update: Update, context: Context) -> None:
        assert update.effective_chat is not None
        if await self._refuse_unless_allowed(update, context):
            return
        before = await self._chat(update.effective_chat.id)
        now = self.clock()
        language = await self._language(update, before)
        topic = _topic_of(update)
        after = await self._change(
            update.effective_chat,
            lambda p: rules.set_topic(rules.subscribe(p, now), topic),
            language=language,
        )
        assert after is not None
        resumed = before is not None and before.status != "active"
        user = update.effective_user
        first_name = user.first_name if user and update.effective_chat.type == "private" else None
        greeting = texts.greeting(language, first_name, resumed)
        prompt = texts.say_escaped(language, texts.PICKER_PROMPT)
        await self._reply(
            update, context, f"{greeting}\n\n{prompt}", picker_markup(after.countries, language)
        )

    async def country(self, update: Update, context: Context) -> None:
        args = rules.clean_args(context.args or [])
        target, current, language = await self._target(update)
        if not args:
            chosen = current.countries if current else ()
            prompt = texts.say_escaped(language, texts.PICKER_PROMPT)
            await self._reply(update, context, prompt, picker_markup(chosen, language))
            return
        try:
            codes = rules.parse_countries(args)
        except rules.BadArgument as error:
            await self._reply(update, context, texts.refusal(language, error))
            return
        if await self._refuse_unless_allowed(update, context, target):
            return
        now = self.clock()
        after = await self._change(
            target, lambda p: rules.set_countries(p, codes, now), language=language
        )
        assert after is not None
        await self._reply(update, context, texts.picked(language, after))

    async def latest(self, update: Update, context: Context) -> None:
        assert update.effective_chat is not None
        try:
            named, count = rules.parse_latest(rules.clean_args(context.args or []))
        except rules.BadArgument as error:
            await self._reply(update, context, texts.refusal(await self._language(update), error))
            return
        current = await self._chat(update.effective_chat.id)
        language = await self._language(update, current)
        codes = (named,) if named else (current.countries if current else ())
        mutes = current.mutes if current else ()
        # Muted words drop articles after the query: read enough more to fill the answer.
        wanted = count if not mutes else count * 4 + 20
        found = await self.store.run(
            lambda s: repo.latest_articles(session=s, countries=codes, limit=wanted)
        )
        muted = ArticleIndex(found).having_any(mutes) if mutes else frozenset()
        articles = [a for a in found if a.id not in muted][:count]
        countries = texts.country_list(language, codes)
        if not articles:
            nothing = texts.NOTHING_STORED_FOR if codes else texts.NOTHING_STORED
            await self._reply(update, context, say(language, nothing, countries=countries))
            return
        if codes:
            heading = say(language, texts.LATEST_HEADING, countries=countries)
        else:
            heading = say(language, "📰 <b>Latest from all countries</b> (/country chooses yours)")
        brevity = current.brevity if current else rules.DEFAULT_BREVITY
        await self._reply(update, context, compose_latest(articles, heading, language, brevity))

    async def digest(self, update: Update, context: Context) -> None:
        assert update.effective_chat is not None
        chat_id = update.effective_chat.id
        current = await self._chat(chat_id)
        language = await self._language(update, current)
        if current is None or not (current.countries or current.follows):
            await self._reply(update, context, say(language, "Choose countries first: /country"))
            return
        if await self._refuse_unless_allowed(update, context):
            return
        now = self.clock()

        def window(session: Session) -> tuple[list[StoredArticle], list[Rate], int | None]:
            candidates = digests.candidate_articles(
                session=session,
                after_id=current.digest_cursor or 0,
                first_seen_after=now - OLDEST_NEWS,
            )
            alerted = alerts.alerted_articles(
                session=session, chat_ids=[chat_id], after_id=current.digest_cursor or 0
            )
            return (
                unsent(current, candidates, now, alerted=alerted.get(chat_id, ())),
                repo.latest_rates(session=session),
                repo.newest_article_id(session=session),
            )

        articles, rates, through = await self.store.run(window)
        messages = compose_for(current, articles, rates, self.settings.digest_max_per_country)
        if not messages:
            await self._reply(update, context, texts.nothing_new(language, current.countries))
        else:
            await self._reply(update, context, messages)
        # Only after the messages went out: a failed send leaves them "not yet sent".
        if through is not None:
            await self._change(
                update.effective_chat,
                lambda p: rules.digest_sent(p, through, now),
                create=False,
            )

    async def time(self, update: Update, context: Context) -> None:
        await self._set_schedule(update, context, zone=False)

    async def timezone(self, update: Update, context: Context) -> None:
        await self._set_schedule(update, context, zone=True)

    async def _setting(
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
        target, current, language = await self._target(update)
        if not args:
            await self._reply(update, context, shown(language, current))
            return
        try:
            change = parse(args)
        except rules.BadArgument as error:
            await self._reply(update, context, texts.refusal(language, error))
            return
        if await self._refuse_unless_allowed(update, context, target):
            return
        try:
            after = await self._change(target, change, language=language)
        except rules.BadArgument as error:  # the rule refused it (a limit): nothing stored
            await self._reply(update, context, texts.refusal(language, error))
            return
        assert after is not None
        # A channel set up from here: the answer stays in this chat's language.
        reply_language = language if target.type == ChatType.CHANNEL else after.language
        await self._reply(update, context, done(reply_language, after))

    async def _set_schedule(self, update: Update, context: Context, *, zone: bool) -> None:
        example = rules.ZONE_EXAMPLE if zone else rules.TIME_EXAMPLE

        def parse(args: list[str]) -> Change:
            if zone:
                name = rules.parse_zone(args)
                return lambda p: rules.set_zone(p, name, self.clock())
            at = rules.parse_time(args)
            return lambda p: rules.set_time(p, at, self.clock())

        def shown(language: str, current: ChatPrefs | None) -> str:
            if current is None:
                return say(language, texts.SCHEDULE_HOW, example=example)
            schedule = texts.schedule_line(language, current)
            return say(language, texts.SCHEDULE_NOW, schedule=schedule, example=example)

        await self._setting(update, context, parse=parse, shown=shown, done=texts.time_set)

    async def brief(self, update: Update, context: Context) -> None:
        """`/brief headlines | short | full`: how much of each story digests and /latest show."""

        def parse(args: list[str]) -> Change:
            chosen = rules.parse_brevity(args)
            return lambda p: rules.set_brevity(p, chosen)

        def shown(language: str, current: ChatPrefs | None) -> str:
            name = texts.BREVITY_NAMES[current.brevity if current else rules.DEFAULT_BREVITY]
            return say(language, texts.BREVITY_HOW, brevity=say(language, name))

        def done(language: str, after: ChatPrefs) -> str:
            name = say(language, texts.BREVITY_NAMES[after.brevity])
            return say(language, texts.BREVITY_SET, brevity=name)

        await self._setting(update, context, parse=parse, shown=shown, done=done)

    async def language(self, update: Update, context: Context) -> None:
        """`/language ru|en`: every reply and digest to this chat in that language."""

        def parse(args: list[str]) -> Change:
            chosen = rules.parse_language(args)
            return lambda p: rules.set_language(p, chosen)

        await self._setting(
            update,
            context,
            parse=parse,
            shown=lambda language, _current: say(language, texts.LANGUAGE_HOW),
            done=lambda language, _after: say(language, texts.LANGUAGE_SET),
        )

    async def days(self, update: Update, context: Context) -> None:
        """`/days mon-fri | sat | all`: the local weekdays the digest comes on."""

        def parse(args: list[str]) -> Change:
            chosen = rules.parse_days(args)
            return lambda p: rules.set_days(p, chosen, self.clock())

        def shown(language: str, current: ChatPrefs | None) -> str:
            days = texts.day_list(language, current.days if current else ALL_DAYS)
            return say(language, texts.DAYS_HOW, days=days)

        await self._setting(update, context, parse=parse, shown=shown, done=texts.days_set)

    async def alerts(self, update: Update, context: Context) -> None:
        """`/alerts on|off`: an article matching a followed word as soon as it is in."""
        newest = await self.store.run(lambda s: repo.newest_article_id(session=s))

        def parse(args: list[str]) -> Change:
            on = rules.parse_switch(args, "/alerts")
            return lambda p: rules.set_alerts(p, on, newest)

        cap = self.settings.alerts_per_day
        await self._setting(
            update,
            context,
            parse=parse,
            shown=lambda language, current: texts.alerts_state(language, current, cap),
            done=lambda language, after: texts.alerts_state(language, after, cap),
        )

    # -- followed and muted words ------------------------------------------------------------------

    async def follow(self, update: Update, context: Context) -> None:
        await self._keyword_command(update, context, "/follow", topics.follow, texts.FOLLOWED)

    async def mute(self, update: Update, context: Context) -> None:
        await self._keyword_command(update, context, "/mute", topics.mute, texts.MUTED)

    async def unfollow(self, update: Update, context: Context) -> None:
        await self._keyword_command(
            update, context, "/unfollow", topics.unfollow, texts.UNFOLLOWED, present="follows"
        )

    async def unmute(self, update: Update, context: Context) -> None:
        await self._keyword_command(
            update, context, "/unmute", topics.unmute, texts.UNMUTED, present="mutes"
        )

    async def _keyword_command(
        self,
        update: Update,
        context: Context,
        command: str,
        rule: Callable[[ChatPrefs, tuple[str, ...]], ChatPrefs],
        done: str,
        present: str | None = None,
    ) -> None:
        """Parse the words (quoted phrases whole), check who may, store, confirm.

        `present` names the list the words must be in (for /unfollow, /unmute):
        words not there are named in the reply instead of silently ignored."""
        target, current, language = await self._target(update)
        try:
            keywords = topics.parse_keywords(_command_text(update))
        except rules.BadArgument as error:
            await self._reply(update, context, texts.refusal(language, error))
            return
        if not keywords:
            await self._reply(update, context, say(language, texts.KEYWORDS_HOW, command=command))
            return
        if present is not None:
            listed = getattr(current, present) if current else ()
            missing = [k for k in keywords if k not in listed]
            if len(missing) == len(keywords):
                words = texts.keyword_list(missing)
                await self._reply(update, context, say(language, texts.NOT_LISTED, words=words))
                return
            keywords = tuple(k for k in keywords if k in listed)
        if await self._refuse_unless_allowed(update, context, target):
            return
        try:
            after = await self._change(target, lambda p: rule(p, keywords), language=language)
        except rules.BadArgument as error:  # over the limit: nothing stored
            await self._reply(update, context, texts.refusal(language, error))
            return
        assert after is not None
        answer = say(language, done, words=texts.keyword_list(keywords))
        await self._reply(update, context, answer, keywords_markup(after))

    async def keywords(self, update: Update, context: Context) -> None:
        """`/keywords`: the followed and muted words, a button to remove each."""
        _target, current, language = await self._target(update)
        shown = current or rules.new_chat(0, "private", dt.time(9), "UTC", now=self.clock())
        markup = keywords_markup(shown)
        await self._reply(update, context, texts.keywords_text(language, shown), markup)

    async def keyword_button(self, update: Update, context: Context) -> None:
        """A remove button under /keywords: off the list, and the list edited in place."""
        pressed = await self._pressed(update, context, parse_keyword_callback)
        if pressed is None:
            return
        query, target, language, token = pressed
        removed: list[str] = []

        def remove(prefs: ChatPrefs) -> ChatPrefs:
            after, keyword = topics.remove_by_token(prefs, token)
            removed.extend([keyword] if keyword else [])
            return after

        after = await self._change(target, remove, create=False)
        if after is None or not removed:
            await query.answer(say(language, texts.STALE_BUTTON))
            return
        await query.answer(say(language, texts.KEYWORD_REMOVED, word=removed[0]))
        text, markup = texts.keywords_text(language, after), keywords_markup(after)
        await self._edit(update, query, text, markup)

    async def _pressed(
        self, update: Update, context: Context, parse: Callable[[str | None], T | None]
    ) -> Pressed[T] | None:
        """The checks every button of ours passes: data `parse` reads (else "expired"),
        a presser who may change the chat's settings (else "admins only"). Every press
        is answered, so the user's app stops its spinner."""
        query = update.callback_query
        assert query is not None
        choice = parse(query.data)
        if choice is None or update.effective_chat is None:
            await query.answer(say(await self._language(update), texts.STALE_BUTTON))
            return None
        target, _current, language = await self._target(update)
        if not await self._may_change(update, context, target):
            await query.answer(say(language, texts.ADMINS_ONLY))
            return None
        return Pressed(query, target, language, choice)

    async def _edit(
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

    # -- channels ------------------------------------------------------------------------------

    async def channel(self, update: Update, context: Context) -> None:
        """`/channel @name`: from a private chat, set up the digest of a channel both the
        user and the bot administer; `/channel @name off` ends it, `/channel done`
        returns the chat's commands to its own settings."""
        chat, user = update.effective_chat, update.effective_user
        assert chat is not None
        own = await self._chat(chat.id)
        language = await self._language(update, own)
        if chat.type != ChatType.PRIVATE or user is None:
            await self._reply(update, context, say(language, texts.CHANNEL_PRIVATE_ONLY))
            return
        try:
            action, name = rules.parse_channel(rules.clean_args(context.args or []))
        except rules.BadArgument as error:
            await self._reply(update, context, texts.refusal(language, error))
            return
        if action == "show":
            editing = await self._chat(own.editing) if own and own.editing else None
            answer = texts.channel_state(language, editing)
            await self._reply(update, context, answer)
            return
        if action == "done":
            await self._change(chat, lambda p: rules.edit_channel(p, None), language=language)
            await self._reply(update, context, say(language, texts.CHANNEL_DONE))
            return
        assert name is not None
        found = await self._channel_both_administer(update, context, name, language)
        if found is None:
            return
        if action == "off":
            await self._end_channel(chat, found, language)
            await self._reply(update, context, say(language, texts.CHANNEL_OFF, channel=name))
            return
        now = self.clock()
        fresh = rules.new_chat(
            found, ChatType.CHANNEL, self.settings.digest_time,
            own.timezone if own else self.settings.default_timezone, now=now, language=language,
        )  # fmt: skip

        def set_up(session: Session) -> ChatPrefs | None:
            channel = subscribers.change_chat(
                session=session, chat_id=found, create=fresh,
                change=lambda p: rules.subscribe(p, now),
            )  # fmt: skip
            subscribers.change_chat(
                session=session, chat_id=chat.id, create=rules.new_chat(
                    chat.id, chat.type, self.settings.digest_time,
                    self.settings.default_timezone, now=now, language=language,
                ),
                change=lambda p: rules.edit_channel(p, found),
            )  # fmt: skip
            return channel

        channel = await self.store.write(set_up)
        assert channel is not None
        log.info("chat %s sets up channel %s (%s)", chat.id, found, name)
        answer = say(language, texts.CHANNEL_ON, channel=name)
        await self._reply(update, context, answer, picker_markup(channel.countries, language))

    async def _channel_both_administer(
        self, update: Update, context: Context, name: str, language: str
    ) -> int | None:
        """The id of channel `name` if the user and the bot are both its administrators
        (the bot able to post); else a reply that says what is missing, and None."""
        assert update.effective_user is not None
        refusal: str | None = None
        try:
            found = await context.bot.get_chat(name)
        except (BadRequest, Forbidden):
            found = None
        if found is None or found.type != ChatType.CHANNEL:
            refusal = texts.CHANNEL_NOT_FOUND
        elif not await self._is_admin_of(context, found.id, update.effective_user.id):
            refusal = texts.CHANNEL_NOT_YOURS
        elif not await self._bot_posts_in(context, found.id):
            refusal = texts.CHANNEL_BOT_NOT_ADMIN
        if refusal is not None:
            await self._reply(update, context, say(language, refusal, channel=escape(name)))
            return None
        assert found is not None
        return found.id

    async def _is_admin_of(self, context: Context, chat_id: int, user_id: int) -> bool:
        try:
            return await self._is_admin(context, chat_id, user_id)
        except (BadRequest, Forbidden):  # the bot is not in the channel, or it is gone
            return False

    async def _bot_posts_in(self, context: Context, chat_id: int) -> bool:
        try:
            member = await context.bot.get_chat_member(chat_id, context.bot.id)
        except (BadRequest, Forbidden):
            return False
        if member.status == ChatMemberStatus.OWNER:
            return True
        return isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)

    async def _end_channel(self, chat: Chat, channel_id: int, language: str) -> None:
        def end(session: Session) -> None:
            digests.void_planned(session=session, chat_id=channel_id, now=self.clock())
            subscribers.change_chat(session=session, chat_id=channel_id, change=rules.pause)
            subscribers.change_chat(
                session=session,
                chat_id=chat.id,
                change=lambda p: rules.edit_channel(p, None) if p.editing == channel_id else p,
            )

        await self.store.write(end)

    async def show_settings(self, update: Update, context: Context) -> None:
        _target, current, language = await self._target(update)
        if current is None:
            await self._reply(update, context, say(language, texts.NOT_SUBSCRIBED))
            return
        answer = texts.settings_text(language, current, self.settings.alerts_per_day)
        await self._reply(update, context, answer, settings_markup(current, language))

    async def settings_button(self, update: Update, context: Context) -> None:
        """A button under /settings: change that setting, and show the settings again,
        edited in place (in the new language, after the language button)."""
        pressed = await self._pressed(update, context, parse_setting_callback)
        if pressed is None:
            return
        query, target, language, (name, value) = pressed
        if name == "countries":  # the message turns into the picker, as /country shows it
            current = await self._chat(target.id)
            chosen = current.countries if current else ()
            await query.answer()
            prompt = say(language, texts.PICKER_PROMPT)
            await self._edit(update, query, prompt, picker_markup(chosen, language))
            return
        now = self.clock()
        newest = None
        if name == "alerts":
            newest = await self.store.run(lambda s: repo.newest_article_id(session=s))
        change: Change = {
            "language": lambda p: rules.set_language(p, value),
            "brief": lambda p: rules.set_brevity(p, value),
            "alerts": lambda p: rules.set_alerts(p, value == "on", newest),
            "days": lambda p: rules.set_days(p, WEEKDAYS if value == "weekdays" else ALL_DAYS, now),
        }[name]
        after = await self._change(target, change, create=False)
        if after is None:
            await query.answer(say(language, texts.NOT_SUBSCRIBED))
            return
        shown = language if target.type == ChatType.CHANNEL else after.language
        done = texts.LANGUAGE_SET if name == "language" else texts.SETTING_CHANGED
        await query.answer(say(shown, done))
        text = texts.settings_text(shown, after, self.settings.alerts_per_day)
        await self._edit(update, query, text, settings_markup(after, shown))

    async def stop(self, update: Update, context: Context) -> None:
        assert update.effective_chat is not None
        if await self._refuse_unless_allowed(update, context):
            return
        after = await self._change(update.effective_chat, rules.pause, create=False)
        language = await self._language(update, after)
        answer = texts.paused(language) if after else say(language, texts.NOT_SUBSCRIBED)
        await self._reply(update, context, answer)

    async def help(self, update: Update, context: Context) -> None:
        await self._reply(update, context, texts.help_text(await self._language(update)))

    async def stats(self, update: Update, context: Context) -> None:
        chat, user = update.effective_chat, update.effective_user
        admins = set(self.settings.admin_chat_ids)
        if not ((chat and chat.id in admins) or (user and user.id in admins)):
            refused = texts.say_escaped(await self._language(update), texts.STATS_REFUSED)
            await self._reply(update, context, refused)
            return

        language = await self._language(update)

        def gather(session: Session) -> str:
            run = digests.last_run(session=session)
            return texts.stats_text(
                language,
                subscribers.count_by_status(session=session),
                repo.count_articles(session=session),
                repo.last_ingest_at(session=session),
                texts.run_line(language, run.started_at, run.report) if run else None,
                [
                    texts.SourceHealth(
                        r.url, r.failures, r.last_status, r.last_success_at, r.last_error
                    )
                    for r in sources.all_sources(session=session)
                ],
            )

        await self._reply(update, context, await self.store.run(gather))

    async def unknown_command(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None or not message.text:
            return
        command, _, addressee = message.text.split()[0].partition("@")
        if addressee and addressee.lower() != (context.bot.username or "").lower():
            return  # a command for another bot in the same group
        language = await self._language(update)
        answer = texts.say_escaped(language, texts.UNKNOWN_COMMAND, command=rules.quoted(command))
        await self._reply(update, context, answer)

    async def slow_down(self, chat_id: int) -> None:
        """A chat's commands came faster than it can be answered, and some were dropped."""
        try:
            current = await self._chat(chat_id)
            await self.sender.send(
                chat_id, say(current.language if current else "en", texts.SLOW_DOWN)
            )
        except ChatGone as gone:
            await self.mark_gone(gone.chat_id)
        except Exception as error:  # a courtesy notice: never worth more than a log line
            log.info("could not tell chat %s to slow down: %s", chat_id, error)

    async def plain_text(self, update: Update, context: Context) -> None:
        await self._reply(update, context, say(await self._language(update), texts.PLAIN_TEXT))

    # -- the country picker ----------------------------------------------------------------------

    async def picker_button(self, update: Update, context: Context) -> None:
        """A country in the picker toggled, or Done; also answers any button not ours."""
        pressed = await self._pressed(update, context, parse_callback)
        if pressed is None:
            return
        query, target, language, choice = pressed
        now = self.clock()
        text: str
        if choice == DONE:
            after = await self._chat(target.id)
            text = texts.picked(language, after) if after else say(language, texts.NOT_SUBSCRIBED)
            markup, note = None, None
        else:
            after = await self._change(
                target, lambda p: rules.toggle_country(p, choice, now), language=language
            )
            assert after is not None
            added = texts.COUNTRY_ADDED if choice in after.countries else texts.COUNTRY_REMOVED
            note = say(language, added, country=country_name(choice, language))
            text = say(language, texts.PICKER_PROMPT)
            markup = picker_markup(after.countries, language)
        await query.answer(note)
        await self._edit(update, query, text, markup)

    # -- errors ----------------------------------------------------------------------------------

    async def on_error(self, update: object, context: Context) -> None:
        error = context.error
        chat = update.effective_chat if isinstance(update, Update) else None
        if isinstance(error, ChatGone):
            log.info("chat %s is gone (%s): marked inactive", error.chat_id, error.reason)
            await self.mark_gone(error.chat_id)
            return
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update %s (chat %s) failed", update_id, chat.id if chat else None,
                  exc_info=error)  # fmt: skip
        if chat is not None:
            try:
                current = await self._chat(chat.id)
                await self.sender.send(
                    chat.id, say(current.language if current else "en", texts.ERROR)
                )
            except Exception as second:  # the apology is best effort
                log.warning("could not tell chat %s about the error: %s", chat.id, second)

    async def membership(self, update: Update, context: Context) -> None:
        """The bot was blocked, kicked or left a chat: no digest is sent there any more.

        Telegram tells this in a `my_chat_member` update; waiting for the next send's
        403 would cost a planned digest. Being added again changes nothing until /start."""
        change = update.my_chat_member
        if change is None:
            return
        if change.new_chat_member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
            log.info("chat %s removed the bot (%s)", change.chat.id, change.new_chat_member.status)
            await self.mark_gone(change.chat.id)

    async def mark_gone(self, chat_id: int) -> None:
        await self.store.write(
            lambda s: subscribers.change_chat(session=s, chat_id=chat_id, change=rules.block)
        )
