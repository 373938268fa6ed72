"""The `newsbot` command line: the composition root.

Exit status: 0 done, 2 bad usage or bad argument (one line on stderr).

Each command imports what it needs when it runs: python-telegram-bot,
SQLAlchemy, Alembic, sumy and NLTK take seconds to import between them, and
`newsbot --help` needs none of them (`bench/startup.py` measures it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from bot.news.regions import parse_country  # plain data: costs nothing to import
from bot.search_rules import SEARCH_RULES  # the same

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.exc import OperationalError

    from bot.config import Settings

EXIT_USAGE = 2


class UsageError(Exception):
    """Bad usage or a bad argument: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _country_code(text: str) -> str:
    try:
        return parse_country(text).code
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsbot", description="Central Asia news digests for Telegram.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    ingest = commands.add_parser("ingest", help="ingest snapshot files or folders now")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument("--json", action="store_true", help="print one JSON document")

    latest = commands.add_parser("latest", help="what /latest would answer")
    latest.add_argument("--country", type=_country_code, action="append", default=[])
    latest.add_argument("--limit", type=_positive_int, default=10)
    latest.add_argument("--json", action="store_true")

    stories = commands.add_parser("stories", help="stories (every outlet's article), newest first")
    stories.add_argument("--country", type=_country_code, action="append", default=[])
    stories.add_argument("--limit", type=_positive_int, default=10)
    stories.add_argument("--json", action="store_true")

    search = commands.add_parser("search", help="stories matching the words, best first")
    search.add_argument("words", nargs="+")
    search.add_argument("--country", type=_country_code, action="append", default=[])
    search.add_argument("--limit", type=_positive_int, default=10)
    search.add_argument("--json", action="store_true")

    digest = commands.add_parser("digest", help="preview the digest for some countries")
    digest.add_argument("--country", type=_country_code, action="append", required=True)
    digest.add_argument("--json", action="store_true")
    digest.add_argument(
        "--language", choices=["en", "ru"], default="en", help="the digest's language (en)"
    )

    fetch = commands.add_parser("fetch", help="one fetch round now over URLs, else SOURCES")
    fetch.add_argument("urls", nargs="*", metavar="URL")
    fetch.add_argument("--json", action="store_true")

    sources = commands.add_parser(
        "sources", help="each known source and its health; --catalog: the built-in outlets"
    )
    listing = sources.add_mutually_exclusive_group()
    listing.add_argument("--catalog", action="store_true", help="list the built-in outlets")
    listing.add_argument(
        "--opml", action="store_true", help="the sources as OPML 2.0 (catalog and operators')"
    )
    listing.add_argument(
        "--import", dest="import_file", type=Path, metavar="FILE",
        help="add the feeds an OPML file lists, each tried as /source add tries a URL",
    )  # fmt: skip
    sources.add_argument("--json", action="store_true")

    run = commands.add_parser("run", help="the bot and its scheduler (needs TELEGRAM_BOT_TOKEN)")
    receive = run.add_mutually_exclusive_group()
    receive.add_argument(
        "--webhook", action="store_true", help="receive updates by webhook (needs WEBHOOK_URL)"
    )
    receive.add_argument(
        "--polling", action="store_true", help="long polling, even if WEBHOOK_URL is set"
    )

    db = commands.add_parser("db", help="the database schema: upgrade it in place, or show it")
    db.add_argument("action", choices=["upgrade", "current"])

    demo = commands.add_parser("demo", help="try the bot: no token, no internet")
    demo.add_argument("--interactive", action="store_true", help="type the messages yourself")
    demo.add_argument("--snapshots", type=Path, help="snapshot file or folder to ingest first")
    demo.add_argument(
        "--language", choices=["en", "ru"], default="en", help="the demo user's Telegram language"
    )

    summary = commands.add_parser("summarize", help="summarise one text (stdin when no FILE)")
    summary.add_argument("file", nargs="?", type=Path, metavar="FILE")
    summary.add_argument("--sentences", type=_positive_int, default=3)
    return parser


def _load_settings() -> Settings:
    from pydantic import ValidationError

    from bot.config import Settings

    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]).upper()
        message = first["msg"].removeprefix("Value error, ")
        raise UsageError(f"bad setting {where}: {message}" if where else message) from None


