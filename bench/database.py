"""The benchmark's own database: refuse anything but PostgreSQL, then create it afresh.

The run never touches the database named in ``DATABASE_URL``: it connects to the same server
and (re)creates ``BENCH_DATABASE`` (default ``northstar_bench``) beside it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

DEFAULT_NAME = "northstar_bench"
NAME_PATTERN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
FORBIDDEN_NAMES = frozenset({"postgres", "template0", "template1"})


class BenchConfigError(Exception):
    """The environment cannot run the benchmark (the message says why)."""


def bench_database_url(database_url: str, name: str) -> str:
    """``database_url`` with its database name replaced by ``name`` (validated)."""
    if not database_url:
        raise BenchConfigError(
            "DATABASE_URL is not set: make bench needs PostgreSQL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/northstar")
    parts = urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql", "psql"}:
        raise BenchConfigError(
            f"DATABASE_URL uses {parts.scheme or 'no scheme'!r}: make bench needs PostgreSQL "
            "(SQLite is not supported)")
    if not NAME_PATTERN.match(name) or name in FORBIDDEN_NAMES or name.startswith("test"):
        raise BenchConfigError(f"BENCH_DATABASE {name!r} is not a safe benchmark database name")
    if parts.path.lstrip("/") == name:
        raise BenchConfigError(
            f"DATABASE_URL already names {name!r}; point it at another database of the same "
            "server (the benchmark drops and re-creates its own)")
    return urlunsplit(parts._replace(path=f"/{name}"))


def check_redis_url(redis_url: str) -> str:
    if not redis_url:
        raise BenchConfigError(
            "REDIS_URL is not set: make bench needs Redis for the Celery re-screen, e.g. "
            "REDIS_URL=redis://127.0.0.1:6379/0")
    if urlsplit(redis_url).scheme not in {"redis", "rediss"}:
        raise BenchConfigError("REDIS_URL must be a redis:// URL")
    return redis_url


def connect_maintenance(database_url: str):
    """A psycopg connection to the server's ``postgres`` database (autocommit)."""
    import psycopg

    parts = urlsplit(database_url)
    connection = psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True,
                                 connect_timeout=10)
    # DROP ... WITH (FORCE) ends the sessions on the benchmark database; never wait forever.
    connection.execute("SET statement_timeout = '120s'")
    return connection


def recreate_database(database_url: str, name: str) -> None:
    from psycopg import sql

    with connect_maintenance(database_url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(database_url: str, name: str) -> None:
    from psycopg import sql

    with connect_maintenance(database_url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
