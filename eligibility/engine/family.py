"""``family_sponsorship``: sponsorship by a relative other than the spouse (README 4.10).

Each citizen or PR relative is a candidate route; the best route wins.
"""

from __future__ import annotations

from .checks import MET, MISSING, NOT_MET, REVIEW, Check, all_of
from .dates import birthday, within_days
from .facts import Case, relative_age_range
from .model import ELIGIBLE, INELIGIBLE, NOT_APPLICABLE, Findings, best_route
from .model import MISSING as MISSING_INFO
from .model import REVIEW as NEEDS_REVIEW
from .registry import rule
from .spousal import declaration_rule
from .tables import load, pause_index

PATHWAY = "family_sponsorship"
PARENT_SPONSORS = ("father", "mother")
CHILD_SPONSORS = {"child": "R117(1)(c)", "grandchild": "R117(1)(d)"}
ORPHAN_SPONSORS = ("brother", "sister", "uncle", "aunt", "grandfather", "grandmother")
DEPENDENT_AGE = 22
AGE_WINDOW_DAYS = 30


def assess_family(case: Case, citizenship: Findings) -> tuple[Findings, bool]:
    """Best sponsor route, and whether R117(9)(d) excludes the client from the family class."""
    routes: list[Findings] = []
    excluded = False
    if case.relatives is None:
        route = Findings()
        path = [case.ptr("relatives_in_canada")]
        route.need("RELATIVES_MISSING", "R117(1)", "Relatives in Canada are unknown.", path)
        routes.append(route)
    sponsors = load("anchor_statuses")["sponsor_statuses"]
    for index, relative in enumerate(case.relatives or ()):
        status = relative.get("status")
        if status in sponsors:
            route = Findings()
            excluded |= bool(sponsor_route(case, route, index, relative))
            routes.append(route)
        elif status in (None, "unknown") and _could_sponsor(case, index, relative):
            routes.append(_status_unknown(case, index, relative))
    routes.extend(_citizen_parent_after_c3(citizenship))
    if not routes:
        route = Findings()
        text = "No relative in Canada is a citizen or PR who could sponsor the client."
        route.add("NO_SPONSOR", "R117(1)", NOT_APPLICABLE, text)
        routes.append(route)
    return best_route(routes), excluded


def _status_unknown(case: Case, index: int, relative: dict) -> Findings:
    route = Findings()
    text = f"The Canadian status of the client's {_label(relative)} is unknown."
    path = [case.ptr("relatives_in_canada", index, "status")]
    route.need("SPONSOR_STATUS_MISSING", "R117(1)", text, path)
    return route


def _label(relative: dict) -> str:
    return relative["relationship"].replace("_", " ")


def _could_sponsor(case: Case, index: int, relative: dict) -> bool:
    """Would this relative give a route if they were a citizen living in Canada?"""
    probe = Findings()
    sponsor_route(case, probe, index, {**relative, "status": "citizen", "resides_in_canada": True})
    return probe.outcome() in (ELIGIBLE, NEEDS_REVIEW, MISSING_INFO)


def _citizen_parent_after_c3(citizenship: Findings) -> list[Findings]:
    if citizenship.outcome() != INELIGIBLE:
        return []
    if not any(reason["citation"] == "CA3(3)" for reason in citizenship.reasons):
        return []
    route = Findings()
    route.add(
        "CITIZEN_PARENT_SPONSORS_CHILD",
        "R117(1)(b)",
        NEEDS_REVIEW,
        "The citizen parent may sponsor the child as a dependent child (R130(2) if abroad).",
    )
    route.caveat("CA5_4_GRANT", "CA5(4)", "A discretionary citizenship grant may also be possible.")
    return [route]


@rule("R117(1)", pathway=PATHWAY, in_force="2002-06-28")
def sponsor_route(case: Case, out: Findings, index: int, relative: dict) -> bool:
    """One relative's route: sponsor age and residence, the class, then the modifiers."""
    relationship = relative["relationship"]
    _sponsor_age(case, out, index, relative)
    _sponsor_residence(case, out, index, relative, relationship in PARENT_SPONSORS)
    if relationship in PARENT_SPONSORS:
        dependent_child_route(case, out)
    elif relationship in CHILD_SPONSORS:
        parent_route(case, out, CHILD_SPONSORS[relationship])
    elif relationship in ORPHAN_SPONSORS:
        orphan_route(case, out, relationship)
    else:
        out.add(
            "NOT_SPONSORABLE",
            "R117(1)",
            INELIGIBLE,
            f"A {_label(relative)} cannot sponsor the client in the family class.",
        )
        out.caveat(
            "LONELY_CANADIAN",
            "R117(1)(h)",
            "Only a sponsor with no closer relative at all could sponsor any relative.",
        )
    if relative.get("sponsor_disqualified"):
        out.add(
            "SPONSOR_DISQUALIFIED", "R133(1)", INELIGIBLE, "The sponsor is disqualified (R133(1))."
        )
    elif relative.get("sponsor_disqualified") is None:
        out.caveat(
            "SPONSOR_BAR_ASSUMED_ABSENT", "R133(1)", "Not known, so taken as not barring: confirm."
        )
    if relative.get("province") == "QC":
        out.add(
            "QUEBEC_UNDERTAKING",
            "R131(b)",
            NEEDS_REVIEW,
            "A sponsor in Quebec gives Quebec's own undertaking; Quebec rules need review.",
        )
    return declaration_rule(case, out, relative)


