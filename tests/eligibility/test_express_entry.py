"""``express_entry`` and the CRS (README 4.11), ``provincial_nominee`` (4.12)."""

import copy

import pytest

from tests.eligibility.builders import ECONOMIC, cites, expect, screened

ELIGIBLE, INELIGIBLE, REVIEW, MISSING, NA = (
    "LIKELY_ELIGIBLE",
    "LIKELY_INELIGIBLE",
    "NEEDS_REVIEW",
    "MISSING_INFO",
    "NOT_APPLICABLE",
)


def economic(**changes):
    block = copy.deepcopy(ECONOMIC)
    block.update(changes)
    return block


def scores(listening, speaking=None, reading=None, writing=None):
    speaking = listening if speaking is None else speaking
    reading = listening if reading is None else reading
    writing = listening if writing is None else writing
    return {"listening": listening, "speaking": speaking, "reading": reading, "writing": writing}


def job(country="US", teer=1, start="2020-01-06", end=None, hours=40, authorized=True, **flags):
    return {
        "country": country,
        "teer": teer,
        "start": start,
        "end": end,
        "hours_per_week": hours,
        "authorized": authorized,
        **flags,
    }


def english(level):
    return {"english": scores(level), "french": "no_test", "first_official_language": "english"}


def screen_economic(block, **changes):
    return screened({"/economic": block, **changes})


def crs_of(assessment):
    return assessment["pathways"]["express_entry"]["crs_breakdown"]


# -- CRS, computed by hand from LAW 8.2 -----------------------------------------------------------
def test_crs_single_skilled_worker():
    assessment = screen_economic(economic())
    result = expect(assessment, "express_entry", ELIGIBLE, ["R75(2)"])
    assert result["crs_score"] == 391
    assert crs_of(assessment) == {
        "spouse_factors_used": False,
        "core": {
            "age": 72,
            "education": 120,
            "first_official_language": 124,
            "second_official_language": 0,
            "canadian_work_experience": 0,
            "subtotal": 316,
        },
        "spouse": {
            "education": 0,
            "first_official_language": 0,
            "canadian_work_experience": 0,
            "subtotal": 0,
        },
        "skill_transferability": {
            "education": 25,
            "foreign_work_experience": 50,
            "certificate_of_qualification": 0,
            "subtotal": 75,
        },
        "additional": {
            "provincial_nomination": 0,
            "arranged_employment": 0,
            "canadian_education": 0,
            "french_language": 0,
            "sibling_in_canada": 0,
            "subtotal": 0,
        },
        "total": 391,
    }


def test_crs_with_spouse_french_nomination_sibling_and_additional_cap():
    block = economic(
        education="masters_or_professional",
        canadian_education="three_year_or_more",
        language={"english": scores(10), "french": scores(7), "first_official_language": "english"},
        work_history=[job("CA", start="2024-11-01")],
        provincial_nomination=True,
        sibling_in_canada=True,
    )
    spouse = {
        "relationship": "spouse",
        "canadian_status": "none",
        "accompanying": True,
        "education": "masters_or_professional",
        "language": scores(9, 9, 8, 7),
        "canadian_skilled_work_years": 2,
    }
    assessment = screen_economic(
        block,
        **{
            "/person/date_of_birth": "1998-03-01",
            "/person/marital_status": "married",
            "/spouse": spouse,
        },
    )
    assert crs_of(assessment) == {
        "spouse_factors_used": True,
        "core": {
            "age": 100,
            "education": 126,
            "first_official_language": 128,
            "second_official_language": 12,
            "canadian_work_experience": 46,
            "subtotal": 412,
        },
        "spouse": {
            "education": 10,
            "first_official_language": 16,
            "canadian_work_experience": 7,
            "subtotal": 33,
        },
        "skill_transferability": {
            "education": 50,
            "foreign_work_experience": 0,
            "certificate_of_qualification": 0,
            "subtotal": 50,
        },
        "additional": {
            "provincial_nomination": 600,
            "arranged_employment": 0,
            "canadian_education": 30,
            "french_language": 50,
            "sibling_in_canada": 15,
            "subtotal": 600,
        },
        "total": 1095,
    }


def test_crs_certificate_of_qualification_with_clb_5_to_6():
    block = economic(
        education="secondary",
        language=english(6),
        certificate_of_qualification=True,
        work_history=[job(teer=2, start="2022-06-01", end="2025-06-30")],
    )
    assessment = screen_economic(block, **{"/person/date_of_birth": "1996-01-01"})
    breakdown = crs_of(assessment)
    assert breakdown["core"] == {
        "age": 105,
        "education": 30,
        "first_official_language": 36,
        "second_official_language": 0,
        "canadian_work_experience": 0,
        "subtotal": 171,
    }
    assert breakdown["skill_transferability"] == {
        "education": 0,
        "foreign_work_experience": 0,
        "certificate_of_qualification": 25,
        "subtotal": 25,
    }
    assert breakdown["total"] == 196


