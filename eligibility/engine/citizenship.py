"""``citizenship``: is the client already Canadian? (README 4.8; Citizenship Act, Bill C-3).

Each route (own status, birth in Canada, each parent) is evaluated; the best wins. No gating
and no overlays. The next step is always a citizenship certificate, never a claim.
"""

from __future__ import annotations

from datetime import date

from .dates import parse_date
from .facts import Case
from .model import ELIGIBLE, INELIGIBLE, NOT_APPLICABLE, REVIEW, Findings, best_route
from .registry import rule

PATHWAY = "citizenship"
CURRENT_ACT = date(1977, 2, 15)
BILL_C3 = date(2025, 12, 15)
BRITISH_SUBJECT_ERA = date(1947, 1, 1)
SUBSTANTIAL_CONNECTION_DAYS = 1095
CERTIFICATE_STEP = (
    "Apply for a citizenship certificate (proof of citizenship) before travelling; do not make "
    "a refugee claim."
)


def assess_citizenship(case: Case) -> Findings:
    """Best route among own status, birth in Canada and each parent at the client's birth."""
    routes = []
    if case.canadian_status == "citizen":
        routes.append(_route(already_citizen, case))
    if case.person.get("born_in_canada") is not False:
        routes.append(_route(born_in_canada, case))
    routes.extend(_parent_routes(case))
    if not any(route.outcome() for route in routes):
        routes.append(_no_route())
    return best_route(routes)


def _route(route_rule, case: Case) -> Findings:
    route = Findings()
    route_rule(case, route)
    return route


@rule("CA3(1)", pathway=PATHWAY, in_force="1977-02-15")
def already_citizen(case: Case, out: Findings) -> None:
    """The client already holds Canadian citizenship."""
    if case.canadian_status == "citizen":
        out.add(
            "CIT_ALREADY_CITIZEN",
            "CA3(1)",
            ELIGIBLE,
            "The client is a Canadian citizen.",
            CERTIFICATE_STEP,
        )


@rule("CA3(1)(a)", pathway=PATHWAY, in_force="1977-02-15")
def born_in_canada(case: Case, out: Findings) -> None:
    """Birth in Canada on or after 1977-02-15 (CA3(2) diplomat exception aside)."""
    born_here = case.person.get("born_in_canada")
    if born_here is None:
        text = "Whether the client was born in Canada is unknown."
        out.need(
            "CIT_BIRTHPLACE_MISSING", "CA3(1)(a)", text, [case.ptr("person", "born_in_canada")]
        )
        return
    if not born_here:
        return
    if case.date_of_birth is None:
        text = "The date of birth decides which citizenship rules apply to a birth in Canada."
        out.need("CIT_BIRTH_DATE_MISSING", "CA3(1)(a)", text, [case.ptr("person", "date_of_birth")])
    elif case.date_of_birth >= CURRENT_ACT:
        out.add(
            "CIT_BORN_IN_CANADA",
            "CA3(1)(a)",
            ELIGIBLE,
            "Born in Canada on or after 1977-02-15: a citizen by birth.",
            CERTIFICATE_STEP,
        )
        out.caveat(
            "CIT_DIPLOMAT_EXCEPTION",
            "CA3(2)",
            "Except a child of foreign diplomats when neither parent was a citizen or PR.",
        )
    else:
        text = "Born in Canada before 1977-02-15: earlier citizenship laws apply and need review."
        out.add("CIT_BORN_IN_CANADA_BEFORE_1977", "CA3(1)(d)", REVIEW, text, CERTIFICATE_STEP)


def _may_be_citizen(parent: dict) -> bool:
    """False only when the parent is known not to have been a citizen at the birth."""
    return parent.get("canadian_citizen_at_client_birth") is not False


def _parent_routes(case: Case) -> list[Findings]:
    parents = case.parents
    if parents is None:
        route = Findings()
        route.need(
            "CIT_PARENTS_MISSING",
            "CA3(1)(b)",
            "A parent's citizenship at the client's birth can make the client a citizen.",
            [case.ptr("parents")],
        )
        return [route]
    routes = []
    for index, parent in enumerate(parents):
        if parent["relationship"] in ("mother", "father") and _may_be_citizen(parent):
            route = Findings()
            citizen_parent_route(case, route, index, parent)
            routes.append(route)
    present = {parent["relationship"] for parent in parents}
    for relationship in ("mother", "father"):
        if relationship not in present:
            route = Findings()
            route.need(
                "CIT_PARENT_MISSING",
                "CA3(1)(b)",
                f"The client's {relationship} is not listed.",
                [case.ptr("parents")],
            )
            routes.append(route)
    return routes


def _no_route() -> Findings:
    route = Findings()
    route.add(
        "CIT_NO_ROUTE",
        "CA3(1)",
        NOT_APPLICABLE,
        "Not born in Canada, and no parent was a Canadian citizen at the client's birth.",
    )
    return route


@rule("CA3(1)(b)", pathway=PATHWAY, in_force="1977-02-15")
def citizen_parent_route(case: Case, out: Findings, index: int, parent: dict) -> None:
    """Citizenship by descent through one parent who was a citizen at the client's birth."""
    relationship = parent["relationship"]
    keys = ("parents", index)
    citizen = parent.get("canadian_citizen_at_client_birth")
    if citizen is None and parent.get("born_in_canada") is True:
        citizen = True
        out.caveat(
            "CIT_PARENT_PRESUMED_CITIZEN",
            "CA3(1)(a)",
            f"The {relationship} was born in Canada, so presumed a citizen at the birth: verify.",
        )
    if citizen is None:
        text = (
            f"Whether the client's {relationship} was a Canadian citizen at the birth is unknown."
        )
        out.need(
            "CIT_PARENT_STATUS_MISSING",
            "CA3(1)(b)",
            text,
            [case.ptr(*keys, "canadian_citizen_at_client_birth")],
        )
        return
    if not citizen:
        return
    _parent_complications(case, out, keys, parent)
    _descent_by_birth_date(case, out, keys, parent)


