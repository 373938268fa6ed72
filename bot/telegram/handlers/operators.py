"""/stats and /source: for the operators named in ADMIN_CHAT_IDS only."""

from __future__ import annotations

import logging

from sqlmodel import Session
from telegram import Update

from bot import prefs as rules
from bot.i18n import say
from bot.sources.catalog import load_catalog
from bot.sources.fetch_round import publisher, read_articles
from bot.sources.fetcher import FetchError
from bot.sources.urls import canonical_url, web_url_problem
from bot.telegram import texts
from bot.telegram.handlers.guards import App, Context, Shell, add_commands, command_text
from storage import digests, repo, sources, subscribers
from storage.models import SourceRecord

log = logging.getLogger(__name__)
MAX_NAME_CHARS = 80  # an operator's name for a source, as shown with its articles


def register(application: App, shell: Shell) -> None:
    add_commands(application, shell, stats=stats, source=source)


def _health(records: list[SourceRecord]) -> list[texts.SourceHealth]:
    return [
        texts.SourceHealth(
            r.url, r.failures, r.last_status, r.last_success_at, r.last_error, r.name, r.removed
        )
        for r in records
    ]


async def stats(shell: Shell, update: Update, context: Context) -> None:
    if await shell.refuse_unless_operator(update, context, texts.STATS_REFUSED):
        return
    language = await shell.language(update)

    def gather(session: Session) -> str:
        run = digests.last_run(session=session)
        return texts.stats_text(
            language,
            subscribers.count_by_status(session=session),
            repo.count_articles(session=session),
            repo.last_ingest_at(session=session),
            texts.run_line(language, run.started_at, run.report) if run else None,
            _health(sources.all_sources(session=session)),
        )

    await shell.reply(update, context, await shell.store.run(gather))


async def source(shell: Shell, update: Update, context: Context) -> None:
    """`/source add URL [name]`, `/source remove NAME|URL`, `/source list`."""
    if await shell.refuse_unless_operator(update, context, texts.SOURCE_REFUSED):
        return
    language = await shell.language(update)
    action, _, rest = rules.clean_text(command_text(update)).partition(" ")
    rest = rest.strip()
    if action == "add" and rest:
        url, _, name = rest.partition(" ")
        answer = await _add(shell, url, name.strip()[:MAX_NAME_CHARS] or None, language)
    elif action == "remove" and rest:
        answer = await _remove(shell, rest, language)
    elif action == "list" and not rest:
        answer = await _list(shell, language)
    else:
        answer = say(language, texts.SOURCE_USAGE)
    await shell.reply(update, context, answer)


async def _add(shell: Shell, url: str, name: str | None, language: str) -> str:
    """Try the source once (the fetcher's guards: scheme, private addresses, size; and
    something readable), then store it: the next fetch round takes it up."""
    problem = web_url_problem(url)
    canonical = canonical_url(url)
    if problem is not None or canonical is None or shell.fetcher is None:
        reason = problem or "not a web address"
        return texts.say_escaped(language, texts.SOURCE_NOT_ADDED, reason=reason)
    try:
        response = await shell.fetcher.get(canonical)
        reading = read_articles(response)
    except (FetchError, ValueError) as error:
        log.info("/source add %s refused: %s", canonical, error)
        return texts.say_escaped(language, texts.SOURCE_NOT_ADDED, reason=str(error)[:200])
    shown = name or publisher(canonical, feed_title=reading.title).display or canonical
    now = shell.clock()
    await shell.store.write(
        lambda s: sources.add_source(session=s, url=canonical, name=name, now=now)
    )
    return texts.say_escaped(
        language, texts.SOURCE_ADDED, name=shown, url=canonical, count=len(reading.articles)
    )


async def _remove(shell: Shell, named: str, language: str) -> str:
    """By URL, by the name an operator gave, or by a catalog outlet's name or display name."""
    configured = shell.settings.sources

    def remove(session: Session) -> tuple[str, str] | str:
        fetched = sources.to_fetch(session=session, configured=configured)
        records = {r.url: r for r in sources.all_sources(session=session)}
        wanted = named.casefold()
        catalog = {canonical_url(o.feed) or o.feed: (o.name, o.display) for o in load_catalog()}
        matches = [
            url
            for url in fetched
            if canonical_url(named) == url
            or (records.get(url) and (records[url].name or "").casefold() == wanted)
            or wanted in {n.casefold() for n in catalog.get(url, ())}
        ]
        if len(matches) != 1:
            return "ambiguous" if matches else "unknown"
        record = sources.remove_source(session=session, url=matches[0])
        return record.name or catalog.get(record.url, ("", record.url))[1], record.url

    outcome = await shell.store.write(remove)
    if isinstance(outcome, str):
        refusal = texts.SOURCE_AMBIGUOUS if outcome == "ambiguous" else texts.SOURCE_UNKNOWN
        return texts.say_escaped(language, refusal, name=named[:MAX_NAME_CHARS])
    name, url = outcome
    return texts.say_escaped(language, texts.SOURCE_REMOVED, name=name, url=url)


async def _list(shell: Shell, language: str) -> str:
    configured = shell.settings.sources

    def gather(session: Session) -> list[SourceRecord]:
        fetched = set(sources.to_fetch(session=session, configured=configured))
        return [r for r in sources.all_sources(session=session) if r.url in fetched or r.removed]

    records = await shell.store.run(gather)
    heading = say(language, texts.SOURCES_HEADING, count=len(records))
    return "\n".join([heading, *texts.source_lines(language, _health(records))])
