"""Queries about the sources the bot fetches and how fetching them has gone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from storage.models import SourceRecord


def known_sources(*, session: Session, urls: Sequence[str]) -> list[SourceRecord]:
    """The records of `urls`, created (due at once) for those seen the first time."""
    found = {
        r.url: r for r in session.exec(select(SourceRecord).where(col(SourceRecord.url).in_(urls)))
    }
    for url in urls:
        if url not in found:
            found[url] = SourceRecord(url=url, kind="feed")
            session.add(found[url])
    session.flush()
    return [found[url] for url in urls]


def all_sources(*, session: Session) -> list[SourceRecord]:
    return list(session.exec(select(SourceRecord).order_by(col(SourceRecord.url))))


def get_source(*, session: Session, url: str) -> SourceRecord | None:
    return session.exec(select(SourceRecord).where(SourceRecord.url == url)).first()


def save_source(*, session: Session, record: SourceRecord) -> None:
    session.add(record)
    session.flush()


def is_due(record: SourceRecord, now: dt.datetime) -> bool:
    return record.next_fetch_at is None or record.next_fetch_at <= now


def claim(*, session: Session, url: str, now: dt.datetime, until: dt.datetime) -> bool:
    """Take a due source for this instance until `until`; False if it is not due (any more).

    One conditional UPDATE: of several instances sharing the database, exactly one
    sees its row change, so a source is fetched once a round, not once per instance.
    """
    result = session.connection().execute(
        update(SourceRecord)
        .where(
            col(SourceRecord.url) == url,
            or_(col(SourceRecord.next_fetch_at).is_(None), col(SourceRecord.next_fetch_at) <= now),
        )
        .values(next_fetch_at=until)
    )
    return result.rowcount == 1


def to_fetch(*, session: Session, configured: Sequence[str]) -> list[str]:
    """The URLs a round fetches: those `SOURCES` names, then those operators added,
    less those operators removed (in that order, each once)."""
    rows = session.exec(
        select(SourceRecord).where(
            or_(col(SourceRecord.origin) == "operator", col(SourceRecord.removed))
        )
    ).all()
    removed = {r.url for r in rows if r.removed}
    added = [r.url for r in sorted(rows, key=lambda r: r.id or 0) if not r.removed]
    return [url for url in dict.fromkeys([*configured, *added]) if url not in removed]


def add_source(*, session: Session, url: str, name: str | None, now: dt.datetime) -> SourceRecord:
    """An operator's source (`/source add`): fetched from the next round on, also
    when it was removed before or `SOURCES` already names it (then it is renamed)."""
    record = get_source(session=session, url=url) or SourceRecord(url=url, kind="feed")
    if record.removed or record.id is None:
        record.origin = "operator"
    record.removed, record.name = False, name or record.name
    record.next_fetch_at = now  # due at once
    save_source(session=session, record=record)
    return record


def remove_source(*, session: Session, url: str) -> SourceRecord:
    """Stop fetching `url` (`/source remove`), whoever named it; its articles stay."""
    record = get_source(session=session, url=url) or SourceRecord(url=url, kind="feed")
    record.removed = True
    save_source(session=session, record=record)
    return record