def _parent_complications(case: Case, out: Findings, keys: tuple, parent: dict) -> None:
    relationship = parent["relationship"]
    if parent.get("adoptive"):
        out.add(
            "CIT_ADOPTIVE_PARENT",
            "CA5.1",
            REVIEW,
            f"The citizen {relationship} is adoptive: a CA5.1 grant applies instead; review.",
        )
    lost = parent.get("citizenship_renounced_or_lost")
    if lost:
        out.add(
            "CIT_PARENT_RENOUNCED",
            "CA3(2.1)",
            REVIEW,
            f"The {relationship} renounced or lost citizenship: the chain needs review.",
        )
    elif lost is None:
        out.caveat(
            "CIT_RENUNCIATION_ASSUMED",
            "CA3(2.1)",
            f"Assumed the {relationship} never renounced or lost citizenship: confirm.",
        )
    born = parse_date(parent.get("date_of_birth"))
    if born is not None and born < BRITISH_SUBJECT_ERA:
        out.add(
            "CIT_PRE_1947_PARENT",
            "CA3(1)(k)",
            REVIEW,
            f"The {relationship} was born before 1947: pre-1947 rules need review.",
        )


def _descent_by_birth_date(case: Case, out: Findings, keys: tuple, parent: dict) -> None:
    relationship = parent["relationship"]
    born = case.date_of_birth
    if born is None:
        out.need(
            "CIT_BIRTH_DATE_MISSING",
            "CA3(1)(b)",
            "The client's date of birth decides which descent rule applies.",
            [case.ptr("person", "date_of_birth")],
        )
    elif born < CURRENT_ACT:
        out.add(
            "CIT_DESCENT_BEFORE_1977",
            "CA3(1)(g)",
            ELIGIBLE,
            f"Born abroad before 1977-02-15 to a citizen {relationship}: a citizen.",
            CERTIFICATE_STEP,
        )
    elif born < BILL_C3:
        _descent_before_bill_c3(case, out, parent)
    else:
        first_generation_limit(case, out, keys, parent)


def _descent_before_bill_c3(case: Case, out: Findings, parent: dict) -> None:
    relationship = parent["relationship"]
    by_descent = parent.get("citizen_by_descent") is True
    if by_descent and case.today < BILL_C3:
        out.add(
            "CIT_FIRST_GENERATION_PRE_C3",
            "CA3(1)(b)",
            REVIEW,
            "Before 2025-12-15 the first-generation limit applied to a parent who is a "
            "citizen by descent: needs review.",
            CERTIFICATE_STEP,
        )
        return
    out.add(
        "CIT_DESCENT",
        "CA3(1)(b)",
        ELIGIBLE,
        f"Born abroad before 2025-12-15 to a {relationship} who was a Canadian citizen at the "
        "birth: a citizen.",
        CERTIFICATE_STEP,
    )
    if by_descent:
        out.caveat(
            "CIT_MULTI_GENERATION_CHAIN",
            "CA3(1)(b)",
            "A multi-generation chain: prove every link, generation by generation.",
        )


@rule("CA3(3)", pathway=PATHWAY, in_force="2025-12-15")
def first_generation_limit(case: Case, out: Findings, keys: tuple, parent: dict) -> None:
    """Births abroad on or after 2025-12-15: the 1,095-day substantial-connection test."""
    relationship = parent["relationship"]
    if parent.get("born_in_canada") is True or parent.get("naturalized") is True:
        out.add(
            "CIT_DESCENT",
            "CA3(1)(b)",
            ELIGIBLE,
            f"The {relationship} was born in Canada or naturalized, so the first-generation "
            "limit does not apply: a citizen.",
            CERTIFICATE_STEP,
        )
        return
    days = parent.get("days_in_canada_before_client_birth")
    if days is None:
        _connection_missing(case, out, keys, parent)
    elif days >= SUBSTANTIAL_CONNECTION_DAYS:
        out.add(
            "CIT_DESCENT_CONNECTION",
            "CA3(1)(b)",
            ELIGIBLE,
            f"The {relationship} spent at least 1,095 days in Canada before the birth: a citizen.",
            CERTIFICATE_STEP,
        )
    else:
        out.add(
            "CIT_FIRST_GENERATION_LIMIT",
            "CA3(3)",
            INELIGIBLE,
            f"Born abroad on or after 2025-12-15 to a {relationship} who is a citizen by descent "
            "with fewer than 1,095 days in Canada before the birth (CA3(3)).",
            "Ask about a discretionary grant (CA5(4)) or dependent-child sponsorship.",
        )


def _connection_missing(case: Case, out: Findings, keys: tuple, parent: dict) -> None:
    paths = [case.ptr(*keys, "days_in_canada_before_client_birth")]
    if parent.get("citizen_by_descent") is not True:
        names = ("born_in_canada", "naturalized")
        paths += [case.ptr(*keys, name) for name in names if parent.get(name) is None]
    text = f"The {parent['relationship']}'s days in Canada before the birth decide CA3(3)."
    out.need("CIT_CONNECTION_MISSING", "CA3(3)", text, paths)
