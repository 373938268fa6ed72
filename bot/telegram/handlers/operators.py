"""/stats and /source: for the operators named in ADMIN_CHAT_IDS only."""

from __future__ import annotations

import logging
from functools import partial

from sqlmodel import Session
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import MessageHandler, filters

from bot import prefs as rules
from bot.i18n import say
from bot.sources.catalog import load_catalog
from bot.sources.fetch_round import publisher, read_articles
from bot.sources.fetcher import FetchError
from bot.sources.importing import feeds_to_export, import_feeds
from bot.sources.opml import MAX_OPML_BYTES, OpmlError, OpmlFeed, read_opml, write_opml
from bot.sources.urls import canonical_url, web_url_problem
from bot.telegram import texts
from bot.telegram.handlers.guards import (
    NEW_MESSAGES,
    App,
    Context,
    Shell,
    add_commands,
    command_text,
    topic_of,
)
from storage import digests, repo, sources, subscribers
from storage.models import SourceRecord

log = logging.getLogger(__name__)
MAX_NAME_CHARS = 80  # an operator's name for a source, as shown with its articles


# An OPML file sent with the caption "/source import" (a document: a command's text has none).
IMPORT_CAPTION = r"^/source(?:@\w+)?\s+import\b"
MAX_FAILURES_LISTED = 20  # feeds that failed, named in the answer (the rest counted)


def register(application: App, shell: Shell) -> None:
    add_commands(application, shell, stats=stats, source=source)
    application.add_handler(
        MessageHandler(
            NEW_MESSAGES & filters.Document.ALL & filters.CaptionRegex(IMPORT_CAPTION),
            partial(import_document, shell),
        )
    )


def _health(records: list[SourceRecord]) -> list[texts.SourceHealth]:
    return [
        texts.SourceHealth(
            r.url, r.failures, r.last_status, r.last_success_at, r.last_error, r.name, r.removed
        )
        for r in records
    ]


async def stats(shell: Shell, update: Update, context: Context) -> None:
    if await shell.refuse_unless_operator(update, context, "/stats"):
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
    if await shell.refuse_unless_operator(update, context, "/source"):
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
    elif action == "export" and not rest:
        await _export(shell, update, language)
        return
    elif action == "import":
        answer = say(language, texts.SOURCE_IMPORT_USAGE)  # the file comes as a document
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


async def _export(shell: Shell, update: Update, language: str) -> None:
    """The sources a round fetches as an OPML file, sent as a document."""
    configured = shell.settings.sources

    def gather(session: Session) -> list[OpmlFeed]:
        urls = sources.to_fetch(session=session, configured=configured)
        displays = dict(repo.known_outlets(session=session))
        return feeds_to_export(urls, sources.all_sources(session=session), displays)

    feeds = await shell.store.run(gather)
    assert update.effective_chat is not None
    await shell.sender.send_document(
        update.effective_chat.id,
        write_opml(feeds, created=shell.clock()).encode(),
        "newsbot-sources.opml",
        caption=say(language, texts.SOURCE_EXPORTED, count=len(feeds)),
        thread_id=topic_of(update),
    )


async def import_document(shell: Shell, update: Update, context: Context) -> None:
    """An OPML file with the caption /source import: its feeds added, each tried as
    /source add tries a URL; a refused file adds nothing."""
    if await shell.refuse_unless_operator(update, context, "/source"):
        return
    language = await shell.language(update)
    message = update.effective_message
    document = message.document if message else None
    if document is None or shell.fetcher is None:
        await shell.reply(update, context, say(language, texts.SOURCE_IMPORT_USAGE))
        return
    try:
        if (document.file_size or 0) > MAX_OPML_BYTES:
            raise OpmlError(f"the file is over {MAX_OPML_BYTES:,} bytes")
        file = await context.bot.get_file(document.file_id)
        data = bytes(await file.download_as_bytearray())
        feeds = read_opml(data, allow_private=shell.settings.sources_allow_private)
    except (OpmlError, TelegramError) as error:
        log.info("/source import refused: %s", error)
        reason = str(error)[:200]
        await shell.reply(
            update, context, texts.say_escaped(language, texts.SOURCE_IMPORT_REFUSED, reason=reason)
        )
        return
    configured = shell.settings.sources
    known = set(await shell.store.run(
        lambda s: sources.to_fetch(session=s, configured=configured)
    ))  # fmt: skip
    fetcher = shell.fetcher

    async def try_feed(url: str) -> int:
        return len(read_articles(await fetcher.get(url)).articles)

    async def add(feed: OpmlFeed) -> None:
        now = shell.clock()
        await shell.store.write(
            lambda s: sources.add_source(session=s, url=feed.url, name=feed.title, now=now)
        )

    outcomes = await import_feeds(feeds, known=known, try_feed=try_feed, add=add)
    failed = [o for o in outcomes if o.status == "failed"]
    lines = [say(language, texts.SOURCE_IMPORTED,
                 added=sum(o.status == "added" for o in outcomes),
                 known=sum(o.status == "known" for o in outcomes), failed=len(failed))]  # fmt: skip
    lines += [
        texts.say_escaped(language, texts.SOURCE_IMPORT_FAILED, title=o.feed.title, reason=o.detail)
        for o in failed[:MAX_FAILURES_LISTED]
    ]
    if len(failed) > MAX_FAILURES_LISTED:
        lines.append(f"+{len(failed) - MAX_FAILURES_LISTED}")
    await shell.reply(update, context, "\n".join(lines))


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
