"""A real PostgreSQL server for the tests: the one named by TEST_POSTGRES_URL, or a
throwaway cluster started from the machine's PostgreSQL binaries.

Each test gets a database of its own (CREATE DATABASE is cheap with fsync off),
so tests never see each other's rows and nothing needs cleaning between them.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

NO_SERVER = (
    "PostgreSQL tests skipped: no server. Install PostgreSQL (initdb on PATH or in "
    "/usr/lib/postgresql/*/bin) or set TEST_POSTGRES_URL=postgresql+psycopg://user@host/db "
    "to a role that may CREATE DATABASE; `CI=true bash .ci/run` installs it."
)


def find_initdb() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]) if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """Hands out fresh databases on one server, by SQLAlchemy URL."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url).set(drivername="postgresql+psycopg")
        self._names = itertools.count()
        self._templates: dict[str, str] = {}
        self._prefix = f"newsbot_test_{os.getpid()}_"

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        url = self.admin_url
        return psycopg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            dbname=url.database or "postgres",
            autocommit=True,
        )

    def url_of(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def create(self, *, template: str | None = None) -> str:
        name = f"{self._prefix}{next(self._names)}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self._admin() as admin:
            admin.execute(statement)
        return name

    def drop(self, name: str) -> None:
        with self._admin() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    @contextlib.contextmanager
    def database(self, *, template: str | None = None) -> Iterator[str]:
        name = self.create(template=template)
        try:
            yield self.url_of(name)
        finally:
            self.drop(name)

    def template(self, key: str, build: Callable[[str], None]) -> str:
        """A database built once by `build(url)`, to copy with `database(template=…)`."""
        if key not in self._templates:
            name = self.create()
            build(self.url_of(name))  # must leave no connection open: copies need none
            self._templates[key] = name
        return self._templates[key]

    def close(self) -> None:
        for name in self._templates.values():
            self.drop(name)


class ThrowawayCluster:
    """initdb + postgres on a free loopback port, tuned for tests (no fsync), removed after."""

    def __init__(self, initdb: Path) -> None:
        self.bin = initdb.parent
        self.folder = Path(tempfile.mkdtemp(prefix="newsbot-pg-"))
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        # PostgreSQL refuses to run as root: run it as the packaged `postgres` user.
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            user = "postgres"
            pwd.getpwnam(user)  # KeyError: no such user, reported as a failure to start
            shutil.chown(self.folder, user)
            # setpriv execs in place, so signals reach postgres itself.
            self._as_user = ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups"]

    def start(self) -> str:
        data = self.folder / "data"
        subprocess.run(
            [*self._as_user, str(self.bin / "initdb"), "-D", str(data), "-U", "newsbot",
             "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"],
            check=True, capture_output=True,
        )  # fmt: skip
        log = (self.folder / "server.log").open("ab")
        self.process = subprocess.Popen(
            [*self._as_user, str(self.bin / "postgres"), "-D", str(data),
             "-h", "127.0.0.1", "-p", str(self.port), "-k", str(self.folder),
             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
             "-c", "max_connections=300"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"postgresql+psycopg://newsbot@127.0.0.1:{self.port}/postgres"
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(host="127.0.0.1", port=self.port, user="newsbot",
                                dbname="postgres").close()  # fmt: skip
                return url
            except psycopg.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    output = (self.folder / "server.log").read_text(errors="replace")
                    raise RuntimeError(f"PostgreSQL did not start:\n{output}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: "smart" shutdown
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)
