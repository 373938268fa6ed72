from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings


def test_defaults_match_the_design() -> None:
    settings = Settings()
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.digest_time == dt.time(9, 0)
    assert settings.default_timezone == "Asia/Almaty"
    assert settings.send_rate_per_second == 25
    assert settings.admin_chat_ids == []
    assert settings.telegram_bot_token is None


def test_values_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_CHAT_IDS", "12, -100345,7")
    monkeypatch.setenv("DIGEST_TIME", "07:30")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:secret-token-value")
    settings = Settings()
    assert settings.admin_chat_ids == [12, -100345, 7]
    assert settings.digest_time == dt.time(7, 30)
    assert settings.log_level == "DEBUG"
    assert "secret-token-value" not in repr(settings)  # SecretStr never prints


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEFAULT_TIMEZONE", "Mars/Olympus"),
        ("ADMIN_CHAT_IDS", "12,abc"),
        ("SEND_RATE_PER_SECOND", "0"),
        ("LOG_LEVEL", "chatty"),
        ("DIGEST_TIME", "25:99"),
    ],
)
def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_env_example_documents_every_setting() -> None:
    """Deployment starts from .env.example: a setting missing there is one nobody finds."""
    example = Path(__file__).parent.parent / ".env.example"
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example.read_text(), re.MULTILINE))
    assert documented == {name.upper() for name in Settings.model_fields}


def test_webhook_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", "abc_DEF-123")
    settings = Settings()
    assert settings.webhook_path == "/telegram/hook"
    assert settings.webhook_port == 8443 and settings.webhook_listen == "0.0.0.0"
    assert "abc_DEF-123" not in repr(settings)
    monkeypatch.setenv("WEBHOOK_URL", "")  # blank: polling, and then no secret is needed
    monkeypatch.delenv("WEBHOOK_SECRET")
    assert Settings().webhook_url is None


def test_sources_default_to_the_whole_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    """The design's default. (conftest sets SOURCES="" for every other test: none fetches it.)"""
    from bot.sources.catalog import load_catalog

    monkeypatch.delenv("SOURCES")
    assert Settings().sources == [outlet.feed for outlet in load_catalog()]


def test_sources_are_read_as_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.sources.catalog import outlets_for

    assert Settings().sources == []  # empty: only the snapshot folder
    monkeypatch.setenv(
        "SOURCES", "https://steppe.example/feed catalog:tj, af\nhttps://steppe.example/feed"
    )
    feeds = [o.feed for o in outlets_for(["TJ", "AF"])]
    assert Settings().sources == ["https://steppe.example/feed", *feeds]
    assert Settings(sources=["http://127.0.0.1:8080/feed"]).sources == [
        "http://127.0.0.1:8080/feed"
    ]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("catalog:xx", "unknown country 'xx'"),
        ("catalog: kz, atlantis", "unknown country 'atlantis'"),
        ("catalog:", "names no countries"),
        ("catalogue", "not an http(s) URL: 'catalogue'"),
        ("uz", "not an http(s) URL: 'uz'"),
        ("ftp://steppe.example/feed", "not an http(s) URL"),
    ],
)
def test_bad_sources_are_refused(monkeypatch: pytest.MonkeyPatch, value: str, says: str) -> None:
    monkeypatch.setenv("SOURCES", value)
    with pytest.raises(ValidationError, match=re.escape(says)):
        Settings()
