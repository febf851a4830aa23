"""``refugee_claim``: referral eligibility under A99(3) and A101(1) (README 4.5).

Every ground is evaluated and combined (the most severe effect wins); the merits are never
assessed. The STCA ground (e) comes from ``stca.py``; the grounds keyed to the claim date
(b.1), (b.2) and (c.1) carry their dates in ``@rule``; the timing grounds live in
``refugee_timing.py``.
"""

from __future__ import annotations

from datetime import date

from .facts import Case
from .model import ELIGIBLE, INELIGIBLE, REVIEW, Findings
from .refugee_timing import (
    between_ports_guardrail,
    between_ports_late_claim,
    fourteen_day_window,
    one_year_rule,
)
from .registry import in_force, rule
from .stca import Stca
from .tables import info_sharing_index, load

PATHWAY = "refugee_claim"
BARRED_CANADIAN_OUTCOMES = {
    "ineligible": "determined ineligible",
    "withdrawn": "withdrawn",
    "abandoned": "abandoned",
}
CARVE_OUT_FROM = date(2023, 3, 25)
NEXT_STEPS = {
    ELIGIBLE: "Before any trip, confirm the plan with a lawyer or legal clinic. A claim is made "
    "by telling the officer at the port of entry (or an IRCC office inside Canada) that the "
    "person wants refugee protection.",
    REVIEW: "Have a lawyer or RCIC review the flagged points before any trip.",
    INELIGIBLE: "Do not plan a refugee claim on these facts; review the other pathways with a "
    "lawyer or RCIC.",
}


def assess_refugee_claim(case: Case, stca: Stca) -> Findings:
    """Every A99(3)/A101(1) ground, the STCA result, and the standing caveats."""
    out = Findings()
    out.extend(stca.findings)
    for ground in in_force(GROUNDS, case.today):
        ground(case, out)
    between_ports_guardrail(case, out)
    standing_caveats(case, out)
    step = NEXT_STEPS.get(out.outcome())
    if step and not out.next_steps:
        out.next_steps.append(step)
    return out


def _canadian_claims(case: Case) -> list[dict] | None:
    return case.history.get("prior_claims")


@rule("A99(3)", pathway=PATHWAY, in_force="2002-06-28")
def removal_order_bar(case: Case, out: Findings) -> None:
    """A person under a removal order in Canada cannot make a claim."""
    in_force = case.history.get("removal_order_in_force")
    if in_force is None:
        text = "Whether a Canadian removal order is in force is unknown (A99(3))."
        out.need(
            "A99_3_FACT_MISSING",
            "A99(3)",
            text,
            [case.ptr("canadian_history", "removal_order_in_force")],
        )
    elif in_force:
        text = "A person subject to a removal order in Canada cannot make a refugee claim (A99(3))."
        out.add("A99_3_REMOVAL_ORDER", "A99(3)", INELIGIBLE, text)


@rule("A101(1)(a)", pathway=PATHWAY, in_force="2002-06-28")
def conferred_protection_bar(case: Case, out: Findings) -> None:
    """Refugee protection already conferred in Canada."""
    protected = case.history.get("protected_person")
    accepted = any(claim.get("outcome") == "accepted" for claim in _canadian_claims(case) or ())
    if protected or accepted:
        text = "Refugee protection was already conferred in Canada, so a new claim is ineligible."
        out.add("A101_1_A_PROTECTION_CONFERRED", "A101(1)(a)", INELIGIBLE, text)
    elif protected is None:
        text = "Whether the client is already a protected person in Canada is unknown."
        out.need(
            "A101_1_A_FACT_MISSING",
            "A101(1)(a)",
            text,
            [case.ptr("canadian_history", "protected_person")],
        )


@rule("A101(1)(b)", pathway=PATHWAY, in_force="2002-06-28")
def rejected_claim_bar(case: Case, out: Findings) -> None:
    """A prior Canadian claim rejected by the IRB."""
    if any(claim.get("outcome") == "rejected" for claim in _canadian_claims(case) or ()):
        text = "An earlier refugee claim in Canada was rejected by the IRB."
        out.add("A101_1_B_PRIOR_REJECTION", "A101(1)(b)", INELIGIBLE, text)


