"""The Safe Third Country Agreement, A101(1)(e): scope, exceptions and result (README 4.4).

``assess_stca`` returns the ``stca`` object of the assessment and the reasons it adds to
``refugee_claim`` (the scope row, the exception met or the bar, and any date/age windows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .checks import MET, MISSING, NOT_MET, REVIEW, Check
from .facts import LAND_PORT_MODES, PORT_MODES, Case
from .model import CAVEAT, ELIGIBLE, INELIGIBLE, Findings
from .model import REVIEW as NEEDS_REVIEW
from .stca_exceptions import (
    death_penalty_check,
    document_holder_check,
    refused_entry_check,
    unaccompanied_minor_check,
    visa_exempt_check,
)
from .stca_family import family_member_check

STCA_IN_FORCE = date(2004, 12, 29)
BETWEEN_PORTS_RULE_IN_FORCE = date(2023, 3, 25)
BETWEEN_PORTS_LAST_DAY = 13

IN, OUT, UNDECIDED = "in", "out", "undecided"

EXCEPTIONS = (
    ("family_member", family_member_check),
    ("unaccompanied_minor", unaccompanied_minor_check),
    ("document_holder", document_holder_check),
    ("visa_exempt_canada_not_us", visa_exempt_check),
    ("refused_entry_to_us", refused_entry_check),
    ("death_penalty", death_penalty_check),
)
TRANSIT_EXCEPTIONS = (("death_penalty", death_penalty_check),)

EXCEPTION_STEPS = {
    "family_member": "Bring proof of the family relationship (for example both birth "
    "certificates) and of the relative's status in Canada; the relative may be interviewed.",
    "unaccompanied_minor": "Bring proof of age and of where the parents are; the IRB will "
    "designate a representative for a claimant under 18.",
    "document_holder": "Bring the original Canadian document; it must not be one issued only "
    "for transit.",
    "visa_exempt_canada_not_us": "Bring every passport held.",
    "refused_entry_to_us": "Bring any US record of the refusal of entry.",
    "death_penalty": "A lawyer must document the death-penalty charge or conviction.",
}


@dataclass
class Stca:
    """The STCA result: ``applies``/``exception`` and reasons for ``refugee_claim``.

    ``uncertainty`` is ``"review"`` or ``"missing"`` when ``applies`` is None (used by PRRA
    rule 6); date and age windows never count as uncertainty.
    """

    applies: bool | None
    exception: str | None
    findings: Findings
    uncertainty: str | None = None

    def as_dict(self) -> dict:
        """The assessment's ``stca`` object."""
        return {"applies": self.applies, "exception": self.exception}


def not_reached() -> Stca:
    """The STCA does not bar a claim that is NOT_APPLICABLE (README 3.4)."""
    return Stca(False, None, Findings())


def assess_stca(case: Case) -> Stca:
    """Decide whether A101(1)(e) bars the claim on the facts (README 4.4)."""
    out = Findings()
    scope = _scope(case, out)
    if scope == OUT:
        return Stca(False, None, out)
    if scope == UNDECIDED:
        return Stca(None, None, out, "missing")
    transit = case.entry_mode == "airport"
    results = [
        (name, check(case)) for name, check in (TRANSIT_EXCEPTIONS if transit else EXCEPTIONS)
    ]
    return _result(out, results)


# -- step 1: scope ------------------------------------------------------------------------------
def _scope(case: Case, out: Findings) -> str:
    nationality = _nationality_scope(case, out)
    if nationality is not None:
        return nationality
    mode = case.entry_mode
    if mode is None:
        text = "How the client would enter Canada decides whether the STCA applies."
        out.need("STCA_ENTRY_MODE_MISSING", "R159.4(1)", text, [case.ptr("plan", "entry_mode")])
        return UNDECIDED
    if case.claim_date is not None and case.claim_date < STCA_IN_FORCE:
        out.add(
            "STCA_NOT_IN_FORCE",
            "A101(1)(e)",
            ELIGIBLE,
            "The STCA was not in force on the claim date.",
        )
        return OUT
    return _mode_scope(case, mode, out)


