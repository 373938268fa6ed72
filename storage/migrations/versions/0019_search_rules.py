"""Which rules wrote the search rows: a table of one row, read at every start
(`storage.migrate.upgrade_schema`). When the bot's rules are newer (a concept added to
`bot.news.stories.concepts`, a stemmer changed: `bot.search.rules.SEARCH_RULES`), every
row is written anew then, as 0015, 0016 and 0018 did each in a migration of its own.

The rows of a database at 0018 were written by the rules of version 1, so that is the
version stamped here (the number is `bot.search.rules`'; storage does not import the bot).

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

RULES_AT_0018 = 1


def upgrade() -> None:
    table = op.create_table(
        "search_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "version": RULES_AT_0018}])


def downgrade() -> None:
    op.drop_table("search_rules")
