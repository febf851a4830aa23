"""``prra`` (README 4.6) and ``humanitarian`` (README 4.7)."""

import pytest

from tests.eligibility.builders import REMOVE, cites, expect, screened

ELIGIBLE, INELIGIBLE, REVIEW, MISSING, NA, LATER = (
    "LIKELY_ELIGIBLE",
    "LIKELY_INELIGIBLE",
    "NEEDS_REVIEW",
    "MISSING_INFO",
    "NOT_APPLICABLE",
    "LIKELY_AVAILABLE_LATER",
)
AIRPORT = {"/plan/entry_mode": "airport"}


def ended_claim(decided, outcome="rejected"):
    return {"date": "2024-01-01", "outcome": outcome, "final_decision_date": decided}


PRRA = [
    ("stca-return", {}, INELIGIBLE, ["A112(2)(b)"]),
    ("available-later", AIRPORT, LATER, ["A112(1)"]),
    (
        "extradition",
        {**AIRPORT, "/criminality/extradition_proceedings": True},
        INELIGIBLE,
        ["A112(2)(a)"],
    ),
    (
        "claim-rejected-11-months-ago",
        {**AIRPORT, "/canadian_history/prior_claims": [ended_claim("2025-12-22")]},
        INELIGIBLE,
        ["A112(2)(b.1)", "A112(2.1)"],
    ),
    (
        "claim-decided-exactly-12-months-ago",
        {**AIRPORT, "/canadian_history/prior_claims": [ended_claim("2025-11-22")]},
        LATER,
        ["A112(1)"],
    ),
    (
        "claim-decided-a-day-less-than-12-months-ago",
        {**AIRPORT, "/canadian_history/prior_claims": [ended_claim("2025-11-23", "abandoned")]},
        INELIGIBLE,
        ["A112(2)(b.1)"],
    ),
    (
        "prra-rejected-recently",
        {
            **AIRPORT,
            "/canadian_history/prra_applications": [
                {"outcome": "rejected", "decision_date": "2026-06-01"}
            ],
        },
        INELIGIBLE,
        ["A112(2)(c)"],
    ),
    (
        "in-canada-removal-order",
        {
            **AIRPORT,
            "/person/current_location": "canada",
            "/canadian_history/removal_order_in_force": True,
        },
        REVIEW,
        ["R160"],
    ),
    ("stca-undetermined-missing", {"/relatives_in_canada": None}, MISSING, ["A112(2)(b)"]),
    (
        "stca-undetermined-review",
        {
            "/relatives_in_canada": [
                {
                    "relationship": "sister",
                    "status": "claimant_pending_eligibility",
                    "in_canada": True,
                    "age": 30,
                }
            ]
        },
        REVIEW,
        ["A112(2)(b)"],
    ),
    (
        "c1-only-bar-mandatory-hearing",
        {**AIRPORT, "/prior_claims": [{"country": "US", "kind": "asylum_affirmative"}]},
        LATER,
        ["A112(1)", "A113.01"],
    ),
    (
        "criminality-restricted-prra",
        {**AIRPORT, "/criminality/convictions": [{"canadian_equivalent_max_years": 10}]},
        REVIEW,
        ["A112(3)"],
    ),
    ("deported", {**AIRPORT, "/canadian_history/deported": True}, REVIEW, ["A52(1)"]),
]


@pytest.mark.parametrize(
    ("changes", "outcome", "cited"), [case[1:] for case in PRRA], ids=[case[0] for case in PRRA]
)
def test_prra(changes, outcome, cited):
    expect(screened(changes), "prra", outcome, cited)


def test_no_mandatory_hearing_when_c1_is_not_the_only_bar():
    changes = {
        **AIRPORT,
        "/prior_claims": [{"country": "US", "kind": "asylum_affirmative"}],
        "/recognized_refugee_elsewhere": [{"country": "CR", "can_return": True}],
    }
    result = expect(screened(changes), "prra", LATER, ["A112(1)"])
    assert not cites(result, "A113.01")


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"/canadian_history/prra_applications": None}, "/canadian_history/prra_applications"),
        ({"/canadian_history/prior_claims": None}, "/canadian_history/prior_claims"),
        (
            {"/canadian_history/prior_claims": [{"outcome": "rejected"}]},
            "/canadian_history/prior_claims/0/final_decision_date",
        ),
        ({"/criminality/pending_charges": None}, "/criminality/pending_charges"),
    ],
    ids=["prra-history", "claim-history", "decision-date", "criminality-overlay"],
)
def test_prra_missing_facts(changes, pointer):
    expect(screened({**AIRPORT, **changes}), "prra", MISSING, missing=[pointer])


def test_prra_is_never_eligible_from_the_us():
    for changes in ({}, AIRPORT, {**AIRPORT, "/person/current_location": "canada"}):
        assert screened(changes)["pathways"]["prra"]["outcome"] != ELIGIBLE


HUMANITARIAN = [
    ("stca-return", {}, NA, ["A25(1)"]),
    ("refugee-claim-eligible", AIRPORT, REVIEW, ["A25(1)"]),
    (
        "refugee-claim-ineligible",
        {
            **AIRPORT,
            "/canadian_history/prior_claims": [
                {"outcome": "withdrawn", "final_decision_date": "2020-01-01"}
            ],
        },
        REVIEW,
        ["A25(1)"],
    ),
    ("in-canada", {"/person/current_location": "canada"}, REVIEW, ["A25(1)", "A25(1.2)"]),
    (
        "family-class-excluded-r117-9-d",
        {
            "/person/marital_status": "married",
            "/spouse": {
                "relationship": "spouse",
                "canadian_status": "citizen",
                "lives_in": "canada",
                "in_canada": False,
                "marriage_in_person": True,
                "date_of_birth": "1988-01-01",
                "client_declared_when_sponsor_immigrated": False,
            },
        },
        REVIEW,
        ["A25(1)"],
    ),
    ("criminality", {**AIRPORT, "/criminality/security_concern": True}, REVIEW, ["A25(1)"]),
]


@pytest.mark.parametrize(
    ("changes", "outcome", "cited"),
    [case[1:] for case in HUMANITARIAN],
    ids=[case[0] for case in HUMANITARIAN],
)
def test_humanitarian(changes, outcome, cited):
    expect(screened(changes), "humanitarian", outcome, cited)


def test_humanitarian_follows_refugee_claim_missing_info():
    assessment = screened({"/relatives_in_canada": None})
    expect(assessment, "refugee_claim", MISSING, missing=["/relatives_in_canada"])
    expect(assessment, "humanitarian", MISSING, ["A25(1)"], missing=["/relatives_in_canada"])


def test_humanitarian_needs_the_current_location():
    expect(
        screened({**AIRPORT, "/person/current_location": REMOVE}),
        "humanitarian",
        MISSING,
        missing=["/person/current_location"],
    )
