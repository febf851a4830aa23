"""A fingerprint of everything the application stores, to assert that a request changed
nothing: per table, the number of rows and a hash of their content; and the stored files.

Left out on purpose: the audit log and its seals (reads are audited by design: every view of
a case writes an event) and the sessions (every request pushes the idle deadline forward).
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

NOT_COMPARED = frozenset({"audit_auditevent", "audit_auditseal", "django_session"})


def compared_tables() -> list[str]:
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)
              if model._meta.managed and not model._meta.proxy}
    return sorted(tables - NOT_COMPARED)


def table_fingerprints() -> dict[str, tuple[int, str]]:
    if connection.vendor == "postgresql":
        return postgresql_fingerprints()
    fingerprints = {}
    with connection.cursor() as cursor:
        for table in compared_tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            fingerprints[table] = (len(rows), hashlib.sha256("\n".join(rows).encode())
                                   .hexdigest())
    return fingerprints


def postgresql_fingerprints() -> dict[str, tuple[int, str]]:
    """The same in one round trip: each row's text form, hashed and ordered."""
    quote = connection.ops.quote_name
    query = " UNION ALL ".join(
        f"SELECT %s, count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY "  # noqa: S608
        f"md5(t::text)), '')) FROM {quote(table)} t" for table in compared_tables())
    with connection.cursor() as cursor:
        cursor.execute(query, compared_tables())
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def stored_files() -> dict[str, int]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {str(path.relative_to(root)): path.stat().st_size
            for path in root.rglob("*") if path.is_file()}


def snapshot() -> dict:
    return {"tables": table_fingerprints(), "files": stored_files()}


def changes(before: dict, after: dict) -> list[str]:
    """What differs, readably: ``table (rows before → after)`` or ``files``."""
    found = []
    for table, (count, digest) in before["tables"].items():
        now_count, now_digest = after["tables"][table]
        if digest != now_digest:
            found.append(f"{table} ({count} → {now_count} rows)")
    if before["files"] != after["files"]:
        found.append("stored files")
    return found


@contextmanager
def rolled_back():
    """Whatever happens inside is undone at the end (a savepoint rolled back), so that each
    URL of a test starts from the same data."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
