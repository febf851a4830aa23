"""``audit_record``: the one way to write to the audit log; and the sealer that chains it."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from northstar.audit.chain import GENESIS, event_hash
from northstar.audit.models import AuditEvent, AuditSeal
from northstar.common.request_context import current_request_id
from northstar.security.keyring import get_audit_keys

logger = logging.getLogger(__name__)
SEALER_LOCK_ID = 0x4E534155  # "NSAU": one sealer at a time on PostgreSQL
MAX_DETAIL_STRING = 200
SEAL_BATCH = 5000
SEAL_ATTEMPTS = 5
# The beat sweeper looks this far back for events whose after-commit sealing did not run (the
# process died between commit and hook). Older unsealed events are left for audit_verify to
# report: they were inserted behind the application's back.
SWEEP_WINDOW = datetime.timedelta(days=1)


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
    schedule_seal(event.pk)
    return event


def audit_record_many(action: str, items, *, actor=None) -> list[AuditEvent]:
    """``audit_record`` for many targets at once (one INSERT, one sealing after commit):
    ``items`` are ``(target, details)`` pairs, one event each, in the caller's transaction."""
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    request_id = current_request_id()
    events = []
    for target, details in items:
        details = dict(details or {})
        check_details(details)
        events.append(AuditEvent(
            occurred_at=timezone.now(), actor_id=actor_id, action=action,
            object_type=target._meta.label_lower, object_id=str(target.pk),
            request_id=request_id, details=details))
    if not events:
        return []
    AuditEvent.objects.bulk_create(events)
    schedule_seal(min(event.pk for event in events))
    return events


FROM_ID_ATTRIBUTE = "northstar_audit_seal_from_id"


def schedule_seal(event_id: int) -> None:
    """Register ``seal_after_commit`` once per transaction, however many events it records (a
    batch of thousands adds one sealing, not thousands), and remember the transaction's lowest
    event id on the connection: the hook scans from there only, never the whole log, so its
    cost does not grow with the log. A registered hook is reused only if no savepoint rollback
    can remove it without also removing this event."""
    if connection.in_atomic_block:
        active = set(connection.savepoint_ids)
        for sids, func, _robust in connection.run_on_commit:
            if func is seal_after_commit and sids <= active:
                current = getattr(connection, FROM_ID_ATTRIBUTE, None)
                setattr(connection, FROM_ID_ATTRIBUTE,
                        event_id if current is None else min(current, event_id))
                return
    setattr(connection, FROM_ID_ATTRIBUTE, event_id)
    transaction.on_commit(seal_after_commit)


def seal_after_commit() -> None:
    """After an audited transaction commits: seal its events (and any other committed,
    unsealed event with a higher id). Without a recorded id, the sweeper's window."""
    from_id = getattr(connection, FROM_ID_ATTRIBUTE, None)
    setattr(connection, FROM_ID_ATTRIBUTE, None)
    try:
        if from_id is None:
            sweep_unsealed()
        else:
            seal_pending(from_id=from_id)
    except Exception:
        logger.exception("audit sealing deferred")


def seal_pending(limit: int = SEAL_BATCH, *, from_id: int | None = None,
                 since: datetime.datetime | None = None) -> int:
    """Chain committed, unsealed events (oldest id first). Returns how many were sealed.

    Without bounds the whole log is scanned (``audit_verify``'s companion, tests); the
    after-commit hook passes ``from_id`` (its transaction's first event) and the beat sweeper
    ``since`` (``SWEEP_WINDOW``), so that neither reads the whole log.
    """
    total = 0
    while True:
        for attempt in range(SEAL_ATTEMPTS):
            try:
                sealed = seal_batch(limit, from_id=from_id, since=since)
                break
            except IntegrityError:
                if attempt == SEAL_ATTEMPTS - 1:
                    raise
        total += sealed
        if sealed < limit:
            return total


def sweep_unsealed() -> int:
    """Beat: seal the recent events whose after-commit sealing did not run."""
    return seal_pending(since=timezone.now() - SWEEP_WINDOW)


def unsealed_events(*, from_id: int | None = None, since: datetime.datetime | None = None):
    pending = AuditEvent.objects.filter(seal__isnull=True)
    if from_id is not None:
        pending = pending.filter(id__gte=from_id)
    if since is not None:
        pending = pending.filter(occurred_at__gte=since)
    return pending.order_by("id")


@transaction.atomic
def seal_batch(limit: int, *, from_id: int | None = None,
               since: datetime.datetime | None = None) -> int:
    pending = unsealed_events(from_id=from_id, since=since)
    if from_id is not None and not pending.exists():
        return 0  # another sealer chained them already: no lock taken
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEALER_LOCK_ID])
    head = AuditSeal.objects.order_by("-position").values_list("position", "hash",
                                                                "key_id").first()
    position, prev_hash, head_key_id = head if head else (0, GENESIS, "")
    keys = get_audit_keys()
    key_id, key = keys[0]  # the active key
    if head_key_id and head_key_id not in dict(keys):
        # The chain's newest seal was made with a key this process does not know: a newer
        # one (an audit-key rotation being deployed). Sealing on top of it with an older key
        # would break the chain for good; the processes that have the new key seal these.
        logger.warning("audit sealing left to processes with audit key %s", head_key_id)
        return 0
    pending = pending.values_list("id", "occurred_at", "actor_id", "action", "object_type",
                                  "object_id", "request_id", "details")[:limit]
    seals = []
    for event_id, *content in pending:
        position += 1
        digest = event_hash(key, *content, prev_hash, event_id)
        seals.append(AuditSeal(position=position, event_id=event_id, prev_hash=prev_hash,
                               hash=digest, key_id=key_id))
        prev_hash = digest
    AuditSeal.objects.bulk_create(seals)
    return len(seals)
