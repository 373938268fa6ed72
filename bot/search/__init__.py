"""Full-text search of the archive: the pure core both databases share.

`query.parse_query` turns a reader's words into search stems, `query.groups_of` gives
each its alternatives (`forms`), and `group_fts5` / `group_tsquery` / `group_pattern`
turn those into expressions no input can subvert;
`documents.search_text` gives an article's stems by the very same rules, so the
index holds what the query asks for, in SQLite FTS5 and PostgreSQL alike.
"""

from __future__ import annotations

from bot.search.documents import (
    BODY_CHARS,
    TITLE_CHARS,
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
    Group,
    Query,
    group_fts5,
    group_pattern,
    group_tsquery,
    groups_of,
    parse_query,
)

__all__ = [
    "BODY_CHARS",
    "MAX_PHRASE_TERMS",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "MAX_TOKEN_CHARS",
    "MIN_PREFIX_CHARS",
    "TITLE_CHARS",
    "Group",
    "Query",
    "body_text",
    "group_fts5",
    "group_pattern",
    "group_tsquery",
    "groups_of",
    "parse_query",
    "search_text",
    "title_text",
]
