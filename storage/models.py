"""Database tables.  Portable SQL only: the same models run on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    TypeDecorator,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel, col


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SnapshotRecord(SQLModel, table=True):
    __tablename__ = "snapshot"

    id: int | None = Field(default=None, primary_key=True)
    content_hash: str = Field(max_length=64, unique=True, index=True)
    source: str
    page_date: dt.date | None = None
    status: str = Field(max_length=16)  # "ingested" or "failed"
    error: str | None = None
    article_count: int = 0
    ingested_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ArticleRecord(SQLModel, table=True):
    __tablename__ = "article"

    id: int | None = Field(default=None, primary_key=True)
    # The normalised title: an identity only within one outlet (see `outlet`).
    title_key: str = Field(max_length=512, index=True)
    title: str
    body: str
    truncated: bool
    summary: str  # summary sentences, one per line
    page_date: dt.date | None = None
    published_on: dt.date = Field(index=True)  # page date, or the day first seen
    page_position: int = 0  # place on its first page: pages list newest first
    first_seen: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    snapshot_id: int | None = Field(default=None, foreign_key="snapshot.id")
    # Where the story lives, when it came from a feed or a page (snapshot text has no links):
    # its canonical URL, a second identity key beside the title.
    url: str | None = Field(default=None, max_length=2048, unique=True, index=True)
    source: str | None = Field(default=None, max_length=255)  # the site's name, e.g. its host
    published_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    language: str = Field(default="en", max_length=8)  # ISO 639-1, detected from the text
    # Which outlet it came from: a catalog name, "url:<hash of the source URL>" for
    # other sources, "" for snapshot text (which names no outlet).
    outlet: str = Field(default="", max_length=64)
    # The story (one event, any outlet, any language) it belongs to: the id of the
    # story's first article (or, for a small story moved into another later, of that
    # story's), so a story needs no table of its own.
    story_id: int | None = Field(default=None, index=True)
    # What stories are matched by (bot.news.stories.Features as JSON); None for
    # articles stored before stories existed, computed when first needed.
    story_features: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    # When it reported its event: published, but never later than first seen. The story
    # matcher reads the stories around an article's own time by this column.
    story_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)


# Two outlets may print the same headline; one outlet's headline is one article.
Index(
    "ux_article_outlet_title", col(ArticleRecord.outlet), col(ArticleRecord.title_key), unique=True
)

# /latest walks this index newest first and stops after N matching articles,
# instead of sorting every article of a country (90 ms -> 0.1 ms at 100,000 rows).
Index(
    "ix_article_newest",
    col(ArticleRecord.published_on).desc(),
    col(ArticleRecord.first_seen).desc(),
    col(ArticleRecord.page_position),
    col(ArticleRecord.id).desc(),
)


class ArticleCountry(SQLModel, table=True):
    __tablename__ = "article_country"

    article_id: int = Field(foreign_key="article.id", primary_key=True)
    country: str = Field(max_length=2, primary_key=True, index=True)


class ExchangeRateRecord(SQLModel, table=True):
    __tablename__ = "exchange_rate"
    __table_args__ = (UniqueConstraint("snapshot_id", "currency", "base"),)

    id: int | None = Field(default=None, primary_key=True)
    snapshot_id: int = Field(foreign_key="snapshot.id", index=True)
    currency: str = Field(max_length=3)
    base: str = Field(max_length=3)
    rate: float
    change: str = Field(max_length=16)


class Subscriber(SQLModel, table=True):
    """A chat that talked to the bot: its preferences and where its digests stand."""

    __tablename__ = "subscriber"

    # Telegram chat ids need 52 bits: BIGINT on PostgreSQL.
    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    chat_type: str = Field(max_length=16)  # "private", "group", "supergroup", "channel"
    status: str = Field(max_length=8, index=True)  # "active", "paused" or "blocked"
    countries: str = ""  # country codes in picker order, comma-separated
    digest_time: dt.time
    timezone: str = Field(max_length=64)
    timezone_chosen: bool = False  # False: still the guess, which the first country may refine
    next_digest_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    # Digests have covered every article with an id up to this one (see ingest's lock).
    digest_cursor: int | None = None
    last_digest_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    language: str = Field(default="en", max_length=8)  # every message to the chat, digests too
    brevity: str = Field(default="short", max_length=16)  # "headlines", "short" or "full"
    # Words and phrases followed and muted (bot.topics), at most 50 of 64 characters.
    follows: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    mutes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The languages of the news it reads: "" the default (its own language and English),
    # "all", or codes joined by commas ("en,ru").
    news_languages: str = Field(default="", max_length=32)
    # Outlets switched off with /outlets (their names or keys); all are on by default.
    hidden_outlets: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    days: str = Field(default="1234567", max_length=7)  # ISO weekdays of digests, 1 = Monday
    alerts: bool = False
    alert_cursor: int | None = None  # articles up to this id were checked for alerts
    # A forum topic's message_thread_id: digests go there (None: the chat itself).
    thread_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    # A private chat's: the channel its settings commands set up (/channel @name).
    editing_chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DigestRun(SQLModel, table=True):
    """One scheduler tick that found chats due, and what became of their digests."""

    __tablename__ = "digest_run"

    id: int | None = Field(default=None, primary_key=True)
    started_at: dt.datetime = Field(sa_type=UTCDateTime)
    finished_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    due: int = 0
    skipped: int = 0  # due longer ago than the grace period: left for the next day
    report: str | None = None  # "sent 9, empty 1, blocked 0, …" once every digest is final


class DigestDelivery(SQLModel, table=True):
    """The ledger: one row per chat and digest, written before anything is sent.

    The composed messages are stored, so a digest resumed after a crash is the
    very one that was started; `parts_sent` advances after each message, so only
    a message in flight at the crash can be sent twice.
    """

    __tablename__ = "digest_delivery"
    __table_args__ = (UniqueConstraint("chat_id", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int | None = Field(default=None, foreign_key="digest_run.id", index=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    due_at: dt.datetime = Field(sa_type=UTCDateTime)
    # "pending" → "sent" | "empty" | "blocked" | "failed"
    state: str = Field(max_length=8, index=True)
    messages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    parts_sent: int = 0
    message_ids: str = ""  # Telegram ids of the messages sent, comma-separated
    through_article_id: int | None = None
    from_cursor: int | None = None  # the chat's cursor before this digest (for voiding)
    # Planned ahead: not sent before this instant (the schedule's clock, like due_at).
    not_before: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = 0  # delivery rounds that ended in a transient failure (rescheduled)
    retries: int = 0  # single sends retried (429, 5xx, timeouts), for the run report
    next_attempt_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)
    lease_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=64)  # the instance sending it
    error: str | None = None
    # An alert is a delivery of one article, once per chat (the unique index below).
    alert_article_id: int | None = None
    thread_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


Index(
    "ux_digest_delivery_alert",
    col(DigestDelivery.chat_id),
    col(DigestDelivery.alert_article_id),
    unique=True,
)


class BotInstance(SQLModel, table=True):
    """A running `newsbot run` process. Instances share the send cap by heartbeat."""

    __tablename__ = "bot_instance"

    name: str = Field(primary_key=True, max_length=64)  # host:pid
    started_at: dt.datetime = Field(sa_type=UTCDateTime)
    seen_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)


class HandledUpdate(SQLModel, table=True):
    """A webhook update taken by an instance: Telegram may deliver it again to another.

    "handling" while an instance handles it (leased, like a digest), "done" after;
    rows are forgotten after a day, when Telegram no longer redelivers."""

    __tablename__ = "handled_update"

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    state: str = Field(max_length=8)  # "handling" | "done"
    claimed_by: str = Field(max_length=64)
    lease_until: dt.datetime = Field(sa_type=UTCDateTime)
    received_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)


class StoryMove(SQLModel, table=True):
    """A small story merged into another after it was stored (`bot.news.story_window`):
    every article of `from_story` is now `to_story`'s.
    Instances sharing the database read the moves since their last look, so the
    stories they hold in memory stay as stored."""

    __tablename__ = "story_move"

    id: int | None = Field(default=None, primary_key=True)
    from_story: int
    to_story: int
    moved_at: dt.datetime = Field(sa_type=UTCDateTime)


class SourceRecord(SQLModel, table=True):
    """A feed or page the bot fetches, and how fetching it has gone."""

    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2048, unique=True, index=True)
    kind: str = Field(max_length=8)  # "feed" or "page": what its last good answer was
    etag: str | None = Field(default=None, max_length=1024)
    last_modified: str | None = Field(default=None, max_length=128)
    last_fetch_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_success_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status: int | None = None  # HTTP status of the last answer; None: no answer
    last_error: str | None = None
    failures: int = 0  # in a row
    next_fetch_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    name: str | None = Field(default=None, max_length=255)  # given by `/source add URL NAME`
    # "config": named by SOURCES; "operator": added with `/source add`.
    origin: str = Field(default="config", max_length=8)
    removed: bool = False  # `/source remove`: not fetched, even if SOURCES names it


class SearchRules(SQLModel, table=True):
    """Which rules wrote the search rows (one row): `storage.migrate.upgrade_schema`
    writes every row anew when the bot's rules are newer (`bot.search.rules`), so a new
    concept or a changed stemmer needs no migration of its own."""

    __tablename__ = "search_rules"

    id: int | None = Field(default=None, primary_key=True)
    version: int
