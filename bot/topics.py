"""/follow, /mute, /unfollow, /unmute: pure rules over a chat's keywords, and their parsing.

A keyword is a word or a quoted phrase, stored as the reader wrote it (cleaned
and lower-cased); `bot.news.keywords` matches it against articles by stem.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from bot.i18n import N_
from bot.news.keywords import MAX_KEYWORD_CHARS, MAX_KEYWORDS, words_of
from bot.prefs import BadArgument, clean_text, quoted
from storage.subscribers import ChatPrefs

# A command's text is at most 4,096 characters; nothing beyond is read.
MAX_COMMAND_TEXT = 4096
# A phrase in quotation marks (ASCII, English, Russian, German; an unclosed one runs to
# the end), or a word: a run of anything else that is not a space.
_ITEM = re.compile(r'"([^"]*)"?|“([^”]*)”?|”([^”]*)”?|«([^»]*)»?|„([^“]*)“?|([^\s"“”«»„]+)')
_SPACES = re.compile(r"\s+")


def parse_keywords(text: str) -> tuple[str, ...]:
    """`election "gas prices" «выборы президента»` → three keywords. Linear in `text`.

    Refused with a reason: empty quotes, a keyword with no letter or digit (control
    characters alone, say), one longer than MAX_KEYWORD_CHARS, more than MAX_KEYWORDS."""
    raw = _split(text[:MAX_COMMAND_TEXT])
    if len(raw) > MAX_KEYWORDS:
        raise BadArgument(N_("That's too many words at once: {most} at most."), most=MAX_KEYWORDS)
    keywords: list[str] = []
    for item in raw:
        keyword = _SPACES.sub(" ", clean_text(item)).strip().casefold()
        if not keyword:
            raise BadArgument(
                N_('The quotes are empty. Put a word or phrase between them: /follow "gas prices"')
            )
        if not words_of(keyword):
            raise BadArgument(
                N_("“{word}” has no letters or digits to look for."), word=quoted(keyword)
            )
        if len(keyword) > MAX_KEYWORD_CHARS:
            raise BadArgument(
                N_("“{word}” is too long: a word or phrase may have {most} characters at most."),
                word=quoted(keyword),
                most=MAX_KEYWORD_CHARS,
            )
        keywords.append(keyword)
    return tuple(dict.fromkeys(keywords))


def _split(text: str) -> list[str]:
    """Words, and phrases in quotation marks (an unclosed quote runs to the end).

    One regular-expression scan, stopped one item past MAX_KEYWORDS: the rest is refused."""
    items: list[str] = []
    for match in _ITEM.finditer(text):
        items.append(next(group for group in match.groups() if group is not None))
        if len(items) > MAX_KEYWORDS:
            break
    return items


def follow(prefs: ChatPrefs, keywords: tuple[str, ...]) -> ChatPrefs:
    """Follow `keywords`; one that was muted is unmuted (a word is one or the other)."""
    follows = tuple(dict.fromkeys((*prefs.follows, *keywords)))
    mutes = tuple(k for k in prefs.mutes if k not in keywords)
    return _within_limit(replace(prefs, follows=follows, mutes=mutes))


def mute(prefs: ChatPrefs, keywords: tuple[str, ...]) -> ChatPrefs:
    mutes = tuple(dict.fromkeys((*prefs.mutes, *keywords)))
    follows = tuple(k for k in prefs.follows if k not in keywords)
    return _within_limit(replace(prefs, follows=follows, mutes=mutes))


def unfollow(prefs: ChatPrefs, keywords: tuple[str, ...]) -> ChatPrefs:
    return replace(prefs, follows=tuple(k for k in prefs.follows if k not in keywords))


def unmute(prefs: ChatPrefs, keywords: tuple[str, ...]) -> ChatPrefs:
    return replace(prefs, mutes=tuple(k for k in prefs.mutes if k not in keywords))


def _within_limit(prefs: ChatPrefs) -> ChatPrefs:
    if len(prefs.follows) + len(prefs.mutes) > MAX_KEYWORDS:
        raise BadArgument(
            N_(
                "A chat may follow and mute {most} words and phrases in all. "
                "/keywords lists yours; remove some first."
            ),
            most=MAX_KEYWORDS,
        )
    return prefs


def keyword_token(keyword: str) -> str:
    """A short, stable name of a keyword for a button's data (64 bytes at most there)."""
    return hashlib.sha256(keyword.encode()).hexdigest()[:12]


def remove_by_token(prefs: ChatPrefs, token: str) -> tuple[ChatPrefs, str | None]:
    """The keyword a remove button names, taken off whichever list holds it."""
    for keyword in (*prefs.follows, *prefs.mutes):
        if keyword_token(keyword) == token:
            return unmute(unfollow(prefs, (keyword,)), (keyword,)), keyword
    return prefs, None
