"""Timing grounds of ``refugee_claim``: A101(1)(b.1), (b.2), the 14-day window (README 4.1, 4.5).

(b.1) and (b.2) came into force on 2026-03-26 (2026 c.4 s.73) and reach claims made on or
after 2025-06-03 (2026 c.4 s.75). A window adds a NEEDS_REVIEW reason and never changes a
clearer bar.
"""

from __future__ import annotations

from datetime import date

from .dates import anniversary, parse_date
from .facts import Case
from .model import CAVEAT, INELIGIBLE, REVIEW, Findings
from .registry import rule

PATHWAY = "refugee_claim"
ENTRY_CUTOFF = date(2020, 6, 24)
C12_IN_FORCE = date(2026, 3, 26)
C12_CLAIMS_FROM = date(2025, 6, 3)
BETWEEN_PORTS_RULE_FROM = date(2023, 3, 25)
ONE_YEAR_WINDOW_DAYS = 3
FOURTEEN_DAY_WINDOW = (12, 15)
LATE_AFTER_DAYS = 14


@rule("A101(1)(b.1)", pathway=PATHWAY, in_force="2026-03-26", claims_from="2025-06-03")
def one_year_rule(case: Case, out: Findings) -> None:
    """A claim made more than one year after the first entry after 2020-06-24."""
    first, paths = _first_entry(case)
    if first is None and paths:
        text = "Earlier entries to Canada decide the one-year rule (A101(1)(b.1))."
        out.need("A101_1_B1_FACT_MISSING", "A101(1)(b.1)", text, paths)
        return
    if first is None:
        return
    if case.claim_date is None:
        text = "The claim date decides the one-year rule (A101(1)(b.1))."
        out.need("A101_1_B1_FACT_MISSING", "A101(1)(b.1)", text, [case.ptr("plan", "claim_date")])
        return
    _judge_one_year(case, out, first, paths)


def _first_entry(case: Case) -> tuple[date | None, list[str]]:
    """The first entry after 2020-06-24, and the facts still missing to be sure of it."""
    previous = case.plan.get("previous_entries_to_canada")
    earlier = [day for day in map(parse_date, previous or ()) if day > ENTRY_CUTOFF]
    if earlier:
        return min(earlier), []
    current = case.entry_date
    if current is not None and current <= ENTRY_CUTOFF:
        return None, []  # earlier entries precede this one, so none is after the cut-off
    missing = []
    if previous is None:
        missing.append(case.ptr("plan", "previous_entries_to_canada"))
    if current is None:
        missing.append(case.ptr("plan", "entry_date"))
    return current, missing


def _judge_one_year(case: Case, out: Findings, first: date, missing: list[str]) -> None:
    deadline = anniversary(first, 1)
    claim_date = case.claim_date
    barred = claim_date > deadline
    if missing and not barred:
        text = "Earlier entries to Canada may start the one-year period sooner (A101(1)(b.1))."
        out.need("A101_1_B1_FACT_MISSING", "A101(1)(b.1)", text, missing)
    if barred:
        text = (
            f"The claim would be made more than one year after the first entry after 2020-06-24 "
            f"({first.isoformat()}; the year ended {deadline.isoformat()}). No exception exists."
        )
        out.add("A101_1_B1_ONE_YEAR_RULE", "A101(1)(b.1)", INELIGIBLE, text)
        out.missing.extend(missing)
        _referred_claim_review(case, out)
    if abs((claim_date - deadline).days) <= ONE_YEAR_WINDOW_DAYS:
        text = (
            f"The claim date is within 3 days of the one-year deadline ({deadline.isoformat()}): "
            "the counting and the entry dates need review."
        )
        out.add("A101_1_B1_BOUNDARY_WINDOW", "A101(1)(b.1)", REVIEW, text)


@rule("A101(1)(b.2)", pathway=PATHWAY, in_force="2026-03-26", claims_from="2025-06-03")
def between_ports_late_claim(case: Case, out: Findings) -> None:
    """Entered between ports and claimed 14 or more days later: no exception saves it."""
    if case.entry_mode != "between_ports":
        return
    days = _days_after_entry(case, out, "A101(1)(b.2)")
    if days is not None and days >= LATE_AFTER_DAYS:
        text = (
            f"The claim would be made {days} days after entering between ports of entry; from "
            "14 days on, A101(1)(b.2) makes it ineligible and no exception of any kind saves it."
        )
        out.add("A101_1_B2_BETWEEN_PORTS_LATE", "A101(1)(b.2)", INELIGIBLE, text)
        _referred_claim_review(case, out)


def _days_after_entry(case: Case, out: Findings, citation: str) -> int | None:
    if case.entry_date is None or case.claim_date is None:
        paths = [
            case.ptr("plan", name)
            for name, value in (("entry_date", case.entry_date), ("claim_date", case.claim_date))
            if value is None
        ]
        text = "The entry and claim dates decide the between-ports rules."
        out.need("BETWEEN_PORTS_DATES_MISSING", citation, text, paths)
        return None
    return (case.claim_date - case.entry_date).days


def _referred_claim_review(case: Case, out: Findings) -> None:
    """A claim referred before 2026-03-26 may be terminated by notice (A104(1)(a))."""
    if case.claim_status == "referred" and case.claim_date < C12_IN_FORCE:
        text = (
            "The claim was already referred before 2026-03-26: whether IRCC/CBSA will terminate it "
            "by notice under A104(1)(a) is unverified and needs review."
        )
        out.add("A104_1_A_REFERRED_CLAIM_REVIEW", "A104(1)(a)", REVIEW, text)


@rule("R159.4(1.1)", pathway=PATHWAY, in_force="2023-03-25")
def fourteen_day_window(case: Case, out: Findings) -> None:
    """Claims 12 to 15 days after a between-ports entry: the counting convention is unverified."""
    if case.entry_mode != "between_ports" or case.entry_date is None or case.claim_date is None:
        return
    in_play = case.entry_date >= BETWEEN_PORTS_RULE_FROM or _late_claim_rule_in_play(case)
    days = (case.claim_date - case.entry_date).days
    low, high = FOURTEEN_DAY_WINDOW
    if in_play and low <= days <= high:
        text = (
            f"The claim would be made {days} days after entry, near the 14-day limit: the "
            "counting and the proof of the entry date (the claimant's burden) need review."
        )
        out.add("FOURTEEN_DAY_BOUNDARY_WINDOW", "R159.4(1.1)", REVIEW, text)


def _late_claim_rule_in_play(case: Case) -> bool:
    return case.today >= C12_IN_FORCE and case.claim_date >= C12_CLAIMS_FROM


def between_ports_guardrail(case: Case, out: Findings) -> None:
    """When the facts describe a between-ports entry, explain the consequence (README 6)."""
    if case.entry_mode != "between_ports" or case.today < BETWEEN_PORTS_RULE_FROM:
        return
    late_rule = case.today >= C12_IN_FORCE
    citation = "A101(1)(b.2)" if late_rule else "R159.4(1.1)"
    text = (
        "An entry away from a port of entry is never advised: a claim made within 14 days is "
        "subject to the STCA"
        + (
            ", and a claim made 14 or more days later is ineligible under A101(1)(b.2) with no "
            "exception"
            if late_rule
            else ""
        )
        + ". A claimant who meets an STCA exception should present at a land port of entry."
    )
    out.add("BETWEEN_PORTS_CONSEQUENCES", citation, CAVEAT, text)