def _sponsor_age(case: Case, out: Findings, index: int, relative: dict) -> None:
    ages = relative_age_range(relative, case.today, case.today)
    if ages is None:
        out.need(
            "SPONSOR_AGE_MISSING",
            "R130(1)",
            "The sponsor's age is needed (18 or over).",
            [case.ptr("relatives_in_canada", index, "date_of_birth")],
        )
    elif ages[0] < 18:
        out.add(
            "SPONSOR_UNDER_18", "R130(1)", INELIGIBLE, "A sponsor must be 18 or over (R130(1))."
        )


def _sponsor_residence(
    case: Case, out: Findings, index: int, relative: dict, child_route: bool
) -> None:
    resides = relative.get("resides_in_canada")
    if resides is None:
        out.need(
            "SPONSOR_RESIDENCE_MISSING",
            "R130(1)",
            "Whether the sponsor lives in Canada is unknown.",
            [case.ptr("relatives_in_canada", index, "resides_in_canada")],
        )
    elif not resides:
        if relative.get("status") != "citizen" or not child_route:
            out.add(
                "SPONSOR_ABROAD",
                "R130(1)",
                INELIGIBLE,
                "The sponsor must live in Canada (R130(1)).",
            )
            return
        will_reside = relative.get("will_reside_in_canada")
        if will_reside is None:
            out.need(
                "SPONSOR_RETURN_MISSING",
                "R130(2)",
                "Whether the citizen parent will live in Canada is unknown (R130(2)).",
                [case.ptr("relatives_in_canada", index, "will_reside_in_canada")],
            )
        elif not will_reside:
            out.add(
                "CITIZEN_SPONSOR_NOT_RETURNING",
                "R130(2)",
                INELIGIBLE,
                "A citizen living abroad can sponsor only if they will live in Canada (R130(2)).",
            )


@rule("R117(1)(b)", pathway=PATHWAY, in_force="2002-06-28")
def dependent_child_route(case: Case, out: Findings) -> None:
    """A parent sponsors a dependent child: under 22 and not married or common-law (R2)."""
    check = all_of([_under_22(case), _not_partnered(case)], Check(MET, "R117(1)(b)", ""))
    if check.status == MET:
        out.add(
            "DEPENDENT_CHILD",
            "R117(1)(b)",
            ELIGIBLE,
            "The client is a dependent child of a citizen or PR parent (R117(1)(b)).",
        )
    else:
        _report(out, check, "R2")
    for citation, text in check.windows:
        out.add("AGE_22_BOUNDARY_WINDOW", citation, NEEDS_REVIEW, text)


def _under_22(case: Case) -> Check:
    age = case.age_today
    if age is None:
        return Check(
            MISSING,
            "R2",
            "The client's age decides the dependent-child route.",
            [case.ptr("person", "date_of_birth")],
        )
    if age < DEPENDENT_AGE:
        check = Check(MET, "R2", "")
    elif case.person.get("dependent_due_to_condition"):
        check = Check(REVIEW, "R2", "Aged 22 or over but dependent because of a condition: review.")
    else:
        check = Check(NOT_MET, "R2", "Aged 22 or over, so not a dependent child (R2).")
    if age not in (DEPENDENT_AGE - 1, DEPENDENT_AGE):
        return check  # the 22nd birthday is more than 30 days away
    twenty_second = birthday(case.date_of_birth, DEPENDENT_AGE)
    if within_days(twenty_second, case.today, AGE_WINDOW_DAYS):
        check.windows.append(
            (
                "R2",
                f"The client turns 22 on {twenty_second.isoformat()}, within "
                "30 days of the screening date: review the age lock-in date.",
            )
        )
    return check


