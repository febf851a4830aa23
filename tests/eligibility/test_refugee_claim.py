"""``refugee_claim``: every A99(3)/A101(1) ground and each effective-date switch.

README 4.1 and 4.5.
"""

import pytest

from tests.eligibility.builders import REMOVE, cites, expect, screened

ELIGIBLE, INELIGIBLE, REVIEW, MISSING, NA = (
    "LIKELY_ELIGIBLE",
    "LIKELY_INELIGIBLE",
    "NEEDS_REVIEW",
    "MISSING_INFO",
    "NOT_APPLICABLE",
)
AIRPORT = {"/plan/entry_mode": "airport"}  # outside the STCA: isolates the other grounds


def canadian_claim(outcome, ground=None, decided="2020-01-10"):
    claim = {"date": "2019-06-01", "outcome": outcome, "final_decision_date": decided}
    if ground:
        claim["ineligibility_ground"] = ground
    return claim


def claim_abroad(country="US", kind="asylum_affirmative", outcome="pending"):
    return {"country": country, "date": "2024-02-14", "kind": kind, "outcome": outcome}


GROUNDS = [
    ("no-bar-at-airport", {}, ELIGIBLE, ["R159.4(1)(c)", "A96"]),
    (
        "removal-order-in-force",
        {"/canadian_history/removal_order_in_force": True},
        INELIGIBLE,
        ["A99(3)"],
    ),
    ("protected-person", {"/canadian_history/protected_person": True}, INELIGIBLE, ["A101(1)(a)"]),
    (
        "accepted-claim",
        {"/canadian_history/prior_claims": [canadian_claim("accepted")]},
        INELIGIBLE,
        ["A101(1)(a)"],
    ),
    (
        "rejected-claim",
        {"/canadian_history/prior_claims": [canadian_claim("rejected")]},
        INELIGIBLE,
        ["A101(1)(b)"],
    ),
    (
        "withdrawn-claim",
        {"/canadian_history/prior_claims": [canadian_claim("withdrawn")]},
        INELIGIBLE,
        ["A101(1)(c)"],
    ),
    (
        "abandoned-claim",
        {"/canadian_history/prior_claims": [canadian_claim("abandoned")]},
        INELIGIBLE,
        ["A101(1)(c)"],
    ),
    (
        "ineligible-claim",
        {"/canadian_history/prior_claims": [canadian_claim("ineligible", "b")]},
        INELIGIBLE,
        ["A101(1)(c)"],
    ),
    (
        "pending-claim",
        {"/canadian_history/prior_claims": [canadian_claim("pending")]},
        REVIEW,
        ["A101(1)(c)"],
    ),
    (
        "us-asylum-denied",
        {"/prior_claims": [claim_abroad(outcome="denied")]},
        INELIGIBLE,
        ["A101(1)(c.1)"],
    ),
    (
        "uk-claim-granted",
        {"/prior_claims": [claim_abroad("GB", "refugee_status_claim", "granted")]},
        INELIGIBLE,
        ["A101(1)(c.1)"],
    ),
    (
        "australia-withdrawn",
        {"/prior_claims": [claim_abroad("AU", "asylum_defensive", "withdrawn")]},
        INELIGIBLE,
        ["A101(1)(c.1)"],
    ),
    (
        "us-credible-fear-only",
        {"/prior_claims": [claim_abroad(kind="credible_fear_only")]},
        REVIEW,
        ["A101(1)(c.1)"],
    ),
    (
        "us-withholding-only",
        {"/prior_claims": [claim_abroad(kind="withholding_or_cat_only")]},
        REVIEW,
        ["A101(1)(c.1)"],
    ),
    (
        "us-unknown-kind",
        {"/prior_claims": [claim_abroad(kind="unknown")]},
        REVIEW,
        ["A101(1)(c.1)"],
    ),
    (
        "mexico-claim",
        {"/prior_claims": [claim_abroad("MX", "refugee_status_claim")]},
        REVIEW,
        ["A101(1)(c.1)"],
    ),
    (
        "pending-asylum-status",
        {"/person/us_status": "pending_asylum"},
        INELIGIBLE,
        ["A101(1)(c.1)"],
    ),
    ("asylee-status", {"/person/us_status": "asylee"}, INELIGIBLE, ["A101(1)(c.1)", "A101(1)(d)"]),
    ("us-resettled-refugee", {"/person/us_status": "refugee"}, REVIEW, ["A101(1)(c.1)"]),
    (
        "recognized-returnable",
        {"/recognized_refugee_elsewhere": [{"country": "CR", "can_return": True}]},
        INELIGIBLE,
        ["A101(1)(d)"],
    ),
    (
        "recognized-return-unknown",
        {"/recognized_refugee_elsewhere": [{"country": "CR"}]},
        REVIEW,
        ["A101(1)(d)"],
    ),
    (
        "recognized-not-returnable",
        {"/recognized_refugee_elsewhere": [{"country": "CR", "can_return": False}]},
        ELIGIBLE,
        ["R159.4(1)(c)"],
    ),
    (
        "conviction",
        {"/criminality/convictions": [{"country": "US", "canadian_equivalent_max_years": 2}]},
        REVIEW,
        ["A101(1)(f)"],
    ),
    ("security-concern", {"/criminality/security_concern": True}, REVIEW, ["A101(1)(f)"]),
    ("extradition", {"/criminality/extradition_proceedings": True}, REVIEW, ["A105"]),
    ("deported-before", {"/canadian_history/deported": True}, REVIEW, ["A52(1)"]),
]


