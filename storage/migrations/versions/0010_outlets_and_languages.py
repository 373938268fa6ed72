"""The region's outlets and their languages.

- `article.language`: the ISO 639-1 code of the article's text.
- `article.outlet`: which outlet it came from (a catalog name, or a key made from the
  source's URL; "" for snapshot text). An article's title is its identity only
  within one outlet now, so two outlets with the same headline are two articles.
- `source.name`, `source.origin`, `source.removed`: sources operators add and remove
  from Telegram (`/source`), beside those the `SOURCES` setting names.
- `subscriber.news_languages`, `subscriber.hidden_outlets`: each reader's choice.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Articles stored before languages existed: Cyrillic titles are taken for Russian
# (the feeds the bot could read then were English and Russian), the rest for English.
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_BATCH = 1000
_ADDED = {
    "article": ("outlet", "language"),
    "source": ("name", "origin", "removed"),
    "subscriber": ("news_languages", "hidden_outlets"),
}


def _backfill_languages() -> None:
    connection = op.get_bind()
    article = sa.table("article", sa.column("id", sa.Integer), sa.column("title", sa.String),
                       sa.column("language", sa.String))  # fmt: skip
    last = 0
    while True:
        rows = connection.execute(
            sa.select(article.c.id, article.c.title)
            .where(article.c.id > last)
            .order_by(article.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        russian = [row.id for row in rows if _CYRILLIC.search(row.title or "")]
        if russian:
            connection.execute(
                article.update().where(article.c.id.in_(russian)).values(language="ru")
            )
        last = rows[-1].id


def upgrade() -> None:
    add = op.add_column
    add("article", sa.Column("language", sa.String(8), nullable=False, server_default="en"))
    add("article", sa.Column("outlet", sa.String(64), nullable=False, server_default=""))
    _backfill_languages()
    # Articles with a link were fetched from a feed or page: their outlet was their host.
    op.execute("UPDATE article SET outlet = 'host:' || source WHERE url IS NOT NULL"
               " AND source IS NOT NULL")  # fmt: skip
    op.drop_index("ix_article_title_key", table_name="article")
    op.create_index("ix_article_title_key", "article", ["title_key"])
    op.create_index("ux_article_outlet_title", "article", ["outlet", "title_key"], unique=True)
    add("source", sa.Column("name", sa.String(255), nullable=True))
    add("source", sa.Column("origin", sa.String(8), nullable=False, server_default="config"))
    add("source", sa.Column("removed", sa.Boolean(), nullable=False, server_default=sa.false()))
    add("subscriber", sa.Column("news_languages", sa.String(32), nullable=False,
                                server_default=""))  # fmt: skip
    add("subscriber", sa.Column("hidden_outlets", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    # Back to one article per title: of several outlets' articles with one title,
    # the first stored is kept.
    op.execute(
        "DELETE FROM article_country WHERE article_id IN (SELECT a.id FROM article a"
        " WHERE EXISTS (SELECT 1 FROM article b WHERE b.title_key = a.title_key AND b.id < a.id))"
    )
    op.execute(
        "DELETE FROM article WHERE EXISTS (SELECT 1 FROM article b"
        " WHERE b.title_key = article.title_key AND b.id < article.id)"
    )
    op.drop_index("ux_article_outlet_title", table_name="article")
    op.drop_index("ix_article_title_key", table_name="article")
    op.create_index("ix_article_title_key", "article", ["title_key"], unique=True)
    # ALTER TABLE ... DROP COLUMN: SQLite >= 3.35 and PostgreSQL, without a table copy.
    for table, columns in _ADDED.items():
        for column in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
