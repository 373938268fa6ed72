"""An article's search stems: what the full-text index stores for it.

The index does not stem: the stems are worked out here, by the very rules that turn
a query into stems (`bot.search.query.word_stems`), and stored as plain
space-separated tokens. That makes the two engines agree: SQLite FTS5 with the
`unicode61` tokenizer and PostgreSQL's `to_tsvector('simple', ...)` both only split
this text on spaces and lower-case it, so "dams" in an article is found by "dam" in
a query, and «выборах» by «выборы», on either database — and neither needs a stemmer
or a dictionary of its own (FTS5 has no Russian one).

Every word is kept, stop words and numbers too: a quoted phrase ("Bank of England")
then matches as written, and a year or a count ("2027", "167th") is searchable.

Suggested index (the caller builds it): two columns, so a word in the title counts
for more than one in the body,

    CREATE VIRTUAL TABLE article_search USING fts5(
        title, body, tokenize='unicode61 remove_diacritics 0');  -- rowid = articles.id
    ... ORDER BY bm25(article_search, TITLE_WEIGHT, BODY_WEIGHT)

`remove_diacritics 0`: the stems are already folded, and SQLite then keeps them as
PostgreSQL does. An article's upgrade is a DELETE and an INSERT by rowid (a contentless
table would need the old stems to delete, or SQLite 3.43's contentless_delete). On
PostgreSQL: `setweight(to_tsvector('simple', title), 'A') ||
setweight(to_tsvector('simple', body), 'B')`, GIN-indexed, ranked with `ts_rank`.
"""

from __future__ import annotations

from bot.search.query import bounded, clean, text_stems

# Bounds: an article is indexed on its title's first TITLE_CHARS characters and its
# body's first BODY_CHARS (the lead, where a news story says what it is about), so
# indexing costs the same for any article and the index grows with the article count,
# not with their length.
TITLE_CHARS = 500
BODY_CHARS = 4_000

# bm25 column weights: a query word in the title says more about the story than one in
# the body. Checked on tests/stories with bench/search_relevance.py.
TITLE_WEIGHT = 3.0
BODY_WEIGHT = 1.0


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


def search_stems(title: str, body: str) -> tuple[str, str]:
    """An article's title and body stems, as the index stores them (two columns)."""
    return title_text(title), body_text(body)
