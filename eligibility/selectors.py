"""Reads for screening: the facts document of a case, and its assessments."""

from __future__ import annotations

import hashlib
import hmac
import json

from intake.models import FACT_BLOCKS, Case
from northstar.security.keyring import get_blind_index_key

FACTS_SCHEMA_ID = "northstar.eligibility.facts/1"


def facts_for_case(case: Case, *, screening_date: str | None = None) -> dict:
    """The case as a facts document (``eligibility/contract/facts.schema.json``).

    A plain translation: each block is stored as the contract shapes it; the client's birth
    date and citizenship-independent identity live on the client record. Unknown blocks
    (None) are omitted, which the contract reads as unknown (or, for ``spouse``, as none).
    """
    person = dict(case.person or {})
    date_of_birth = case.client.date_of_birth
    person["date_of_birth"] = date_of_birth.isoformat() if date_of_birth else None
    facts: dict = {"schema": FACTS_SCHEMA_ID, "person": person}
    if screening_date:
        facts["screening_date"] = screening_date
    for block in FACT_BLOCKS:
        if block == "person":
            continue
        value = getattr(case, block)
        if value is not None:
            facts[block] = value
    return facts


def facts_fingerprint(facts: dict) -> str:
    """A keyed fingerprint (HMAC), so equal facts can be recognised without storing a plain
    hash that could be tested against guesses."""
    canonical = json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    message = b"facts-fingerprint\x1f" + canonical.encode()
    return hmac.new(get_blind_index_key(), message, hashlib.sha256).hexdigest()


def current_assessment(case: Case):
    return case.assessments.order_by("-created_at", "-id").first()
