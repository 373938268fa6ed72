"""Logging, configured once by the entry point.

The bot token is part of every Telegram URL, so httpx's request log is
silenced and, as a second guard, every formatted line has secrets blanked out
(an exception text may quote a URL too).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

NOISY = ("httpx", "httpcore", "apscheduler.executors.default")


class RedactingFormatter(logging.Formatter):
    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        for secret in self.secrets:
            line = line.replace(secret, "[secret]")
        return line


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
