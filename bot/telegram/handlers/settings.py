"""A chat's reading settings: /time, /timezone, /brief, /language, /days, /alerts, and
/settings with its buttons."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot import prefs as rules
from bot.i18n import say
from bot.telegram import texts
from bot.telegram.handlers.guards import App, Change, Context, Shell, add_buttons, add_commands
from bot.telegram.picker import (
    LANGUAGE_PREFIX,
    SETTING_PREFIX,
    WEEKDAYS,
    parse_setting_callback,
    picker_markup,
    settings_markup,
)
from storage import repo
from storage.subscribers import ALL_DAYS, ChatPrefs


def register(application: App, shell: Shell) -> None:
    add_commands(
        application, shell, time=time, timezone=timezone, settings=show_settings,
        language=language, brief=brief, alerts=alerts, days=days,
    )  # fmt: skip
    add_buttons(
        application, shell, settings_button, pattern=f"^({LANGUAGE_PREFIX}|{SETTING_PREFIX})"
    )


async def time(shell: Shell, update: Update, context: Context) -> None:
    await _set_schedule(shell, update, context, zone=False)


async def timezone(shell: Shell, update: Update, context: Context) -> None:
    await _set_schedule(shell, update, context, zone=True)


async def _set_schedule(shell: Shell, update: Update, context: Context, *, zone: bool) -> None:
    example = rules.ZONE_EXAMPLE if zone else rules.TIME_EXAMPLE

    def parse(args: list[str]) -> Change:
        if zone:
            name = rules.parse_zone(args)
            return lambda p: rules.set_zone(p, name, shell.clock())
        at = rules.parse_time(args)
        return lambda p: rules.set_time(p, at, shell.clock())

    def shown(language: str, current: ChatPrefs | None) -> str:
        if current is None:
            return say(language, texts.SCHEDULE_HOW, example=example)
        schedule = texts.schedule_line(language, current)
        return say(language, texts.SCHEDULE_NOW, schedule=schedule, example=example)

    await shell.setting(update, context, parse=parse, shown=shown, done=texts.time_set)


async def brief(shell: Shell, update: Update, context: Context) -> None:
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

    await shell.setting(update, context, parse=parse, shown=shown, done=done)


async def language(shell: Shell, update: Update, context: Context) -> None:
    """`/language ru|en`: every reply and digest to this chat in that language."""

    def parse(args: list[str]) -> Change:
        chosen = rules.parse_language(args)
        return lambda p: rules.set_language(p, chosen)

    await shell.setting(
        update,
        context,
        parse=parse,
        shown=lambda language, _current: say(language, texts.LANGUAGE_HOW),
        done=lambda language, _after: say(language, texts.LANGUAGE_SET),
    )


async def days(shell: Shell, update: Update, context: Context) -> None:
    """`/days mon-fri | sat | all`: the local weekdays the digest comes on."""

    def parse(args: list[str]) -> Change:
        chosen = rules.parse_days(args)
        return lambda p: rules.set_days(p, chosen, shell.clock())

    def shown(language: str, current: ChatPrefs | None) -> str:
        days = texts.day_list(language, current.days if current else ALL_DAYS)
        return say(language, texts.DAYS_HOW, days=days)

    await shell.setting(update, context, parse=parse, shown=shown, done=texts.days_set)


async def alerts(shell: Shell, update: Update, context: Context) -> None:
    """`/alerts on|off`: an article matching a followed word as soon as it is in."""
    newest = await shell.store.run(lambda s: repo.newest_article_id(session=s))

    def parse(args: list[str]) -> Change:
        on = rules.parse_switch(args, "/alerts")
        return lambda p: rules.set_alerts(p, on, newest)

    cap = shell.settings.alerts_per_day
    await shell.setting(
        update,
        context,
        parse=parse,
        shown=lambda language, current: texts.alerts_state(language, current, cap),
        done=lambda language, after: texts.alerts_state(language, after, cap),
    )


async def show_settings(shell: Shell, update: Update, context: Context) -> None:
    _target, current, language = await shell.target(update)
    if current is None:
        await shell.reply(update, context, say(language, texts.NOT_SUBSCRIBED))
        return
    answer = texts.settings_text(language, current, shell.settings.alerts_per_day)
    await shell.reply(update, context, answer, settings_markup(current, language))


async def settings_button(shell: Shell, update: Update, context: Context) -> None:
    """A button under /settings: change that setting, and show the settings again,
    edited in place (in the new language, after the language button)."""
    pressed = await shell.pressed(update, context, parse_setting_callback)
    if pressed is None:
        return
    query, target, language, (name, value) = pressed
    if name == "countries":  # the message turns into the picker, as /country shows it
        current = await shell.prefs(target.id)
        chosen = current.countries if current else ()
        await query.answer()
        prompt = say(language, texts.PICKER_PROMPT)
        await shell.edit(update, query, prompt, picker_markup(chosen, language))
        return
    now = shell.clock()
    newest = None
    if name == "alerts":
        newest = await shell.store.run(lambda s: repo.newest_article_id(session=s))
    change: Change = {
        "language": lambda p: rules.set_language(p, value),
        "brief": lambda p: rules.set_brevity(p, value),
        "alerts": lambda p: rules.set_alerts(p, value == "on", newest),
        "days": lambda p: rules.set_days(p, WEEKDAYS if value == "weekdays" else ALL_DAYS, now),
    }[name]
    after = await shell.change(target, change, create=False)
    if after is None:
        await query.answer(say(language, texts.NOT_SUBSCRIBED))
        return
    shown = language if target.type == ChatType.CHANNEL else after.language
    done = texts.LANGUAGE_SET if name == "language" else texts.SETTING_CHANGED
    await query.answer(say(shown, done))
    text = texts.settings_text(shown, after, shell.settings.alerts_per_day)
    await shell.edit(update, query, text, settings_markup(after, shown))
