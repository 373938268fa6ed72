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

ALL_DAYS = (1, 2, 3, 4, 5, 6, 7)  # ISO weekdays: 1 is Monday


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
    follows: tuple[str, ...] = ()  # words and phrases that bring articles in
    mutes: tuple[str, ...] = ()  # words and phrases that keep articles out
    days: tuple[int, ...] = ALL_DAYS  # the local weekdays digests come on
    alerts: bool = False  # followed words sent as soon as they are ingested
    alert_cursor: int | None = None  # articles up to this id were checked for alerts
    thread_id: int | None = None  # a forum topic: where /start was sent
    editing: int | None = None  # a private chat's: the channel its commands set up
    # News languages: () the default (the chat's language and English), ("all",), or codes.
    news_languages: tuple[str, ...] = ()
    hidden_outlets: tuple[str, ...] = ()  # outlet keys switched off with /outlets


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
        follows=tuple(row.follows),
        mutes=tuple(row.mutes),
        days=tuple(int(day) for day in row.days) or ALL_DAYS,
        alerts=row.alerts,
        alert_cursor=row.alert_cursor,
        thread_id=row.thread_id,
        editing=row.editing_chat_id,
        news_languages=tuple(code for code in row.news_languages.split(",") if code),
        hidden_outlets=tuple(row.hidden_outlets),
    )


def _write(row: Subscriber, prefs: ChatPrefs) -> None:
    row.chat_type, row.status = prefs.chat_type, prefs.status
    row.countries = ",".join(prefs.countries)
    row.digest_time, row.timezone = prefs.digest_time, prefs.timezone
    row.timezone_chosen, row.next_digest_at = prefs.timezone_chosen, prefs.next_digest_at
    row.digest_cursor, row.last_digest_at = prefs.digest_cursor, prefs.last_digest_at
    row.language, row.brevity = prefs.language, prefs.brevity
    row.follows, row.mutes = list(prefs.follows), list(prefs.mutes)
    row.days = "".join(str(day) for day in prefs.days)
    row.alerts, row.alert_cursor, row.thread_id = prefs.alerts, prefs.alert_cursor, prefs.thread_id
    row.editing_chat_id = prefs.editing
    row.news_languages = ",".join(prefs.news_languages)
    row.hidden_outlets = list(prefs.hidden_outlets)
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