@pytest.mark.parametrize(
    ("changes", "outcome", "cited"),
    [case[1:] for case in GROUNDS],
    ids=[case[0] for case in GROUNDS],
)
def test_grounds(changes, outcome, cited):
    expect(screened({**AIRPORT, **changes}), "refugee_claim", outcome, cited)


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        (
            {"/canadian_history/removal_order_in_force": None},
            "/canadian_history/removal_order_in_force",
        ),
        ({"/canadian_history/protected_person": None}, "/canadian_history/protected_person"),
        ({"/canadian_history/prior_claims": None}, "/canadian_history/prior_claims"),
        ({"/canadian_history": REMOVE}, "/canadian_history"),
        (
            {"/canadian_history/prior_claims": [{"outcome": None}]},
            "/canadian_history/prior_claims/0/outcome",
        ),
        ({"/prior_claims": None}, "/prior_claims"),
        ({"/recognized_refugee_elsewhere": None}, "/recognized_refugee_elsewhere"),
        ({"/criminality": REMOVE}, "/criminality"),
        ({"/criminality/convictions": None}, "/criminality/convictions"),
        ({"/canadian_history/deported": None}, "/canadian_history/deported"),
    ],
    ids=[
        "removal-order",
        "protected-person",
        "canadian-claims",
        "history",
        "claim-outcome",
        "claims-abroad",
        "recognitions",
        "criminality",
        "convictions",
        "deported",
    ],
)
def test_unknown_facts_give_missing_info(changes, pointer):
    expect(screened({**AIRPORT, **changes}), "refugee_claim", MISSING, missing=[pointer])


def test_every_applicable_reason_is_returned():
    changes = {
        "/prior_claims": [claim_abroad()],
        "/canadian_history/prior_claims": [canadian_claim("abandoned")],
    }
    result = expect(
        screened(changes), "refugee_claim", INELIGIBLE, ["A101(1)(e)", "A101(1)(c.1)", "A101(1)(c)"]
    )
    bars = [r["citation"] for r in result["reasons"] if r["effect"] == INELIGIBLE]
    assert sorted(bars) == ["A101(1)(c)", "A101(1)(c.1)", "A101(1)(e)"]


# -- R159.01 carve-out (2023-03-25) ---------------------------------------------------------------
def carve_out(day, ground="e"):
    return {
        "/screening_date": day,
        "/plan/entry_date": day,
        "/plan/claim_date": day,
        "/plan/refused_entry_to_us_without_adjudication": True,
        "/canadian_history/prior_claims": [canadian_claim("ineligible", ground, "2022-01-01")],
    }


def test_r159_01_carve_out_removes_the_prior_stca_ineligibility():
    assessment = screened(carve_out("2023-03-25"))
    assert assessment["stca"] == {"applies": False, "exception": "refused_entry_to_us"}
    result = expect(assessment, "refugee_claim", ELIGIBLE, ["R159.01", "R159.5(h)"])
    assert not cites(result, "A101(1)(c)")


def test_r159_01_not_in_force_the_day_before():
    expect(screened(carve_out("2023-03-24")), "refugee_claim", INELIGIBLE, ["A101(1)(c)"])


def test_r159_01_does_not_cover_other_grounds():
    expect(
        screened(carve_out("2026-11-22", ground="b")), "refugee_claim", INELIGIBLE, ["A101(1)(c)"]
    )


def test_r159_01_needs_the_ground():
    expect(
        screened(carve_out("2026-11-22", ground=None)),
        "refugee_claim",
        INELIGIBLE,
        ["A101(1)(c)"],
        missing=["/canadian_history/prior_claims/0/ineligibility_ground"],
    )


