"""Bytes from the web to text: the charset the server, the document or the BOM declares.

Trust goes in the order the HTTP header, the document's own declaration (`<?xml
encoding=...?>`, `<meta charset=...>`), the byte-order mark. Nothing declared:
UTF-8 if the bytes are UTF-8, else the Cyrillic code page (cp1251 or KOI8-R) whose
reading looks most like Russian text. A declared charset the bytes do not fit is
an error, reported as such: guessing there would store mojibake.
"""

from __future__ import annotations

import codecs
import re

_DECLARED = re.compile(
    rb"""<\?xml[^>]{0,200}encoding\s*=\s*["']([\w.:-]{1,40})["']"""
    rb"""|<meta[^>]{0,200}charset\s*=\s*["']?([\w.:-]{1,40})""",
    re.IGNORECASE,
)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([\w.:-]{1,40})", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LOOK_AT = 2048  # declarations sit at the top of the document
_CYRILLIC_LOWER = re.compile(r"[а-яё]")
_CYRILLIC = re.compile(r"[А-ЯЁа-яё]")


class UndecodableError(ValueError):
    """The body is not text in any charset it declares or that could be guessed."""


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes, content_type: str | None) -> str | None:
    """The charset the header, the document or its BOM names (in that order), if any."""
    header = _HEADER.search(content_type or "")
    if header and (known := _known(header.group(1))):
        return known
    declared = _DECLARED.search(data[:_LOOK_AT])
    if declared and (known := _known((declared.group(1) or declared.group(2)).decode("ascii"))):
        return known
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def decode_body(data: bytes, content_type: str | None = None) -> str:
    """The body as text; `UndecodableError` says why not."""
    charset = declared_charset(data, content_type)
    if charset is not None:
        # A UTF-8 BOM under a "utf-8" declaration is still a BOM, not text.
        if charset == "utf-8" and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        try:
            return data.decode(charset)
        except UnicodeDecodeError as error:
            raise UndecodableError(f"not valid {charset} as declared ({error.reason})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _guess_cyrillic(data)


def _guess_cyrillic(data: bytes) -> str:
    """cp1251 or KOI8-R, whichever reads as mostly lower-case Cyrillic, as Russian prose is."""
    best, best_share = None, 0.0
    for charset in ("cp1251", "koi8_r"):
        try:
            text = data.decode(charset)
        except UnicodeDecodeError:
            continue
        letters = len(_CYRILLIC.findall(text))
        share = len(_CYRILLIC_LOWER.findall(text)) / letters if letters else 0.0
        if share > best_share:
            best, best_share = text, share
    if best is None or best_share < 0.5:
        raise UndecodableError("no charset declared, and the bytes are not UTF-8 or Cyrillic text")
    return best
