"""Queries about the sources the bot fetches and how fetching them has gone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

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
