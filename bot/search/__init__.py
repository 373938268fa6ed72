"""Full-text search of the archive: the pure core both databases share.

`query.parse_query` turns a reader's words into search stems, and `to_fts5` /
`to_tsquery_text` turn those into expressions no input can subvert;
`documents.search_text` gives an article's stems by the very same rules, so the
index holds what the query asks for, in SQLite FTS5 and PostgreSQL alike.
"""

from __future__ import annotations

from bot.search.documents import (
    BODY_CHARS,
    BODY_WEIGHT,
    TITLE_CHARS,
    TITLE_WEIGHT,
    body_text,
    search_text,
    title_text,
)
from bot.search.query import (
    MAX_PHRASE_TERMS,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    MAX_TOKEN_CHARS,
    MIN_PREFIX_CHARS,
    Query,
    fts5_attempts,
    parse_query,
    to_fts5,
    to_tsquery_text,
    tsquery_attempts,
)

__all__ = [
    "BODY_CHARS",
    "BODY_WEIGHT",
    "MAX_PHRASE_TERMS",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "MAX_TOKEN_CHARS",
    "MIN_PREFIX_CHARS",
    "TITLE_CHARS",
    "TITLE_WEIGHT",
    "Query",
    "body_text",
    "fts5_attempts",
    "parse_query",
    "search_text",
    "title_text",
    "to_fts5",
    "to_tsquery_text",
    "tsquery_attempts",
]
