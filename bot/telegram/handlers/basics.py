"""What any chat gets, whatever it sends: /help; the answer to a command, a button or plain
talk no family took; and the one error handler.

Registered after every family (see `__init__`): its catch-alls must see only what no
family's handler took.
"""

from __future__ import annotations

import logging
from functools import partial

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot import prefs as rules
from bot.delivery.sender import ChatGone
from bot.i18n import say
from bot.telegram import texts
from bot.telegram.handlers.guards import (
    NEW_MESSAGES,
    App,
    Context,
    Shell,
    add_buttons,
    add_commands,
)

log = logging.getLogger(__name__)


def register(application: App, shell: Shell) -> None:
    add_commands(application, shell, help=help)
    # Any other button (a stale keyboard of an older version) is answered, not ignored.
    add_buttons(application, shell, stale_button, pattern=None)
    application.add_handler(
        MessageHandler(NEW_MESSAGES & filters.COMMAND, partial(unknown_command, shell))
    )
    # In a private chat anything else (text, a sticker, a photo) gets a pointer to /help.
    application.add_handler(
        MessageHandler(NEW_MESSAGES & filters.ChatType.PRIVATE, partial(plain_text, shell))
    )
    application.add_error_handler(partial(on_error, shell))


async def help(shell: Shell, update: Update, context: Context) -> None:
    await shell.reply(update, context, texts.help_text(await shell.language(update)))


async def stale_button(shell: Shell, update: Update, context: Context) -> None:
    """A button whose data no family reads: the guard answers it as expired."""
    await shell.pressed(update, context, lambda _data: None)


async def unknown_command(shell: Shell, update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    command, _, addressee = message.text.split()[0].partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # a command for another bot in the same group
    language = await shell.language(update)
    answer = texts.say_escaped(language, texts.UNKNOWN_COMMAND, command=rules.quoted(command))
    await shell.reply(update, context, answer)


async def plain_text(shell: Shell, update: Update, context: Context) -> None:
    await shell.reply(update, context, say(await shell.language(update), texts.PLAIN_TEXT))


async def on_error(shell: Shell, update: object, context: Context) -> None:
    error = context.error
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, ChatGone):
        log.info("chat %s is gone (%s): marked inactive", error.chat_id, error.reason)
        await shell.mark_gone(error.chat_id)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("update %s (chat %s) failed", update_id, chat.id if chat else None,
              exc_info=error)  # fmt: skip
    if chat is not None:
        try:
            current = await shell.prefs(chat.id)
            await shell.sender.send(
                chat.id, say(current.language if current else "en", texts.ERROR)
            )
        except Exception as second:  # the apology is best effort
            log.warning("could not tell chat %s about the error: %s", chat.id, second)
