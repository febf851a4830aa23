"""STCA exceptions other than family members: R159.5(e)-(h) and R159.6 (README 4.4)."""

from __future__ import annotations

from datetime import date

from .checks import MET, MISSING, NOT_MET, REVIEW, Check, all_of, best_of
from .dates import birthday, parse_date, within_days
from .facts import Case
from .tables import us_visa_index, visa_exempt_index

AGE_WINDOW_DAYS = 30
R159_5_H_IN_FORCE = date(2015, 2, 20)
QUALIFYING_DOCUMENTS = {
    "trv": ("R159.5(f)(i)", "temporary resident visa"),
    "pr_visa": ("R159.5(f)(i)", "permanent resident visa"),
    "trp": ("R159.5(f)(ii)", "temporary resident permit"),
    "a31_travel_document": ("R159.5(f)(iii)", "A31(3) travel document"),
    "refugee_travel_paper": ("R159.5(f)(iv)", "refugee travel paper"),
    "r151_temporary_travel_document": ("R159.5(f)(v)", "R151 temporary travel document"),
}
PERMITS = {"work_permit": "work permit", "study_permit": "study permit"}


# -- (e) unaccompanied minor ------------------------------------------------------------------
def unaccompanied_minor_check(case: Case) -> Check:
    """R159.5(e): under 18, unaccompanied, no spouse, no parent or guardian in Canada or the US."""
    met = Check(
        MET,
        "R159.5(e)",
        "You are under 18, travelling without a parent or legal guardian, unmarried, and no "
        "parent or legal guardian is in Canada or the United States (R159.5(e)).",
    )
    age = _under_18_on_claim_date(case)
    if age.status == NOT_MET:
        return age  # one clearly failed condition fails the whole (README 4.2)
    conditions = [age, _unaccompanied(case), _no_spouse(case), _no_parent_in_canada_or_us(case)]
    return all_of(conditions, met)


def _under_18_on_claim_date(case: Case) -> Check:
    claim_date = case.claim_date
    age = case.age_on(claim_date)
    if age is None:
        text = "The client's date of birth decides R159.5(e) (under 18 on the claim date)."
        return Check(MISSING, "R159.5(e)", text, [case.ptr("person", "date_of_birth")])
    status = MET if age < 18 else NOT_MET
    check = Check(
        status, "R159.5(e)", "" if status == MET else "You are 18 or over on the claim date."
    )
    if age not in (17, 18):
        return check  # the 18th birthday is more than 30 days away
    eighteenth = birthday(case.date_of_birth, 18)
    if within_days(eighteenth, claim_date, AGE_WINDOW_DAYS):
        text = (
            f"You turn 18 on {eighteenth.isoformat()}, within 30 days of the claim date: "
            "R159.5(e) needs review."
        )
        check.windows.append(("R159.5(e)", text))
    return check


def _unaccompanied(case: Case) -> Check:
    accompanied = case.plan.get("accompanied_by_parent_or_guardian")
    if accompanied is None:
        text = "Whether a parent or legal guardian travels with you decides R159.5(e)."
        path = case.ptr("plan", "accompanied_by_parent_or_guardian")
        return Check(MISSING, "R159.5(e)", text, [path])
    if accompanied:
        return Check(NOT_MET, "R159.5(e)", "You travel with a parent or legal guardian.")
    return Check(MET, "R159.5(e)", "")


def _no_spouse(case: Case) -> Check:
    partnered = case.marital_status in ("married", "common_law") or (
        case.has_partner_block and case.spouse["relationship"] in ("spouse", "common_law_partner")
    )
    if partnered:
        text = (
            "You have a spouse or partner: under R5(a) a person under 18 cannot be one, so "
            "R159.5(e) needs review."
        )
        return Check(REVIEW, "R159.5(e)", text)
    return Check(MET, "R159.5(e)", "")