def _nationality_scope(case: Case, out: Findings) -> str | None:
    if case.citizenships is None or case.stateless is None:
        paths = [
            case.ptr("person", name)
            for name in ("citizenships", "stateless")
            if case.person.get(name) is None
        ]
        text = "Citizenships and statelessness decide whether the STCA can reach the claim."
        out.need("STCA_NATIONALITY_MISSING", "A101(1)(e)", text, paths)
        return UNDECIDED
    if case.us_national:
        _us_national(case, out)
        return OUT
    if case.stateless:
        return _stateless_scope(case, out)
    return None


def _us_national(case: Case, out: Findings) -> None:
    text = (
        "The STCA does not reach a US national: the United States is a country of their "
        "nationality."
    )
    out.add("STCA_OUT_US_NATIONAL", "A101(1)(e)", ELIGIBLE, text)
    age = case.age_on(case.reference_date)
    if age is not None and age < 18:
        note = (
            "A US-citizen child is outside the STCA even when the parents are not: the "
            "family must decide together whether the child claims alone (family separation)."
        )
        out.caveat("STCA_US_CHILD_FAMILY_SEPARATION", "A101(1)(e)", note)


def _stateless_scope(case: Case, out: Findings) -> str | None:
    residences = case.person.get("former_habitual_residences")
    if residences is None:
        text = "For a stateless client, the countries of former habitual residence decide the STCA."
        path = case.ptr("person", "former_habitual_residences")
        out.need("STCA_HABITUAL_RESIDENCE_MISSING", "R159.2", text, [path])
        return UNDECIDED
    if any(residence["country"] == "US" for residence in residences):
        text = (
            "The STCA does not reach a stateless person whose former habitual residence is "
            "the United States."
        )
        out.add("STCA_OUT_STATELESS_US_RESIDENCE", "R159.2", ELIGIBLE, text)
        return OUT
    return None


def _mode_scope(case: Case, mode: str, out: Findings) -> str:
    claim_date, entry_date = case.claim_date, case.entry_date
    if mode in LAND_PORT_MODES and claim_date == entry_date:
        text = (
            "A claim made at a land port of entry is within the STCA unless an exception applies."
        )
        out.add("STCA_IN_LAND_PORT", "R159.4(1)", CAVEAT, text)
        if mode == "undecided":
            out.caveat(
                "ENTRY_MODE_UNDECIDED",
                "R159.4(1)",
                "The entry plan is undecided, so it was screened as a land port of entry.",
            )
        return IN
    if mode in PORT_MODES and claim_date > entry_date:
        _inland_after_port_entry(out)
        return OUT
    if mode == "between_ports":
        return _between_ports_scope(case, out)
    if mode == "airport":
        return _airport_scope(case, out)
    if mode == "harbour":
        text = "The STCA does not apply at a harbour port of entry or ferry landing."
        out.add("STCA_OUT_HARBOUR", "R159.4(1)(b)", ELIGIBLE, text)
        return OUT
    text = "The STCA does not apply to a claim made inside Canada (not at a port of entry)."
    out.add("STCA_OUT_INLAND", "R159.4(1)(a)", ELIGIBLE, text)
    return OUT


def _inland_after_port_entry(out: Findings) -> None:
    text = "A claim made inside Canada after entering at a port of entry is outside the STCA."
    out.add("STCA_OUT_INLAND", "R159.4(1)(a)", ELIGIBLE, text)
    warning = (
        "Entering as a visitor while already intending to claim refugee protection is "
        "misrepresentation (A40): an intention to claim must always be disclosed to the officer. "
        "This needs a lawyer's review."
    )
    out.add("INLAND_CLAIM_MISREPRESENTATION_RISK", "A40", NEEDS_REVIEW, warning)


