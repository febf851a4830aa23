"""The rule registry: every rule is a small function carrying its citation and dates.

``@rule`` records the provision, the pathway, the day it came into force (and, if repealed,
the last day it applied) and, when the law keys it to the claim date, the first claim date it
reaches (README 4.1). The wrapper applies the rule only when it is in force on the screening
date and its key selects the facts; a claim date that is unknown where it decides the
question makes the rule report a missing fact instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, wraps
from typing import TYPE_CHECKING

from .model import CAVEAT, Findings

if TYPE_CHECKING:
    from .facts import Case


@dataclass(frozen=True)
class Rule:
    """Metadata of one registered rule."""

    name: str
    citation: str
    pathway: str
    in_force: date
    until: date | None
    claims_from: date | None
    summary: str

    def in_force_on(self, day: date) -> bool:
        """True when the rule is law on ``day``."""
        return self.in_force <= day and (self.until is None or day <= self.until)


RULES: dict[str, Rule] = {}

# README 2.4 rejects screening dates before 2004-12-29 (rules/ruleset.json,
# earliest_screening_date), so a rule in force by then always applies.
EARLIEST_SCREENING_DATE = date(2004, 12, 29)


def rule(
    citation: str,
    *,
    pathway: str,
    in_force: str,
    until: str | None = None,
    claims_from: str | None = None,
) -> Callable:
    """Register a rule function ``fn(case, out, *extra)`` that writes into ``out``.

    The wrapped function returns what the rule returns, or None when the rule is not in
    force on the screening date or its key does not select the facts.
    """

    def decorate(function: Callable) -> Callable:
        meta = Rule(
            name=f"{function.__module__.rsplit('.', 1)[-1]}.{function.__name__}",
            citation=citation,
            pathway=pathway,
            in_force=date.fromisoformat(in_force),
            until=date.fromisoformat(until) if until else None,
            claims_from=date.fromisoformat(claims_from) if claims_from else None,
            summary=(function.__doc__ or "").strip().splitlines()[0],
        )
        RULES[meta.name] = meta

        start, end, key_from = meta.in_force, meta.until, meta.claims_from

        if key_from is None and end is None and start <= EARLIEST_SCREENING_DATE:
            # In force on every screening date the contract accepts: no check is needed.
            function.rule = meta
            function.__wrapped__ = function
            return function

        if key_from is None:

            @wraps(function)
            def apply(case: Case, out: Findings, *extra: object) -> object:
                today = case.today
                if today < start or (end is not None and today > end):
                    return None
                return function(case, out, *extra)

        else:

            @wraps(function)
            def apply(case: Case, out: Findings, *extra: object) -> object:
                today = case.today
                if today < start or (end is not None and today > end):
                    return None
                selected = case.claim_on_or_after(key_from)
                if selected is None:
                    _apply_with_unknown_claim_date(meta, function, case, out, extra)
                if not selected:
                    return None
                return function(case, out, *extra)

        apply.rule = meta
        return apply

    return decorate


def _apply_with_unknown_claim_date(
    meta: Rule, function: Callable, case: Case, out: Findings, extra: tuple
) -> None:
    """Run the rule aside; if it would decide anything, the claim date is a missing fact."""
    probe = Findings()
    function(case, probe, *extra)
    if any(reason["effect"] != CAVEAT for reason in probe.reasons):
        out.need(
            "CLAIM_DATE_DECIDES_RULE",
            meta.citation,
            f"Whether {meta.citation} reaches this claim depends on the claim date "
            f"(claims made on or after {meta.claims_from.isoformat()}).",
            [case.ptr("plan", "claim_date")],
        )


def in_force(rules: tuple, today: date) -> tuple:
    """The rules of ``rules`` in force on ``today``, ready to call (cached per date).

    Rules without a claim-date key come back unwrapped, so a pathway running many rules pays
    for the date check once per screening date rather than once per call.
    """
    return _in_force(rules, today)


@lru_cache(maxsize=512)
def _in_force(rules: tuple, today: date) -> tuple:
    return tuple(
        rule_function.__wrapped__ if rule_function.rule.claims_from is None else rule_function
        for rule_function in rules
        if rule_function.rule.in_force_on(today)
    )


def rules_table() -> list[dict]:
    """Every registered rule with its citation and dates (for an 'about these rules' panel)."""
    return [
        {
            "rule": meta.name,
            "citation": meta.citation,
            "pathway": meta.pathway,
            "in_force": meta.in_force.isoformat(),
            "until": meta.until.isoformat() if meta.until else None,
            "claims_from": meta.claims_from.isoformat() if meta.claims_from else None,
            "summary": meta.summary,
        }
        for meta in sorted(RULES.values(), key=lambda meta: meta.name)
    ]
