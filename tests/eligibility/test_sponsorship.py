"""``spousal_sponsorship`` (README 4.9) and ``family_sponsorship`` (README 4.10)."""

import pytest

from tests.eligibility.builders import cites, expect, screened

ELIGIBLE, INELIGIBLE, REVIEW, MISSING, NA = (
    "LIKELY_ELIGIBLE",
    "LIKELY_INELIGIBLE",
    "NEEDS_REVIEW",
    "MISSING_INFO",
    "NOT_APPLICABLE",
)
SPOUSE = {
    "relationship": "spouse",
    "date_of_birth": "1988-04-02",
    "canadian_status": "citizen",
    "lives_in": "canada",
    "in_canada": False,
    "province": "ON",
    "marriage_in_person": True,
    "sponsor_five_year_bar": False,
    "sponsor_bound_by_previous_undertaking": False,
    "sponsor_disqualified": False,
    "client_declared_when_sponsor_immigrated": "not_applicable",
}


def married_to(**changes):
    return {"/person/marital_status": "married", "/spouse": {**SPOUSE, **changes}}


SPOUSAL = [
    ("no-spouse-single", {}, NA, ["R117(1)(a)"]),
    ("citizen-spouse-in-canada", married_to(), ELIGIBLE, ["R117(1)(a)", "R130(1)"]),
    (
        "pr-spouse-in-canada",
        married_to(canadian_status="permanent_resident"),
        ELIGIBLE,
        ["R117(1)(a)", "R130(1)"],
    ),
    ("spouse-on-work-permit", married_to(canadian_status="work_permit"), NA, ["R130(1)"]),
    ("proxy-marriage", married_to(marriage_in_person=False), INELIGIBLE, ["R5(c)"]),
    (
        "common-law-364-days",
        married_to(relationship="common_law_partner", cohabitation_start="2025-11-23"),
        INELIGIBLE,
        ["R1(1)"],
    ),
    (
        "common-law-365-days",
        married_to(relationship="common_law_partner", cohabitation_start="2025-11-22"),
        ELIGIBLE,
        ["R117(1)(a)"],
    ),
    ("conjugal-partner", married_to(relationship="conjugal_partner"), REVIEW, ["R2"]),
    ("dating-partner", married_to(relationship="dating_partner"), REVIEW, ["R2"]),
    ("sponsor-under-18", married_to(date_of_birth="2009-01-01"), INELIGIBLE, ["R117(9)(a)"]),
    (
        "citizen-abroad-returning",
        married_to(lives_in="us", will_reside_in_canada=True),
        ELIGIBLE,
        ["R130(2)"],
    ),
    (
        "citizen-abroad-not-returning",
        married_to(lives_in="us", will_reside_in_canada=False),
        INELIGIBLE,
        ["R130(2)"],
    ),
    (
        "pr-abroad",
        married_to(canadian_status="permanent_resident", lives_in="us"),
        INELIGIBLE,
        ["R130(1)", "A28"],
    ),
    ("five-year-bar", married_to(sponsor_five_year_bar=True), INELIGIBLE, ["R130(3)"]),
    (
        "previous-undertaking",
        married_to(sponsor_bound_by_previous_undertaking=True),
        INELIGIBLE,
        ["R117(9)(b)"],
    ),
    ("sponsor-disqualified", married_to(sponsor_disqualified=True), INELIGIBLE, ["R133(1)"]),
    (
        "not-declared",
        married_to(client_declared_when_sponsor_immigrated=False),
        INELIGIBLE,
        ["R117(9)(d)"],
    ),
    ("quebec-sponsor", married_to(province="QC"), REVIEW, ["R131(b)"]),
    (
        "conviction-under-10-years",
        {**married_to(), "/criminality/convictions": [{"canadian_equivalent_max_years": 5}]},
        REVIEW,
        ["A36(2)"],
    ),
    (
        "conviction-life",
        {
            **married_to(),
            "/criminality/pending_charges": [{"canadian_equivalent_max_years": "life"}],
        },
        REVIEW,
        ["A36(1)"],
    ),
    ("security-concern", {**married_to(), "/criminality/security_concern": True}, REVIEW, ["A34"]),
    (
        "human-rights-concern",
        {**married_to(), "/criminality/human_rights_concern": True},
        REVIEW,
        ["A35"],
    ),
    (
        "organized-crime-concern",
        {**married_to(), "/criminality/organized_crime_concern": True},
        REVIEW,
        ["A37"],
    ),
    ("deported", {**married_to(), "/canadian_history/deported": True}, REVIEW, ["A52(1)"]),
]


