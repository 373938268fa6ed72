"""Command and button handlers: thin glue between Telegram, `bot.prefs` and storage.

One module per command family, each with `register(application, shell)` that puts its
handlers on the Application; `guards` holds what they all share (the `Shell`). A new
family is a new module and one line in `FAMILIES`.

All handlers share PTB's default group, where the first handler that matches takes
the update. The families' commands and button prefixes never overlap, so their order
is free; `basics` holds the catch-alls (any other button, an unknown command, plain
talk) and so is registered after every family.
"""

from __future__ import annotations

from typing import Protocol

from bot.telegram.handlers import (
    basics,
    channels,
    keywords,
    operators,
    outlets,
    reading,
    search,
    settings,
    subscription,
)
from bot.telegram.handlers.guards import App, Shell

__all__ = ["FAMILIES", "Shell", "register_handlers"]


class Family(Protocol):
    def register(self, application: App, shell: Shell) -> None: ...


FAMILIES: tuple[Family, ...] = (
    subscription,  # /start, /stop, /country, the picker; the bot removed from a chat
    reading,  # /latest, /digest
    settings,  # /time, /timezone, /brief, /language, /days, /alerts, /settings
    keywords,  # /follow, /mute, /unfollow, /unmute, /keywords
    channels,  # /channel
    outlets,  # /news, /outlets
    search,  # /search, its pages, inline queries
    operators,  # /stats
)


def register_handlers(application: App, shell: Shell) -> None:
    for family in FAMILIES:
        family.register(application, shell)
    basics.register(application, shell)  # last: its catch-alls take what no family did
