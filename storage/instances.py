"""Queries of the instance registry: who is running, by heartbeat."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import Session

from storage.models import BotInstance

_INSTANCES = BotInstance.__table__  # type: ignore[attr-defined]
FORGET_AFTER = dt.timedelta(hours=1)  # rows of instances gone this long are removed


def heartbeat(*, session: Session, name: str, now: dt.datetime, live_since: dt.datetime) -> int:
    """Record that `name` is alive; return how many instances are (itself included)."""
    table, connection = _INSTANCES, session.connection()
    seen = connection.execute(update(table).where(table.c.name == name).values(seen_at=now))
    if seen.rowcount == 0:
        connection.execute(insert(table).values(name=name, started_at=now, seen_at=now))
    connection.execute(delete(table).where(table.c.seen_at < now - FORGET_AFTER))
    live = connection.execute(
        select(func.count()).select_from(table).where(table.c.seen_at >= live_since)
    ).scalar_one()
    return max(int(live), 1)


def leave(*, session: Session, name: str) -> None:
    session.connection().execute(delete(_INSTANCES).where(_INSTANCES.c.name == name))