def _between_ports_scope(case: Case, out: Findings) -> str:
    entry_date, claim_date = case.entry_date, case.claim_date
    rule_reaches = case.today >= BETWEEN_PORTS_RULE_IN_FORCE and (
        entry_date is None or entry_date >= BETWEEN_PORTS_RULE_IN_FORCE
    )
    if rule_reaches and (entry_date is None or claim_date is None):
        paths = [
            case.ptr("plan", name)
            for name, value in (("entry_date", entry_date), ("claim_date", claim_date))
            if value is None
        ]
        text = "The entry and claim dates decide whether the STCA reaches a between-ports entry."
        out.need("STCA_BETWEEN_PORTS_DATES_MISSING", "R159.4(1.1)", text, paths)
        return UNDECIDED
    if rule_reaches and (claim_date - entry_date).days <= BETWEEN_PORTS_LAST_DAY:
        text = (
            "A claim made less than 14 days after entering between ports of entry is within the "
            "STCA unless an exception applies."
        )
        out.add("STCA_IN_BETWEEN_PORTS", "R159.4(1.1)", CAVEAT, text)
        return IN
    text = "The STCA does not reach this claim made after entering away from a port of entry."
    out.add("STCA_OUT_BETWEEN_PORTS", "R159.4(1)(a)", ELIGIBLE, text)
    return OUT


def _airport_scope(case: Case, out: Findings) -> str:
    if case.in_transit_us_removal:
        text = (
            "A person being removed by the US and in transit at a Canadian airport is within the "
            "STCA; only R159.6 can take the claim out."
        )
        out.add("STCA_IN_AIRPORT_TRANSIT", "R159.4(2)", CAVEAT, text)
        return IN
    out.add(
        "STCA_OUT_AIRPORT",
        "R159.4(1)(c)",
        ELIGIBLE,
        "The STCA does not apply to a claim made at an airport.",
    )
    return OUT


# -- step 3: result ------------------------------------------------------------------------------
def _result(out: Findings, results: list[tuple[str, Check]]) -> Stca:
    met = [(name, check) for name, check in results if check.status == MET]
    if met:
        for name, check in met:
            out.add(
                f"STCA_EXCEPTION_{name.upper()}",
                check.citation,
                ELIGIBLE,
                check.text,
                EXCEPTION_STEPS[name],
            )
        _add_windows(out, [met[0][1]])
        return Stca(False, met[0][0], out)
    checks = [check for _, check in results]
    reviews = [check for check in checks if check.status == REVIEW]
    missing = [check for check in checks if check.status == MISSING]
    for check in reviews:
        out.add("STCA_EXCEPTION_NEEDS_REVIEW", check.citation, NEEDS_REVIEW, check.text)
    for check in missing:
        out.need("STCA_EXCEPTION_FACTS_MISSING", check.citation, check.text, check.paths)
    for check in reviews:
        out.missing.extend(check.paths)
    _add_windows(out, checks)
    if reviews or missing:
        return Stca(None, None, out, "review" if reviews else "missing")
    _add_bar(out, checks)
    return Stca(True, None, out)


def _add_bar(out: Findings, checks: list[Check]) -> None:
    text = (
        "The STCA applies and no exception is established: the claim would be found ineligible "
        "and the person returned to the United States, with no PRRA (A112(2)(b), A115(3))."
    )
    step = (
        "Do not plan a claim that the STCA bars; look at the other pathways with a lawyer or "
        "RCIC first."
    )
    out.add("STCA_APPLIES", "A101(1)(e)", INELIGIBLE, text, step)
    for check in checks:
        if check.status == NOT_MET:
            for citation, note in check.notes:
                out.add("STCA_RELATIVE_NOT_IN_CANADA", citation, NEEDS_REVIEW, note)


def _add_windows(out: Findings, checks: list[Check]) -> None:
    seen = set()
    for check in checks:
        for citation, text in check.windows:
            if text not in seen:
                seen.add(text)
                out.add("AGE_BOUNDARY_WINDOW", citation, NEEDS_REVIEW, text)
