"""The audit hash chain.

Each event stores ``prev_hash`` (the previous event's hash) and ``hash`` =
HMAC-SHA256(AUDIT_HMAC_KEY, canonical form of the event including ``prev_hash``). Editing an
event breaks its own hash; deleting or reordering events breaks the next event's link. Keying
the hash means someone with write access to the database but not the key cannot forge a
consistent chain. ``prev_hash`` is UNIQUE, so two writers can never fork the chain: on
PostgreSQL an advisory lock serialises writers, elsewhere the loser retries.

Known limit: removing the newest events (truncating the tail) leaves a consistent chain;
``audit_verify`` reports the head so an operator can compare it with a copy kept elsewhere.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from northstar.security.keyring import get_audit_key

GENESIS = "0" * 64


def canonical(
    occurred_at: datetime,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    request_id: str,
    details: dict,
    prev_hash: str,
) -> bytes:
    stamp = occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    body = [stamp, actor_id, action, object_type, object_id, request_id, details, prev_hash]
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def event_hash(key: bytes, *fields) -> str:
    return hmac.new(key, canonical(*fields), hashlib.sha256).hexdigest()


@dataclass
class VerifyResult:
    checked: int
    broken_at: int | None = None
    problem: str = ""
    head: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.broken_at is None


VERIFY_FIELDS = (
    "id", "occurred_at", "actor_id", "action", "object_type", "object_id", "request_id",
    "details", "prev_hash", "hash",
)


def verify_rows(rows) -> VerifyResult:
    """Walk ``rows`` (tuples of VERIFY_FIELDS in id order) and report the first broken link."""
    key = get_audit_key()
    expected_prev = GENESIS
    checked = 0
    for row in rows:
        event_id, *content, prev_hash, stored_hash = row
        if prev_hash != expected_prev:
            return VerifyResult(
                checked, event_id,
                "its link to the previous event is broken (an event before it was deleted, "
                "inserted or reordered)",
                expected_prev,
            )
        if event_hash(key, *content, prev_hash) != stored_hash:
            return VerifyResult(
                checked, event_id, "its content does not match its hash (it was edited)",
                expected_prev,
            )
        expected_prev = stored_hash
        checked += 1
    return VerifyResult(checked, head=expected_prev)
