"""``citizenship`` (README 4.8): birth in Canada, descent, Bill C-3, and gating."""

import pytest

from tests.eligibility.builders import REMOVE, cites, expect, screened

ELIGIBLE, INELIGIBLE, REVIEW, MISSING, NA = (
    "LIKELY_ELIGIBLE",
    "LIKELY_INELIGIBLE",
    "NEEDS_REVIEW",
    "MISSING_INFO",
    "NOT_APPLICABLE",
)


def parent(relationship="father", **facts):
    return {
        "relationship": relationship,
        "whereabouts": "us",
        "canadian_citizen_at_client_birth": True,
        "citizenship_renounced_or_lost": False,
        **facts,
    }


MOTHER_NOT_CITIZEN = {
    "relationship": "mother",
    "whereabouts": "us",
    "canadian_citizen_at_client_birth": False,
}


def with_parent(born, screening="2026-11-22", **facts):
    return {
        "/screening_date": screening,
        "/person/date_of_birth": born,
        "/parents": [parent(**facts), MOTHER_NOT_CITIZEN],
    }


CASES = [
    ("already-citizen", {"/person/canadian_status": "citizen"}, ELIGIBLE, ["CA3(1)"]),
    ("born-in-canada-1990", {"/person/born_in_canada": True}, ELIGIBLE, ["CA3(1)(a)", "CA3(2)"]),
    (
        "born-in-canada-1977-02-15",
        {"/person/born_in_canada": True, "/person/date_of_birth": "1977-02-15"},
        ELIGIBLE,
        ["CA3(1)(a)"],
    ),
    (
        "born-in-canada-1977-02-14",
        {"/person/born_in_canada": True, "/person/date_of_birth": "1977-02-14"},
        REVIEW,
        ["CA3(1)"],
    ),
    (
        "descent-before-1977",
        with_parent("1970-03-01", born_in_canada=True),
        ELIGIBLE,
        ["CA3(1)(g)"],
    ),
    (
        "descent-first-generation",
        with_parent("2000-01-01", born_in_canada=True),
        ELIGIBLE,
        ["CA3(1)(b)"],
    ),
    (
        "descent-multi-generation-chain",
        with_parent("2000-01-01", citizen_by_descent=True),
        ELIGIBLE,
        ["CA3(1)(b)"],
    ),
    (
        "descent-chain-before-bill-c3",
        with_parent("2000-01-01", "2025-12-14", citizen_by_descent=True),
        REVIEW,
        ["CA3(1)(b)"],
    ),
    (
        "descent-chain-on-bill-c3-day",
        with_parent("2000-01-01", "2025-12-15", citizen_by_descent=True),
        ELIGIBLE,
        ["CA3(1)(b)"],
    ),
    (
        "born-2025-12-14-limit-not-applied",
        with_parent("2025-12-14", citizen_by_descent=True, days_in_canada_before_client_birth=10),
        ELIGIBLE,
        ["CA3(1)(b)"],
    ),
    (
        "born-2025-12-15-1095-days",
        with_parent("2025-12-15", citizen_by_descent=True, days_in_canada_before_client_birth=1095),
        ELIGIBLE,
        ["CA3(1)(b)"],
    ),
    (
        "born-2025-12-15-1094-days",
        with_parent("2025-12-15", citizen_by_descent=True, days_in_canada_before_client_birth=1094),
        INELIGIBLE,
        ["CA3(3)"],
    ),
    (
        "born-2026-parent-born-in-canada",
        with_parent("2026-03-01", born_in_canada=True),
        ELIGIBLE,
        ["CA3(1)(b)"],
    ),
    (
        "born-2026-parent-naturalized",
        with_parent("2026-03-01", naturalized=True, born_in_canada=False),
        ELIGIBLE,
        ["CA3(1)(b)"],
    ),
    (
        "adoptive-parent",
        with_parent("2000-01-01", born_in_canada=True, adoptive=True),
        REVIEW,
        ["CA5.1"],
    ),
    (
        "parent-renounced",
        with_parent("2000-01-01", born_in_canada=True, citizenship_renounced_or_lost=True),
        REVIEW,
        ["CA3(2.1)"],
    ),
    (
        "parent-born-before-1947",
        with_parent("1975-01-01", born_in_canada=True, date_of_birth="1946-12-31"),
        REVIEW,
        ["CA3(1)(k)"],
    ),
    (
        "parent-born-1947",
        with_parent("1975-01-01", born_in_canada=True, date_of_birth="1947-01-01"),
        ELIGIBLE,
        ["CA3(1)(g)"],
    ),
    (
        "parent-born-in-canada-presumed-citizen",
        with_parent("2000-01-01", born_in_canada=True, canadian_citizen_at_client_birth=None),
        ELIGIBLE,
        ["CA3(1)(b)"],
    ),
    ("no-route", {}, NA, ["CA3(1)"]),
]


