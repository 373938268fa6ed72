"""/search WORDS and inline mode (`@bot WORDS` in any chat): stories from the archive."""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import InlineQueryHandler

from bot.i18n import language_for, say
from bot.news.compose import render_article, shorten
from bot.search.archive import find_stories, newest_stories, reader_of
from bot.search.results import (
    INLINE_RESULTS,
    PAGE_SIZE,
    compose_results,
    page_buttons,
    parse_page,
    query_of,
    shown_query,
)
from bot.telegram import texts
from bot.telegram.handlers.guards import App, Context, Shell, add_buttons, add_commands

log = logging.getLogger(__name__)

# Telegram may keep an inline answer this long for the same query of the same user:
# short, so a story ingested meanwhile shows soon.
INLINE_CACHE_SECONDS = 60


def register(application: App, shell: Shell) -> None:
    add_commands(application, shell, search=search)
    add_buttons(application, shell, search_page, pattern=r"^search:")
    application.add_handler(InlineQueryHandler(partial(inline, shell)))


async def _page(
    shell: Shell, update: Update, words: str, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of results for the chat, and its ◀ ▶ buttons."""
    assert update.effective_chat is not None
    current = await shell.prefs(update.effective_chat.id)
    language = await shell.language(update, current)
    reader = reader_of(current, language)
    wanted = (page + 1) * PAGE_SIZE + 1  # one more: is there a next page?
    found = await shell.store.run(lambda s: find_stories(s, words, reader, limit=wanted))
    shown = [f.item for f in found[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]]
    if not shown:
        asked = shorten(shown_query(words), 100)
        return texts.say_escaped(language, texts.NOTHING_FOUND, query=asked), None
    buttons = page_buttons(page, len(found) > (page + 1) * PAGE_SIZE)
    markup = (
        InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)
                               for label, data in buttons]])
        if buttons else None
    )  # fmt: skip
    return compose_results(words, shown, page=page, language=language), markup


async def search(shell: Shell, update: Update, context: Context) -> None:
    """`/search WORDS`: the stories whose articles match, five a message."""
    words = " ".join(context.args or [])
    if not words.strip():
        language = await shell.language(update)
        await shell.reply(update, context, say(language, texts.SEARCH_USAGE))
        return
    text, markup = await _page(shell, update, words, 0)
    await shell.reply(update, context, text, markup)


async def search_page(shell: Shell, update: Update, context: Context) -> None:
    """◀ ▶ under the results: the message is edited to the page asked for."""
    query = update.callback_query
    assert query is not None
    page = parse_page(query.data or "")
    message = query.message
    text = getattr(message, "text", None) or ""  # an inaccessible (old) message has none
    words = query_of(text)
    if page is None or words is None:
        await query.answer(say(await shell.language(update), texts.STALE_BUTTON))
        return
    await query.answer()
    text, markup = await _page(shell, update, words, page)
    await shell.edit(update, query, text, markup)


async def inline(shell: Shell, update: Update, context: Context) -> None:
    """`@bot WORDS` in any chat: up to INLINE_RESULTS stories to send there; no words:
    the newest stories of the user's countries (those of their private chat with the bot)."""
    asked = update.inline_query
    assert asked is not None
    user = asked.from_user
    current = await shell.prefs(user.id)
    language = current.language if current else language_for(user.language_code)
    reader = reader_of(current, language)
    if asked.query.strip():
        found = await shell.store.run(
            lambda s: find_stories(s, asked.query, reader, limit=INLINE_RESULTS)
        )
        items = [f.item for f in found]
    else:
        mine = replace(reader, countries=current.countries if current else ())
        items = await shell.store.run(lambda s: newest_stories(s, mine, limit=INLINE_RESULTS))
    results = [
        InlineQueryResultArticle(
            id=str(item.story),
            title=shorten(item.title, 200),
            description=shorten(item.summary[0], 200) if item.summary else None,
            url=item.url,
            input_message_content=InputTextMessageContent(
                render_article(item, language=language, brevity="short"),
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            ),
        )
        for item in items
    ]
    try:
        await asked.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=True)
    except TelegramError as error:  # the user typed on: an old query can no longer be answered
        log.info("inline query from user %s not answered: %s", user.id, error)
