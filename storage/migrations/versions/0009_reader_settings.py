"""Each reader's own digest: followed and muted words, weekdays, alerts, forum topics,
channels set up from a private chat.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_SUBSCRIBER_COLUMNS = (
    "follows", "mutes", "days", "alerts", "alert_cursor", "thread_id", "editing_chat_id",
)  # fmt: skip


def upgrade() -> None:
    # Existing chats keep what they had: no words, every day, no alerts, no topic.
    add = op.add_column
    add("subscriber", sa.Column("follows", sa.JSON(), nullable=False, server_default="[]"))
    add("subscriber", sa.Column("mutes", sa.JSON(), nullable=False, server_default="[]"))
    add("subscriber", sa.Column("days", sa.String(7), nullable=False, server_default="1234567"))
    add("subscriber", sa.Column("alerts", sa.Boolean(), nullable=False, server_default=sa.false()))
    add("subscriber", sa.Column("alert_cursor", sa.Integer(), nullable=True))
    add("subscriber", sa.Column("thread_id", sa.BigInteger(), nullable=True))
    add("subscriber", sa.Column("editing_chat_id", sa.BigInteger(), nullable=True))
    add("digest_delivery", sa.Column("alert_article_id", sa.Integer(), nullable=True))
    add("digest_delivery", sa.Column("thread_id", sa.BigInteger(), nullable=True))
    # Never the same article twice to one chat (rows of digests have NULL here).
    op.create_index(
        "ux_digest_delivery_alert",
        "digest_delivery",
        ["chat_id", "alert_article_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ux_digest_delivery_alert", table_name="digest_delivery")
    for column in ("alert_article_id", "thread_id"):
        op.execute(f"ALTER TABLE digest_delivery DROP COLUMN {column}")
    for column in _SUBSCRIBER_COLUMNS:
        op.execute(f"ALTER TABLE subscriber DROP COLUMN {column}")
