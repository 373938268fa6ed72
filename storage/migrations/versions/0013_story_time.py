"""Story time: when an article reported its event, indexed, so the story matcher can read
the stories around any article's own time (a backfill weeks old meets the stories of then).

`article.story_at` is its publication time, but never later than when it was first seen
(`bot.news.story_window.article_time`); articles stored before get it here.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("article", sa.Column("story_at", sa.DateTime(timezone=True), nullable=True))
    # Both columns are written by one column type, so they compare alike on either database.
    op.execute(
        "UPDATE article SET story_at = CASE"
        " WHEN published_at IS NOT NULL AND published_at < first_seen THEN published_at"
        " ELSE first_seen END"
    )
    op.create_index("ix_article_story_at", "article", ["story_at"])


def downgrade() -> None:
    op.drop_index("ix_article_story_at", table_name="article")
    op.execute("ALTER TABLE article DROP COLUMN story_at")
