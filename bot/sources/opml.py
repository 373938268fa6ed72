"""OPML 2.0 in and out (pure): the sources as the outline other feed readers keep.

Feed bots operators already run (RSS-to-Telegram, NodeRSSBot) and every feed reader
import and export OPML: an `<outline>` per feed, its address in `xmlUrl`, its name in
`title` or `text`, nested in folders at will. `write_opml` makes one of the bot's
sources; `read_opml` reads one an operator sends, refusing whatever could hurt:

  - more than MAX_OPML_BYTES, or more than MAX_OUTLINES outlines;
  - anything that is not XML, and XML with a document type (DTD) or entities, never
    expanded (defusedxml: a "billion laughs" file costs nothing);
  - a root that is not `<opml>`, or no feed in it;
  - a feed address that is not http(s), or one on a loopback, private or link-local
    address (unless the deployment allows them: tests and the demo), or unreadable.

A refused file names its first problem in one line, and nothing of it is added.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from bot.sources.urls import canonical_url, web_url_problem

MAX_OPML_BYTES = 1_000_000  # real exports of a few hundred feeds are tens of kB
MAX_OUTLINES = 1_000  # outlines (feeds and folders) read at most
MAX_TITLE_CHARS = 80  # of a feed's title kept as its name (as /source add keeps)


@dataclass(frozen=True)
class OpmlFeed:
    title: str
    url: str  # canonical
    home: str | None = None  # the site (htmlUrl)
    language: str | None = None


class OpmlError(ValueError):
    """A file that cannot be imported; the message says why, for a person."""


def write_opml(feeds: Sequence[OpmlFeed], *, created: dt.datetime) -> str:
    """An OPML 2.0 document listing `feeds`, in order (`created` dates it)."""
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = "newsbot sources"
    SubElement(head, "dateCreated").text = email.utils.format_datetime(created)
    body = SubElement(root, "body")
    for feed in feeds:
        attributes = {"type": "rss", "text": feed.title, "title": feed.title, "xmlUrl": feed.url}
        if feed.home:
            attributes["htmlUrl"] = feed.home
        if feed.language:
            attributes["language"] = feed.language
        SubElement(body, "outline", attributes)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def read_opml(data: bytes, *, allow_private: bool = False) -> list[OpmlFeed]:
    """The feeds an OPML file lists, each once, in order; OpmlError says why none can be
    taken (the whole file is refused for its first problem)."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"the file is {len(data):,} bytes; at most {MAX_OPML_BYTES:,} are read")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise OpmlError("XML with a document type or entities is refused") from None
    except ParseError as error:
        raise OpmlError(f"not XML ({error})") from None
    if _local(root.tag) != "opml":
        raise OpmlError(f"not OPML: the document is <{_local(root.tag)[:40]}>, not <opml>")
    outlines = [element for element in root.iter() if _local(element.tag) == "outline"]
    if len(outlines) > MAX_OUTLINES:
        raise OpmlError(f"{len(outlines):,} outlines; at most {MAX_OUTLINES:,} are read")
    feeds: dict[str, OpmlFeed] = {}
    for outline in outlines:
        attributes = {key.lower(): value for key, value in outline.attrib.items()}
        url = (attributes.get("xmlurl") or "").strip()
        if not url:
            continue  # a folder
        problem = web_url_problem(url) or (None if allow_private else private_host(url))
        canonical = canonical_url(url)
        if problem or canonical is None:
            raise OpmlError(f"{url[:100]}: {problem or 'not a web address'}")
        title = " ".join((attributes.get("title") or attributes.get("text") or "").split())
        feeds.setdefault(
            canonical,
            OpmlFeed(
                title[:MAX_TITLE_CHARS] or urlsplit(canonical).hostname or canonical,
                canonical,
                attributes.get("htmlurl") or None,
                attributes.get("language") or None,
            ),
        )
    if not feeds:
        raise OpmlError("no feeds in it (no outline with an xmlUrl)")
    return list(feeds.values())


def private_host(url: str) -> str | None:
    """Why a URL's host is not a public one, judged by its name alone (a name that
    resolves to a private address is refused by the fetcher when it is fetched)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return f"{host} is a local host"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if not address.is_global:
        return f"{host} is a private, loopback or link-local address"
    return None


def _local(tag: object) -> str:
    """A tag without its namespace."""
    return str(tag).rsplit("}", 1)[-1].lower()