@rule("A101(1)(c)", pathway=PATHWAY, in_force="2002-06-28")
def prior_canadian_claim_bar(case: Case, out: Findings) -> None:
    """A prior Canadian claim found ineligible, withdrawn or abandoned (R159.01 carve-out)."""
    claims = _canadian_claims(case)
    if claims is None:
        text = "Earlier refugee claims in Canada are unknown (A101(1)(a)-(c))."
        out.need(
            "A101_1_C_FACT_MISSING",
            "A101(1)(c)",
            text,
            [case.ptr("canadian_history", "prior_claims")],
        )
        return
    for index, claim in enumerate(claims):
        outcome = claim.get("outcome")
        if outcome is None:
            text = "The outcome of an earlier Canadian claim is unknown."
            out.need(
                "A101_1_C_FACT_MISSING",
                "A101(1)(c)",
                text,
                [case.ptr("canadian_history", "prior_claims", index, "outcome")],
            )
        elif outcome == "pending":
            text = (
                "An earlier Canadian claim is still pending: how it affects a new claim "
                "needs review."
            )
            out.add("A101_1_C_PENDING_CLAIM", "A101(1)(c)", REVIEW, text)
        elif outcome in BARRED_CANADIAN_OUTCOMES:
            if outcome == "ineligible" and r159_01_carve_out(case, out, claim, index):
                continue
            text = f"An earlier Canadian claim was {BARRED_CANADIAN_OUTCOMES[outcome]}."
            out.add("A101_1_C_PRIOR_CLAIM", "A101(1)(c)", INELIGIBLE, text)


@rule("R159.01", pathway=PATHWAY, in_force="2023-03-25", claims_from="2023-03-25")
def r159_01_carve_out(case: Case, out: Findings, claim: dict, index: int) -> bool:
    """An STCA-ineligible prior claim does not count after a US refusal without adjudication."""
    if not case.refused_entry_to_us:
        return False
    ground = claim.get("ineligibility_ground")
    if ground is None:
        text = "Which ground made the earlier claim ineligible decides the R159.01 carve-out."
        out.need(
            "R159_01_FACT_MISSING",
            "R159.01",
            text,
            [case.ptr("canadian_history", "prior_claims", index, "ineligibility_ground")],
        )
        return False
    if ground != "e":
        return False
    text = (
        "The earlier claim was ineligible only under the STCA and the US refused entry without "
        "adjudicating a claim, so it is not a prior claim (R159.01)."
    )
    out.add("R159_01_CARVE_OUT", "R159.01", ELIGIBLE, text)
    return True


@rule("A101(1)(c.1)", pathway=PATHWAY, in_force="2019-06-21", claims_from="2019-04-08")
def prior_claim_abroad_bar(case: Case, out: Findings) -> None:
    """A claim made in an information-sharing country, whatever its outcome."""
    table = load("info_sharing_countries")
    claims = case.facts.get("prior_claims")
    us_claim_listed = False
    if claims is None:
        text = "Refugee or asylum claims made in other countries are unknown (A101(1)(c.1))."
        out.need("A101_1_C1_FACT_MISSING", "A101(1)(c.1)", text, [case.ptr("prior_claims")])
    for claim in claims or ():
        us_claim_listed |= _claim_abroad(case, out, claim, table)
    if case.us_status in table["us_statuses_treated_as_us_asylum_claim"] and not us_claim_listed:
        text = (
            "A pending US asylum case or asylee status means an asylum claim was made in the "
            "United States, which makes a Canadian claim ineligible whatever its outcome."
        )
        out.add("A101_1_C1_PRIOR_CLAIM_ABROAD", "A101(1)(c.1)", INELIGIBLE, text)
    if case.us_status in table["us_statuses_needing_review"]:
        text = "Resettlement as a refugee in the US may count as a prior claim: needs review."
        out.add("A101_1_C1_US_REFUGEE_REVIEW", "A101(1)(c.1)", REVIEW, text)


