"""The concept table gained a shutdown (`bot.news.stories.concepts`: "halts",
"suspended", «приостановил», «закроют»), so each article's search row may gain
"ccshutdown": the rows of the articles stored before are written anew, as 0015 wrote
them, through `storage.search.rewrite_all`.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

from alembic import context, op

from storage.search import rewrite_all

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    rewrite_all(op.get_bind(), context.config.attributes.get("search_stems"))


def downgrade() -> None:
    """The extra tokens do no harm to an older reader of the index: nothing to undo."""
