"""Followed and muted words: /follow, /mute, /unfollow, /unmute, and /keywords with a
button to remove each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from telegram import Update

from bot import prefs as rules
from bot import topics
from bot.i18n import say
from bot.telegram import texts
from bot.telegram.handlers.guards import (
    App,
    Context,
    Shell,
    add_buttons,
    add_commands,
    command_text,
)
from bot.telegram.picker import KEYWORD_PREFIX, keywords_markup, parse_keyword_callback
from storage.subscribers import ChatPrefs


def register(application: App, shell: Shell) -> None:
    add_commands(
        application, shell, follow=follow, unfollow=unfollow, mute=mute, unmute=unmute,
        keywords=keywords,
    )  # fmt: skip
    add_buttons(application, shell, keyword_button, pattern=f"^{KEYWORD_PREFIX}")


async def follow(shell: Shell, update: Update, context: Context) -> None:
    await _keyword_command(shell, update, context, "/follow", topics.follow, texts.FOLLOWED)


async def mute(shell: Shell, update: Update, context: Context) -> None:
    await _keyword_command(shell, update, context, "/mute", topics.mute, texts.MUTED)


async def unfollow(shell: Shell, update: Update, context: Context) -> None:
    await _keyword_command(
        shell, update, context, "/unfollow", topics.unfollow, texts.UNFOLLOWED, present="follows"
    )


async def unmute(shell: Shell, update: Update, context: Context) -> None:
    await _keyword_command(
        shell, update, context, "/unmute", topics.unmute, texts.UNMUTED, present="mutes"
    )


async def _keyword_command(
    shell: Shell,
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
    target, current, language = await shell.target(update)
    try:
        keywords = topics.parse_keywords(command_text(update))
    except rules.BadArgument as error:
        await shell.reply(update, context, texts.refusal(language, error))
        return
    if not keywords:
        await shell.reply(update, context, say(language, texts.KEYWORDS_HOW, command=command))
        return
    if present is not None:
        listed = getattr(current, present) if current else ()
        missing = [k for k in keywords if k not in listed]
        if len(missing) == len(keywords):
            words = texts.keyword_list(missing)
            await shell.reply(update, context, say(language, texts.NOT_LISTED, words=words))
            return
        keywords = tuple(k for k in keywords if k in listed)
    if await shell.refuse_unless_allowed(update, context, target):
        return
    try:
        after = await shell.change(target, lambda p: rule(p, keywords), language=language)
    except rules.BadArgument as error:  # over the limit: nothing stored
        await shell.reply(update, context, texts.refusal(language, error))
        return
    assert after is not None
    answer = say(language, done, words=texts.keyword_list(keywords))
    await shell.reply(update, context, answer, keywords_markup(after))


async def keywords(shell: Shell, update: Update, context: Context) -> None:
    """`/keywords`: the followed and muted words, a button to remove each."""
    _target, current, language = await shell.target(update)
    shown = current or rules.new_chat(0, "private", dt.time(9), "UTC", now=shell.clock())
    markup = keywords_markup(shown)
    await shell.reply(update, context, texts.keywords_text(language, shown), markup)


async def keyword_button(shell: Shell, update: Update, context: Context) -> None:
    """A remove button under /keywords: off the list, and the list edited in place."""
    pressed = await shell.pressed(update, context, parse_keyword_callback)
    if pressed is None:
        return
    query, target, language, token = pressed
    removed: list[str] = []

    def remove(prefs: ChatPrefs) -> ChatPrefs:
        after, keyword = topics.remove_by_token(prefs, token)
        removed.extend([keyword] if keyword else [])
        return after

    after = await shell.change(target, remove, create=False)
    if after is None or not removed:
        await query.answer(say(language, texts.STALE_BUTTON))
        return
    await query.answer(say(language, texts.KEYWORD_REMOVED, word=removed[0]))
    text, markup = texts.keywords_text(language, after), keywords_markup(after)
    await shell.edit(update, query, text, markup)