@pytest.mark.parametrize(
    ("changes", "outcome", "cited"),
    [case[1:] for case in SPOUSAL],
    ids=[case[0] for case in SPOUSAL],
)
def test_spousal_sponsorship(changes, outcome, cited):
    expect(screened(changes), "spousal_sponsorship", outcome, cited)


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"/person/marital_status": "married"}, "/spouse"),
        (married_to(canadian_status=None), "/spouse/canadian_status"),
        (married_to(marriage_in_person=None), "/spouse/marriage_in_person"),
        (married_to(relationship="common_law_partner"), "/spouse/cohabitation_start"),
        (married_to(date_of_birth=None), "/spouse/date_of_birth"),
        (married_to(lives_in=None), "/spouse/lives_in"),
        (married_to(lives_in="us"), "/spouse/will_reside_in_canada"),
        (
            {**married_to(), "/criminality/human_rights_concern": None},
            "/criminality/human_rights_concern",
        ),
    ],
    ids=[
        "spouse-block",
        "status",
        "marriage-form",
        "cohabitation",
        "sponsor-age",
        "residence",
        "return",
        "overlay-criminality",
    ],
)
def test_spousal_missing_facts(changes, pointer):
    expect(screened(changes), "spousal_sponsorship", MISSING, missing=[pointer])


def test_eligible_spousal_sponsorship_carries_a_dated_processing_caveat():
    result = expect(screened(married_to()), "spousal_sponsorship", ELIGIBLE)
    caveats = [r for r in result["reasons"] if r["code"] == "PROCESSING_TIME"]
    assert len(caveats) == 1 and "as of 2026-05" in caveats[0]["text"]


def test_omitted_sponsor_bars_are_caveats_not_bars():
    spouse = {
        key: value
        for key, value in SPOUSE.items()
        if key
        not in (
            "sponsor_five_year_bar",
            "sponsor_disqualified",
            "client_declared_when_sponsor_immigrated",
        )
    }
    result = expect(
        screened({"/person/marital_status": "married", "/spouse": spouse}),
        "spousal_sponsorship",
        ELIGIBLE,
    )
    for citation in ("R130(3)", "R133(1)", "R117(9)(d)"):
        assert cites(result, citation, "CAVEAT")


# -- family sponsorship ---------------------------------------------------------------------------
def sponsor(relationship, status="citizen", **fields):
    base = {
        "relationship": relationship,
        "status": status,
        "in_canada": True,
        "resides_in_canada": True,
        "province": "ON",
        "sponsor_disqualified": False,
        "client_declared_when_sponsor_immigrated": True,
    }
    if "date_of_birth" not in fields:
        base["age"] = 50
    return {**base, **fields}


def client(born, **changes):
    return {"/person/date_of_birth": born, **changes}


ORPHAN = {"/parents/0/whereabouts": "deceased", "/parents/1/whereabouts": "deceased"}

FAMILY = [
    ("no-relatives", {}, NA, ["R117(1)"]),
    (
        "pr-mother-child-21",
        client("2005-06-01", **{"/relatives_in_canada": [sponsor("mother", "permanent_resident")]}),
        ELIGIBLE,
        ["R117(1)(b)"],
    ),
    (
        "citizen-father-child-22",
        client("2004-06-01", **{"/relatives_in_canada": [sponsor("father")]}),
        INELIGIBLE,
        ["R2"],
    ),
    (
        "dependent-due-to-condition",
        client(
            "2000-06-01",
            **{
                "/relatives_in_canada": [sponsor("father")],
                "/person/dependent_due_to_condition": True,
            },
        ),
        REVIEW,
        ["R2"],
    ),
    (
        "married-child",
        client(
            "2005-06-01",
            **{"/relatives_in_canada": [sponsor("mother")], "/person/marital_status": "married"},
        ),
        INELIGIBLE,
        ["R2"],
    ),
    (
        "citizen-parent-abroad-returning",
        client(
            "2005-06-01",
            **{
                "/relatives_in_canada": [
                    sponsor(
                        "mother",
                        resides_in_canada=False,
                        in_canada=False,
                        will_reside_in_canada=True,
                    )
                ]
            },
        ),
        ELIGIBLE,
        ["R117(1)(b)"],
    ),
    (
        "pr-parent-abroad",
        client(
            "2005-06-01",
            **{
                "/relatives_in_canada": [
                    sponsor("mother", "permanent_resident", resides_in_canada=False)
                ]
            },
        ),
        INELIGIBLE,
        ["R130(1)"],
    ),
    (
        "child-sponsor-after-pgp-pause",
        {"/relatives_in_canada": [sponsor("child", age=30)]},
        INELIGIBLE,
        ["MI89", "R117(1)(c)"],
    ),
    (
        "grandchild-sponsor-after-pgp-pause",
        {"/relatives_in_canada": [sponsor("grandchild", age=20)]},
        INELIGIBLE,
        ["MI89", "R117(1)(d)"],
    ),
    (
        "child-sponsor-before-pgp-pause",
        {"/screening_date": "2025-12-31", "/relatives_in_canada": [sponsor("child", age=30)]},
        REVIEW,
        ["R117(1)(c)"],
    ),
    (
        "child-sponsor-on-pause-day",
        {"/screening_date": "2026-01-01", "/relatives_in_canada": [sponsor("child", age=30)]},
        INELIGIBLE,
        ["MI89"],
    ),
    (
        "orphan-sibling",
        client("2011-01-01", **ORPHAN, **{"/relatives_in_canada": [sponsor("brother")]}),
        ELIGIBLE,
        ["R117(1)(f)"],
    ),
    (
        "orphan-by-aunt",
        client("2011-01-01", **ORPHAN, **{"/relatives_in_canada": [sponsor("aunt")]}),
        ELIGIBLE,
        ["R117(1)(f)"],
    ),
    (
        "minor-with-living-father",
        client(
            "2011-01-01",
            **{"/parents/0/whereabouts": "deceased", "/relatives_in_canada": [sponsor("sister")]},
        ),
        INELIGIBLE,
        ["R117(1)"],
    ),
    (
        "adult-sibling",
        {"/relatives_in_canada": [sponsor("brother", "permanent_resident")]},
        INELIGIBLE,
        ["R117(1)"],
    ),
    (
        "cousin",
        {"/relatives_in_canada": [sponsor("cousin")]},
        INELIGIBLE,
        ["R117(1)", "R117(1)(h)"],
    ),
    (
        "sponsor-under-18",
        client("2010-01-01", **ORPHAN, **{"/relatives_in_canada": [sponsor("brother", age=17)]}),
        INELIGIBLE,
        ["R130(1)"],
    ),
    (
        "sponsor-not-resident",
        client(
            "2005-06-01",
            **{
                "/relatives_in_canada": [
                    sponsor("father", "permanent_resident", resides_in_canada=False)
                ]
            },
        ),
        INELIGIBLE,
        ["R130(1)"],
    ),
    (
        "sponsor-disqualified",
        client(
            "2005-06-01", **{"/relatives_in_canada": [sponsor("mother", sponsor_disqualified=True)]}
        ),
        INELIGIBLE,
        ["R133(1)"],
    ),
    (
        "not-declared",
        client(
            "2005-06-01",
            **{
                "/relatives_in_canada": [
                    sponsor("mother", client_declared_when_sponsor_immigrated=False)
                ]
            },
        ),
        INELIGIBLE,
        ["R117(9)(d)"],
    ),
    (
        "quebec-sponsor",
        client("2005-06-01", **{"/relatives_in_canada": [sponsor("mother", province="QC")]}),
        REVIEW,
        ["R131(b)"],
    ),
    (
        "best-of-two-sponsors",
        client("2005-06-01", **{"/relatives_in_canada": [sponsor("brother"), sponsor("mother")]}),
        ELIGIBLE,
        ["R117(1)(b)"],
    ),
    (
        "non-sponsor-status-only",
        {"/relatives_in_canada": [sponsor("mother", "work_permit")]},
        NA,
        ["R117(1)"],
    ),
]