def _no_parent_in_canada_or_us(case: Case) -> Check:
    parents = case.parents
    if parents is None:
        text = "Where your mother, father and any legal guardian are decides R159.5(e)."
        return Check(MISSING, "R159.5(e)", text, [case.ptr("parents")])
    checks = [_parent_whereabouts(case, index, parent) for index, parent in enumerate(parents)]
    relationships = {parent["relationship"] for parent in parents}
    if not {"mother", "father"} <= relationships:
        text = "Both your mother and your father must be listed (README 2.2) to decide R159.5(e)."
        checks.append(Check(MISSING, "R159.5(e)", text, [case.ptr("parents")]))
    return all_of(checks, Check(MET, "R159.5(e)", ""))


def _parent_whereabouts(case: Case, index: int, parent: dict) -> Check:
    relationship = parent["relationship"].replace("_", " ")
    whereabouts = parent.get("whereabouts")
    if whereabouts is None:
        text = f"Where your {relationship} is decides R159.5(e)."
        return Check(MISSING, "R159.5(e)", text, [case.ptr("parents", index, "whereabouts")])
    if whereabouts == "unknown":
        text = f"Your {relationship}'s whereabouts are unknown: R159.5(e) needs review."
        return Check(REVIEW, "R159.5(e)", text)
    if whereabouts not in ("canada", "us"):
        return Check(MET, "R159.5(e)", "")
    if parent["relationship"] == "legal_guardian":
        return _guardian_in_north_america(case, index, parent)
    place = "Canada" if whereabouts == "canada" else "the United States"
    return Check(NOT_MET, "R159.5(e)", f"Your {relationship} is in {place}.")


def _guardian_in_north_america(case: Case, index: int, parent: dict) -> Check:
    basis = parent.get("guardianship_basis")
    if basis is None:
        text = "How your guardian in Canada or the US holds custody decides R159.5(e)."
        path = case.ptr("parents", index, "guardianship_basis")
        return Check(MISSING, "R159.5(e)", text, [path])
    if basis == "informal_custody":
        text = (
            "An informal carer is in Canada or the United States: whether they are a legal "
            "guardian under R159.1 needs review."
        )
        return Check(REVIEW, "R159.5(e)", text)
    return Check(NOT_MET, "R159.5(e)", "Your legal guardian is in Canada or the United States.")


# -- (f) document holder ----------------------------------------------------------------------
def document_holder_check(case: Case) -> Check:
    """R159.5(f): a Canadian visa, permit or travel document not issued only for transit."""
    documents = case.facts.get("canadian_documents")
    if documents is None:
        text = "The Canadian documents you hold are unknown (R159.5(f))."
        return Check(MISSING, "R159.5(f)", text, [case.ptr("canadian_documents")])
    checks = [_document(case, index, document) for index, document in enumerate(documents)]
    if not checks:
        return Check(NOT_MET, "R159.5(f)", "You hold no Canadian visa or travel document.")
    return best_of(checks)


def _document(case: Case, index: int, document: dict) -> Check:
    kind = document["kind"]
    if kind in PERMITS:
        text = (
            f"A {PERMITS[kind]} is not listed in R159.5(f); whether the approval came with a "
            "visa needs review."
        )
        return Check(REVIEW, "R159.5(f)", text)
    if kind not in QUALIFYING_DOCUMENTS:
        return Check(NOT_MET, "R159.5(f)", "An eTA does not meet R159.5(f).")
    citation, label = QUALIFYING_DOCUMENTS[kind]
    met = Check(MET, citation, f"You hold a {label} valid on the claim date ({citation}).")
    return all_of(
        [
            _not_transit(case, index, document, label),
            _valid(case, index, document, label, citation),
        ],
        met,
    )


def _not_transit(case: Case, index: int, document: dict, label: str) -> Check:
    transit = document.get("transit_only")
    if transit is None:
        text = f"Whether your {label} was issued only for transit is unknown."
        return Check(
            MISSING, "R159.5(f)", text, [case.ptr("canadian_documents", index, "transit_only")]
        )
    if transit:
        return Check(NOT_MET, "R159.5(f)", f"Your {label} was issued only for transit.")
    return Check(MET, "R159.5(f)", "")


