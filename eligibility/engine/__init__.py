"""Northstar eligibility screening engine (pure Python, no Django).

``screen(facts) -> assessment`` implements contract v1 (``eligibility/contract``): it
validates the facts, applies the rule set in force on the screening date, and returns the
outcome, reasons, missing facts and next steps of every pathway. This is screening support
for counsellors, not legal advice.
"""

from __future__ import annotations

from .assessment import PATHWAYS, assess, today_in_toronto
from .dates import parse_date
from .facts import Case
from .registry import rules_table
from .tables import rules_version
from .validation import InvalidFacts, validate

__all__ = ["PATHWAYS", "InvalidFacts", "rules_table", "rules_version", "screen"]


def screen(facts: dict) -> dict:
    """Screen one facts document; raise ``InvalidFacts`` if it fails the schema or README 2.4.

    Deterministic: the only clock read is today's date in America/Toronto, and only when
    ``screening_date`` is absent. Nothing is logged or stored.
    """
    validate(facts)
    today = parse_date(facts.get("screening_date")) or today_in_toronto()
    return assess(Case(facts, today))