@pytest.mark.parametrize(
    ("changes", "outcome", "cited"), [case[1:] for case in FAMILY], ids=[case[0] for case in FAMILY]
)
def test_family_sponsorship(changes, outcome, cited):
    expect(screened(changes), "family_sponsorship", outcome, cited)


@pytest.mark.parametrize(
    ("born", "outcome", "window"),
    [
        ("2004-12-01", ELIGIBLE, True),
        ("2004-11-22", INELIGIBLE, True),
        ("2004-10-22", INELIGIBLE, False),
        ("2004-11-23", REVIEW, True),
    ],
    ids=["turns-22-in-9-days", "turns-22-today", "turned-22-31-days-ago", "turns-22-tomorrow"],
)
def test_twenty_second_birthday_window(born, outcome, window):
    changes = client(born, **{"/relatives_in_canada": [sponsor("mother")]})
    result = screened(changes)["pathways"]["family_sponsorship"]
    flagged = any(r["code"] == "AGE_22_BOUNDARY_WINDOW" for r in result["reasons"])
    assert flagged == window
    expected = REVIEW if window and outcome == ELIGIBLE else outcome
    assert result["outcome"] == expected


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"/relatives_in_canada": None}, "/relatives_in_canada"),
        (
            client("2005-06-01", **{"/relatives_in_canada": [sponsor("mother", None)]}),
            "/relatives_in_canada/0/status",
        ),
        (
            client(
                "2005-06-01",
                **{"/relatives_in_canada": [sponsor("mother", resides_in_canada=None)]},
            ),
            "/relatives_in_canada/0/resides_in_canada",
        ),
        (
            client(
                "2005-06-01",
                **{"/person/marital_status": None, "/relatives_in_canada": [sponsor("mother")]},
            ),
            "/person/marital_status",
        ),
        (
            {"/person/date_of_birth": None, "/relatives_in_canada": [sponsor("mother")]},
            "/person/date_of_birth",
        ),
        (
            client(
                "2011-01-01", **{"/parents": None, "/relatives_in_canada": [sponsor("brother")]}
            ),
            "/parents",
        ),
    ],
    ids=[
        "relatives",
        "sponsor-status",
        "sponsor-residence",
        "marital-status",
        "client-age",
        "orphan-parents",
    ],
)
def test_family_missing_facts(changes, pointer):
    expect(screened(changes), "family_sponsorship", MISSING, missing=[pointer])


def test_unknown_status_counts_only_when_the_relationship_could_give_a_route():
    expect(screened({"/relatives_in_canada": [sponsor("brother", None)]}), "family_sponsorship", NA)
