"""Reads of the audit log."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from northstar.audit.chain import SEAL_ROW_FIELDS, VerifyResult, verify_rows, verify_text_rows
from northstar.audit.models import AuditEvent, AuditSeal

UNSEALED_GRACE = timedelta(minutes=5)


def audit_events_for_admin(*, filters: dict) -> QuerySet[AuditEvent]:
    """Events for the admin audit page, newest first, filtered by the page's form."""
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    if filters.get("action"):
        events = events.filter(action__startswith=filters["action"])
    if filters.get("actor"):
        events = events.filter(actor=filters["actor"])
    if filters.get("object_type"):
        events = events.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        events = events.filter(object_id=filters["object_id"])
    if filters.get("since"):
        events = events.filter(occurred_at__date__gte=filters["since"])
    if filters.get("until"):
        events = events.filter(occurred_at__date__lte=filters["until"])
    return events


# The chain in position order, for PostgreSQL: the database formats the time (as
# ``chain.canonical`` does) and hands the details over as text, streamed by a server cursor.
VERIFY_SQL = """
SELECT s.position, s.event_id, s.prev_hash, s.hash, s.key_id,
       to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
       e.actor_id, e.action, e.object_type, e.object_id, e.request_id, e.details::text
FROM audit_auditseal s LEFT JOIN audit_auditevent e ON e.id = s.event_id
ORDER BY s.position
"""


@contextlib.contextmanager
def prefetched(cursor, chunk_size: int) -> Iterator[Iterator[tuple]]:
    """The cursor's rows, the next chunk fetched by a thread while this one is hashed: the
    database's work (join, order, transfer) overlaps the hashing instead of adding to it. The
    thread alone uses the cursor until it has stopped."""
    chunks: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def hand_over(item) -> None:
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def fetch() -> None:
        try:
            while not stop.is_set():
                chunk = cursor.fetchmany(chunk_size)
                hand_over(chunk)
                if not chunk:
                    return
        except BaseException as error:  # handed to the reader, raised there
            hand_over(error)

    def rows() -> Iterator[tuple]:
        while True:
            chunk = chunks.get()
            if isinstance(chunk, BaseException):
                raise chunk
            if not chunk:
                return
            yield from chunk

    fetcher = threading.Thread(target=fetch, name="audit-verify-fetch", daemon=True)
    fetcher.start()
    try:
        yield rows()
    finally:
        stop.set()
        fetcher.join()


def audit_chain_verify(chunk_size: int = 20_000) -> VerifyResult:
    """Check every link; also count events left unsealed longer than the grace period (a
    forged insert, or a sealer that has not run)."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            connection.ensure_connection()
            with connection.connection.cursor(name="audit_chain_verify") as cursor:
                cursor.execute(VERIFY_SQL)
                with prefetched(cursor, chunk_size) as rows:
                    result = verify_text_rows(rows)
    else:
        rows = AuditSeal.objects.order_by("position").values_list(*SEAL_ROW_FIELDS).iterator(
            chunk_size=chunk_size)
        result = verify_rows(rows)
    cutoff = timezone.now() - UNSEALED_GRACE
    result.unsealed = AuditEvent.objects.filter(seal__isnull=True,
                                                occurred_at__lt=cutoff).count()
    if result.broken_at is None and result.unsealed:
        result.problem = f"{result.unsealed} events are not sealed into the chain"
    return result
