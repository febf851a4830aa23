"""``humanitarian``: humanitarian and compassionate grounds, A25(1) (README 4.7)."""

from __future__ import annotations

from .facts import Case
from .model import ELIGIBLE, INELIGIBLE, MISSING, NOT_APPLICABLE, REVIEW, Findings
from .registry import rule
from .stca import Stca

PATHWAY = "humanitarian"


@rule("A25(1)", pathway=PATHWAY, in_force="2002-06-28")
def assess_humanitarian(
    case: Case, out: Findings, stca: Stca, refugee: Findings, family_class_excluded: bool
) -> None:
    """The first H&C rule that matches, in README order (gating is done by the caller)."""
    refugee_outcome = refugee.outcome()
    if case.location is None:
        text = "Where the client is now decides whether H&C can be asked from inside Canada."
        out.need("HC_LOCATION_MISSING", "A25(1)", text, [case.ptr("person", "current_location")])
    elif case.location == "canada":
        _in_canada(out)
    elif family_class_excluded:
        text = (
            "Excluded from the family class under R117(9)(d): H&C can be asked together with a "
            "permanent resident visa application (A25(1))."
        )
        out.add("HC_WITH_PR_VISA_APPLICATION", "A25(1)", REVIEW, text)
    elif stca.applies is True:
        text = (
            "The STCA would return the person to the United States, so an H&C request from inside "
            "Canada is not a realistic option (A25(1))."
        )
        out.add("HC_STCA_RETURN", "A25(1)", NOT_APPLICABLE, text)
    elif refugee_outcome in (ELIGIBLE, REVIEW, INELIGIBLE):
        _possible_later(out)
    elif refugee_outcome == MISSING:
        text = "H&C depends on the refugee-claim screening, which lacks facts."
        out.need("HC_FOLLOWS_REFUGEE_CLAIM", "A25(1)", text, refugee.missing)
    else:
        out.add("HC_NOT_APPLICABLE", "A25(1)", NOT_APPLICABLE, "H&C does not apply here.")


def _in_canada(out: Findings) -> None:
    text = "In Canada, H&C can be asked with an application for permanent residence (A25(1))."
    step = (
        "Gather evidence of establishment in Canada, family ties and the best interests of any "
        "child affected."
    )
    out.add("HC_IN_CANADA", "A25(1)", REVIEW, text, step)
    bars = (
        "H&C cannot be asked while a refugee claim is pending at the IRB, or within 12 months "
        "of a negative decision, with exceptions for medical risk and children's interests."
    )
    out.caveat("HC_A25_1_2_BARS", "A25(1.2)", bars)


def _possible_later(out: Findings) -> None:
    text = (
        "H&C could be asked later from inside Canada (A25(1)), after the bars of A25(1.2)(b) and "
        "(c): not while a refugee claim is pending, nor within 12 months of a negative decision."
    )
    out.add("HC_POSSIBLE_LATER", "A25(1)", REVIEW, text)
