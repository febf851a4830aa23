"""Reads of the audit log."""

from __future__ import annotations

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
SELECT s.position, s.event_id, s.prev_hash, s.hash,
       to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
       e.actor_id, e.action, e.object_type, e.object_id, e.request_id, e.details::text
FROM audit_auditseal s LEFT JOIN audit_auditevent e ON e.id = s.event_id
ORDER BY s.position
"""


def audit_chain_verify(chunk_size: int = 20_000) -> VerifyResult:
    """Check every link; also count events left unsealed longer than the grace period (a
    forged insert, or a sealer that has not run)."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            connection.ensure_connection()
            with connection.connection.cursor(name="audit_chain_verify") as cursor:
                cursor.itersize = chunk_size
                cursor.execute(VERIFY_SQL)
                result = verify_text_rows(cursor)
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
