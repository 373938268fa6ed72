"""Ingest snapshot files: read, parse, deduplicate, tag, summarise, store.

Each file is one transaction: it is stored whole or not at all, so a file that
fails half way leaves the database as it was.  A bad file is reported with its
reason and the rest of the batch goes on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.news.articles import PreparedArticle, Publisher, is_fuller, prepare_article
from bot.news.snapshot import Article, Snapshot, parse_snapshot
from bot.news.story_window import (
    DEFAULT_WINDOW_HOURS,
    assign_stories,
    features_of,
    forget_window,
    story_time,
)
from bot.search.documents import search_stems
from storage import repo, search
from storage.db import open_session
from storage.models import ArticleRecord, utcnow

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


def ingest_paths(
    engine: Engine,
    paths: Iterable[Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: Callable[[int, IngestReport], None] | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
    story_window_hours: float = DEFAULT_WINDOW_HOURS,
) -> IngestReport:
    """Ingest every file; `clock` stamps what is stored (`first_seen`), so the
    bot's schedule clock, not the machine's, decides which digest an article is in."""
    report = IngestReport()
    # Listed up front: a file that vanishes after this is reported, not silently passed over.
    files = list(expand_paths(paths))
    for done, path in enumerate(files, start=1):
        ingest_file(
            engine, path, report, max_bytes=max_bytes, now=clock(),
            story_window_hours=story_window_hours,
        )  # fmt: skip
        if on_progress is not None:
            on_progress(done, report)
    return report


def ingest_file(
    engine: Engine,
    path: Path,
    report: IngestReport,
    *,
    now: dt.datetime,
    max_bytes: int = DEFAULT_MAX_BYTES,
    story_window_hours: float = DEFAULT_WINDOW_HOURS,
) -> None:
    """Ingest one file into `report`; never raises for a bad file."""
    source = str(path)
    try:
        data = read_snapshot_bytes(path, max_bytes)
    except SnapshotError as error:
        _fail(report, source, str(error))
        return
    digest = content_hash(data)
    with open_session(engine) as session:
        known = repo.find_snapshot(session=session, content_hash=digest)
        if known is not None and known.status == "ingested":
            report.snapshots_skipped += 1
            return
    try:
        snapshot = parse_snapshot(decode_snapshot(data))
        prepared = [prepare_article(article) for article in snapshot.articles]
    except SnapshotError as error:
        _record_failure(engine, digest, source, str(error), now)
        _fail(report, source, str(error))
        return
    try:
        stored = _store(engine, digest, source, snapshot, prepared, now, story_window_hours)
    except Exception as error:  # a database error must not stop the batch
        log.exception("storing %s failed; nothing of it was kept", source)
        _fail(report, source, f"could not be stored: {type(error).__name__}: {error}")
        report.retry_later.append(source)
        return
    if stored is None:  # another instance stored the same content meanwhile
        report.snapshots_skipped += 1
        return
    new, updated = stored
    report.snapshots_new += 1
    report.articles_new += new
    report.articles_updated += updated
    if not snapshot.articles:
        if snapshot.unread_lines:
            reason = f"{snapshot.unread_lines} lines of text, none under a recognisable title"
        else:
            reason = "only a currency ticker" if snapshot.rates else "no recognisable text"
        log.warning("%s: no articles found (%s)", source, reason)


def _fail(report: IngestReport, source: str, error: str) -> None:
    log.warning("%s: %s", source, error)
    report.failed.append({"path": source, "error": error})


def _record_failure(engine: Engine, digest: str, source: str, error: str, now: dt.datetime) -> None:
    with open_session(engine) as session, session.begin():
        repo.save_snapshot(
            session=session,
            content_hash=digest,
            source=source,
            status="failed",
            error=error,
            now=now,
        )


def _store(
    engine: Engine,
    digest: str,
    source: str,
    snapshot: Snapshot,
    prepared: list[PreparedArticle],
    now: dt.datetime,
    story_window_hours: float,
) -> tuple[int, int] | None:
    """New and updated article counts; None if the content was stored meanwhile."""
    new = updated = 0
    inserted: list[ArticleRecord] = []
    with _window_dropped_on_failure(engine), open_session(engine) as session, session.begin():
        repo.lock_for_ingest(session=session)
        # Checked again under the lock: another instance may have read the same file.
        known = repo.find_snapshot(session=session, content_hash=digest)
        if known is not None and known.status == "ingested":
            return None
        record = repo.save_snapshot(
            session=session,
            content_hash=digest,
            source=source,
            status="ingested",
            page_date=snapshot.date,
            article_count=len(prepared),
            now=now,
        )
        assert record.id is not None
        repo.save_rates(
            session=session,
            snapshot_id=record.id,
            rates=((r.currency, r.base, r.rate, r.change) for r in snapshot.rates),
        )
        seen_here: set[str] = set()
        for position, article in enumerate(prepared):
            if article.key in seen_here:
                continue
            seen_here.add(article.key)
            stored = _stored_copy(session, article)
            if stored is None:
                inserted.append(_insert(session, article, snapshot.date, position, record.id, now))
                new += 1
                continue
            linked = _link(session, stored, article)
            if is_fuller(
                new_body=article.body,
                new_truncated=article.truncated,
                old_body=stored.body,
                old_truncated=stored.truncated,
            ):
                _upgrade(session, stored, article, now)
                updated += 1
            elif linked:
                session.add(stored)
                updated += 1
        # Still under the lock: one writer at a time gives each article exactly one story.
        assign_stories(session, engine, inserted, window_hours=story_window_hours)
    return new, updated


@contextlib.contextmanager
def _window_dropped_on_failure(engine: Engine) -> Iterator[None]:
    """A transaction that fails drops the story window: it may hold its articles."""
    try:
        yield
    except BaseException:
        forget_window(engine)
        raise


def _stored_copy(session: Session, article: PreparedArticle) -> ArticleRecord | None:
    """The stored article this one is a copy of, if any.

    An article's identity is its canonical URL. Its normalised title identifies it
    only within its own outlet (a feed's item re-titled keeps its URL; a snapshot
    re-read has no URL), and among snapshot text, which names no outlet: a feed's
    article claims the snapshot copy with its title, giving it a link. Two outlets
    with the same headline are two articles.
    """
    if article.url:
        stored = repo.find_article_by_url(session=session, url=article.url)
        if stored is not None:
            return stored
    stored = repo.find_article(session=session, outlet=article.outlet, title_key=article.key)
    if stored is None and article.outlet and article.url:
        stored = repo.find_article(session=session, outlet="", title_key=article.key)
    return stored


def _link(session: Session, stored: ArticleRecord, article: PreparedArticle) -> bool:
    """Give a stored story (a snapshot copy, say) the URL and outlet a feed knows for it."""
    if not article.url or stored.url is not None:
        return False
    if repo.find_article_by_url(session=session, url=article.url) is not None:
        return False  # another story already has that URL: keep both as they are
    if stored.outlet != article.outlet and repo.find_article(
        session=session, outlet=article.outlet, title_key=stored.title_key
    ):
        return False  # the outlet has its own article of that title already
    stored.url, stored.source, stored.outlet = article.url, article.source, article.outlet
    stored.published_at = stored.published_at or article.published
    stored.story_at = story_time(stored)
    return True


def _insert(
    session: Session,
    article: PreparedArticle,
    page_date: dt.date | None,
    position: int,
    snapshot_id: int,
    now: dt.datetime,
) -> ArticleRecord:
    published = article.published.date() if article.published else None
    record = ArticleRecord(
        title_key=article.key,
        title=article.title,
        body=article.body,
        truncated=article.truncated,
        summary="\n".join(article.summary),
        page_date=page_date or published,
        # Newest first means by the story's own date: a feed's, else the page's, else today.
        published_on=min(published or page_date or now.date(), now.date()),
        page_position=position,
        first_seen=now,
        updated_at=now,
        snapshot_id=snapshot_id,
        url=article.url,
        source=article.source,
        published_at=article.published,
        language=article.language,
        outlet=article.outlet,
    )
    record.story_at = story_time(record)
    session.add(record)
    session.flush()
    assert record.id is not None
    repo.set_article_countries(session=session, article_id=record.id, countries=article.countries)
    index_for_search(session, record, new=True)
    return record


def index_for_search(session: Session, record: ArticleRecord, *, new: bool = False) -> None:
    """The article's search stems, in the same transaction as its text."""
    assert record.id is not None
    title, body = search_stems(record.title, record.body)
    search.index_article(session=session, article_id=record.id, title=title, body=body, new=new)


def _upgrade(
    session: Session, stored: ArticleRecord, article: PreparedArticle, now: dt.datetime
) -> None:
    stored.body, stored.truncated = article.body, article.truncated
    stored.summary = "\n".join(article.summary)
    stored.language = article.language  # the fuller text tells it better
    stored.story_features = None  # its story stays; later articles compare with the fuller text
    stored.story_features = features_of(stored).as_json()
    stored.updated_at = now
    session.add(stored)
    assert stored.id is not None
    repo.set_article_countries(session=session, article_id=stored.id, countries=article.countries)
    index_for_search(session, stored)


def ingest_articles(
    engine: Engine,
    *,
    source: str,
    content: bytes,
    articles: Sequence[Article],
    outlet: Publisher,
    now: dt.datetime,
    story_window_hours: float = DEFAULT_WINDOW_HOURS,
) -> tuple[int, int] | None:
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
    prepared = [prepare_article(article, outlet) for article in articles]
    snapshot = Snapshot(date=None, rates=(), articles=tuple(articles))
    return _store(engine, digest, source, snapshot, prepared, now, story_window_hours)
