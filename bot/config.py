"""Settings from the environment or `.env`, validated once at start-up."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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
    admin_chat_ids: Annotated[list[int], NoDecode] = []
    digest_max_per_country: int = Field(default=5, ge=1)
    digest_grace_minutes: int = Field(default=360, ge=0)
    digest_send_empty: bool = False
    digest_tick_seconds: float = Field(default=60, gt=0)
    send_concurrency: int = Field(default=16, ge=1, le=256)
    delivery_lease_seconds: float = Field(default=60, gt=0)
    # Test hook: read "now" from this file (an ISO-8601 instant) instead of the system clock.
    fake_clock_file: str | None = None
    max_snapshot_bytes: int = Field(default=5_000_000, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"

    @field_validator("admin_chat_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

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
