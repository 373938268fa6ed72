"""Articles from feeds and pages: their URL, source and time; the sources and their health.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN and CREATE INDEX: both SQLite and PostgreSQL do them in place, so
    # the article table is not copied (batch mode would, and its foreign keys object).
    op.add_column("article", sa.Column("url", sa.String(length=2048), nullable=True))
    op.add_column("article", sa.Column("source", sa.String(length=255), nullable=True))
    op.add_column("article", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_article_url", "article", ["url"], unique=True)
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("etag", sa.String(length=1024), nullable=True),
        sa.Column("last_modified", sa.String(length=128), nullable=True),
        sa.Column("last_fetch_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_fetch_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_source_url", "source", ["url"], unique=True)
    op.create_index("ix_source_next_fetch_at", "source", ["next_fetch_at"])


def downgrade() -> None:
    op.drop_table("source")
    op.drop_index("ix_article_url", table_name="article")
    for column in ("published_at", "source", "url"):
        # ALTER TABLE ... DROP COLUMN: SQLite >= 3.35 and PostgreSQL, without a table copy.
        op.execute(f"ALTER TABLE article DROP COLUMN {column}")
