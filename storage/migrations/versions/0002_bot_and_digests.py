"""Subscribers, the digest runs and the delivery ledger; the /latest index.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_index(
        "ix_article_newest",
        "article",
        [
            sa.literal_column("published_on DESC"),
            sa.literal_column("first_seen DESC"),
            "page_position",
            sa.literal_column("id DESC"),
        ],
    )

    op.create_table(
        "subscriber",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_type", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("countries", sa.String(), nullable=False),
        sa.Column("digest_time", sa.Time(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("timezone_chosen", sa.Boolean(), nullable=False),
        sa.Column("next_digest_at", UTC, nullable=True),
        sa.Column("digest_cursor", sa.Integer(), nullable=True),
        sa.Column("last_digest_at", UTC, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("chat_id"),
    )
    op.create_index("ix_subscriber_next_digest_at", "subscriber", ["next_digest_at"])
    op.create_index("ix_subscriber_status", "subscriber", ["status"])

    op.create_table(
        "digest_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", UTC, nullable=False),
        sa.Column("finished_at", UTC, nullable=True),
        sa.Column("due", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("report", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )

    op.create_table(
        "digest_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("due_at", UTC, nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("messages", sa.JSON(), nullable=False),
        sa.Column("parts_sent", sa.Integer(), nullable=False),
        sa.Column("message_ids", sa.String(), nullable=False),
        sa.Column("through_article_id", sa.Integer(), nullable=True),
        sa.Column("from_cursor", sa.Integer(), nullable=True),
        sa.Column("not_before", UTC, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("retries", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC, nullable=False),
        sa.Column("lease_until", UTC, nullable=True),
        sa.Column("error", sa.String(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["digest_run.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat_id", "due_at"),
    )
    op.create_index("ix_digest_delivery_chat_id", "digest_delivery", ["chat_id"])
    op.create_index("ix_digest_delivery_next_attempt_at", "digest_delivery", ["next_attempt_at"])
    op.create_index("ix_digest_delivery_run_id", "digest_delivery", ["run_id"])
    op.create_index("ix_digest_delivery_state", "digest_delivery", ["state"])


def downgrade() -> None:
    op.drop_table("digest_delivery")
    op.drop_table("digest_run")
    op.drop_table("subscriber")
    op.drop_index("ix_article_newest", table_name="article")
