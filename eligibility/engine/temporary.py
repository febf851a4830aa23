"""``temporary_residence``: visitor, study and work status (README 4.13; R7, R7.1, A20, A22)."""

from __future__ import annotations

from .facts import Case
from .model import CAVEAT, ELIGIBLE, REVIEW, Findings
from .registry import rule
from .tables import conditional_eta_index, visa_exempt_index

PATHWAY = "temporary_residence"
GUARDRAIL = (
    "An intention to claim refugee protection must always be disclosed: a visa, eTA or visitor "
    "entry must never be used as a way to make a claim. Misrepresenting the purpose of a trip "
    "makes a person inadmissible for five years (A40)."
)


@rule("R7(1)", pathway=PATHWAY, in_force="2002-06-28")
def assess_temporary_residence(case: Case, out: Findings) -> None:
    """US nationals and LPRs need neither a visa nor an eTA; everyone else needs review."""
    if case.us_national or case.us_status == "lpr":
        out.add(
            "US_VISA_EXEMPT",
            "R190(1)(c)",
            ELIGIBLE,
            "US nationals and US permanent residents need no visa to visit Canada.",
        )
        out.add(
            "US_ETA_EXEMPT",
            "R7.1(3)(b)",
            ELIGIBLE,
            "They need no eTA either; a US permanent resident carries the green card and passport.",
        )
        return
    if case.us_status is None:
        out.need(
            "US_STATUS_MISSING",
            "R7(1)",
            "The client's US status decides the visa rules.",
            [case.ptr("person", "us_status")],
        )
        return
    _document_needed(case, out)
    out.add(
        "LEAVING_CANADA_TEST",
        "A20(1)(b)",
        REVIEW,
        "The officer must be satisfied that the person will leave Canada at the end of the "
        "stay (A20(1)(b)); an intention to become a permanent resident is allowed (A22(2)), "
        "but US undocumented status, TPS, parole or a pending asylum case weigh against it.",
    )
    out.add("TR_GUARDRAIL", "A40", CAVEAT, GUARDRAIL)


def _document_needed(case: Case, out: Findings) -> None:
    citizenships = case.citizenships
    if citizenships is None:
        out.missing.append(case.ptr("person", "citizenships"))
        citizenships = []
    exempt = [c for c in citizenships if visa_exempt_index().get(c, case.today)]
    conditional = [c for c in citizenships if conditional_eta_index().get(c, case.today)]
    if exempt:
        out.add(
            "ETA_NEEDED_TO_FLY",
            "R7.1",
            REVIEW,
            f"As a {exempt[0]} citizen the client needs no visa, but needs an eTA to fly to "
            "Canada (R7.1).",
        )
        return
    out.add(
        "TRV_REQUIRED",
        "R7(1)",
        REVIEW,
        "A temporary resident visa is required to visit, study or work in Canada (R7(1)).",
    )
    if conditional:
        out.caveat(
            "CONDITIONAL_ETA",
            "R7.01",
            f"A {conditional[0]} citizen may fly with an eTA instead if they held a Canadian "
            "visa in the last 10 years or hold a valid US nonimmigrant visa; by land a visa "
            "is needed (R7.01).",
        )
