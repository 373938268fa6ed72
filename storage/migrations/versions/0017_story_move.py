"""Story moves: a lone report's story merged into another after it was stored, logged
so instances sharing the database keep the stories they hold in memory as stored
(`bot.news.story_window`).

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_story", sa.Integer(), nullable=False),
        sa.Column("to_story", sa.Integer(), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("story_move")
