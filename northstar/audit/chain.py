"""The audit hash chain.

Events are inserted by ``audit_record`` in the caller's transaction, with no lock: a global
lock held until commit would serialise every audited transaction and, because PostgreSQL
checks foreign keys at commit, could deadlock with row locks. Instead a *sealer*
(``seal_pending``) chains committed events in commit order, in short transactions of its own,
right after each audited transaction commits (and every minute from beat). Its cost does not
grow with the log: the after-commit hook (one per transaction) scans from the transaction's
first event id, the beat sweeper the last day (``SWEEP_WINDOW``); an event older than that
and still unsealed was not written by the application, and ``audit_verify`` reports it.

Each ``AuditSeal`` stores ``prev_hash`` (the previous seal's hash) and ``hash`` =
HMAC-SHA256(AUDIT_HMAC_KEY, canonical event content + ``prev_hash``). Editing an event breaks
its seal's hash; deleting or reordering events or seals breaks the next link; an event that
stays unsealed is reported. Keying the hash means someone with write access to the database
but not the key cannot forge a consistent chain. ``prev_hash`` is UNIQUE, so two sealers can
never fork the chain (on PostgreSQL an advisory lock serialises them; elsewhere the loser
retries).

The key can be rotated (``docs/OPERATIONS.md``): each seal names the key that made it
(``key_id``); new seals use the active ``AUDIT_HMAC_KEY`` and the retired keys
(``AUDIT_HMAC_RETIRED_KEYS``) only verify older seals. Along the chain a seal's key may be
newer than the previous seal's, never older, so a retired key (a leaked one, say) cannot add
seals after the first seal of its successor, and rewriting anything before that seal breaks
the link to it.

Known limit: removing the newest events together with their seals leaves a consistent chain;
``audit_verify`` prints the head so an operator can compare it with a copy kept elsewhere.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from northstar.security.keyring import get_audit_keys

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
    event_id: int,
) -> bytes:
    stamp = occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    body = [event_id, stamp, actor_id, action, object_type, object_id, request_id, details,
            prev_hash]
    return _ENCODER.encode(body).encode()


# The same output as json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=True),
# without building an encoder for every event (audit_verify hashes millions).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def event_hash(key: bytes, *fields) -> str:
    return hmac.digest(key, canonical(*fields), "sha256").hex()


_encode_string = json.encoder.encode_basestring_ascii  # what _ENCODER does with a str


def canonical_details(details: dict) -> str:
    """The details as ``canonical`` encodes them (for ``canonical_from_text``)."""
    return _ENCODER.encode(details)


def _json(value) -> str:
    return _encode_string(value) if value.__class__ is str else _ENCODER.encode(value)


def canonical_from_text(stamp: str, actor_id: int | None, action: str, object_type: str,
                        object_id: str, request_id: str, details_json: str, prev_hash: str,
                        event_id: int) -> bytes:
    """Exactly ``canonical``, from the time stamp already formatted (UTC, microseconds) and
    the details already encoded (``_ENCODER``): audit_verify's fast path, where the database
    formats the time and equal details are encoded once."""
    actor = "null" if actor_id is None else _json(actor_id)
    return (f"[{_json(event_id)},{_json(stamp)},{actor},{_json(action)},{_json(object_type)},"
            f"{_json(object_id)},{_json(request_id)},{details_json},{_json(prev_hash)}]"
            ).encode()


@dataclass
class VerifyResult:
    checked: int
    broken_at: int | None = None
    problem: str = ""
    head: str = GENESIS
    unsealed: int = 0
    sealed_with: dict[str, int] | None = None  # key id → seals checked with that key

    @property
    def ok(self) -> bool:
        return self.broken_at is None and self.unsealed == 0


BROKEN_LINK = ("its link to the previous event is broken (an event before it was deleted, "
               "inserted or reordered)")
EDITED = "its content does not match its hash (it was edited)"


class SealKeys:
    """Which configured key checks each seal, walking the chain oldest first.

    ``check`` takes a seal's ``key_id``, its canonical message and stored hash and returns a
    problem or ``""``. A key id must be configured and not older than the previous seal's
    key; a blank id (a seal made before ids were stored) is tried with the key that checked
    the previous blank seal first, then with the others no newer than the chain allows."""

    def __init__(self, keys: list[tuple[str, bytes]] | None = None):
        self.keys = keys if keys is not None else get_audit_keys()
        self.rank = {key_id: rank for rank, (key_id, _key) in enumerate(self.keys)}
        self.floor = len(self.keys)  # rank of the previous seal's key (0 is the newest)
        self.legacy = len(self.keys) - 1
        self.counts = [0] * len(self.keys)

    def check(self, key_id: str, message: bytes, stored_hash: str) -> str:
        digest = hmac.digest
        if key_id:
            rank = self.rank.get(key_id)
            if rank is None:
                return (f"it was sealed with audit key {key_id}, which is not configured (add "
                        "it to AUDIT_HMAC_RETIRED_KEYS)")
            if rank > self.floor:
                return (f"it was sealed with audit key {key_id}, older than the key of the seal "
                        "before it (a retired key was used after the rotation)")
            if digest(self.keys[rank][1], message, "sha256").hex() != stored_hash:
                return EDITED
        else:
            order = [self.legacy, *(rank for rank in range(len(self.keys) - 1, -1, -1)
                                    if rank != self.legacy)]
            rank = next((rank for rank in order if rank <= self.floor and digest(
                self.keys[rank][1], message, "sha256").hex() == stored_hash), None)
            if rank is None:
                return EDITED
            self.legacy = rank
        self.floor = rank
        self.counts[rank] += 1
        return ""

    def used(self) -> dict[str, int]:
        return {key_id: count for (key_id, _key), count in zip(self.keys, self.counts,
                                                               strict=True) if count}


EVENT_FIELDS = ("occurred_at", "actor_id", "action", "object_type", "object_id", "request_id",
                "details")
SEAL_ROW_FIELDS = ("position", "event_id", "prev_hash", "hash", "key_id",
                   *(f"event__{name}" for name in EVENT_FIELDS))


def verify_text_rows(rows) -> VerifyResult:
    """``verify_rows`` for rows whose time is a formatted UTC stamp and whose details are JSON
    text (PostgreSQL's ``jsonb::text``): (position, event id, prev_hash, hash, key id, stamp,
    actor id, action, object type, object id, request id, details text)."""
    keys = SealKeys()
    check = keys.check
    encoded: dict[str, str] = {}
    expected_prev = GENESIS
    checked = 0
    for _position, event_id, prev_hash, stored_hash, key_id, stamp, actor_id, action, \
            object_type, object_id, request_id, details_text in rows:
        if prev_hash != expected_prev:
            return VerifyResult(checked, event_id, BROKEN_LINK, expected_prev,
                                sealed_with=keys.used())
        if stamp is None:
            return VerifyResult(checked, event_id, "the event was deleted", expected_prev,
                                sealed_with=keys.used())
        details_json = encoded.get(details_text)
        if details_json is None:
            details_json = canonical_details(json.loads(details_text))
            if len(encoded) < 10_000:
                encoded[details_text] = details_json
        message = canonical_from_text(stamp, actor_id, action, object_type, object_id,
                                      request_id, details_json, prev_hash, event_id)
        problem = check(key_id, message, stored_hash)
        if problem:
            return VerifyResult(checked, event_id, problem, expected_prev,
                                sealed_with=keys.used())
        expected_prev = stored_hash
        checked += 1
    return VerifyResult(checked, head=expected_prev, sealed_with=keys.used())


def verify_rows(rows) -> VerifyResult:
    """Walk seal rows (SEAL_ROW_FIELDS, in position order) and report the first broken link.
    A seal whose event is gone has None content."""
    keys = SealKeys()
    expected_prev = GENESIS
    checked = 0
    for _position, event_id, prev_hash, stored_hash, key_id, *content in rows:
        if prev_hash != expected_prev:
            return VerifyResult(checked, event_id, BROKEN_LINK, expected_prev,
                                sealed_with=keys.used())
        if content[0] is None:
            return VerifyResult(checked, event_id, "the event was deleted", expected_prev,
                                sealed_with=keys.used())
        problem = keys.check(key_id, canonical(*content, prev_hash, event_id), stored_hash)
        if problem:
            return VerifyResult(checked, event_id, problem, expected_prev,
                                sealed_with=keys.used())
        expected_prev = stored_hash
        checked += 1
    return VerifyResult(checked, head=expected_prev, sealed_with=keys.used())
