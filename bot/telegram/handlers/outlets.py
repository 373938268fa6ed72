"""What a chat reads: /news (its news languages) and /outlets (single outlets off and on)."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlsplit

from sqlmodel import Session
from telegram import Update

from bot import prefs as rules
from bot.i18n import say
from bot.sources.catalog import load_catalog, outlet_for_url
from bot.sources.fetch_round import publisher
from bot.telegram import texts
from bot.telegram.handlers.guards import App, Change, Context, Shell, add_buttons, add_commands
from bot.telegram.picker import (
    DONE,
    OUTLET_PREFIX,
    OutletChoice,
    outlet_choices,
    outlets_markup,
    parse_outlet_callback,
)
from storage import repo, sources
from storage.subscribers import ChatPrefs


def register(application: App, shell: Shell) -> None:
    add_commands(application, shell, news=news, outlets=outlets)
    add_buttons(application, shell, outlet_button, pattern=f"^{OUTLET_PREFIX}")


async def news(shell: Shell, update: Update, context: Context) -> None:
    """`/news en | ru | ru en | all`: which languages' articles the chat receives."""

    def parse(args: list[str]) -> Change:
        chosen = rules.parse_news_languages(args)
        return lambda p: rules.set_news_languages(p, chosen)

    def shown(language: str, current: ChatPrefs | None) -> str:
        return texts.news_text(language, current, language)

    await shell.setting(update, context, parse=parse, shown=shown, done=shown)


async def choices(shell: Shell, prefs: ChatPrefs) -> list[OutletChoice]:
    """The outlets the picker lists for the chat (`bot.telegram.picker.outlet_choices`)."""
    configured = shell.settings.sources

    def gather(session: Session) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        records = {r.url: r for r in sources.all_sources(session=session)}
        fetched = []
        for url in sources.to_fetch(session=session, configured=configured):
            if outlet_for_url(url) is None:
                record = records.get(url)
                name = (record.name if record else None) or urlsplit(url).hostname or url
                fetched.append((publisher(url).key, name))
        return repo.known_outlets(session=session), fetched

    known, fetched = await shell.store.run(gather)
    return outlet_choices(
        load_catalog(), prefs.countries, rules.news_languages(prefs), known, fetched
    )


async def outlets(shell: Shell, update: Update, context: Context) -> None:
    """The outlet picker: the catalog's outlets of the chat's countries and languages,
    heard from or not, and the other sources fetched, a toggle each."""
    _target, current, language = await shell.target(update)
    if current is None:
        await shell.reply(update, context, say(language, texts.NOT_SUBSCRIBED))
        return
    listed = await choices(shell, current)
    if not listed:
        await shell.reply(update, context, say(language, texts.OUTLETS_NONE))
        return
    markup = outlets_markup(listed, current.hidden_outlets, 0, language)
    await shell.reply(update, context, say(language, texts.OUTLETS_PROMPT), markup)


async def outlet_button(shell: Shell, update: Update, context: Context) -> None:
    """A toggle, a page turn, "All on" or "Done" under the outlet picker (also reached
    from the /settings button): the choice is stored, the picker edited in place."""
    pressed = await shell.pressed(update, context, parse_outlet_callback)
    if pressed is None:
        return
    query, target, language, (action, page, key) = pressed
    if action == DONE:
        await query.answer()
        await shell.edit(update, query, say(language, texts.PICKER_DONE), None)
        return
    current = await shell.prefs(target.id)
    if current is None:
        await query.answer(say(language, texts.NOT_SUBSCRIBED))
        return
    listed = await choices(shell, current)
    names = {choice.key: choice.name for choice in listed}
    if action in ("on", "off", "all"):
        change: Change = rules.show_all_outlets
        if action != "all":
            change = partial(rules.set_outlet, outlet=key, on=action == "on")
        after = await shell.change(target, change, create=False)
        if after is None:
            await query.answer(say(language, texts.NOT_SUBSCRIBED))
            return
        hidden = after.hidden_outlets
        note = texts.OUTLET_ON if action != "off" else texts.OUTLET_OFF
        await query.answer(say(language, note, outlet=names.get(key, say(language, "All on"))))
    else:
        hidden = current.hidden_outlets
        await query.answer()
    markup = outlets_markup(listed, hidden, page, language)
    await shell.edit(update, query, say(language, texts.OUTLETS_PROMPT), markup)
