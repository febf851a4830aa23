"""Private PostgreSQL clusters for the fault and statement-log tests.

The shared server (127.0.0.1:5432) is never stopped or reconfigured: a test that needs
statement logging or a restart starts a cluster of its own with ``initdb``/``pg_ctl`` in a
temporary directory on a free port (as the ``postgres`` user when the tests run as root, since
``initdb`` refuses root), and removes it afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.helpers import require

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_cluster_owner() -> list[str]:
    """``initdb`` and ``postgres`` refuse to run as root: run them as ``postgres`` then."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


class PrivatePostgres:
    """One throw-away cluster: ``log_statement=all`` and every duration logged to a file."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="northstar-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "postgresql.log"
        self.port = free_port()
        self.user = "postgres"

    def url(self, name: str) -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{name}"

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([*as_cluster_owner(), *args], check=True, capture_output=True,
                              text=True, timeout=timeout)

    def init(self) -> PrivatePostgres:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self.run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", self.user,
                 "--auth=trust", "--encoding=UTF8", "--no-sync")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.directory}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "log_statement = 'all'\nlog_min_duration_statement = 0\n"
                "log_parameter_max_length = -1\nlog_parameter_max_length_on_error = -1\n"
                "log_min_messages = info\nlog_min_error_statement = info\n"
                "log_connections = on\nlogging_collector = off\n")
        return self

    def start(self) -> None:
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                 "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-m",
                 "fast", "-w", "-t", "60", "restart")

    def psql(self, database: str, sql: str) -> str:
        return subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", database,
             "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
            check=True, capture_output=True, text=True, timeout=60).stdout

    def create_database(self, name: str) -> str:
        self.psql("postgres", f'CREATE DATABASE "{name}"')
        return self.url(name)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def destroy(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


def django_env(database_url: str, **extra: str) -> dict:
    """Environment of a Django process (test settings) on ``database_url``."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "northstar.settings.test",
            "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT), **extra}


def migrate(database_url: str, env: dict | None = None) -> None:
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                   env=env or django_env(database_url), check=True, capture_output=True,
                   timeout=600)


@pytest.fixture(scope="session")
def private_postgres():
    """A started private cluster for the session (skipped without the PostgreSQL binaries;
    in CI a failure)."""
    require((PG_BIN / "initdb").exists() and shutil.which("psql") is not None,
            f"needs PostgreSQL server binaries in {PG_BIN}")
    cluster = PrivatePostgres().init()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.destroy()
