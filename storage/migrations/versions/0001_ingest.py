"""Snapshots, articles, their countries and exchange rates (the first release).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Column types are spelled out, not imported from storage.models: a migration
# must keep describing the schema of its day after the models move on.
UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("page_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.String(), nullable=True),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("ingested_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_snapshot_content_hash", "snapshot", ["content_hash"], unique=True)

    op.create_table(
        "article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title_key", sa.String(length=512), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("truncated", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("page_date", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("page_position", sa.Integer(), nullable=False),
        sa.Column("first_seen", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshot.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_article_first_seen", "article", ["first_seen"])
    op.create_index("ix_article_published_on", "article", ["published_on"])
    op.create_index("ix_article_title_key", "article", ["title_key"], unique=True)

    op.create_table(
        "exchange_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("base", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshot.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("snapshot_id", "currency", "base"),
    )
    op.create_index("ix_exchange_rate_snapshot_id", "exchange_rate", ["snapshot_id"])

    op.create_table(
        "article_country",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"]),
        sa.PrimaryKeyConstraint("article_id", "country"),
    )
    op.create_index("ix_article_country_country", "article_country", ["country"])


def downgrade() -> None:
    op.drop_table("article_country")
    op.drop_table("exchange_rate")
    op.drop_table("article")
    op.drop_table("snapshot")
