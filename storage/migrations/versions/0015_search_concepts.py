"""Search by what happened: each article's search row gains the tokens of the concepts
its words name ("cc" + concept: `bot.news.stories.concepts`), so "earthquake" finds a
Russian report of «землетрясение» and "detained" one that says "arrested". The rows of
the articles stored before are written anew here, by the search stems
`storage.migrate.upgrade_schema` is given (the bot's own rules, which storage does not
import), in batches of _BATCH.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import context, op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# The walk over every article by id, in batches, is written out again here as in 0010,
# 0012 and 0014, not shared: a released migration stays as it ran, and a helper they all
# imported would change the history of each when it changed.
_BATCH = 500
SearchStems = Callable[[str, str], tuple[str, str]]  # (title, body) -> their stems


def upgrade() -> None:
    stems: SearchStems | None = context.config.attributes.get("search_stems")
    connection = op.get_bind()
    postgres = connection.dialect.name == "postgresql"
    article = sa.table("article", sa.column("id", sa.Integer), sa.column("title", sa.String),
                       sa.column("body", sa.String))  # fmt: skip
    if postgres:
        write = sa.text(
            "UPDATE article_search SET document = setweight(to_tsvector('simple', :title), 'A')"
            " || setweight(to_tsvector('simple', :body), 'B') WHERE article_id = :id"
        )
    else:
        write = sa.text("UPDATE article_search SET title = :title, body = :body WHERE rowid = :id")
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
        connection.execute(write, values)
        last = rows[-1].id


def downgrade() -> None:
    """The extra tokens do no harm to an older reader of the index: nothing to undo."""