def test_crs_transferability_is_capped_at_100():
    block = economic(
        education="masters_or_professional",
        certificate_of_qualification=True,
        work_history=[
            job("US", start="2015-01-01", end="2023-12-31"),
            job("CA", start="2024-01-01"),
        ],
    )
    breakdown = crs_of(screen_economic(block))
    assert breakdown["skill_transferability"] == {
        "education": 50,
        "foreign_work_experience": 50,
        "certificate_of_qualification": 50,
        "subtotal": 100,
    }


@pytest.mark.parametrize(
    ("screening", "points", "total"), [("2025-03-24", 200, 602), ("2025-03-25", 0, 402)]
)
def test_crs_arranged_employment_points_end_2025_03_25(screening, points, total):
    assessment = screen_economic(
        economic(arranged_employment="job_offer_noc_00"), **{"/screening_date": screening}
    )
    breakdown = crs_of(assessment)
    assert breakdown["additional"]["arranged_employment"] == points
    assert breakdown["total"] == total


def test_crs_job_offer_points_before_2025_03_25():
    breakdown = crs_of(
        screen_economic(
            economic(arranged_employment="job_offer"), **{"/screening_date": "2025-01-10"}
        )
    )
    assert breakdown["additional"]["arranged_employment"] == 50


def test_crs_citizen_spouse_uses_single_columns():
    spouse = {"relationship": "spouse", "canadian_status": "citizen", "accompanying": True}
    breakdown = crs_of(screen_economic(economic(), **{"/spouse": spouse}))
    assert breakdown["spouse_factors_used"] is False
    assert breakdown["core"]["age"] == 72


def test_crs_french_without_english_gives_25():
    block = economic(
        language={"english": "no_test", "french": scores(8), "first_official_language": "french"}
    )
    breakdown = crs_of(screen_economic(block))
    assert breakdown["additional"]["french_language"] == 25
    assert breakdown["core"]["first_official_language"] == 23 * 4


@pytest.mark.parametrize(
    ("start", "end", "points"),
    [
        ("2024-11-23", "2025-11-22", 40),
        ("2024-11-24", "2025-11-22", 0),
        ("2024-01-31", "2025-01-30", 40),
        ("2024-01-31", "2025-01-29", 0),
    ],
    ids=["exactly-12-months", "one-day-short", "month-end-12", "month-end-11"],
)
def test_whole_month_arithmetic(start, end, points):
    block = economic(work_history=[job("CA", start=start, end=end)])
    assert crs_of(screen_economic(block))["core"]["canadian_work_experience"] == points


def test_crs_is_null_with_missing_facts():
    assessment = screen_economic(economic(sibling_in_canada=None))
    result = expect(assessment, "express_entry", ELIGIBLE, missing=["/economic/sibling_in_canada"])
    assert result["crs_score"] is None and result["crs_breakdown"] is None


def test_economic_block_absent():
    result = expect(screened(), "express_entry", MISSING, ["R75(2)"], missing=["/economic"])
    assert result["crs_score"] is None and result["crs_breakdown"] is None


# -- programs -------------------------------------------------------------------------------------
PROGRAMS = [
    ("fsw", economic(), ELIGIBLE, ["R75(2)"]),
    ("no-eca", economic(education_credential_recognized=False), INELIGIBLE, ["R75(2)(e)"]),
    ("clb-6", economic(language=english(6)), INELIGIBLE, ["R75(2)(d)"]),
    (
        "no-continuous-year",
        economic(
            work_history=[
                job(start="2025-01-01", end="2025-08-31"),
                job(start="2025-10-01", end="2026-05-31"),
            ]
        ),
        INELIGIBLE,
        ["R75(2)(a)"],
    ),
    (
        "below-67-points",
        economic(
            education="secondary",
            language=english(7),
            work_history=[job(start="2025-01-01", end="2026-02-28")],
        ),
        INELIGIBLE,
        ["R76(1)(a)"],
    ),
    ("funds-short", economic(family_size=3), INELIGIBLE, ["R76(1)(b)(i)"]),
    (
        "funds-short-with-job-offer",
        economic(family_size=3, arranged_employment="job_offer"),
        REVIEW,
        ["R76(1)(b)(i)"],
    ),
    (
        "funds-family-of-8-enough",
        economic(family_size=8, settlement_funds_cad=44504),
        ELIGIBLE,
        ["R75(2)"],
    ),
    (
        "funds-family-of-8-short",
        economic(family_size=8, settlement_funds_cad=44503),
        INELIGIBLE,
        ["R76(1)(b)(i)"],
    ),
    (
        "unauthorized-work-only",
        economic(work_history=[job(authorized=False)]),
        REVIEW,
        ["R75(2)(a)"],
    ),
    (
        "cec-teer-2-clb-5",
        economic(
            language=english(5),
            work_history=[job("CA", teer=2, start="2024-01-01", end="2025-06-30")],
        ),
        ELIGIBLE,
        ["R87.1(2)"],
    ),
    (
        "cec-teer-1-clb-5",
        economic(
            language=english(5),
            work_history=[job("CA", teer=1, start="2024-01-01", end="2025-06-30")],
        ),
        INELIGIBLE,
        ["R87.1(2)"],
    ),
    (
        "cec-part-time-24-months",
        economic(
            language=english(7),
            education_credential_recognized=False,
            work_history=[job("CA", teer=2, start="2024-01-01", end="2025-12-31", hours=15)],
        ),
        ELIGIBLE,
        ["R87.1(2)"],
    ),
    (
        "cec-part-time-23-months",
        economic(
            language=english(7),
            education_credential_recognized=False,
            work_history=[job("CA", teer=2, start="2024-01-01", end="2025-11-30", hours=15)],
        ),
        INELIGIBLE,
        ["R87.1(2)"],
    ),
    (
        "cec-outside-3-year-window",
        economic(
            language=english(7),
            education_credential_recognized=False,
            work_history=[job("CA", start="2021-01-01", end="2023-11-22")],
        ),
        INELIGIBLE,
        ["R87.1(2)"],
    ),
    (
        "cec-self-employed",
        economic(
            language=english(7),
            education_credential_recognized=False,
            work_history=[job("CA", start="2024-01-01", self_employed=True)],
        ),
        INELIGIBLE,
        ["R87.1(2)"],
    ),
    (
        "cec-student-work",
        economic(
            language=english(7),
            education_credential_recognized=False,
            work_history=[job("CA", start="2024-01-01", full_time_student=True)],
        ),
        INELIGIBLE,
        ["R87.1(2)"],
    ),
    (
        "fst-trade-with-certificate",
        economic(
            language=english(5),
            certificate_of_qualification=True,
            work_history=[job(teer=2, skilled_trade=True)],
        ),
        REVIEW,
        ["R87.2"],
    ),
    ("quebec", economic(intended_province="QC"), REVIEW, ["A9(1)"]),
    ("teer-4-work-does-not-count", economic(work_history=[job(teer=4)]), INELIGIBLE, ["R75(2)(a)"]),
]