def _answer(args: argparse.Namespace, document: object, text: str) -> int:
    """What a command prints: one JSON document with `--json`, else `text` for a person."""
    print(json.dumps(document, ensure_ascii=False) if args.json else text)
    return 0


def search_stems(title: str, body: str) -> tuple[str, str]:
    """For the schema upgrade that builds the search index (the text stack loads only
    if it has articles to index)."""
    from bot.search.documents import search_stems as stems

    return stems(title, body)


def _database(settings: Settings) -> Engine:
    """The engine, with the schema brought up to this version (as `newsbot db upgrade`)."""
    from sqlalchemy.exc import OperationalError

    from storage.migrate import upgrade_schema

    engine = _engine(settings)
    try:
        upgrade_schema(engine, search_stems=search_stems, search_rules=SEARCH_RULES)
    except OperationalError as error:
        raise _unreachable(settings, error) from None
    return engine


def _engine(settings: Settings) -> Engine:
    from sqlalchemy.exc import ArgumentError

    from storage.db import make_engine

    try:
        return make_engine(settings.database_url)
    except (ArgumentError, ImportError) as error:
        raise UsageError(f"bad setting DATABASE_URL: {error}") from None


def _unreachable(settings: Settings, error: OperationalError) -> UsageError:
    reason = str(error.orig).strip().splitlines()[0]  # the driver's first line says it
    return UsageError(f"cannot use the database {_shown(settings)}: {reason}")


