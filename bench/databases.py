"""A fresh, empty database for one benchmark run: a SQLite file, or a database
created on the PostgreSQL server given (and dropped afterwards)."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextlib.contextmanager
def fresh_database(server_url: str | None, folder: Path, name: str) -> Iterator[str]:
    """`server_url` None: a SQLite file in `folder`. A PostgreSQL URL: any database
    on that server; the run gets its own `newsbot_bench_<name>_<pid>` beside it."""
    if not server_url:
        yield f"sqlite:///{folder / f'{name}.db'}"
        return
    url = make_url(server_url)
    database = f"newsbot_bench_{name}_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield url.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def add_database_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server (each run creates and drops its own database there); "
        "default: a fresh SQLite file per run",
    )