# -- A101(1)(c.1): in force 2019-06-21 for claims made on or after 2019-04-08 ---------------------
@pytest.mark.parametrize(
    ("screening", "claim", "barred"),
    [
        ("2019-07-01", "2019-04-08", True),
        ("2019-07-01", "2019-04-07", False),
        ("2019-06-20", "2019-06-20", False),
        ("2019-06-21", "2019-06-21", True),
    ],
    ids=["claim-on-2019-04-08", "claim-day-before", "screened-before-in-force", "in-force-day"],
)
def test_c1_effective_dates(screening, claim, barred):
    changes = {
        **AIRPORT,
        "/screening_date": screening,
        "/plan/claim_status": "made",
        "/plan/entry_date": claim,
        "/plan/claim_date": claim,
        "/prior_claims": [claim_abroad(outcome="denied")],
    }
    result = expect(screened(changes), "refugee_claim", INELIGIBLE if barred else ELIGIBLE)
    assert cites(result, "A101(1)(c.1)") == barred


# -- A101(1)(b.1): in force 2026-03-26 for claims made on or after 2025-06-03 ---------------------
def inland(entry, claim, screening="2026-11-22", previous=(), status="planned"):
    return {
        "/screening_date": screening,
        "/plan/entry_mode": "already_in_canada",
        "/plan/entry_date": entry,
        "/plan/claim_date": claim,
        "/plan/previous_entries_to_canada": list(previous),
        "/plan/claim_status": status,
    }


@pytest.mark.parametrize(
    ("changes", "outcome", "window"),
    [
        (inland("2025-11-01", "2026-11-02"), INELIGIBLE, True),
        (inland("2025-11-01", "2026-11-01"), REVIEW, True),
        (inland("2025-11-01", "2026-10-29"), REVIEW, True),
        (inland("2025-11-01", "2026-10-28"), ELIGIBLE, False),
        (inland("2025-11-01", "2026-11-04"), INELIGIBLE, True),
        (inland("2025-11-01", "2026-11-05"), INELIGIBLE, False),
        (
            inland("2026-01-01", "2026-11-20", previous=["2021-01-01", "2025-12-01"]),
            INELIGIBLE,
            False,
        ),
        (inland("2020-06-24", "2026-11-20"), ELIGIBLE, False),
        (inland("2020-06-25", "2026-11-20"), INELIGIBLE, False),
    ],
    ids=[
        "day-after-deadline",
        "deadline-day",
        "3-days-before",
        "4-days-before",
        "3-days-after",
        "4-days-after",
        "first-of-several-entries",
        "entry-on-cutoff-day",
        "entry-after-cutoff",
    ],
)
def test_one_year_rule(changes, outcome, window):
    result = expect(screened(changes), "refugee_claim", outcome)
    assert cites(result, "A101(1)(b.1)", INELIGIBLE) == (outcome == INELIGIBLE)
    assert any(r["code"] == "A101_1_B1_BOUNDARY_WINDOW" for r in result["reasons"]) == window


def test_one_year_rule_29_february_deadline_is_28_february():
    changes = inland("2028-02-29", "2029-03-01", screening="2029-03-05")
    expect(screened(changes), "refugee_claim", INELIGIBLE, ["A101(1)(b.1)"])
    changes = inland("2028-02-29", "2029-02-28", screening="2029-03-05")
    expect(screened(changes), "refugee_claim", REVIEW, ["A101(1)(b.1)"])


@pytest.mark.parametrize(
    ("screening", "claim", "applies"),
    [
        ("2026-11-22", "2025-06-02", False),
        ("2026-11-22", "2025-06-03", True),
        ("2026-03-25", "2026-03-25", False),
        ("2026-03-26", "2026-03-26", True),
    ],
    ids=[
        "claim-before-bill-c2",
        "claim-on-bill-c2-day",
        "screened-before-in-force",
        "in-force-day",
    ],
)
def test_one_year_rule_effective_dates(screening, claim, applies):
    changes = inland("2023-01-10", claim, screening=screening, status="made")
    result = screened(changes)["pathways"]["refugee_claim"]
    assert cites(result, "A101(1)(b.1)", INELIGIBLE) == applies


def test_one_year_rule_needs_earlier_entries():
    changes = inland("2026-10-01", "2026-11-22")
    changes["/plan/previous_entries_to_canada"] = None
    expect(
        screened(changes), "refugee_claim", MISSING, missing=["/plan/previous_entries_to_canada"]
    )


def test_referred_claim_before_in_force_gets_a104_review():
    changes = inland("2024-01-01", "2025-08-01", status="referred")
    expect(screened(changes), "refugee_claim", INELIGIBLE, ["A101(1)(b.1)", "A104(1)(a)"])
    changes = inland("2024-01-01", "2026-04-01", status="referred")
    result = expect(screened(changes), "refugee_claim", INELIGIBLE, ["A101(1)(b.1)"])
    assert not cites(result, "A104(1)(a)")


