"""Outcomes, reasons and the combining rules of README 4.2.

A ``Findings`` collects the reasons, missing facts and next steps of one route (one candidate
sponsor, one Express Entry program, one parent ...). Its outcome is the most severe effect
among its reasons. Alternative routes are merged with ``best_route``: the best outcome wins.
"""

from __future__ import annotations

from collections.abc import Iterable

ELIGIBLE = "LIKELY_ELIGIBLE"
INELIGIBLE = "LIKELY_INELIGIBLE"
REVIEW = "NEEDS_REVIEW"
MISSING = "MISSING_INFO"
NOT_APPLICABLE = "NOT_APPLICABLE"
LATER = "LIKELY_AVAILABLE_LATER"
CAVEAT = "CAVEAT"

OUTCOMES = (ELIGIBLE, INELIGIBLE, REVIEW, MISSING, NOT_APPLICABLE, LATER)

# Within one route the most severe effect wins (README 4.2).
SEVERITY = {
    NOT_APPLICABLE: 5,
    INELIGIBLE: 4,
    REVIEW: 3,
    MISSING: 2,
    LATER: 1,
    ELIGIBLE: 0,
}

BY_SEVERITY = {rank: outcome for outcome, rank in SEVERITY.items()}

# Across alternative routes the best outcome wins (README 4.2).
PREFERENCE = {
    ELIGIBLE: 5,
    LATER: 4,
    REVIEW: 3,
    MISSING: 2,
    INELIGIBLE: 1,
    NOT_APPLICABLE: 0,
}


class Findings:
    """Reasons, missing JSON pointers and next steps gathered for one route or pathway.

    The outcome is kept up to date as reasons are added (the most severe effect so far).
    """

    __slots__ = ("missing", "next_steps", "rank", "reasons")

    def __init__(self) -> None:
        self.reasons: list[dict] = []
        self.missing: list[str] = []
        self.next_steps: list[str] = []
        self.rank = -1  # severity of the outcome so far; -1 while only caveats

    def add(self, code: str, citation: str, effect: str, text: str, step: str = "") -> None:
        """Record one reason (and optionally the next step it calls for)."""
        self.reasons.append({"code": code, "citation": citation, "text": text, "effect": effect})
        rank = SEVERITY.get(effect, -1)
        if rank > self.rank:
            self.rank = rank
        if step:
            self.next_steps.append(step)

    def need(self, code: str, citation: str, text: str, paths: Iterable[str]) -> None:
        """Record that a rule could not conclude because the facts at ``paths`` are unknown."""
        self.add(code, citation, MISSING, text)
        self.missing.extend(paths)

    def caveat(self, code: str, citation: str, text: str, step: str = "") -> None:
        """Record something to check or prove that does not change the outcome."""
        self.reasons.append({"code": code, "citation": citation, "text": text, "effect": CAVEAT})
        if step:
            self.next_steps.append(step)

    def extend(self, other: Findings) -> None:
        """Append everything another ``Findings`` holds (its outcome counts here too)."""
        self.reasons.extend(other.reasons)
        self.missing.extend(other.missing)
        self.next_steps.extend(other.next_steps)
        if other.rank > self.rank:
            self.rank = other.rank

    def outcome(self) -> str | None:
        """The most severe effect among the reasons; ``None`` when there are only caveats."""
        return BY_SEVERITY[self.rank] if self.rank >= 0 else None

    def has(self, effect: str) -> bool:
        """True when at least one reason carries ``effect``."""
        return any(reason["effect"] == effect for reason in self.reasons)


def best_route(routes: list[Findings]) -> Findings:
    """Merge alternative routes: the best outcome wins; every route's reasons are kept.

    Missing facts of losing routes are kept only while the winner is not LIKELY_ELIGIBLE
    (they could still change the answer).
    """
    routes = [route for route in routes if route.reasons]
    if len(routes) == 1:
        return routes[0]
    if not routes:
        return Findings()
    ranked = sorted(routes, key=_route_preference, reverse=True)
    winner = ranked[0]
    merged = Findings()
    merged.extend(winner)
    for route in ranked[1:]:
        merged.reasons.extend(route.reasons)  # reported, but the winner decides the outcome
        if winner.rank != SEVERITY[ELIGIBLE]:
            merged.missing.extend(route.missing)
    return merged


def _route_preference(route: Findings) -> int:
    return -1 if route.rank < 0 else PREFERENCE[BY_SEVERITY[route.rank]]


def pathway_result(findings: Findings, outcome: str | None = None) -> dict:
    """Shape a pathway for the assessment: sorted unique ``missing``, unique next steps."""
    decided = outcome or (BY_SEVERITY[findings.rank] if findings.rank >= 0 else None)
    if decided is None:
        raise RuntimeError("a pathway ended without a reason that decides its outcome")
    missing, steps = findings.missing, findings.next_steps
    return {
        "outcome": decided,
        "reasons": findings.reasons,
        "missing": sorted(set(missing)) if missing else [],
        "next_steps": list(dict.fromkeys(steps)) if len(steps) > 1 else list(steps),
    }
