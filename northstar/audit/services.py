"""``audit_record``: the one way to write to the audit log; and the sealer that chains it."""

from __future__ import annotations

import logging

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from northstar.audit.chain import GENESIS, event_hash
from northstar.audit.models import AuditEvent, AuditSeal
from northstar.common.request_context import current_request_id
from northstar.security.keyring import get_audit_key

logger = logging.getLogger(__name__)
SEALER_LOCK_ID = 0x4E534155  # "NSAU": one sealer at a time on PostgreSQL
MAX_DETAIL_STRING = 200
SEAL_BATCH = 5000
SEAL_ATTEMPTS = 5


class AuditDetailsError(ValueError):
    """``details`` must hold plain, short, non-personal values."""


def check_details(value, path: str = "details") -> None:
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        if len(value) > MAX_DETAIL_STRING:
            raise AuditDetailsError(f"{path} is longer than {MAX_DETAIL_STRING} characters")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_details(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise AuditDetailsError(f"{path} keys must be strings")
            check_details(item, f"{path}.{key}")
        return
    raise AuditDetailsError(f"{path} holds a {type(value).__name__}; use str, int, bool or None")


def audit_record(
    action: str,
    *,
    actor=None,
    target=None,
    object_type: str = "",
    object_id: str | int = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit log, in the caller's transaction (it commits or rolls
    back with the action it records). It is chained right after commit.

    ``target`` (a model instance) fills ``object_type``/``object_id``. ``details`` must not
    contain personal data: ids, counts, field names and parameters only.
    """
    details = dict(details or {})
    check_details(details)
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or target.pk
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = AuditEvent.objects.create(
        occurred_at=timezone.now(), actor_id=actor_id, action=action, object_type=object_type,
        object_id=str(object_id), request_id=current_request_id(), details=details)
    transaction.on_commit(seal_after_commit)
    return event


def seal_after_commit() -> None:
    try:
        seal_pending()
    except Exception:
        logger.exception("audit sealing deferred")


def seal_pending(limit: int = SEAL_BATCH) -> int:
    """Chain every committed, unsealed event (oldest first). Returns how many were sealed."""
    total = 0
    while True:
        for attempt in range(SEAL_ATTEMPTS):
            try:
                sealed = seal_batch(limit)
                break
            except IntegrityError:
                if attempt == SEAL_ATTEMPTS - 1:
                    raise
        total += sealed
        if sealed < limit:
            return total


@transaction.atomic
def seal_batch(limit: int) -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEALER_LOCK_ID])
    head = AuditSeal.objects.order_by("-position").values_list("position", "hash").first()
    position, prev_hash = head if head else (0, GENESIS)
    pending = (AuditEvent.objects.filter(seal__isnull=True).order_by("id")
               .values_list("id", "occurred_at", "actor_id", "action", "object_type",
                            "object_id", "request_id", "details")[:limit])
    key = get_audit_key()
    seals = []
    for event_id, *content in pending:
        position += 1
        digest = event_hash(key, *content, prev_hash, event_id)
        seals.append(AuditSeal(position=position, event_id=event_id, prev_hash=prev_hash,
                               hash=digest))
        prev_hash = digest
    AuditSeal.objects.bulk_create(seals)
    return len(seals)
