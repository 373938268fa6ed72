"""Search by what happened: each article's search row gains the tokens of the concepts
its words name ("cc" + concept: `bot.news.stories.concepts`), so "earthquake" finds a
Russian report of «землетрясение» and "detained" one that says "arrested". The rows of
the articles stored before are written anew here, by the search stems
`storage.migrate.upgrade_schema` is given (the bot's own rules, which storage does not
import), through `storage.search.rewrite_all`.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

from alembic import context, op

from storage.search import rewrite_all

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Through storage.search's walk, not a copy of 0014's: rewriting every row from the
    # stems given is what any later change of the index tokens does too.
    rewrite_all(op.get_bind(), context.config.attributes.get("search_stems"))


def downgrade() -> None:
    """The extra tokens do no harm to an older reader of the index: nothing to undo."""
