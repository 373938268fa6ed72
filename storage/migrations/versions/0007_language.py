"""Each chat's language: the bot's replies and digests to it.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing chats keep reading English, as they did; new ones get their user's language.
    op.add_column(
        "subscriber",
        sa.Column("language", sa.String(length=8), nullable=False, server_default="en"),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE subscriber DROP COLUMN language")
