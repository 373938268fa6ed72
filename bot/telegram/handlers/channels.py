"""/channel: a channel's digest, set up from the private chat of one of its administrators."""

from __future__ import annotations

import logging

from sqlmodel import Session
from telegram import Chat, ChatMemberAdministrator, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden

from bot import prefs as rules
from bot.i18n import say
from bot.news.compose import escape
from bot.telegram import texts
from bot.telegram.handlers.guards import App, Context, Shell, add_commands
from bot.telegram.picker import picker_markup
from storage import digests, subscribers
from storage.subscribers import ChatPrefs

log = logging.getLogger(__name__)


def register(application: App, shell: Shell) -> None:
    add_commands(application, shell, channel=channel)


async def channel(shell: Shell, update: Update, context: Context) -> None:
    """`/channel @name`: from a private chat, set up the digest of a channel both the
    user and the bot administer; `/channel @name off` ends it, `/channel done`
    returns the chat's commands to its own settings."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None
    own = await shell.prefs(chat.id)
    language = await shell.language(update, own)
    if chat.type != ChatType.PRIVATE or user is None:
        await shell.reply(update, context, say(language, texts.CHANNEL_PRIVATE_ONLY))
        return
    try:
        action, name = rules.parse_channel(rules.clean_args(context.args or []))
    except rules.BadArgument as error:
        await shell.reply(update, context, texts.refusal(language, error))
        return
    if action == "show":
        editing = await shell.prefs(own.editing) if own and own.editing else None
        answer = texts.channel_state(language, editing)
        await shell.reply(update, context, answer)
        return
    if action == "done":
        await shell.change(chat, lambda p: rules.edit_channel(p, None), language=language)
        await shell.reply(update, context, say(language, texts.CHANNEL_DONE))
        return
    assert name is not None
    found = await _channel_both_administer(shell, update, context, name, language)
    if found is None:
        return
    if action == "off":
        await _end_channel(shell, chat, found)
        await shell.reply(update, context, say(language, texts.CHANNEL_OFF, channel=name))
        return
    now = shell.clock()
    fresh = rules.new_chat(
        found, ChatType.CHANNEL, shell.settings.digest_time,
        own.timezone if own else shell.settings.default_timezone, now=now, language=language,
    )  # fmt: skip

    def set_up(session: Session) -> ChatPrefs | None:
        channel = subscribers.change_chat(
            session=session, chat_id=found, create=fresh,
            change=lambda p: rules.subscribe(p, now),
        )  # fmt: skip
        subscribers.change_chat(
            session=session, chat_id=chat.id, create=rules.new_chat(
                chat.id, chat.type, shell.settings.digest_time,
                shell.settings.default_timezone, now=now, language=language,
            ),
            change=lambda p: rules.edit_channel(p, found),
        )  # fmt: skip
        return channel

    channel = await shell.store.write(set_up)
    assert channel is not None
    log.info("chat %s sets up channel %s (%s)", chat.id, found, name)
    answer = say(language, texts.CHANNEL_ON, channel=name)
    await shell.reply(update, context, answer, picker_markup(channel.countries, language))


async def _channel_both_administer(
    shell: Shell, update: Update, context: Context, name: str, language: str
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
    elif not await _is_admin_of(shell, context, found.id, update.effective_user.id):
        refusal = texts.CHANNEL_NOT_YOURS
    elif not await _bot_posts_in(context, found.id):
        refusal = texts.CHANNEL_BOT_NOT_ADMIN
    if refusal is not None:
        await shell.reply(update, context, say(language, refusal, channel=escape(name)))
        return None
    assert found is not None
    return found.id


async def _is_admin_of(shell: Shell, context: Context, chat_id: int, user_id: int) -> bool:
    try:
        return await shell.is_admin(context, chat_id, user_id)
    except (BadRequest, Forbidden):  # the bot is not in the channel, or it is gone
        return False


async def _bot_posts_in(context: Context, chat_id: int) -> bool:
    try:
        member = await context.bot.get_chat_member(chat_id, context.bot.id)
    except (BadRequest, Forbidden):
        return False
    if member.status == ChatMemberStatus.OWNER:
        return True
    return isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)


async def _end_channel(shell: Shell, chat: Chat, channel_id: int) -> None:
    def end(session: Session) -> None:
        digests.void_planned(session=session, chat_id=channel_id, now=shell.clock())
        subscribers.change_chat(session=session, chat_id=channel_id, change=rules.pause)
        subscribers.change_chat(
            session=session,
            chat_id=chat.id,
            change=lambda p: rules.edit_channel(p, None) if p.editing == channel_id else p,
        )

    await shell.store.write(end)
