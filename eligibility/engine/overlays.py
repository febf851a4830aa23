"""Gating and overlays shared by every pathway except ``citizenship`` (README 4.3)."""

from __future__ import annotations

from .facts import Case
from .model import ELIGIBLE, LATER, MISSING, NOT_APPLICABLE, REVIEW, Findings, pathway_result

OVERLAID_OUTCOMES = (ELIGIBLE, LATER, MISSING)
CRIMINALITY_CITATION = {"refugee_claim": None, "prra": "A112(3)", "humanitarian": "A25(1)"}
CONCERN_CITATIONS = (
    ("security_concern", "A34", "A security concern"),
    ("human_rights_concern", "A35", "A human or international rights concern"),
    ("organized_crime_concern", "A37", "An organized-criminality concern"),
)
SERIOUS_MAXIMUM_YEARS = 10


def gate(case: Case, citizenship_outcome: str) -> dict | None:
    """Gated pathway result (NOT_APPLICABLE) for a citizen or permanent resident, else None."""
    if case.canadian_status == "citizen" or citizenship_outcome == ELIGIBLE:
        citation = "A19(1)"
        text = (
            "A Canadian citizen has the right to enter Canada: get proof of citizenship first; "
            "this pathway is not needed."
        )
        step = "Apply for a citizenship certificate (proof of citizenship) before travelling."
    elif case.canadian_status == "permanent_resident":
        citation = "A19(2)"
        text = "A permanent resident has the right to enter Canada; this pathway is not needed."
        step = "Check that the permanent resident card or a PR travel document is valid."
    else:
        return None
    findings = Findings()
    findings.add("GATED_CANADIAN_STATUS", citation, NOT_APPLICABLE, text, step)
    return findings


def gated_result(findings: Findings) -> dict:
    """A fresh copy of the gated pathway (each pathway owns its lists)."""
    copy = Findings()
    copy.extend(findings)
    copy.reasons = [dict(reason) for reason in findings.reasons]
    return pathway_result(copy)


def apply_overlays(case: Case, pathway: str, findings: Findings) -> None:
    """Criminality, deportation and unknown-fact overlays, after the pathway's own rules."""
    if case.overlays_quiet:
        return
    outcome = findings.outcome()
    if outcome not in OVERLAID_OUTCOMES and outcome != REVIEW:
        return
    flagged = case.has_criminality and _criminality_overlay(case, pathway, findings)
    flagged |= _deportation_overlay(case, findings)
    if flagged or outcome == REVIEW:
        return
    if case.unknown_overlay_paths:
        text = (
            "Criminal history and any past deportation from Canada must be known for this pathway."
        )
        findings.need(
            "OVERLAY_FACTS_MISSING", _unknown_citation(pathway), text, case.unknown_overlay_paths
        )


def _criminality_overlay(case: Case, pathway: str, findings: Findings) -> bool:
    if pathway == "refugee_claim":
        return True  # ground A101(1)(f) already gave the review reason
    special = CRIMINALITY_CITATION.get(pathway)
    if special:
        text = _special_text(pathway)
        findings.add("CRIMINALITY_REVIEW", special, REVIEW, text)
        return True
    for citation, text in criminality_citations(case):
        findings.add("CRIMINALITY_REVIEW", citation, REVIEW, text)
    return True


def _special_text(pathway: str) -> str:
    if pathway == "prra":
        return (
            "Criminal or security facts may restrict a PRRA to a risk-only assessment giving a "
            "stay, not protection (A112(3)): a lawyer must review."
        )
    return "Criminal or security facts weigh on an H&C request; some bar it: a lawyer must review."


def criminality_citations(case: Case) -> list[tuple[str, str]]:
    """A36(1)/A36(2) for charges and convictions, A34/A35/A37 for the concern flags."""
    block = case.criminality or {}
    found: list[tuple[str, str]] = []
    offences = [*(block.get("pending_charges") or ()), *(block.get("convictions") or ())]
    if offences or block.get("death_penalty_charge"):
        serious = any(_serious(offence) for offence in offences)
        citation = "A36(1)" if serious else "A36(2)"
        label = "serious criminality (10-year maximum or more)" if serious else "criminality"
        text = (
            f"A charge or conviction may make the client inadmissible for {label}: "
            "a lawyer must review."
        )
        found.append((citation, text))
    for flag, citation, label in CONCERN_CITATIONS:
        if block.get(flag) is True:
            found.append(
                (citation, f"{label} may make the client inadmissible: a lawyer must review.")
            )
    return found


def _serious(offence: dict) -> bool:
    maximum = offence.get("canadian_equivalent_max_years") if isinstance(offence, dict) else None
    return maximum == "life" or (
        isinstance(maximum, int | float) and maximum >= SERIOUS_MAXIMUM_YEARS
    )


def _deportation_overlay(case: Case, findings: Findings) -> bool:
    if case.history.get("deported") is True:
        text = (
            "A past deportation from Canada requires an Authorization to Return to Canada "
            "(A52(1)): needs review."
        )
        findings.add("DEPORTATION_ARC_REVIEW", "A52(1)", REVIEW, text)
        return True
    return False


def _unknown_citation(pathway: str) -> str:
    return {"refugee_claim": "A101(1)(f)", "prra": "A112(3)", "humanitarian": "A25(1)"}.get(
        pathway, "A36(1)"
    )
