"""The version of the rules that write articles' search rows (plain data: the command
line reads it at every start without loading the text stack).

The stored rows hold stems and tokens made by `bot.search.documents.search_stems`: a
concept added to `bot.news.stories.concepts`, a stemmer or a token changed, and the
rows stored before no longer hold what a query now asks for. The database records the
version that wrote its rows (migration 0019, table `search_rules`); at start, when
SEARCH_RULES is newer, `storage.migrate.upgrade_schema` writes every row anew, once,
under the migration lock, so such a change needs no migration of its own.

Bump SEARCH_RULES with any change of what `search_stems` gives. A change of the concept
table is caught by `tests/test_search_rules.py`: CONCEPTS_FINGERPRINT is the table's
fingerprint (`concepts_fingerprint`) for this version, and the test fails until both are
updated together.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

SEARCH_RULES = 1
CONCEPTS_FINGERPRINT = "62489a8ce53c98e7"


def concepts_fingerprint(table: Mapping[str, tuple[str, str]]) -> str:
    """16 hex digits of a hash of the concept table (concept → English and Russian words)."""
    data = json.dumps(sorted(table.items()), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]
