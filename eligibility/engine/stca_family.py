"""STCA exception ``family_member``: R159.5(a)-(d) with the R159.1 definition (README 4.4).

Each relative in Canada (and the spouse or common-law partner) is a candidate. A candidate's
position gives met, review, missing or not met; the best candidate wins.
"""

from __future__ import annotations

from .checks import MET, MISSING, NOT_MET, REVIEW, Check, best_of
from .dates import birthday, parse_date, within_days
from .facts import Case, relative_age_range
from .tables import version_on

AGE_WINDOW_DAYS = 30
LABELS = {"common_law_partner": "common-law partner"}


def family_member_check(case: Case) -> Check:
    """R159.5(a)-(d): the best position among the client's family members in Canada."""
    family = version_on("family_members", case.claim_date)
    statuses = version_on("anchor_statuses", case.claim_date)
    candidates: list[Check] = []
    if case.relatives is None:
        text = "Relatives in Canada are unknown; a family member there may meet R159.5(a)-(d)."
        candidates.append(Check(MISSING, "R159.5", text, [case.ptr("relatives_in_canada")]))
    else:
        for index, relative in enumerate(case.relatives):
            check = _relative_candidate(case, index, relative, family, statuses)
            if check is not None:
                candidates.append(check)
    partner = _partner_candidate(case, family, statuses)
    if partner is not None:
        candidates.append(partner)
    if not candidates:
        text = "No family member in Canada counts under R159.1."
        return Check(NOT_MET, "R159.5", text)
    return best_of(candidates)


def _relative_candidate(
    case: Case, index: int, relative: dict, family: dict, statuses: dict
) -> Check | None:
    relationship = relative["relationship"]
    review_only = relationship in family["review_only_relationships"]
    if relationship == family["guardian_relationship"]:
        guardian = _guardian_counts(case, family)
        if guardian is not True:
            return guardian
    elif relationship not in family["relationships"] and not review_only:
        return None
    basis = relative.get("relationship_basis") or "blood"
    review_only = review_only or basis in family["review_only_bases"]
    label = f"{_basis_label(basis)}{relationship.replace('_', ' ')}"
    keys = ("relatives_in_canada", index)
    check = _anchor_position(case, keys, relative, relative.get("status"), label, statuses)
    return _cap_at_review(check, review_only, label)


def _guardian_counts(case: Case, family: dict) -> bool | Check | None:
    """A legal guardian is a family member only while the client is under 18 (R159.1)."""
    age = case.age_on(case.claim_date)
    if age is None:
        text = "The client's age decides whether a legal guardian counts (R159.1)."
        return Check(MISSING, "R159.1", text, [case.ptr("person", "date_of_birth")])
    return True if age < family["guardian_only_if_client_under"] else None


def _partner_candidate(case: Case, family: dict, statuses: dict) -> Check | None:
    spouse = case.spouse
    if (
        not isinstance(spouse, dict)
        or spouse["relationship"] not in family["partner_relationships"]
    ):
        return None
    label = LABELS.get(spouse["relationship"], spouse["relationship"])
    return _anchor_position(
        case, ("spouse",), spouse, spouse.get("canadian_status"), label, statuses
    )


def _basis_label(basis: str) -> str:
    return {"half": "half-", "adoption": "adoptive "}.get(basis, "")


def _cap_at_review(check: Check, review_only: bool, label: str) -> Check:
    """Step-, half- and adoptive relationships give at most review (README 4.4)."""
    if not review_only or check.status != MET:
        return check
    text = (
        f"Your {label} would meet {check.citation}, but the relationship (step, half or "
        "adoptive) must be checked against the R159.1 definition."
    )
    capped = Check(REVIEW, check.citation, text)
    capped.windows = check.windows
    return capped


def _anchor_position(
    case: Case, keys: tuple, anchor: dict, status: str | None, label: str, statuses: dict
) -> Check:
    """The candidate's position table of README 4.4."""
    by_status = _status_check(case, keys, anchor, status, label, statuses)
    in_canada = anchor.get("in_canada")
    if in_canada is True:
        return by_status
    if in_canada is False:
        text = (
            f"Your {label} will not be in Canada on the claim date, so R159.5(a)-(d) do not apply."
        )
        check = Check(NOT_MET, "R159.5", text)
        if by_status.status == MET:
            note = (
                f"Your {label} is {_status_label(status, statuses)} but will not be in Canada on "
                f"the claim date; {by_status.citation} would apply if they are in Canada that day."
            )
            check.notes.append((by_status.citation, note))
        return check
    if by_status.status == NOT_MET:
        return by_status
    text = f"Whether your {label} will be physically in Canada on the claim date is unknown."
    paths = [case.ptr(*keys, "in_canada"), *by_status.paths]
    return Check(MISSING, by_status.citation, text, paths)


