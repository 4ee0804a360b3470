"""Fixtures for store tests on both databases: a SQLite file and a throwaway PostgreSQL cluster.

``store_url`` is parametrized over ``sqlite`` and ``postgresql``, so a test that takes it runs on
both. The PostgreSQL cluster is started once per test session with ``initdb`` and ``pg_ctl`` on a
free loopback port, as the ``postgres`` user when the tests run as root (PostgreSQL refuses to
run as root); each test gets a fresh database in it. Where the binaries are absent the
PostgreSQL half is skipped, saying so. Import the fixtures into a test module:
they reach every test module through ``pytest_plugins`` in ``conftest.py``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

SEARCH_DIRS = ("/usr/local/bin", "/usr/bin", *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True))


def find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for directory in SEARCH_DIRS:
        candidate = Path(directory) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PgCluster:
    port: int
    directory: Path

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)

    @contextmanager
    def database(self, prefix: str = "matcher") -> Iterator[str]:
        """A fresh, empty database in this cluster (its URL), dropped afterwards."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        self.admin(f'CREATE DATABASE "{name}"')
        try:
            yield self.url(name)
        finally:
            self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user when we are root."""
    if os.geteuid() != 0:
        return argv
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--", *argv]
    return ["su", "postgres", "-c", " ".join(argv)]


def _run(argv: list[str], what: str) -> None:
    done = subprocess.run(_as_postgres(argv), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A PostgreSQL cluster in a temporary directory, stopped and removed after the session."""
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip(
            "PostgreSQL binaries initdb/pg_ctl not found (install the postgresql package to run the "
            "PostgreSQL half of the store tests)"
        )
    pytest.importorskip("psycopg", reason="psycopg 3 is needed for PostgreSQL (pip install 'matcher[service]')")
    directory = Path(tempfile.mkdtemp(prefix="matcher-pg-"))
    if os.geteuid() == 0:
        try:
            postgres = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run PostgreSQL as")
        os.chown(directory, postgres.pw_uid, postgres.pw_gid)
    data, log, port = directory / "data", directory / "server.log", free_port()
    _run(
        [initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"],
        "initdb",
    )
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    _run([pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"], "pg_ctl start")
    try:
        yield PgCluster(port=port, directory=directory)
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]), capture_output=True, timeout=60
        )
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """A fresh, empty database in the session's cluster, dropped after the test."""
    with pg_cluster.database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'matcher.sqlite3'}"
    return request.getfixturevalue("pg_url")
