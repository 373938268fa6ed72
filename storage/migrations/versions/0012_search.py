"""Search: the full-text index of articles (storage/search.py says what it holds).

SQLite: an FTS5 table `article_search(title, body)`, rowid = article id. PostgreSQL: a
table `article_search(article_id, document tsvector)` with a GIN index. Articles
stored before it are indexed here, by the search stems `storage.migrate.upgrade_schema`
is given (`search_stems`: the bot's own rules, which storage does not import).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import context, op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_BATCH = 500
SearchStems = Callable[[str, str], tuple[str, str]]  # (title, body) -> their stems


def _index_stored_articles(stems: SearchStems | None, postgres: bool) -> None:
    connection = op.get_bind()
    article = sa.table("article", sa.column("id", sa.Integer), sa.column("title", sa.String),
                       sa.column("body", sa.String))  # fmt: skip
    if postgres:
        insert = sa.text(
            "INSERT INTO article_search (article_id, document) VALUES (:id,"
            " setweight(to_tsvector('simple', :title), 'A')"
            " || setweight(to_tsvector('simple', :body), 'B'))"
        )
    else:
        insert = sa.text(
            "INSERT INTO article_search (rowid, title, body) VALUES (:id, :title, :body)"
        )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(article.c.id, article.c.title, article.c.body)
            .where(article.c.id > last)
            .order_by(article.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        if stems is None:
            raise RuntimeError(
                "articles need their search stems: upgrade through `newsbot db upgrade`"
            )
        values = []
        for row in rows:
            title, body = stems(row.title or "", row.body or "")
            values.append({"id": row.id, "title": title, "body": body})
        connection.execute(insert, values)
        last = rows[-1].id


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(
            "CREATE TABLE article_search (article_id INTEGER PRIMARY KEY"
            " REFERENCES article (id) ON DELETE CASCADE, document tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_article_search_document ON article_search USING GIN (document)")
    else:
        # unicode61 splits on spaces and folds case: the stems are made in Python.
        op.execute(
            "CREATE VIRTUAL TABLE article_search USING fts5("
            "title, body, tokenize='unicode61 remove_diacritics 0')"
        )
    _index_stored_articles(context.config.attributes.get("search_stems"), postgres)


def downgrade() -> None:
    op.execute("DROP TABLE article_search")
