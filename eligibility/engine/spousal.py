"""``spousal_sponsorship``: sponsorship by a citizen or PR spouse or partner (README 4.9)."""

from __future__ import annotations

from .dates import age_on, parse_date
from .facts import Case
from .model import INELIGIBLE, NOT_APPLICABLE, REVIEW, Findings
from .registry import rule
from .tables import load, processing_time

PATHWAY = "spousal_sponsorship"
COHABITATION_DAYS = 365
PARTNERED = ("married", "common_law")


def assess_spousal(case: Case) -> tuple[Findings, bool]:
    """Spousal sponsorship and whether R117(9)(d) excludes the client from the family class."""
    out = Findings()
    spouse = case.spouse if case.has_partner_block else None
    if spouse is None:
        _no_spouse_block(case, out)
        return out, False
    status = spouse.get("canadian_status")
    if status in (None, "unknown"):
        out.need(
            "SPOUSE_STATUS_MISSING",
            "R130(1)",
            "The spouse or partner's Canadian status is unknown.",
            [case.ptr("spouse", "canadian_status")],
        )
        return out, False
    if status not in load("anchor_statuses")["sponsor_statuses"]:
        out.add(
            "SPOUSE_NOT_A_SPONSOR",
            "R130(1)",
            NOT_APPLICABLE,
            "Only a Canadian citizen or permanent resident can sponsor a spouse or partner.",
        )
        return out, False
    relationship_rules(case, out, spouse)
    basis = sponsor_rules(case, out, spouse, status)
    excluded = declaration_rule(case, out, spouse)
    if not out.has(INELIGIBLE):
        _eligible(out, basis)
    return out, excluded


def _no_spouse_block(case: Case, out: Findings) -> None:
    if case.marital_status in PARTNERED:
        out.need(
            "SPOUSE_FACTS_MISSING",
            "R117(1)(a)",
            "The client is married or common-law, but nothing is known about the partner.",
            [case.ptr("spouse")],
        )
    else:
        out.add("NO_SPOUSE", "R117(1)(a)", NOT_APPLICABLE, "The client has no spouse or partner.")


@rule("R117(1)(a)", pathway=PATHWAY, in_force="2002-06-28")
def relationship_rules(case: Case, out: Findings, spouse: dict) -> None:
    """The relationship itself: in-person marriage, one year of cohabitation, conjugal review."""
    relationship = spouse["relationship"]
    if relationship == "spouse":
        in_person = spouse.get("marriage_in_person")
        if in_person is False:
            out.add(
                "PROXY_MARRIAGE",
                "R5(c)",
                INELIGIBLE,
                "A proxy, telephone or online marriage does not count (R5(c)).",
                "Marrying in person would make the marriage count.",
            )
        elif in_person is None:
            out.need(
                "MARRIAGE_FORM_MISSING",
                "R5(c)",
                "Whether both were present at the marriage is unknown.",
                [case.ptr("spouse", "marriage_in_person")],
            )
    elif relationship == "common_law_partner":
        _cohabitation(case, out, spouse)
    else:
        out.add(
            "CONJUGAL_PARTNER_REVIEW",
            "R2",
            REVIEW,
            "A conjugal partner must show that marrying or living together was impossible; "
            "marrying in person is an option. Genuineness is assessed (R4).",
        )
    _ages(case, out, spouse)


def _cohabitation(case: Case, out: Findings, spouse: dict) -> None:
    start = parse_date(spouse.get("cohabitation_start"))
    if start is None:
        out.need(
            "COHABITATION_MISSING",
            "R1(1)",
            "When the couple started living together is unknown.",
            [case.ptr("spouse", "cohabitation_start")],
        )
    elif (case.today - start).days < COHABITATION_DAYS:
        out.add(
            "COHABITATION_UNDER_ONE_YEAR",
            "R1(1)",
            INELIGIBLE,
            "A common-law partner must have lived with the sponsor for at least one year (R1(1)).",
        )


def _ages(case: Case, out: Findings, spouse: dict) -> None:
    sponsor_born = parse_date(spouse.get("date_of_birth"))
    unknown = []
    if case.date_of_birth is None:
        unknown.append(case.ptr("person", "date_of_birth"))
    if sponsor_born is None:
        unknown.append(case.ptr("spouse", "date_of_birth"))
    if unknown:
        out.need(
            "SPOUSAL_AGES_MISSING",
            "R117(9)(a)",
            "Both partners' ages are needed (18 or over).",
            unknown,
        )
        return
    if case.age_today < 18 or age_on(sponsor_born, case.today) < 18:
        out.add(
            "PARTNER_UNDER_18",
            "R117(9)(a)",
            INELIGIBLE,
            "A person under 18 cannot be sponsored as, or sponsor, a spouse or partner.",
        )


