"""/start, /stop, /country and the country picker; a chat that removed the bot."""

from __future__ import annotations

import logging
from functools import partial

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import ChatMemberHandler

from bot import prefs as rules
from bot.i18n import say
from bot.news.compose import country_name
from bot.telegram import texts
from bot.telegram.handlers.guards import (
    App,
    Context,
    Shell,
    add_buttons,
    add_commands,
    topic_of,
)
from bot.telegram.picker import DONE, PREFIX, parse_callback, picker_markup

log = logging.getLogger(__name__)


def register(application: App, shell: Shell) -> None:
    add_commands(application, shell, start=start, country=country, stop=stop)
    add_buttons(application, shell, picker_button, pattern=f"^{PREFIX}")
    application.add_handler(
        ChatMemberHandler(partial(membership, shell), ChatMemberHandler.MY_CHAT_MEMBER)
    )


async def start(shell: Shell, update: Update, context: Context) -> None:
    assert update.effective_chat is not None
    if await shell.refuse_unless_allowed(update, context):
        return
    before = await shell.prefs(update.effective_chat.id)
    now = shell.clock()
    language = await shell.language(update, before)
    topic = topic_of(update)
    after = await shell.change(
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
    await shell.reply(
        update, context, f"{greeting}\n\n{prompt}", picker_markup(after.countries, language)
    )


async def country(shell: Shell, update: Update, context: Context) -> None:
    args = rules.clean_args(context.args or [])
    target, current, language = await shell.target(update)
    if not args:
        chosen = current.countries if current else ()
        prompt = texts.say_escaped(language, texts.PICKER_PROMPT)
        await shell.reply(update, context, prompt, picker_markup(chosen, language))
        return
    try:
        codes = rules.parse_countries(args)
    except rules.BadArgument as error:
        await shell.reply(update, context, texts.refusal(language, error))
        return
    if await shell.refuse_unless_allowed(update, context, target):
        return
    now = shell.clock()
    after = await shell.change(
        target, lambda p: rules.set_countries(p, codes, now), language=language
    )
    assert after is not None
    await shell.reply(update, context, texts.picked(language, after))


async def stop(shell: Shell, update: Update, context: Context) -> None:
    assert update.effective_chat is not None
    if await shell.refuse_unless_allowed(update, context):
        return
    after = await shell.change(update.effective_chat, rules.pause, create=False)
    language = await shell.language(update, after)
    answer = texts.paused(language) if after else say(language, texts.NOT_SUBSCRIBED)
    await shell.reply(update, context, answer)


async def picker_button(shell: Shell, update: Update, context: Context) -> None:
    """A country in the picker toggled, or Done."""
    pressed = await shell.pressed(update, context, parse_callback)
    if pressed is None:
        return
    query, target, language, choice = pressed
    now = shell.clock()
    text: str
    if choice == DONE:
        after = await shell.prefs(target.id)
        text = texts.picked(language, after) if after else say(language, texts.NOT_SUBSCRIBED)
        markup, note = None, None
    else:
        after = await shell.change(
            target, lambda p: rules.toggle_country(p, choice, now), language=language
        )
        assert after is not None
        added = texts.COUNTRY_ADDED if choice in after.countries else texts.COUNTRY_REMOVED
        note = say(language, added, country=country_name(choice, language))
        text = say(language, texts.PICKER_PROMPT)
        markup = picker_markup(after.countries, language)
    await query.answer(note)
    await shell.edit(update, query, text, markup)


async def membership(shell: Shell, update: Update, context: Context) -> None:
    """The bot was blocked, kicked or left a chat: no digest is sent there any more.

    Telegram tells this in a `my_chat_member` update; waiting for the next send's
    403 would cost a planned digest. Being added again changes nothing until /start."""
    change = update.my_chat_member
    if change is None:
        return
    if change.new_chat_member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        log.info("chat %s removed the bot (%s)", change.chat.id, change.new_chat_member.status)
        await shell.mark_gone(change.chat.id)
