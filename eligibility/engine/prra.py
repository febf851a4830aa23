"""``prra``: the Pre-Removal Risk Assessment (README 4.6; A112-A114, R160-R174).

A PRRA is never applied for from the US and never shown as LIKELY_ELIGIBLE: it opens only
once a removal order is in force in Canada and the person is notified (R160).
"""

from __future__ import annotations

from .dates import add_months, parse_date
from .facts import Case
from .model import CAVEAT, INELIGIBLE, LATER, MISSING, REVIEW, Findings
from .registry import rule
from .stca import Stca

PATHWAY = "prra"
BAR_MONTHS = 12
ENDED = {"rejected": "rejected", "withdrawn": "withdrawn", "abandoned": "abandoned"}


def assess_prra(case: Case, stca: Stca, refugee: Findings) -> Findings:
    """The first PRRA rule that matches, in README order (gating is done by the caller)."""
    out = Findings()
    if extradition_bar(case, out) or stca_return_bar(case, out, stca):
        return out
    if twelve_month_bars(case, out):
        return out
    if out.has(MISSING):
        return out
    if removal_order_in_canada(case, out) or stca_uncertain(case, out, stca):
        return out
    available_later(case, out, refugee)
    return out


@rule("A112(2)(a)", pathway=PATHWAY, in_force="2002-06-28")
def extradition_bar(case: Case, out: Findings) -> bool:
    """No PRRA under an authority to proceed under the Extradition Act."""
    if isinstance(case.criminality, dict) and case.criminality.get("extradition_proceedings"):
        text = "No PRRA for a person subject to an authority to proceed under the Extradition Act."
        out.add("A112_2_A_EXTRADITION", "A112(2)(a)", INELIGIBLE, text)
        return True
    return False


@rule("A112(2)(b)", pathway=PATHWAY, in_force="2002-06-28")
def stca_return_bar(case: Case, out: Findings, stca: Stca) -> bool:
    """No PRRA after a claim found ineligible under the STCA (return to the US)."""
    if stca.applies is True:
        text = (
            "A claim barred by the STCA leads to a return to the United States with no PRRA "
            "(A112(2)(b))."
        )
        out.add("A112_2_B_STCA_RETURN", "A112(2)(b)", INELIGIBLE, text)
        return True
    return False


@rule("A112(2)(b.1)", pathway=PATHWAY, in_force="2012-12-15")
def twelve_month_bars(case: Case, out: Findings) -> bool:
    """12 months after a final refugee-claim decision (b.1) or a PRRA decision (c)."""
    claims = case.history.get("prior_claims")
    applications = case.history.get("prra_applications")
    barred = _claim_bar(case, out, claims) | _prra_bar(case, out, applications)
    if barred:
        text = "Some countries are exempted from the 12-month bars (A112(2.1)): check IRCC's list."
        out.add("A112_2_1_EXEMPTIONS", "A112(2.1)", CAVEAT, text)
    unknown = [
        case.ptr("canadian_history", name)
        for name, value in (("prior_claims", claims), ("prra_applications", applications))
        if value is None
    ]
    if unknown:
        text = "Earlier Canadian claims and PRRA applications decide the 12-month bars."
        if barred:
            out.missing.extend(unknown)
        else:
            out.need("PRRA_HISTORY_MISSING", "A112(2)(b.1)", text, unknown)
    return barred


def _claim_bar(case: Case, out: Findings, claims: list | None) -> bool:
    barred = False
    for index, claim in enumerate(claims or ()):
        if claim.get("outcome") in ENDED:
            pointer = case.ptr("canadian_history", "prior_claims", index, "final_decision_date")
            barred |= _within_twelve_months(
                case,
                out,
                claim.get("final_decision_date"),
                pointer,
                ("A112_2_B1_RECENT_DECISION", "A112(2)(b.1)", "refugee claim"),
            )
    return barred