def _claim_abroad(case: Case, out: Findings, claim: dict, table: dict) -> bool:
    country, kind = claim["country"], claim.get("kind")
    partner = info_sharing_index().get(country, case.claim_date or case.today)
    if partner and kind in table["barring_kinds"]:
        text = (
            f"A refugee or asylum claim made in {country} (an information-sharing country) makes "
            "a Canadian claim ineligible, whatever its outcome."
        )
        out.add("A101_1_C1_PRIOR_CLAIM_ABROAD", "A101(1)(c.1)", INELIGIBLE, text)
        return country == "US"
    if partner:
        text = (
            f"An earlier proceeding in {country} of an unclear kind (credible fear, withholding, "
            "CAT or other) may count as a claim for refugee protection: needs review."
        )
    else:
        text = (
            f"A claim made in {country} bars a Canadian claim only if confirmed under an "
            "information-sharing arrangement: needs review."
        )
    out.add("A101_1_C1_REVIEW", "A101(1)(c.1)", REVIEW, text)
    return False


@rule("A101(1)(d)", pathway=PATHWAY, in_force="2002-06-28")
def recognized_refugee_bar(case: Case, out: Findings) -> None:
    """Recognized as a Convention refugee elsewhere and returnable there."""
    recognitions = case.facts.get("recognized_refugee_elsewhere")
    if recognitions is None:
        text = "Whether another country granted refugee status or asylum is unknown (A101(1)(d))."
        out.need(
            "A101_1_D_FACT_MISSING", "A101(1)(d)", text, [case.ptr("recognized_refugee_elsewhere")]
        )
    for recognition in recognitions or ():
        country, returnable = recognition["country"], recognition.get("can_return")
        if returnable:
            text = f"Refugee status was granted by {country} and the client can be returned there."
            out.add("A101_1_D_RECOGNIZED_ELSEWHERE", "A101(1)(d)", INELIGIBLE, text)
        elif returnable is None:
            text = (
                f"Refugee status was granted by {country}; whether return is possible needs review."
            )
            out.add("A101_1_D_REVIEW", "A101(1)(d)", REVIEW, text)
    us_listed = any(item["country"] == "US" for item in recognitions or ())
    if case.us_status == "asylee" and not us_listed:
        text = "As a US asylee, whether the client can be returned to the US needs review."
        out.add("A101_1_D_US_ASYLEE_REVIEW", "A101(1)(d)", REVIEW, text)


@rule("A101(1)(f)", pathway=PATHWAY, in_force="2002-06-28")
def criminality_ground(case: Case, out: Findings) -> None:
    """Criminality or security facts; extradition proceedings (A105)."""
    if case.criminality_present():
        text = (
            "Criminal or security facts: a claim is ineligible if the person is determined "
            "inadmissible on those grounds (10-year maximum for serious criminality). A lawyer "
            "must review."
        )
        out.add("A101_1_F_CRIMINALITY_REVIEW", "A101(1)(f)", REVIEW, text)
    if isinstance(case.criminality, dict) and case.criminality.get("extradition_proceedings"):
        text = "Extradition proceedings can suspend a refugee claim (A105): a lawyer must review."
        out.add("A105_EXTRADITION_REVIEW", "A105", REVIEW, text)


def standing_caveats(case: Case, out: Findings) -> None:
    """Caveats every refugee screening carries (README 4.5)."""
    merits = (
        "This screens referral eligibility only. The merits are decided by the IRB against the "
        "countries of nationality (or former habitual residence if stateless), never the US."
    )
    out.caveat("RC_MERITS_NOT_ASSESSED", "A96", merits)
    age = case.age_on(case.reference_date)
    if age is not None and age < 18:
        text = "A claimant under 18 has a representative designated by the IRB (A167(2))."
        out.caveat("RC_MINOR_DESIGNATED_REPRESENTATIVE", "A167(2)", text)
    if case.stateless:
        text = "Statelessness and the former habitual residence must be proven."
        out.caveat("RC_STATELESS_PROOF", "R159.1", text)
    if case.claim_date_assumed:
        text = "No claim date was given: screened as if the claim were made on the screening date."
        out.caveat("CLAIM_DATE_ASSUMED", "A99(1)", text)


GROUNDS = (
    removal_order_bar,
    conferred_protection_bar,
    rejected_claim_bar,
    prior_canadian_claim_bar,
    prior_claim_abroad_bar,
    recognized_refugee_bar,
    one_year_rule,
    between_ports_late_claim,
    fourteen_day_window,
    criminality_ground,
)
