"""How the command line shows results: JSON shapes, plain text, progress."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.news.coverage import story_item
from storage.models import SourceRecord
from storage.repo import StoredArticle

if TYPE_CHECKING:  # importing the ingest stack costs a second; `run` does not need it
    from bot.news.ingest import IngestReport
    from bot.sources.catalog import Outlet


def article_json(article: StoredArticle) -> dict[str, object]:
    return {
        "id": article.id,
        "title": article.title,
        "summary": " ".join(article.summary),
        "countries": list(article.countries),
        "snapshot_date": article.page_date.isoformat() if article.page_date else None,
        "first_seen": article.first_seen.isoformat(),
        "url": article.url,
        "source": article.source,
        "language": article.language,
        "story": article.story,
    }


def story_json(articles: Sequence[StoredArticle], language: str = "en") -> dict[str, object]:
    """One story (all its articles, oldest first) as `stories --json` prints it: its
    title and language are those of its lead article (bot.news.coverage)."""
    item = story_item(articles, language=language)
    assert item is not None  # every article is read when nothing is filtered
    return {
        "story": item.story,
        "title": item.title,
        "language": item.language,
        "countries": list(item.countries),
        "outlets": item.outlets,
        "first_seen": min(a.first_seen for a in articles).isoformat(),
        "articles": [_story_article(a) for a in articles],
    }


def _story_article(article: StoredArticle) -> dict[str, object]:
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "source": article.source,
        "language": article.language,
    }


def stories_text(stories: Sequence[dict[str, object]]) -> str:
    if not stories:
        return "No stories stored yet: run `newsbot ingest PATH` or `newsbot fetch` first."
    blocks = []
    for story in stories:
        articles = story["articles"]
        assert isinstance(articles, list) and isinstance(story["countries"], list)
        tags = " ".join(story["countries"]) or "-"
        lines = [f"[{story['story']}] {story['title']}", f"    {tags} · {story['outlets']} outlets"]
        lines += [f"    - {a['source'] or '?'} ({a['language']}): {a['url'] or a['title']}"
                  for a in articles]  # fmt: skip
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def source_json(record: SourceRecord) -> dict[str, object]:
    return {
        "url": record.url,
        "kind": record.kind,
        "last_fetch_at": _when(record.last_fetch_at),
        "last_success_at": _when(record.last_success_at),
        "last_status": record.last_status,
        "failures": record.failures,
        "next_fetch_at": _when(record.next_fetch_at),
        "last_error": record.last_error,
    }


def imported_json(outcome: object) -> dict[str, object]:
    from bot.sources.importing import Imported

    assert isinstance(outcome, Imported)
    return {"url": outcome.feed.url, "title": outcome.feed.title, "status": outcome.status,
            "detail": outcome.detail}  # fmt: skip


def imported_text(rows: Sequence[dict[str, object]]) -> str:
    added = sum(row["status"] == "added" for row in rows)
    known = sum(row["status"] == "known" for row in rows)
    lines = [f"{added} feeds added, {known} fetched already, {len(rows) - added - known} failed"]
    for row in rows:
        detail = f": {row['detail']}" if row["status"] == "failed" else ""
        lines.append(f"  {row['status']:6s} {row['title']} <{row['url']}>{detail}")
    return "\n".join(lines)


def sources_text(rows: Sequence[dict[str, object]]) -> str:
    if not rows:
        return "No sources fetched yet: set SOURCES, or run `newsbot fetch URL`."
    lines = []
    for row in rows:
        state = "ok" if not row["failures"] else f"{row['failures']} failures in a row"
        lines.append(
            f"{row['url']} ({row['kind']}): {state}, last status {row['last_status']},"
            f" last success {row['last_success_at'] or 'never'}, next {row['next_fetch_at']}"
            + (f"\n    {row['last_error']}" if row["last_error"] else "")
        )
    return "\n".join(lines)


def catalog_text(outlets: Sequence[Outlet]) -> str:
    """The built-in outlets as a table: one line each, the feed last (it is the longest)."""
    header = ("name", "outlet", "languages", "countries", "shape", "feed")
    rows = [
        (o.name, o.display, " ".join(o.languages), " ".join(o.countries), o.shape, o.feed)
        for o in outlets
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    lines = [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)), row[-1]])
        for row in [header, *rows]
    ]
    lines.append(
        f"{len(rows)} outlets. SOURCES=catalog fetches them all, SOURCES=catalog:kz,uz those of"
        " some countries; --json adds each one's home page and how its feed was checked."
    )
    return "\n".join(lines)


def fetch_summary(report: dict[str, object]) -> str:
    results = report["sources"]
    assert isinstance(results, list)
    lines = [
        f"{r['url']}: {r['status']}"
        + (f" (HTTP {r['http_status']})" if r["http_status"] else "")
        + (
            f", {r['articles_new']} new, {r['articles_updated']} updated"
            if r["status"] == "ok"
            else ""
        )
        + (f": {r['error']}" if r["error"] else "")
        for r in results
    ]
    lines.append(f"articles: {report['articles_new']} new, {report['articles_updated']} updated")
    return "\n".join(lines)


def articles_text(articles: Sequence[StoredArticle]) -> str:
    if not articles:
        return "No articles stored yet: run `newsbot ingest PATH` first."
    blocks = []
    for article in articles:
        date = article.page_date.isoformat() if article.page_date else "undated"
        tags = " ".join(article.countries) or "-"
        blocks.append(
            f"[{article.id}] {article.title}\n    {date} · {tags}\n    " + " ".join(article.summary)
        )
    return "\n\n".join(blocks)


def ingest_summary(report: IngestReport) -> str:
    lines = [
        f"snapshots: {report.snapshots_new} new, {report.snapshots_skipped} already ingested,"
        f" {len(report.failed)} failed",
        f"articles: {report.articles_new} new, {report.articles_updated} updated",
    ]
    lines += [f"failed: {item['path']}: {item['error']}" for item in report.failed]
    return "\n".join(lines)


class Progress:
    """A one-line counter on a terminal, redrawn at most ten times a second."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._last = 0.0

    def update(self, files_done: int, report: IngestReport) -> None:
        now = time.monotonic()
        if not self.enabled or now - self._last < 0.1:
            return
        self._last = now
        sys.stderr.write(
            f"\ringesting: {files_done} files, {report.articles_new} new articles,"
            f" {len(report.failed)} failed"
        )
        sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled and self._last:
            sys.stderr.write("\n")
