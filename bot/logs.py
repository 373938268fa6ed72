"""Logging, configured once by the entry point.

The bot token is part of every Telegram URL, so httpx's request log is
silenced and, as a second guard, every formatted line has secrets (the token,
the webhook secret) blanked out: an exception text or a DEBUG line of
python-telegram-bot may quote them.

LOG_FORMAT=json writes one JSON object per line (time, level, logger,
message, and exc_info when there is one), for log collectors.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from pythonjsonlogger.json import JsonFormatter

# storage.migrate logs the one line that matters of alembic's migration chatter.
NOISY = ("httpx", "httpcore", "apscheduler.executors.default", "alembic")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _Redacting:
    """Mixed into a formatter: blanks secrets out of the finished line."""

    secrets: list[str]

    def redact(self, line: str) -> str:
        for secret in self.secrets:
            line = line.replace(secret, "[secret]")
        return line


class RedactingFormatter(_Redacting, logging.Formatter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__(TEXT_FORMAT)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


class RedactingJsonFormatter(_Redacting, JsonFormatter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__(
            "{asctime}{levelname}{name}{message}",
            style="{",
            datefmt="%Y-%m-%dT%H:%M:%S%z",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        # Tokens and secrets are [A-Za-z0-9:_-]: JSON escaping never splits one.
        return self.redact(super().format(record))


def configure_logging(level: str, log_format: str = "text", secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler()
    formatter = RedactingJsonFormatter if log_format == "json" else RedactingFormatter
    handler.setFormatter(formatter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