# -- A101(1)(b.2) and the 14-day window -----------------------------------------------------------
def between_ports(entry, claim, screening="2026-11-22"):
    return {
        "/screening_date": screening,
        "/plan/entry_mode": "between_ports",
        "/plan/entry_date": entry,
        "/plan/claim_date": claim,
    }


@pytest.mark.parametrize(
    ("claim", "stca_applies", "outcome", "b2", "window"),
    [
        ("2026-12-31", True, INELIGIBLE, False, False),  # day 11
        ("2027-01-01", True, INELIGIBLE, False, True),  # day 12
        ("2027-01-03", False, INELIGIBLE, True, True),  # day 14
        ("2027-01-04", False, INELIGIBLE, True, True),  # day 15
        ("2027-01-05", False, INELIGIBLE, True, False),  # day 16
    ],
    ids=["day-11", "day-12", "day-14", "day-15", "day-16"],
)
def test_between_ports_day_count(claim, stca_applies, outcome, b2, window):
    assessment = screened(between_ports("2026-12-20", claim))
    assert assessment["stca"]["applies"] == stca_applies
    result = expect(assessment, "refugee_claim", outcome)
    assert cites(result, "A101(1)(b.2)", INELIGIBLE) == b2
    assert cites(result, "R159.4(1.1)", REVIEW) == window


def test_no_exception_saves_a_late_between_ports_claim():
    changes = {
        **between_ports("2026-12-20", "2027-01-10"),
        "/relatives_in_canada": [
            {"relationship": "mother", "status": "citizen", "in_canada": True, "age": 60}
        ],
    }
    expect(screened(changes), "refugee_claim", INELIGIBLE, ["A101(1)(b.2)"])


@pytest.mark.parametrize(
    ("screening", "claim", "outcome"),
    [
        ("2026-03-25", "2025-07-20", ELIGIBLE),
        ("2026-03-26", "2025-07-20", INELIGIBLE),
        ("2026-11-22", "2025-06-02", ELIGIBLE),
    ],
    ids=["screened-before-in-force", "in-force-day", "claim-before-bill-c2"],
)
def test_b2_effective_dates(screening, claim, outcome):
    changes = {
        **between_ports("2025-05-01", claim, screening=screening),
        "/plan/claim_status": "made",
    }
    result = screened(changes)["pathways"]["refugee_claim"]
    assert cites(result, "A101(1)(b.2)", INELIGIBLE) == (outcome == INELIGIBLE)


def test_historical_between_ports_window_only_when_a_rule_is_in_play():
    result = expect(
        screened(between_ports("2022-12-01", "2022-12-14", screening="2023-01-20")),
        "refugee_claim",
        ELIGIBLE,
        ["R159.4(1)(a)"],
    )
    assert not cites(result, "R159.4(1.1)")


def test_between_ports_explains_the_consequences():
    result = screened(between_ports("2026-12-20", "2026-12-21"))["pathways"]["refugee_claim"]
    assert cites(result, "A101(1)(b.2)", "CAVEAT")


# -- caveats and gating ---------------------------------------------------------------------------
def test_minor_and_stateless_caveats():
    changes = {
        **AIRPORT,
        "/person/date_of_birth": "2012-01-01",
        "/person/citizenships": [],
        "/person/stateless": True,
        "/person/former_habitual_residences": [{"country": "SY"}],
    }
    result = expect(screened(changes), "refugee_claim", ELIGIBLE, ["A167(2)", "R159.1", "A96"])
    caveats = {r["citation"] for r in result["reasons"] if r["effect"] == "CAVEAT"}
    assert {"A167(2)", "R159.1", "A96"} <= caveats


@pytest.mark.parametrize(
    ("status", "citation"), [("citizen", "A19(1)"), ("permanent_resident", "A19(2)")]
)
def test_citizens_and_permanent_residents_are_gated(status, citation):
    assessment = screened({"/person/canadian_status": status})
    assert assessment["stca"] == {"applies": False, "exception": None}
    for name in (
        "refugee_claim",
        "prra",
        "humanitarian",
        "spousal_sponsorship",
        "family_sponsorship",
        "express_entry",
        "provincial_nominee",
        "temporary_residence",
    ):
        expect(assessment, name, NA, [citation])


def test_claim_date_defaults_to_entry_date_and_then_to_screening_date():
    result = screened({"/plan/claim_date": None})["pathways"]["refugee_claim"]
    assert not cites(result, "A99(1)")
    result = screened({"/plan/claim_date": None, "/plan/entry_date": None})["pathways"][
        "refugee_claim"
    ]
    assert cites(result, "A99(1)", "CAVEAT")
