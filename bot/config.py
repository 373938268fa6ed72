"""Settings from the environment or `.env`, validated once at start-up."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    database_url: str = "sqlite:///newsbot.db"
    snapshot_dir: str = "snapshots"
    ingest_interval_minutes: float = Field(default=15, gt=0)
    snapshot_settle_seconds: float = Field(default=5, ge=0)
    digest_time: dt.time = dt.time(9, 0)
    default_timezone: str = "Asia/Almaty"
    send_rate_per_second: int = Field(default=25, ge=1)
    # Per chat, as Telegram asks: about 1 message a second to a private chat, 20 a
    # minute to a group or channel; replies in a private chat may send a few back to back.
    chat_send_interval_seconds: float = Field(default=1.0, ge=0)
    group_send_interval_seconds: float = Field(default=3.0, ge=0)
    chat_send_burst: int = Field(default=3, ge=1, le=20)
    admin_chat_ids: Annotated[list[int], NoDecode] = []
    digest_max_per_country: int = Field(default=5, ge=1)
    digest_grace_minutes: int = Field(default=360, ge=0)
    digest_send_empty: bool = False
    digest_tick_seconds: float = Field(default=60, gt=0)
    # Breaking-news alerts (/alerts on) a chat receives in a local day, at most.
    alerts_per_day: int = Field(default=10, ge=0, le=1000)
    # An article is compared with the stories active in this many hours before it.
    story_window_hours: float = Field(default=72, gt=0, le=24 * 30)
    send_concurrency: int = Field(default=16, ge=1, le=256)
    delivery_lease_seconds: float = Field(default=60, gt=0)
    # Test hook: read "now" from this file (an ISO-8601 instant) instead of the system clock.
    fake_clock_file: str | None = None
    max_snapshot_bytes: int = Field(default=5_000_000, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    # Webhook mode (when WEBHOOK_URL is set): Telegram POSTs updates to WEBHOOK_URL,
    # which a proxy or the platform routes to WEBHOOK_LISTEN:WEBHOOK_PORT.
    webhook_url: str | None = Field(default=None, pattern=r"^https?://[^/\s]+(/\S*)?$")
    webhook_listen: str = "0.0.0.0"  # every interface: it is a server
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    # Sources the bot fetches itself, commas or whitespace between them: `catalog` (every
    # built-in outlet), `catalog:kz,uz` (those countries' outlets), feed or page URLs.
    # Read as the URLs they stand for (bot.sources.catalog); empty: only the snapshot folder.
    sources: Annotated[list[str], NoDecode] = Field(default=["catalog"], validate_default=True)
    fetch_interval_minutes: float = Field(default=15, gt=0)
    # Loopback, private and link-local hosts are refused unless this is set (tests, demo).
    sources_allow_private: bool = False
    fetch_contact: str | None = None  # a URL or e-mail sent in the User-Agent

    @field_validator("webhook_url", "webhook_secret", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram's rule for secret_token: 1-256 characters, A-Z a-z 0-9 _ -.
        if value is not None and not SECRET_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        # Without a secret anyone who learns the URL could post forged updates.
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("WEBHOOK_URL needs WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -)")
        return self

    @property
    def webhook_path(self) -> str:
        """The path Telegram POSTs to: WEBHOOK_URL's own path."""
        return urlsplit(self.webhook_url or "").path or "/"

    @field_validator("admin_chat_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("sources", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        if isinstance(value, str):
            return [part for part in re.split(r"[\s,]+", value) if part]
        return value

    @field_validator("sources")
    @classmethod
    def _expand_to_urls(cls, value: list[str]) -> list[str]:
        # `catalog` words become their feeds' URLs (the TOML is read once, when named);
        # every URL once, in the order given.
        from bot.sources.catalog import expand_sources

        value = expand_sources(value)
        for url in value:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not an http(s) URL: {url[:100]!r}")
        return value

    @field_validator("fetch_contact", mode="before")
    @classmethod
    def _blank_contact(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r} (e.g. Asia/Almaty)") from None
        return value
