"""An article's search stems: what the full-text index stores for it.

The index does not stem: the stems are worked out here, by the very rules that turn
a query into stems (`bot.search.query.word_stems`), and stored as plain
space-separated tokens. That makes the two engines agree: SQLite FTS5 with the
`unicode61` tokenizer and PostgreSQL's `to_tsvector('simple', ...)` both only split
this text on spaces and lower-case it, so "dams" in an article is found by "dam" in
a query, and «выборах» by «выборы», on either database — and neither needs a stemmer
or a dictionary of its own (FTS5 has no Russian one).

Every word is kept, stop words and numbers too: a quoted phrase ("Bank of England")
then matches as written, and a year or a count ("2027", "167th") is searchable. The body
column ends with the tokens of the names and numbers the article names (`names`): a
Russian article about Рахмон holds "nkrhmn", which an English query for "Rahmon" asks
for too, and one about an «землетрясение» "ccearthquake", which "earthquake" asks for
(`bot.search.forms`).

The index (storage/search.py) keeps two columns, so a word in the title can count for
more than one in the body,

    CREATE VIRTUAL TABLE article_search USING fts5(
        title, body, tokenize='unicode61 remove_diacritics 0');  -- rowid = articles.id

`remove_diacritics 0`: the stems are already folded, and SQLite then keeps them as
PostgreSQL does. An article's upgrade is a DELETE and an INSERT by rowid (a contentless
table would need the old stems to delete, or SQLite 3.43's contentless_delete). On
PostgreSQL: `setweight(to_tsvector('simple', title), 'A') ||
setweight(to_tsvector('simple', body), 'B')`, GIN-indexed.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.news.stories.keys import entity_key, names_of, numbers_of
from bot.search.forms import concept_tokens, key_token, number_token
from bot.search.query import bounded, clean, text_stems

# Bounds: an article is indexed on its title's first TITLE_CHARS characters and its
# body's first BODY_CHARS (the lead, where a news story says what it is about), so
# indexing costs the same for any article and the index grows with the article count,
# not with their length.
TITLE_CHARS = 500
BODY_CHARS = 4_000
_TITLE_WORD = re.compile(r"[^\W_](?:[\w'’\-]*[^\W_])?")


def search_text(title: str, body: str, language: str = "") -> str:
    """The search stems of an article, title then body, space-separated: for one-column
    indexes (a single tsvector).

    `language` is accepted and deliberately unused: a query does not know its language,
    so a stem must not depend on it. Each word is stemmed by its script instead (Russian
    rules for Cyrillic, English for Latin), on both sides.
    """
    del language
    return " ".join(part for part in (title_text(title), body_text(body)) if part)


def title_text(title: str) -> str:
    """The search stems of a title (its first TITLE_CHARS characters)."""
    return _stems_text(bounded(title, TITLE_CHARS))


def body_text(body: str) -> str:
    """The search stems of a body (its first BODY_CHARS characters)."""
    return _stems_text(bounded(body, BODY_CHARS))


def _stems_text(text: str) -> str:
    return " ".join(text_stems(clean(text)))


def search_stems(
    title: str, body: str, keys: Collection[str] | None = None
) -> tuple[str, str]:
    """An article's title and body stems, as the index stores them (two columns); the
    body's followed by the tokens of the names and numbers the article names (`keys`:
    its story features' names, "#" before a number; worked out here if not given), and
    the tokens of the concepts its words name ("cc" + concept: `bot.search.forms`)."""
    if keys is None:
        keys = names_of(title, body) | numbers_of(title) | numbers_of(body)
    title_stems, body_stems = title_text(title), body_text(body)
    concepts = concept_tokens(f"{title_stems} {body_stems}".split())
    extra = " ".join(filter(None, [name_tokens(title, body, keys), *concepts]))
    # The names and numbers of the title are the title's too: "mirziyoev" or «Мирзиёев»
    # typed for a title that says "Mirziyoyev" is a match in the title, as the word is.
    in_title = name_tokens(title, body, _title_keys(title).intersection(keys))
    title_column = f"{title_stems} {in_title}" if in_title else title_stems
    return title_column, f"{body_stems} {extra}" if extra else body_stems


def _title_keys(title: str) -> set[str]:
    """The name keys and numbers a title's words could give (of its capitalised words)."""
    words = [part for word in _TITLE_WORD.findall(title) for part in word.split("-")]
    return {entity_key(w) for w in words if w[:1].isupper()} | numbers_of(title)


def name_tokens(title: str, body: str, keys: Collection[str] | None = None) -> str:
    """Tokens of the article's name keys ("nk" + key: both scripts' spellings of one name
    share it) and numbers ("nm" + the number, grouping folded): `bot.search.forms`."""
    if keys is None:
        keys = names_of(title, body) | numbers_of(title) | numbers_of(body)
    tokens = []
    for key in sorted(keys):
        token = number_token(key) if key.startswith("#") else key_token(key)
        if token:
            tokens.append(token)
    return " ".join(tokens)