def _valid(case: Case, index: int, document: dict, label: str, citation: str) -> Check:
    valid_until = parse_date(document.get("valid_until"))
    if valid_until is None:
        text = f"The expiry date of your {label} is unknown."
        return Check(
            MISSING, citation, text, [case.ptr("canadian_documents", index, "valid_until")]
        )
    if valid_until < case.claim_date:
        text = (
            f"Your {label} expires on {valid_until.isoformat()}, before the claim date: "
            f"whether an expired document still meets {citation} needs review."
        )
        return Check(REVIEW, citation, text)
    return Check(MET, citation, "")


# -- (g) visa-exempt for Canada, visa needed for the US --------------------------------------
def visa_exempt_check(case: Case) -> Check:
    """R159.5(g): may enter Canada without a visa but would need a visa for the US."""
    if case.us_status in ("lpr", "us_citizen"):
        text = "A US permanent resident needs no US visa, so R159.5(g) cannot apply."
        return Check(NOT_MET, "R159.5(g)", text)
    checks = [_citizenship_visa(country, case.claim_date) for country in case.citizenships or ()]
    if not checks:
        return Check(NOT_MET, "R159.5(g)", "No citizenship is visa-exempt for Canada.")
    return best_of(checks)


def _citizenship_visa(country: str, claim_date: date) -> Check:
    exempt = visa_exempt_index().get(country, claim_date)
    if exempt is None:
        return Check(NOT_MET, "R159.5(g)", f"A {country} citizen needs a visa for Canada.")
    if exempt.get("passport_condition"):
        text = (
            f"{country} citizens are visa-exempt only with certain passports "
            f"({exempt['basis']}): R159.5(g) needs review."
        )
        return Check(REVIEW, "R159.5(g)", text)
    us_visa = us_visa_index().get(country, claim_date)
    if us_visa is None:
        text = (
            f"Whether a {country} citizen needs a US visa is not in the rule tables: "
            "R159.5(g) needs review."
        )
        return Check(REVIEW, "R159.5(g)", text)
    if us_visa["visa_required"]:
        text = (
            f"As a {country} citizen you may enter Canada without a visa but would need one for "
            "the United States (R159.5(g))."
        )
        return Check(MET, "R159.5(g)", text)
    return Check(NOT_MET, "R159.5(g)", f"A {country} citizen needs no US visa.")


# -- (h) refused entry to the US ---------------------------------------------------------------
def refused_entry_check(case: Case) -> Check:
    """R159.5(h): re-entering Canada after the US refused entry without adjudicating a claim."""
    if case.claim_date < R159_5_H_IN_FORCE or case.today < R159_5_H_IN_FORCE:
        return Check(NOT_MET, "R159.5(h)", "R159.5(h) was not in force on the claim date.")
    if case.refused_entry_to_us:
        text = (
            "You are re-entering Canada after the United States refused you entry without "
            "adjudicating a refugee claim (R159.5(h)(i))."
        )
        return Check(MET, "R159.5(h)(i)", text)
    return Check(NOT_MET, "R159.5(h)", "The US has not refused you entry without adjudication.")


# -- R159.6 death penalty -----------------------------------------------------------------------
def death_penalty_check(case: Case) -> Check:
    """R159.6: charged with or convicted of an offence punishable by death."""
    block = case.criminality
    if not isinstance(block, dict):
        text = "Criminal charges are unknown; a death-penalty charge would meet R159.6."
        return Check(MISSING, "R159.6", text, [case.ptr("criminality")])
    charged = block.get("death_penalty_charge")
    if charged:
        text = "You are charged with or convicted of an offence punishable by death (R159.6)."
        return Check(MET, "R159.6", text)
    possible = any(
        isinstance(charge, dict) and charge.get("death_penalty_possible")
        for charge in block.get("pending_charges") or ()
    )
    if possible:
        text = "A pending charge may carry the death penalty: R159.6 needs review."
        return Check(REVIEW, "R159.6", text)
    if charged is None:
        text = "Whether any charge carries the death penalty is unknown (R159.6)."
        return Check(MISSING, "R159.6", text, [case.ptr("criminality", "death_penalty_charge")])
    return Check(NOT_MET, "R159.6", "No charge carries the death penalty.")
