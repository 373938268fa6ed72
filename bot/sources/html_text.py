"""HTML to the plain paragraphs the parser, tagger and summariser read.

lxml parses whatever it is given (broken markup included) and never fetches
anything: no DTDs, no entities from the network. Work is linear in the size of
the document, which the fetcher caps before it gets here.
"""

from __future__ import annotations

import re
from html import unescape

from lxml import etree, html

# Blocks whose text is a paragraph of its own.
BLOCKS = ("p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "pre", "td", "dd")
# Never news: code, forms, navigation and the like.
DROPPED = ("script", "style", "noscript", "template", "svg", "form", "nav", "iframe", "button")
_SPACE = re.compile(r"\s+")
# Control characters XML forbids: lxml parses past them but refuses them in a tree it
# edits (dropping a <script> whose tail holds one raises), and they are never text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_html(markup: str) -> html.HtmlElement | None:
    """The document's tree, or None when there is nothing to parse."""
    markup = _CONTROL.sub(" ", markup)
    if not markup.strip():
        return None
    try:
        parser = html.HTMLParser(
            encoding="utf-8", no_network=True, remove_comments=True, recover=True
        )
        root = html.document_fromstring(markup.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return None
    for element in list(root.iter(*DROPPED)):
        element.drop_tree()
    return root


def clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def paragraphs_of(element: html.HtmlElement) -> list[str]:
    """The text of `element`, one paragraph per block, in document order."""
    found: list[str] = []
    blocks = list(element.iter(*BLOCKS))
    if not blocks:
        text = clean(element.text_content())
        return [text] if text else []
    for block in blocks:
        if any(parent.tag in BLOCKS for parent in block.iterancestors()):
            continue  # a <p> inside an <li>: its text is in the outer block's already
        text = clean(block.text_content())
        if text:
            found.append(text)
    return found


def html_paragraphs(markup: str) -> list[str]:
    """Paragraphs of an HTML fragment (a feed item's description or content)."""
    if "<" not in markup:  # plain text, but still HTML's: "[&#8230;]" is "[…]"
        text = clean(unescape(markup))
        return [text] if text else []
    root = parse_html(markup)
    return [] if root is None else paragraphs_of(root)
