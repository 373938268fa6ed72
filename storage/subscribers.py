"""Queries about chats: their preferences and where their digests stand.

Rows are read into `ChatPrefs`, plain frozen data; the rules that change
preferences are pure functions in `bot.prefs`, applied here inside one
transaction with the row locked, so two updates never lose each other's change.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Subscriber, utcnow


@dataclass(frozen=True)
class ChatPrefs:
    chat_id: int
    chat_type: str
    status: str  # "active", "paused" or "blocked"
    countries: tuple[str, ...]
    digest_time: dt.time
    timezone: str
    timezone_chosen: bool = False
    next_digest_at: dt.datetime | None = None
    digest_cursor: int | None = None
    last_digest_at: dt.datetime | None = None
    subscribed_at: dt.datetime | None = None  # when the chat first talked to the bot
    language: str = "en"  # "en" or "ru": the bot's replies and digests to this chat
    brevity: str = "short"  # "headlines", "short" (one sentence) or "full" (three)


def _prefs(row: Subscriber) -> ChatPrefs:
    return ChatPrefs(
        chat_id=row.chat_id,
        chat_type=row.chat_type,
        status=row.status,
        countries=tuple(code for code in row.countries.split(",") if code),
        digest_time=row.digest_time,
        timezone=row.timezone,
        timezone_chosen=row.timezone_chosen,
        next_digest_at=row.next_digest_at,
        digest_cursor=row.digest_cursor,
        last_digest_at=row.last_digest_at,
        subscribed_at=row.created_at,
        language=row.language,
        brevity=row.brevity,
    )


def _write(row: Subscriber, prefs: ChatPrefs) -> None:
    row.chat_type, row.status = prefs.chat_type, prefs.status
    row.countries = ",".join(prefs.countries)
    row.digest_time, row.timezone = prefs.digest_time, prefs.timezone
    row.timezone_chosen, row.next_digest_at = prefs.timezone_chosen, prefs.next_digest_at
    row.digest_cursor, row.last_digest_at = prefs.digest_cursor, prefs.last_digest_at
    row.language, row.brevity = prefs.language, prefs.brevity
    row.updated_at = utcnow()


def get_chat(*, session: Session, chat_id: int) -> ChatPrefs | None:
    row = session.get(Subscriber, chat_id)
    return None if row is None else _prefs(row)


def change_chat(
    *,
    session: Session,
    chat_id: int,
    change: Callable[[ChatPrefs], ChatPrefs],
    create: ChatPrefs | None = None,
) -> ChatPrefs | None:
    """Apply `change` to the chat's preferences and store the result.

    A chat with no row starts from `create`; with `create` None it is left
    alone and None comes back.
    """
    row = session.exec(
        select(Subscriber).where(Subscriber.chat_id == chat_id).with_for_update()
    ).first()
    if row is None:
        if create is None:
            return None
        row = Subscriber(
            chat_id=chat_id,
            chat_type=create.chat_type,
            status=create.status,
            digest_time=create.digest_time,
            timezone=create.timezone,
            # The schedule's clock, not the machine's: the first digest reaches back from it.
            created_at=create.subscribed_at or utcnow(),
        )
        before = create
    else:
        before = _prefs(row)
    after = change(before)
    _write(row, after)
    session.add(row)
    session.flush()
    return after


def count_by_status(*, session: Session) -> Counter[str]:
    rows = session.exec(select(Subscriber.status, func.count()).group_by(Subscriber.status))
    return Counter({status: int(count) for status, count in rows})


def active_chat_ids(*, session: Session) -> list[int]:
    return list(session.exec(select(Subscriber.chat_id).where(col(Subscriber.status) == "active")))