def _not_partnered(case: Case) -> Check:
    if case.marital_status in ("married", "common_law"):
        return Check(NOT_MET, "R2", "A married or common-law child is not a dependent child (R2).")
    if case.marital_status is None and not case.has_partner_block:
        return Check(
            MISSING,
            "R2",
            "The client's marital status decides the dependent-child route.",
            [case.ptr("person", "marital_status")],
        )
    return Check(MET, "R2", "")


@rule("R117(1)(c)", pathway=PATHWAY, in_force="2002-06-28")
def parent_route(case: Case, out: Findings, citation: str) -> None:
    """A child or grandchild sponsors the client as a parent or grandparent (MI89 pause)."""
    pause = pause_index().get("pgp_intake", case.today)
    if pause is not None:
        out.add(
            "PGP_INTAKE_PAUSED",
            pause["citation"],
            INELIGIBLE,
            pause["text"],
            "Ask about a Super Visa (a long-term visitor visa for parents and grandparents).",
        )
        out.add(
            "PGP_CLASS",
            citation,
            INELIGIBLE,
            f"Parent and grandparent sponsorship ({citation}) accepts no new applications now.",
        )
    else:
        out.add(
            "PGP_CLASS",
            citation,
            NEEDS_REVIEW,
            f"Parent and grandparent sponsorship ({citation}) depends on intake rounds, income "
            "tests and a 20-year undertaking: review.",
        )


@rule("R117(1)(f)", pathway=PATHWAY, in_force="2002-06-28")
def orphan_route(case: Case, out: Findings, relationship: str) -> None:
    """An orphaned sibling, nephew, niece or grandchild under 18 and unmarried."""
    minor = _under_18(case)
    if minor.status == NOT_MET:
        check = minor  # an adult client cannot be an orphaned relative: nothing else matters
    else:
        conditions = [minor, _not_partnered(case), _both_parents_deceased(case)]
        check = all_of(conditions, Check(MET, "R117(1)(f)", ""))
    if check.status == MET:
        out.add(
            "ORPHANED_RELATIVE",
            "R117(1)(f)",
            ELIGIBLE,
            f"An orphaned relative under 18 can be sponsored by a {relationship} (R117(1)(f)).",
        )
    elif check.status == NOT_MET:
        out.add(
            "NOT_SPONSORABLE",
            "R117(1)",
            INELIGIBLE,
            f"A {relationship} can sponsor only an orphaned relative under 18. {check.text}",
        )
    else:
        _report(out, check, "R117(1)(f)")


def _under_18(case: Case) -> Check:
    age = case.age_today
    if age is None:
        return Check(
            MISSING,
            "R117(1)(f)",
            "The client's age decides R117(1)(f).",
            [case.ptr("person", "date_of_birth")],
        )
    return Check(MET if age < 18 else NOT_MET, "R117(1)(f)", "The client is 18 or over.")


def _both_parents_deceased(case: Case) -> Check:
    parents = case.parents
    if parents is None:
        text = "Whether both parents have died decides R117(1)(f)."
        return Check(MISSING, "R117(1)(f)", text, [case.ptr("parents")])
    checks = [
        _parent_deceased(case, parents, relationship) for relationship in ("mother", "father")
    ]
    return all_of([check for check in checks if check], Check(MET, "R117(1)(f)", ""))


def _parent_deceased(case: Case, parents: list[dict], relationship: str) -> Check | None:
    entries = [(i, p) for i, p in enumerate(parents) if p["relationship"] == relationship]
    if not entries:
        text = f"The {relationship} is not listed."
        return Check(MISSING, "R117(1)(f)", text, [case.ptr("parents")])
    index, parent = entries[0]
    whereabouts = parent.get("whereabouts")
    if whereabouts is None:
        text = f"Whether the {relationship} is alive is unknown."
        return Check(MISSING, "R117(1)(f)", text, [case.ptr("parents", index, "whereabouts")])
    if whereabouts == "unknown":
        return Check(REVIEW, "R117(1)(f)", f"The {relationship}'s whereabouts are unknown.")
    if whereabouts != "deceased":
        return Check(NOT_MET, "R117(1)(f)", f"The {relationship} is not recorded as deceased.")
    return None


def _report(out: Findings, check: Check, fallback: str) -> None:
    if check.status == NOT_MET:
        out.add("NOT_A_DEPENDENT_CHILD", check.citation or fallback, INELIGIBLE, check.text)
    elif check.status == REVIEW:
        out.add("FAMILY_ROUTE_REVIEW", check.citation or fallback, NEEDS_REVIEW, check.text)
    else:
        out.need("FAMILY_ROUTE_FACTS_MISSING", check.citation or fallback, check.text, check.paths)