def _prra_bar(case: Case, out: Findings, applications: list | None) -> bool:
    barred = False
    for index, application in enumerate(applications or ()):
        if application.get("outcome") in ENDED:
            pointer = case.ptr("canadian_history", "prra_applications", index, "decision_date")
            barred |= _within_twelve_months(
                case,
                out,
                application.get("decision_date"),
                pointer,
                ("A112_2_C_RECENT_PRRA", "A112(2)(c)", "PRRA"),
            )
    return barred


def _within_twelve_months(
    case: Case, out: Findings, decided: str | None, pointer: str, label: tuple[str, str, str]
) -> bool:
    code, citation, kind = label
    decision = parse_date(decided)
    if decision is None:
        out.need(
            code,
            citation,
            f"The date of the final {kind} decision decides the 12-month bar.",
            [pointer],
        )
        return False
    ends = add_months(decision, BAR_MONTHS)
    if case.today < ends:
        text = (
            f"Less than 12 months since the final {kind} decision ({decision.isoformat()}): "
            "no PRRA "
            f"until {ends.isoformat()}."
        )
        out.add(code, citation, INELIGIBLE, text)
        return True
    return False


@rule("R160", pathway=PATHWAY, in_force="2002-06-28")
def removal_order_in_canada(case: Case, out: Findings) -> bool:
    """In Canada under a removal order: a PRRA is possible once notified."""
    order = case.history.get("removal_order_in_force")
    if order is not True:
        return False
    if case.location is None:
        out.need(
            "PRRA_LOCATION_MISSING",
            "R160",
            "Whether the client is in Canada decides the PRRA.",
            [case.ptr("person", "current_location")],
        )
        return True
    if case.location != "canada":
        return False
    text = (
        "Under a removal order in Canada, a PRRA can be applied for once IRCC gives notice "
        "(R160); applying within 15 days of notification stays removal (R162)."
    )
    step = "Watch for the PRRA notification and apply within 15 days (R162)."
    out.add("R160_PRRA_ON_NOTICE", "R160", REVIEW, text, step)
    return True


@rule("A112(2)(b)", pathway=PATHWAY, in_force="2002-06-28")
def stca_uncertain(case: Case, out: Findings, stca: Stca) -> bool:
    """While the STCA result is undetermined, so is the PRRA (README 4.6 rule 6)."""
    if stca.applies is not None:
        return False
    if stca.uncertainty == "review":
        text = "Whether the STCA bars the claim (and so the PRRA, A112(2)(b)) needs review."
        out.add("PRRA_STCA_UNDETERMINED", "A112(2)(b)", REVIEW, text)
    else:
        text = (
            "Whether the STCA bars the claim (and so the PRRA, A112(2)(b)) depends on "
            "missing facts."
        )
        out.need("PRRA_STCA_UNDETERMINED", "A112(2)(b)", text, stca.findings.missing)
    return True


@rule("A112(1)", pathway=PATHWAY, in_force="2002-06-28")
def available_later(case: Case, out: Findings, refugee: Findings) -> None:
    """A PRRA would open only if the person is later ordered removed from Canada."""
    text = (
        "A PRRA cannot be applied for from the United States. It would open only if the person "
        "is later in Canada under a removal order in force and is notified (A112(1), R160)."
    )
    out.add("A112_1_AVAILABLE_LATER", "A112(1)", LATER, text)
    if _c1_is_only_bar(refugee):
        mandatory_hearing_note(case, out)


def _c1_is_only_bar(refugee: Findings) -> bool:
    bars = {reason["citation"] for reason in refugee.reasons if reason["effect"] == INELIGIBLE}
    return bars == {"A101(1)(c.1)"}


@rule("A113.01", pathway=PATHWAY, in_force="2019-06-21")
def mandatory_hearing_note(case: Case, out: Findings) -> None:
    """A PRRA after a claim ineligible solely under A101(1)(c.1) has a mandatory hearing."""
    text = (
        "If A101(1)(c.1) is the only ground of ineligibility, a later PRRA includes a "
        "mandatory oral hearing (A113.01)."
    )
    out.caveat("A113_01_MANDATORY_HEARING", "A113.01", text)
