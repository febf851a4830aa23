"""Canary sweeps: plant unique marker strings in every personal field, then look for them
everywhere personal data must never be in clear (database dump, logs, Redis, media)."""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

MARKER_PREFIX = "QZX"


def marker(index: int, field: str) -> str:
    return f"{MARKER_PREFIX}{index:03d}{field.upper().replace('_', '')}"


def canary_birth_date(index: int) -> datetime.date:
    return datetime.date(1901, 1, 1) + datetime.timedelta(days=index * 3)


def database_text() -> str:
    """Every row of every table as text (and, on PostgreSQL, pg_dump's output too)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(repr(row) for row in cursor.fetchall())
    if connection.vendor == "postgresql":
        chunks.append(pg_dump())
    return "\n".join(chunks)


def pg_dump() -> str:
    database = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    result = subprocess.run(
        ["pg_dump", "--data-only", "-h", database["HOST"] or "127.0.0.1",
         "-p", str(database["PORT"] or 5432), "-U", database["USER"], database["NAME"]],
        capture_output=True, text=True, env=env, check=True, timeout=300)
    return result.stdout


def redis_text(url: str) -> str:
    import redis

    client = redis.Redis.from_url(url)
    chunks = []
    for key in client.scan_iter(count=1000):
        kind = client.type(key)
        chunks.append(repr(key))
        if kind == b"string":
            chunks.append(repr(client.get(key)))
        elif kind == b"list":
            chunks.append(repr(client.lrange(key, 0, -1)))
        elif kind == b"hash":
            chunks.append(repr(client.hgetall(key)))
        elif kind == b"set":
            chunks.append(repr(client.smembers(key)))
        elif kind == b"zset":
            chunks.append(repr(client.zrange(key, 0, -1)))
    return "\n".join(chunks)


def media_text() -> str:
    root = Path(settings.MEDIA_ROOT)
    chunks = []
    if root.exists():
        for path in root.rglob("*"):
            chunks.append(str(path))
            if path.is_file():
                chunks.append(path.read_bytes().decode("latin-1"))
    return "\n".join(chunks)


def found_markers(text: str, markers: list[str]) -> list[str]:
    return [m for m in markers if m in text]
