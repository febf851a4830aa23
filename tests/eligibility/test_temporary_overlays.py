"""``temporary_residence`` (README 4.13), gating and overlays (README 4.3)."""

import pytest

from tests.eligibility.builders import REMOVE, cites, expect, screened

ELIGIBLE, INELIGIBLE, REVIEW, MISSING, NA = (
    "LIKELY_ELIGIBLE",
    "LIKELY_INELIGIBLE",
    "NEEDS_REVIEW",
    "MISSING_INFO",
    "NOT_APPLICABLE",
)

TEMPORARY = [
    ("honduran", {}, REVIEW, ["R7(1)", "A20(1)(b)", "A40"]),
    ("us-lpr", {"/person/us_status": "lpr"}, ELIGIBLE, ["R190(1)(c)", "R7.1(3)(b)"]),
    ("us-national", {"/person/citizenships": ["HN", "US"]}, ELIGIBLE, ["R190(1)(c)", "R7.1(3)(b)"]),
    (
        "french-national",
        {"/person/citizenships": ["FR"], "/person/us_status": "nonimmigrant_visa"},
        REVIEW,
        ["R7.1", "A20(1)(b)"],
    ),
    ("mexican-2026", {"/person/citizenships": ["MX"]}, REVIEW, ["R7(1)", "R7.01"]),
    (
        "mexican-before-visa",
        {
            "/person/citizenships": ["MX"],
            "/screening_date": "2024-02-28",
            "/plan/entry_date": "2024-03-10",
            "/plan/claim_date": "2024-03-10",
        },
        REVIEW,
        ["R7.1"],
    ),
    (
        "criminality",
        {"/criminality/convictions": [{"canadian_equivalent_max_years": 14}]},
        REVIEW,
        ["R7(1)"],
    ),
]


@pytest.mark.parametrize(
    ("changes", "outcome", "cited"),
    [case[1:] for case in TEMPORARY],
    ids=[case[0] for case in TEMPORARY],
)
def test_temporary_residence(changes, outcome, cited):
    expect(screened(changes), "temporary_residence", outcome, cited)


def test_us_status_unknown_is_missing():
    expect(
        screened({"/person/us_status": REMOVE}),
        "temporary_residence",
        MISSING,
        missing=["/person/us_status"],
    )


def test_lpr_overlay_criminality_turns_eligible_into_review():
    result = expect(
        screened(
            {
                "/person/us_status": "lpr",
                "/criminality/pending_charges": [{"canadian_equivalent_max_years": 14}],
            }
        ),
        "temporary_residence",
        REVIEW,
        ["A36(1)"],
    )
    assert cites(result, "R190(1)(c)", ELIGIBLE)


def test_lpr_overlay_unknown_criminality_turns_eligible_into_missing():
    expect(
        screened({"/person/us_status": "lpr", "/criminality": REMOVE}),
        "temporary_residence",
        MISSING,
        missing=["/criminality"],
    )


def test_lpr_overlay_deportation():
    expect(
        screened({"/person/us_status": "lpr", "/canadian_history/deported": True}),
        "temporary_residence",
        REVIEW,
        ["A52(1)"],
    )


def test_overlays_do_not_touch_an_ineligible_outcome():
    changes = {
        "/plan/entry_mode": "airport",
        "/criminality": REMOVE,
        "/prior_claims": [{"country": "US", "kind": "asylum_defensive"}],
    }
    result = expect(screened(changes), "refugee_claim", INELIGIBLE, ["A101(1)(c.1)"])
    assert "/criminality" not in result["missing"]


def test_overlays_do_not_make_a_review_missing():
    result = expect(
        screened({"/person/current_location": "canada", "/criminality": REMOVE}),
        "humanitarian",
        REVIEW,
    )
    assert result["missing"] == []


def test_citizenship_takes_no_overlays():
    changes = {"/person/canadian_status": "citizen", "/criminality/security_concern": True}
    result = expect(screened(changes), "citizenship", ELIGIBLE)
    assert not cites(result, "A34")


def test_permanent_resident_who_is_likely_a_citizen_is_gated_under_a19_1():
    changes = {"/person/canadian_status": "permanent_resident", "/person/born_in_canada": True}
    expect(screened(changes), "refugee_claim", NA, ["A19(1)"])