@pytest.mark.parametrize(
    ("block", "outcome", "cited"),
    [case[1:] for case in PROGRAMS],
    ids=[case[0] for case in PROGRAMS],
)
def test_programs(block, outcome, cited):
    expect(screen_economic(block), "express_entry", outcome, cited)


@pytest.mark.parametrize(
    ("block", "pointer"),
    [
        (economic(work_history=[job(authorized=None)]), "/economic/work_history/0/authorized"),
        (economic(family_size=None), "/economic/family_size"),
        (
            economic(education_credential_recognized=None),
            "/economic/education_credential_recognized",
        ),
        (economic(work_history=None), "/economic/work_history"),
        (
            economic(
                language={
                    "english": None,
                    "french": "no_test",
                    "first_official_language": "english",
                }
            ),
            "/economic/language/english",
        ),
    ],
    ids=["authorized", "family-size", "eca", "work-history", "first-language-scores"],
)
def test_express_entry_missing_facts(block, pointer):
    expect(screen_economic(block), "express_entry", MISSING, missing=[pointer])


def test_invitation_outlook_caveat_carries_its_as_of_date():
    result = screen_economic(economic())["pathways"]["express_entry"]
    outlook = [r for r in result["reasons"] if r["citation"] == "A10.3"]
    assert outlook and "as of 2026-08-07" in outlook[0]["text"] and outlook[0]["effect"] == "CAVEAT"


def test_unknown_province_is_screened_as_outside_quebec_with_a_caveat():
    block = economic()
    del block["intended_province"]
    result = expect(screen_economic(block), "express_entry", ELIGIBLE)
    assert cites(result, "A9(1)", "CAVEAT")


def test_fsw_relative_in_canada_adaptability_points_can_lift_the_score():
    # 64 points without adaptability: an adult PR sister in Canada adds 5 (R83).
    # Age 39 (8) + bachelor's (21) + CLB 9 (24) + 2 years (11) = 64.
    block = economic(
        education="bachelors_or_three_year",
        language=english(9),
        work_history=[job(start="2024-06-01")],
    )
    person = {"/person/date_of_birth": "1987-01-01"}
    expect(screen_economic(block, **person), "express_entry", INELIGIBLE, ["R76(1)(a)"])
    sister = {
        "relationship": "sister",
        "status": "permanent_resident",
        "in_canada": True,
        "resides_in_canada": True,
        "age": 35,
    }
    expect(
        screen_economic(block, **person, **{"/relatives_in_canada": [sister]}),
        "express_entry",
        ELIGIBLE,
        ["R75(2)"],
    )


# -- provincial nominee ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "outcome", "cited"),
    [
        ({"/economic": economic(provincial_nomination=True)}, ELIGIBLE, ["R87(2)"]),
        ({"/economic": economic()}, REVIEW, ["R87"]),
        ({"/economic": economic(provincial_nomination=None)}, REVIEW, ["R87"]),
        ({"/economic": economic(intended_province="QC")}, NA, ["A9(1)"]),
        ({}, MISSING, ["R87"]),
    ],
    ids=["nominated", "not-nominated", "nomination-unknown", "quebec", "economic-absent"],
)
def test_provincial_nominee(changes, outcome, cited):
    expect(screened(changes), "provincial_nominee", outcome, cited)