@pytest.mark.parametrize(
    ("changes", "outcome", "cited"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_citizenship(changes, outcome, cited):
    expect(screened(changes), "citizenship", outcome, cited)


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"/parents": None}, "/parents"),
        ({"/parents": [MOTHER_NOT_CITIZEN]}, "/parents"),
        (
            {"/parents/0/canadian_citizen_at_client_birth": None},
            "/parents/0/canadian_citizen_at_client_birth",
        ),
        ({"/person/born_in_canada": None}, "/person/born_in_canada"),
        (
            with_parent("2026-03-01", citizen_by_descent=True),
            "/parents/0/days_in_canada_before_client_birth",
        ),
    ],
    ids=["parents", "father-not-listed", "parent-status", "birthplace", "connection-days"],
)
def test_citizenship_missing_facts(changes, pointer):
    expect(screened(changes), "citizenship", MISSING, missing=[pointer])


def test_unknown_parent_birth_date_is_not_missing():
    result = expect(
        screened(with_parent("2000-01-01", born_in_canada=True)), "citizenship", ELIGIBLE
    )
    assert result["missing"] == []


def test_renunciation_default_is_a_caveat_when_decisive():
    changes = with_parent("2000-01-01", born_in_canada=True, citizenship_renounced_or_lost=REMOVE)
    changes["/parents"][0].pop("citizenship_renounced_or_lost")
    result = expect(screened(changes), "citizenship", ELIGIBLE)
    assert cites(result, "CA3(2.1)", "CAVEAT")


def test_best_parent_route_wins():
    changes = {
        "/person/date_of_birth": "2026-02-01",
        "/parents": [
            parent("mother", citizen_by_descent=True, days_in_canada_before_client_birth=5),
            parent("father", born_in_canada=True),
        ],
    }
    result = expect(screened(changes), "citizenship", ELIGIBLE, ["CA3(1)(b)", "CA3(3)"])
    assert result["next_steps"][0].startswith("Apply for a citizenship certificate")


def test_likely_citizen_gates_every_other_pathway():
    assessment = screened(with_parent("2000-01-01", born_in_canada=True))
    assert assessment["stca"] == {"applies": False, "exception": None}
    expect(assessment, "refugee_claim", NA, ["A19(1)"])
    expect(assessment, "temporary_residence", NA, ["A19(1)"])


def test_citizenship_review_does_not_gate():
    assessment = screened(with_parent("2000-01-01", born_in_canada=True, adoptive=True))
    assert assessment["pathways"]["refugee_claim"]["outcome"] != NA


def test_first_generation_limit_opens_dependent_child_sponsorship():
    changes = with_parent(
        "2026-03-01", citizen_by_descent=True, days_in_canada_before_client_birth=100
    )
    assessment = screened(changes)
    expect(assessment, "citizenship", INELIGIBLE, ["CA3(3)"])
    expect(assessment, "family_sponsorship", REVIEW, ["R117(1)(b)", "CA5(4)"])
