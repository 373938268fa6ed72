"""Alembic's entry point.  Run through storage.migrate, which hands in the connection."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from storage import models  # noqa: F401  (registers the tables: autogenerate compares them)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them; batch mode does that
    compare_type=True,
    # The full-text index is no model (storage/search.py): autogenerate leaves it alone.
    include_name=lambda name, kind, _parents: (
        not (kind == "table" and (name or "").startswith("article_search"))
    ),
)
with context.begin_transaction():
    context.run_migrations()