@rule("R130(1)", pathway=PATHWAY, in_force="2002-06-28")
def sponsor_rules(case: Case, out: Findings, spouse: dict, status: str) -> str | None:
    """Where the sponsor lives, the five-year bar, earlier undertakings, disqualification."""
    basis = _residence(case, out, spouse, status)
    for field, citation, text in (
        (
            "sponsor_five_year_bar",
            "R130(3)",
            "The sponsor was sponsored as a partner less than five years ago (R130(3)).",
        ),
        (
            "sponsor_bound_by_previous_undertaking",
            "R117(9)(b)",
            "The sponsor is still bound by an undertaking for a previous partner (R117(9)(b)).",
        ),
        ("sponsor_disqualified", "R133(1)", "The sponsor is disqualified under R133(1)."),
    ):
        value = spouse.get(field)
        if value:
            out.add("SPONSOR_BARRED", citation, INELIGIBLE, text)
        elif value is None:
            out.caveat(
                "SPONSOR_BAR_ASSUMED_ABSENT",
                citation,
                f"Not known, so taken as not barring: confirm ({citation}).",
            )
    _quebec(case, out, spouse.get("province"), basis)
    return basis


def _residence(case: Case, out: Findings, spouse: dict, status: str) -> str | None:
    lives_in = spouse.get("lives_in")
    if lives_in is None:
        out.need(
            "SPONSOR_RESIDENCE_MISSING",
            "R130(1)",
            "Where the sponsor lives is unknown.",
            [case.ptr("spouse", "lives_in")],
        )
        return None
    if lives_in == "canada":
        return "R130(1)"
    if status == "permanent_resident":
        _permanent_resident_abroad(out)
        return None
    return _citizen_abroad(case, out, spouse)


def _permanent_resident_abroad(out: Findings) -> None:
    text = "A permanent resident must live in Canada to sponsor (R130(1))."
    out.add("PR_SPONSOR_ABROAD", "R130(1)", INELIGIBLE, text)
    note = "A permanent resident living abroad should check the residency obligation (A28)."
    out.add("PR_RESIDENCY_OBLIGATION", "A28", REVIEW, note)


def _citizen_abroad(case: Case, out: Findings, spouse: dict) -> str | None:
    will_reside = spouse.get("will_reside_in_canada")
    if will_reside is None:
        out.need(
            "SPONSOR_RETURN_MISSING",
            "R130(2)",
            "Whether the citizen sponsor will live in Canada when the client becomes a PR "
            "is unknown.",
            [case.ptr("spouse", "will_reside_in_canada")],
        )
        return None
    if not will_reside:
        out.add(
            "CITIZEN_SPONSOR_NOT_RETURNING",
            "R130(2)",
            INELIGIBLE,
            "A citizen living abroad can sponsor only if they will live in Canada (R130(2)).",
        )
        return None
    return "R130(2)"


def _quebec(case: Case, out: Findings, province: str | None, basis: str | None) -> None:
    if province == "QC":
        out.add(
            "QUEBEC_UNDERTAKING",
            "R131(b)",
            REVIEW,
            "A sponsor in Quebec gives Quebec's own undertaking; Quebec rules need review.",
        )
    elif province is None and basis == "R130(1)":
        out.caveat(
            "PROVINCE_ASSUMED_NOT_QUEBEC",
            "R131(b)",
            "The sponsor's province is not known: screened as outside Quebec.",
        )


@rule("R117(9)(d)", pathway=PATHWAY, in_force="2002-06-28")
def declaration_rule(case: Case, out: Findings, sponsor: dict) -> bool:
    """A family member not declared and examined when the sponsor immigrated is excluded."""
    declared = sponsor.get("client_declared_when_sponsor_immigrated")
    if declared is False:
        out.add(
            "NOT_DECLARED_EXCLUDED",
            "R117(9)(d)",
            INELIGIBLE,
            "The client was not declared and examined when the sponsor immigrated, so is "
            "excluded from the family class (R117(9)(d)); only H&C remains.",
        )
        return True
    if declared is None:
        out.caveat(
            "DECLARATION_ASSUMED",
            "R117(9)(d)",
            "Not known whether the client was declared when the sponsor immigrated: confirm.",
        )
    return False


def _eligible(out: Findings, basis: str | None) -> None:
    out.add(
        "SPOUSAL_CLASS",
        "R117(1)(a)",
        "LIKELY_ELIGIBLE",
        "A spouse or partner of a Canadian citizen or PR is in the family class; no income "
        "test applies (R133(4)).",
        "Gather proof of the relationship (marriage certificate, photos, communications, "
        "proof of living together).",
    )
    if basis:
        residence = (
            "The sponsor lives in Canada (R130(1))."
            if basis == "R130(1)"
            else "The citizen sponsor will live in Canada (R130(2))."
        )
        out.add("SPONSOR_RESIDENCE", basis, "LIKELY_ELIGIBLE", residence)
    figure = processing_time("spousal_outland")
    out.caveat(
        "PROCESSING_TIME",
        figure["citation"],
        f"Outland spousal sponsorship takes {figure['text']} (as of {figure['as_of']}).",
    )
