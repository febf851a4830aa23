"""``provincial_nominee``: the Provincial Nominee Program (README 4.12; R87)."""

from __future__ import annotations

from .facts import Case
from .model import ELIGIBLE, NOT_APPLICABLE, REVIEW, Findings
from .registry import rule

PATHWAY = "provincial_nominee"


@rule("R87", pathway=PATHWAY, in_force="2002-06-28")
def assess_provincial_nominee(case: Case, out: Findings) -> None:
    """Never LIKELY_ELIGIBLE without a nomination; streams vary by province."""
    economic = case.economic
    if economic is None:
        out.need(
            "FACT_MISSING",
            "R87",
            "Education, language, work history and provincial ties are needed.",
            [case.ptr("economic")],
        )
    elif economic.get("intended_province") == "QC":
        out.add(
            "QUEBEC_HAS_NO_PNP",
            "A9(1)",
            NOT_APPLICABLE,
            "Quebec has no Provincial Nominee Program; it selects its own immigrants.",
        )
    elif economic.get("provincial_nomination"):
        out.add(
            "PROVINCIAL_NOMINATION",
            "R87(2)",
            ELIGIBLE,
            "A provincial nomination certificate supports a PR application as a provincial "
            "nominee (R87(2)).",
        )
        out.caveat(
            "NOMINATION_CRS_POINTS",
            "R87(2)",
            "An Express Entry-aligned nomination also adds 600 CRS points.",
        )
    else:
        out.add(
            "PNP_STREAMS_VARY",
            "R87",
            REVIEW,
            "Provincial streams, job offers, provincial ties and paused allocations vary: a "
            "nomination would be needed (R87).",
            "Check the streams of the province where the client has a job offer or ties.",
        )
