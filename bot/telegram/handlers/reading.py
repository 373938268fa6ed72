"""/latest and /digest: the news itself, on demand."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session
from telegram import Update

from bot import prefs as rules
from bot.delivery.schedule import OLDEST_NEWS, compose_for, unsent
from bot.i18n import say
from bot.news.compose import compose_latest
from bot.search.archive import newest_stories, reader_of
from bot.telegram import texts
from bot.telegram.handlers.guards import App, Context, Shell, add_commands
from storage import alerts, digests, repo, stories
from storage.models import ExchangeRateRecord as Rate
from storage.repo import StoredArticle


def register(application: App, shell: Shell) -> None:
    add_commands(application, shell, latest=latest, digest=digest)


async def latest(shell: Shell, update: Update, context: Context) -> None:
    assert update.effective_chat is not None
    try:
        named, count = rules.parse_latest(rules.clean_args(context.args or []))
    except rules.BadArgument as error:
        await shell.reply(update, context, texts.refusal(await shell.language(update), error))
        return
    current = await shell.prefs(update.effective_chat.id)
    language = await shell.language(update, current)
    codes = (named,) if named else (current.countries if current else ())
    # News languages and outlets narrow the query itself, so the answer is still full;
    # muted words, in any article of a story, hide it (as in digests).
    reader = replace(reader_of(current, language), countries=codes)
    articles = await shell.store.run(lambda s: newest_stories(s, reader, limit=count))
    countries = texts.country_list(language, codes)
    if not articles:
        nothing = texts.NOTHING_STORED_FOR if codes else texts.NOTHING_STORED
        await shell.reply(update, context, say(language, nothing, countries=countries))
        return
    if codes:
        heading = say(language, texts.LATEST_HEADING, countries=countries)
    else:
        heading = say(language, "📰 <b>Latest from all countries</b> (/country chooses yours)")
    brevity = current.brevity if current else rules.DEFAULT_BREVITY
    await shell.reply(update, context, compose_latest(articles, heading, language, brevity))


async def digest(shell: Shell, update: Update, context: Context) -> None:
    assert update.effective_chat is not None
    chat_id = update.effective_chat.id
    current = await shell.prefs(chat_id)
    language = await shell.language(update, current)
    if current is None or not (current.countries or current.follows):
        await shell.reply(update, context, say(language, "Choose countries first: /country"))
        return
    if await shell.refuse_unless_allowed(update, context):
        return
    now = shell.clock()

    def window(session: Session) -> tuple[list[StoredArticle], list[Rate], int | None]:
        candidates = digests.candidate_articles(
            session=session,
            after_id=current.digest_cursor or 0,
            first_seen_after=now - OLDEST_NEWS,
        )
        alerted = alerts.alerted_stories(
            session=session, chat_ids=[chat_id], after_id=current.digest_cursor or 0
        )
        members = stories.story_articles(
            session=session, story_ids={article.story for article in candidates}
        )
        return (
            unsent(current, candidates, now, alerted=alerted.get(chat_id, ()), stories=members),
            repo.latest_rates(session=session),
            repo.newest_article_id(session=session),
        )

    articles, rates, through = await shell.store.run(window)
    messages = compose_for(current, articles, rates, shell.settings.digest_max_per_country)
    if not messages:
        await shell.reply(update, context, texts.nothing_new(language, current.countries))
    else:
        await shell.reply(update, context, messages)
    # Only after the messages went out: a failed send leaves them "not yet sent".
    if through is not None:
        await shell.change(
            update.effective_chat,
            lambda p: rules.digest_sent(p, through, now),
            create=False,
        )
