"""Stories: the articles of several outlets about one event.

- `article.story_id`: the id of the story's first article (a story is its articles;
  its id never changes). Articles stored before stories existed start one story each.
- `article.story_features`: what the story matcher compares (JSON), filled at ingest;
  older articles get theirs when they are first compared.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("article", sa.Column("story_id", sa.Integer(), nullable=True))
    op.add_column("article", sa.Column("story_features", sa.JSON(), nullable=True))
    op.execute("UPDATE article SET story_id = id")
    op.create_index("ix_article_story_id", "article", ["story_id"])


def downgrade() -> None:
    op.drop_index("ix_article_story_id", table_name="article")
    # ALTER TABLE ... DROP COLUMN: SQLite >= 3.35 and PostgreSQL, without a table copy.
    op.execute("ALTER TABLE article DROP COLUMN story_features")
    op.execute("ALTER TABLE article DROP COLUMN story_id")