def _status_label(status: str | None, statuses: dict) -> str:
    row = statuses["statuses"].get(status or "")
    return row["label"] if row else "of unknown status"


def _status_check(
    case: Case, keys: tuple, anchor: dict, status: str | None, label: str, statuses: dict
) -> Check:
    if status in (None, "unknown"):
        text = f"The Canadian status of your {label} is unknown."
        field = "canadian_status" if keys[0] == "spouse" else "status"
        return Check(MISSING, "R159.5", text, [case.ptr(*keys, field)])
    row = statuses["statuses"][status]
    result, citation = row["result"], row["citation"]
    if result == "met":
        return Check(MET, citation, f"Your {label} is {row['label']} in Canada ({citation}).")
    if result == "met_if_adult":
        check = _adult_check(case, keys, anchor, citation, f"Your {label} is {row['label']}")
    elif result == "review":
        check = Check(REVIEW, citation, f"Your {label} is {row['label']}: {citation} needs review.")
    else:
        check = Check(
            NOT_MET, citation, f"Your {label} is {row['label']}, which does not meet {citation}."
        )
    if row.get("overrides_permit") or check.status == MET:
        return check
    permit = _permit_check(case, keys, anchor, status, label, statuses["permit"])
    return best_of([check, permit]) if permit is not None else check


def _permit_check(
    case: Case, keys: tuple, anchor: dict, status: str, label: str, rules: dict
) -> Check | None:
    """R159.5(d): a work or study permit, other than an R206(1)(b) or an invalid one."""
    basis = anchor.get("permit_basis")
    if basis is None and status not in rules["bases_implying_unknown_when_omitted_for_status"]:
        basis = "none"
    if basis == "none":
        return None
    if basis is None:
        text = f"Which permit your {label} holds is unknown (R159.5(d))."
        return Check(MISSING, rules["citation"], text, [case.ptr(*keys, "permit_basis")])
    if basis in rules["excluded_bases"]:
        citation = rules["excluded_bases"][basis]
        text = f"A work permit issued under R206(1)(b) does not count ({citation})."
        return Check(NOT_MET, citation, text)
    valid = anchor.get("permit_valid")
    if valid is False:
        text = (
            f"The permit of your {label} will not be valid on the claim date "
            f"({rules['invalid_citation']})."
        )
        return Check(NOT_MET, rules["invalid_citation"], text)
    if status == rules["review_if_status"]:
        text = (
            f"Your {label} holds a permit after a rejected claim; whether it is still valid "
            "(R209) needs review."
        )
        return Check(REVIEW, rules["citation"], text)
    if valid is None:
        text = f"Whether the permit of your {label} is valid on the claim date is unknown."
        return Check(MISSING, rules["citation"], text, [case.ptr(*keys, "permit_valid")])
    return _adult_check(case, keys, anchor, rules["citation"], f"Your {label} holds a valid permit")


def _adult_check(case: Case, keys: tuple, anchor: dict, citation: str, lead: str) -> Check:
    """Anchors under (c) and (d) must be 18 or over on the claim date."""
    claim_date = case.claim_date
    ages = relative_age_range(anchor, claim_date, case.today)
    if ages is None:
        text = f"{lead}; their age on the claim date decides {citation} (18 or over)."
        return Check(MISSING, citation, text, [case.ptr(*keys, "date_of_birth")])
    youngest, oldest = ages
    if youngest >= 18:
        check = Check(MET, citation, f"{lead} and is 18 or over ({citation}).")
    elif oldest < 18:
        check = Check(NOT_MET, citation, f"{lead} but is under 18, so {citation} does not apply.")
    else:
        text = f"{lead}; they may be 17 or 18 on the claim date ({citation} needs 18 or over)."
        return Check(REVIEW, citation, text)
    _flag_eighteenth_birthday(check, anchor, claim_date, citation)
    return check


def _flag_eighteenth_birthday(check: Check, anchor: dict, claim_date, citation: str) -> None:
    born = anchor.get("date_of_birth")
    if born is None:
        return
    eighteenth = birthday(parse_date(born), 18)
    if within_days(eighteenth, claim_date, AGE_WINDOW_DAYS):
        text = (
            f"The family member turns 18 on {eighteenth.isoformat()}, within 30 days of the "
            f"claim date: the age condition of {citation} needs review."
        )
        check.windows.append((citation, text))