def _shown(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


def run_db(settings: Settings, args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    from storage.migrate import current_revision, head_revision, upgrade_schema

    if args.action == "upgrade":
        engine = _engine(settings)
        try:
            before, after = upgrade_schema(
                engine, search_stems=search_stems, search_rules=SEARCH_RULES
            )
        except OperationalError as error:
            raise _unreachable(settings, error) from None
        change = "already up to date" if before == after else f"upgraded from {before or 'empty'}"
        print(f"{_shown(settings)}: schema {after} ({change})")
    else:
        try:
            with _engine(settings).connect() as connection:
                version = current_revision(connection)
        except OperationalError as error:
            raise _unreachable(settings, error) from None
        latest = head_revision()
        state = "up to date" if version == latest else f"this version needs {latest}"
        print(f"{_shown(settings)}: schema {version or 'none'} ({state})")
    return 0


def run_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from bot import cli_output
    from bot.clock import clock_from
    from bot.news.ingest import ingest_paths

    engine = _database(settings)

    progress = cli_output.Progress(enabled=sys.stderr.isatty() and not args.json)
    report = ingest_paths(
        engine,
        args.paths,
        max_bytes=settings.max_snapshot_bytes,
        on_progress=progress.update,
        clock=clock_from(settings.fake_clock_file),
        story_window_hours=settings.story_window_hours,
    )
    progress.finish()
    return _answer(args, report.as_json(), cli_output.ingest_summary(report))


def run_latest(settings: Settings, args: argparse.Namespace) -> int:
    from bot import cli_output
    from storage import repo
    from storage.db import open_session

    engine = _database(settings)
    with open_session(engine) as session:
        articles = repo.latest_articles(session=session, countries=args.country, limit=args.limit)
    return _answer(
        args,
        [cli_output.article_json(a) for a in articles],
        cli_output.articles_text(articles),
    )


def run_stories(settings: Settings, args: argparse.Namespace) -> int:
    from bot import cli_output
    from storage import stories
    from storage.db import open_session

    engine = _database(settings)
    with open_session(engine) as session:
        found = stories.latest_stories(
            session=session, countries=args.country, limit=args.limit, per_story=None
        )
    items = [cli_output.story_json(articles) for articles in found]
    return _answer(args, items, cli_output.stories_text(items))


def run_search(settings: Settings, args: argparse.Namespace) -> int:
    from bot import cli_output
    from bot.search.archive import Reader, find_stories
    from storage import stories
    from storage.db import open_session

    engine = _database(settings)
    reader = Reader(countries=args.country)
    with open_session(engine) as session:
        found = find_stories(session, " ".join(args.words), reader, limit=args.limit)
        # The JSON lists every article of a story, beyond what a reply would show.
        every = stories.story_articles(
            session=session, story_ids=[f.item.story for f in found], limit=None
        )
    items = [
        {**cli_output.story_json(every.get(f.item.story, f.articles)), "score": round(f.score, 4)}
        for f in found
    ]
    return _answer(args, items, cli_output.stories_text(items) if items else "Nothing found.")


def run_digest(settings: Settings, args: argparse.Namespace) -> int:
    from bot.news.compose import compose_digest
    from bot.news.coverage import by_coverage, story_item
    from storage import repo, stories
    from storage.db import open_session

    engine = _database(settings)
    countries = list(dict.fromkeys(args.country))
    with open_session(engine) as session:
        # No digest has been sent from the command line, so every stored story
        # is "not yet sent"; the per-country cap keeps the preview short.
        found = stories.latest_stories(session=session, countries=countries, limit=2_000)
        rates = repo.latest_rates(session=session)
    shown = (story_item(articles, language=args.language) for articles in found)
    messages = compose_digest(
        by_coverage(item for item in shown if item is not None),
        countries,
        rates=rates,
        max_per_country=settings.digest_max_per_country,
        language=args.language,
    )
    return _answer(
        args,
        {"messages": messages},
        "\n\n— — —\n\n".join(messages) if messages else "Nothing new for these countries.",
    )


def run_fetch(settings: Settings, args: argparse.Namespace) -> int:
    import datetime as dt

    from bot import cli_output
    from bot.clock import clock_from
    from bot.sources.fetch_round import FetchRound
    from bot.sources.fetcher import Fetcher
    from bot.sources.urls import web_url_problem

    for url in args.urls:
        if problem := web_url_problem(url):
            raise UsageError(f"{url[:100]}: {problem}")
    urls = args.urls or settings.sources
    if not urls:
        raise UsageError("no URL given and SOURCES is empty")
    engine = _database(settings)

    async def one_round() -> dict[str, object]:
        fetcher = Fetcher(
            allow_private=settings.sources_allow_private, contact=settings.fetch_contact
        )
        interval = dt.timedelta(minutes=settings.fetch_interval_minutes)
        try:
            rounds = FetchRound(
                engine,
                fetcher,
                interval=interval,
                clock=clock_from(settings.fake_clock_file),
                story_window_hours=settings.story_window_hours,
            )
            return (await rounds.run(urls, force=True)).as_json()
        finally:
            await fetcher.close()

    report = asyncio.run(one_round())
    return _answer(args, report, cli_output.fetch_summary(report))


def run_sources(settings: Settings, args: argparse.Namespace) -> int:
    from bot import cli_output

    if args.catalog:
        from bot.sources.catalog import load_catalog

        outlets = load_catalog()
        return _answer(
            args,
            [outlet.as_json() for outlet in outlets],
            cli_output.catalog_text(outlets),
        )

    from storage import sources
    from storage.db import open_session

    if args.import_file is not None:
        return _import_opml(settings, args)
    engine = _database(settings)
    if args.opml:
        return _export_opml(settings, engine)
    with open_session(engine) as session:
        rows = [cli_output.source_json(record) for record in sources.all_sources(session=session)]
    return _answer(args, rows, cli_output.sources_text(rows))


def _export_opml(settings: Settings, engine: Engine) -> int:
    import datetime as dt

    from bot.sources.importing import feeds_to_export
    from bot.sources.opml import write_opml
    from storage import repo, sources
    from storage.db import open_session

    with open_session(engine) as session:
        urls = sources.to_fetch(session=session, configured=settings.sources)
        displays = dict(repo.known_outlets(session=session))
        feeds = feeds_to_export(urls, sources.all_sources(session=session), displays)
    sys.stdout.write(write_opml(feeds, created=dt.datetime.now(dt.UTC)))
    return 0


def _import_opml(settings: Settings, args: argparse.Namespace) -> int:
    """The file read and checked first: a refused one touches no database."""
    import datetime as dt

    from bot import cli_output
    from bot.sources.fetch_round import read_articles
    from bot.sources.fetcher import Fetcher
    from bot.sources.importing import import_feeds
    from bot.sources.opml import MAX_OPML_BYTES, OpmlError, OpmlFeed, read_opml
    from storage import sources
    from storage.db import open_session, write_session

    path: Path = args.import_file
    try:
        if path.stat().st_size > MAX_OPML_BYTES:
            raise UsageError(f"{path}: the file is over {MAX_OPML_BYTES:,} bytes")
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}") from None
    try:
        feeds = read_opml(data, allow_private=settings.sources_allow_private)
    except OpmlError as error:
        raise UsageError(f"{path}: {error}") from None
    engine = _database(settings)
    with open_session(engine) as session:
        known = set(sources.to_fetch(session=session, configured=settings.sources))

    async def run() -> list[object]:
        fetcher = Fetcher(
            allow_private=settings.sources_allow_private, contact=settings.fetch_contact
        )

        async def try_feed(url: str) -> int:
            return len(read_articles(await fetcher.get(url)).articles)

        async def add(feed: OpmlFeed) -> None:
            def write() -> None:
                with write_session(engine) as session, session.begin():
                    sources.add_source(
                        session=session, url=feed.url, name=feed.title,
                        now=dt.datetime.now(dt.UTC),
                    )  # fmt: skip

            await asyncio.to_thread(write)

        try:
            return list(await import_feeds(feeds, known=known, try_feed=try_feed, add=add))
        finally:
            await fetcher.close()

    outcomes = asyncio.run(run())
    rows = [cli_output.imported_json(outcome) for outcome in outcomes]
    return _answer(args, rows, cli_output.imported_text(rows))


def run_bot(settings: Settings, args: argparse.Namespace) -> int:
    # Without a flag WEBHOOK_URL decides; the Procfile's lines say which they mean.
    if args.webhook and not settings.webhook_url:
        raise UsageError("--webhook needs WEBHOOK_URL (and WEBHOOK_SECRET)")
    if args.polling:
        settings = settings.model_copy(update={"webhook_url": None})
    # The ingest job needs the text stack; importing it now, before the bot
    # answers anyone, keeps a second of import work off the first replies.
    import bot.news.ingest  # noqa: F401
    from bot.clock import clock_from
    from bot.telegram.app import TokenError, build_bot, serve

    try:
        clock = clock_from(settings.fake_clock_file)
        asyncio.run(serve(build_bot(settings, _database(settings), clock=clock)))
    except TokenError as error:
        raise UsageError(str(error)) from None
    return 0


def run_demo(_settings: Settings, args: argparse.Namespace) -> int:
    from bot.standin.demo import SAMPLES, run_demo

    if "LOG_LEVEL" not in os.environ:  # keep the transcript clean unless asked otherwise
        logging.getLogger().setLevel(logging.WARNING)
    snapshots = args.snapshots or SAMPLES
    if not snapshots.exists():
        raise UsageError(f"no sample snapshots at {snapshots} (give --snapshots PATH)")
    asyncio.run(run_demo(snapshots=snapshots, interactive=args.interactive, language=args.language))
    return 0


def run_summarize(_settings: Settings, args: argparse.Namespace) -> int:
    from bot.news.summarize import summarize

    if args.file is None:
        text = sys.stdin.read()
    else:
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read {args.file}: {error}") from None
    for sentence in summarize(text, args.sentences):
        print(sentence)
    return 0


COMMANDS = {
    "ingest": run_ingest,
    "latest": run_latest,
    "digest": run_digest,
    "stories": run_stories,
    "search": run_search,
    "fetch": run_fetch,
    "sources": run_sources,
    "summarize": run_summarize,
    "run": run_bot,
    "demo": run_demo,
    "db": run_db,
}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        settings = _load_settings()
        secrets = [settings.telegram_bot_token, settings.webhook_secret]
        from bot.logs import configure_logging

        configure_logging(
            settings.log_level,
            settings.log_format,
            secrets=[secret.get_secret_value() for secret in secrets if secret is not None],
        )
        return COMMANDS[args.command](settings, args)
    except UsageError as error:
        print(f"newsbot: error: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
