"""Ingest snapshot files: read, parse, prepare (on every core), store in short groups.

Files are read and parsed in name order and gathered into groups of about
GROUP_ARTICLES articles; a group's articles are prepared together (`TextWork`: on the
process pool when there are enough) and stored in one transaction (`bot.news.store`),
so a backfill of thousands of files costs a few hundred short write transactions and
every core. Each file still stands alone: stored whole or not at all, and a bad file is
reported with its reason while the rest go on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.news.articles import SNAPSHOT_TEXT, PreparedArticle, Publisher
from bot.news.snapshot import Article, Snapshot, parse_snapshot
from bot.news.store import GROUP_ARTICLES, Batch, Stored, store_batches, store_each, unchanged
from bot.news.story_window import DEFAULT_WINDOW_HOURS
from bot.news.text_work import TextWork
from storage import repo
from storage.db import open_session, retrying, write_session
from storage.models import utcnow

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5_000_000  # real pages are ~20 kB; anything this big is not one
_TEMPORARY_SUFFIXES = (".tmp", ".part", ".partial", ".swp", ".crdownload", "~")


class SnapshotError(Exception):
    """A file that cannot be a snapshot; the message says why, for a person."""


@dataclass
class IngestReport:
    snapshots_new: int = 0
    snapshots_skipped: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    # Files that failed for a passing reason (the database was busy): worth another try.
    retry_later: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "snapshots_new": self.snapshots_new,
            "snapshots_skipped": self.snapshots_skipped,
            "articles_new": self.articles_new,
            "articles_updated": self.articles_updated,
            "failed": self.failed,
        }


def is_temporary_name(path: Path) -> bool:
    """Names editors and downloaders use while a file is still being written."""
    return path.name.startswith((".", "~")) or path.name.endswith(_TEMPORARY_SUFFIXES)


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and the `*.txt` files under folders named, in name order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*.txt")):
                if child.is_file() and not is_temporary_name(child):
                    yield child
        else:
            yield path  # a missing file is reported when it is read


def read_snapshot_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SnapshotError(
                f"file is {size:,} bytes, over the {max_bytes:,}-byte limit for a snapshot"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise SnapshotError("file not found (it may have been moved or deleted)") from None
    except IsADirectoryError:
        raise SnapshotError("is a directory") from None
    except PermissionError:
        raise SnapshotError("permission denied") from None
    except OSError as error:
        raise SnapshotError(f"cannot read file: {error.strerror or error}") from None


def decode_snapshot(data: bytes) -> str:
    if not data.strip():
        raise SnapshotError("empty file")
    if b"\x00" in data[:8192]:
        raise SnapshotError("binary file, not a text snapshot")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SnapshotError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start});"
            " snapshots must be saved as UTF-8"
        ) from None


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class _Read:
    """A file read and parsed, waiting for its group to be prepared and stored."""

    path: Path
    digest: str
    snapshot: Snapshot


def ingest_paths(
    engine: Engine,
    paths: Iterable[Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: Callable[[int, IngestReport], None] | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
    story_window_hours: float = DEFAULT_WINDOW_HOURS,
    work: TextWork | None = None,
    group_articles: int = GROUP_ARTICLES,
) -> IngestReport:
    """Ingest every file; `clock` stamps what is stored (`first_seen`), so the
    bot's schedule clock, not the machine's, decides which digest an article is in.
    `work` prepares the text (a pool of its own is made, and closed, if none is given)."""
    report = IngestReport()
    # Listed up front: a file that vanishes after this is reported, not silently passed over.
    files = list(expand_paths(paths))
    text_work = work or TextWork()
    done = 0
    group: list[_Read] = []
    # The group being prepared (on the pool) while the one before it is stored: its files,
    # which of their articles are stored unchanged (not prepared), and the others' result.
    waiting: tuple[list[_Read], list[bool], Callable[[], list[PreparedArticle]]] | None = None

    def progress(count: int) -> None:
        nonlocal done
        for _ in range(count):
            done += 1
            if on_progress is not None:
                on_progress(done, report)

    def store_waiting() -> None:
        if waiting is not None:
            reads, seen, prepared = waiting
            _store_group(
                engine, reads, seen, prepared(), report, clock(), story_window_hours, text_work
            )
            progress(len(reads))

    try:
        for position, path in enumerate(files):
            read = _read(engine, path, report, max_bytes, clock)
            if read is not None:
                group.append(read)
            last = position == len(files) - 1
            if group and (last or sum(len(r.snapshot.articles) for r in group) >= group_articles):
                articles = [article for r in group for article in r.snapshot.articles]
                # The same article recurs across pages: only those storing would change are
                # prepared (a page stored meanwhile, the one before, is not known yet: its
                # copies are prepared, and stored once).
                seen = unchanged(engine, articles, SNAPSHOT_TEXT.key)
                fresh = [a for a, old in zip(articles, seen, strict=True) if not old]
                started = text_work.start(fresh)
                store_waiting()
                waiting, group = (group, seen, started), []
            if read is None:
                progress(1)
        store_waiting()
    finally:
        if work is None:
            text_work.close()
    return report


def _read(
    engine: Engine,
    path: Path,
    report: IngestReport,
    max_bytes: int,
    clock: Callable[[], dt.datetime],
) -> _Read | None:
    """The file parsed, or None when it is done with: stored before, or unreadable
    (reported, and recorded as failed)."""
    source = str(path)
    try:
        data = read_snapshot_bytes(path, max_bytes)
    except SnapshotError as error:
        _fail(report, source, str(error))
        return None
    digest = content_hash(data)
    with open_session(engine) as session:
        known = repo.find_snapshot(session=session, content_hash=digest)
    if known is not None and known.status == "ingested":
        report.snapshots_skipped += 1
        return None
    try:
        snapshot = parse_snapshot(decode_snapshot(data))
    except SnapshotError as error:
        _record_failure(engine, digest, source, str(error), clock())
        _fail(report, source, str(error))
        return None
    return _Read(path, digest, snapshot)


def _store_group(
    engine: Engine,
    group: Sequence[_Read],
    seen: Sequence[bool],
    articles: Sequence[PreparedArticle],
    report: IngestReport,
    now: dt.datetime,
    story_window_hours: float,
    work: TextWork,
) -> None:
    """Store the group's files in one transaction (`seen`: for each of their articles,
    whether it is stored unchanged; `articles`: the others, prepared, in order)."""
    prepared, old = iter(articles), iter(seen)
    batches = []
    for read in group:
        stored_before = [next(old) for _ in read.snapshot.articles]
        batches.append(Batch(
            source=str(read.path),
            digest=read.digest,
            articles=[next(prepared) for was in stored_before if not was],
            page_date=read.snapshot.date,
            rates=[(r.currency, r.base, r.rate, r.change) for r in read.snapshot.rates],
            unchanged=sum(stored_before),
        ))  # fmt: skip
    results = store_each(
        engine, batches, now=now, story_window_hours=story_window_hours, embed=work.embed
    )
    for read, result in zip(group, results, strict=True):
        source = str(read.path)
        if isinstance(result, Exception):  # a database error must not stop the batch
            _fail(report, source, f"could not be stored: {type(result).__name__}: {result}")
            report.retry_later.append(source)
            continue
        if result is None:  # another instance stored the same content meanwhile
            report.snapshots_skipped += 1
            continue
        report.snapshots_new += 1
        report.articles_new += result.new
        report.articles_updated += result.updated
        if not read.snapshot.articles:
            snapshot = read.snapshot
            if snapshot.unread_lines:
                reason = f"{snapshot.unread_lines} lines of text, none under a recognisable title"
            else:
                reason = "only a currency ticker" if snapshot.rates else "no recognisable text"
            log.warning("%s: no articles found (%s)", source, reason)


def _fail(report: IngestReport, source: str, error: str) -> None:
    log.warning("%s: %s", source, error)
    report.failed.append({"path": source, "error": error})


def _record_failure(engine: Engine, digest: str, source: str, error: str, now: dt.datetime) -> None:
    def record() -> None:
        with write_session(engine) as session, session.begin():
            repo.save_snapshot(
                session=session,
                content_hash=digest,
                source=source,
                status="failed",
                error=error,
                now=now,
            )

    retrying(record, what=f"recording {source} as failed")


def ingest_articles(
    engine: Engine,
    *,
    source: str,
    content: bytes,
    articles: Sequence[Article],
    outlet: Publisher,
    now: dt.datetime,
    story_window_hours: float = DEFAULT_WINDOW_HOURS,
    work: TextWork | None = None,
) -> Stored | None:
    """Store the articles read from one fetched feed or page, in one transaction.

    `source` is the URL they came from, `content` the body as fetched (its hash makes
    a body fetched twice a no-op, as for a snapshot file), `outlet` who published them.
    New and updated counts, or None when this exact body was stored before.
    """
    digest = content_hash(content)
    with open_session(engine) as session:
        known = repo.find_snapshot(session=session, content_hash=digest)
    if known is not None and known.status == "ingested":
        return None
    text_work = work or TextWork(workers=1)
    prepared = text_work.prepare(articles, outlet)
    batch = Batch(source=source, digest=digest, articles=prepared)
    [stored] = store_batches(
        engine, [batch], now=now, story_window_hours=story_window_hours, embed=text_work.embed
    )
    return stored
