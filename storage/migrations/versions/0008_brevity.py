"""Each chat's brevity: titles only, one sentence, or the three-sentence summary.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Chats from before keep the three sentences they have been reading ("full");
    # new chats start "short" (bot.prefs.DEFAULT_BREVITY says why).
    op.add_column(
        "subscriber",
        sa.Column("brevity", sa.String(length=16), nullable=False, server_default="full"),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE subscriber DROP COLUMN brevity")
