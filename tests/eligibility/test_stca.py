"""The STCA (A101(1)(e)): scope rows, every exception, and the result (README 3.4, 4.4)."""

import pytest

from tests.eligibility.builders import REMOVE, citations, cites, expect, screened

ELIGIBLE, INELIGIBLE, REVIEW, MISSING = (
    "LIKELY_ELIGIBLE",
    "LIKELY_INELIGIBLE",
    "NEEDS_REVIEW",
    "MISSING_INFO",
)


def relative(relationship="brother", status="citizen", **fields):
    """A relative in Canada (age 30 unless a date of birth or another age is given)."""
    base = {
        "relationship": relationship,
        "status": status,
        "in_canada": True,
        "resides_in_canada": True,
    }
    if "date_of_birth" not in fields:
        base["age"] = 30
    return {**base, **fields}


def between_ports(entry, claim, screening="2026-11-22"):
    return {
        "/screening_date": screening,
        "/plan/entry_mode": "between_ports",
        "/plan/entry_date": entry,
        "/plan/claim_date": claim,
    }


MINOR = {
    "/person/date_of_birth": "2010-08-30",
    "/plan/accompanied_by_parent_or_guardian": False,
}

# (id, changes, applies, exception, refugee_claim outcome, citations among its reasons)
SCOPE = [
    ("land-port-no-exception", {}, True, None, INELIGIBLE, ["A101(1)(e)", "R159.4(1)"]),
    (
        "train-port",
        {"/plan/entry_mode": "train_port_of_entry"},
        True,
        None,
        INELIGIBLE,
        ["A101(1)(e)"],
    ),
    (
        "undecided-screened-as-land-port",
        {"/plan/entry_mode": "undecided"},
        True,
        None,
        INELIGIBLE,
        ["R159.4(1)", "A101(1)(e)"],
    ),
    (
        "us-dual-national",
        {"/person/citizenships": ["HN", "US"]},
        False,
        None,
        ELIGIBLE,
        ["A101(1)(e)"],
    ),
    (
        "us-citizen-status",
        {"/person/citizenships": ["US"], "/person/us_status": "us_citizen"},
        False,
        None,
        ELIGIBLE,
        ["A101(1)(e)"],
    ),
    (
        "stateless-us-habitual-residence",
        {
            "/person/citizenships": [],
            "/person/stateless": True,
            "/person/former_habitual_residences": [{"country": "US"}],
        },
        False,
        None,
        ELIGIBLE,
        ["R159.2", "R159.1"],
    ),
    (
        "stateless-other-habitual-residence",
        {
            "/person/citizenships": [],
            "/person/stateless": True,
            "/person/former_habitual_residences": [{"country": "SY"}],
        },
        True,
        None,
        INELIGIBLE,
        ["A101(1)(e)", "R159.1"],
    ),
    (
        "inland-claim-after-port-entry",
        {"/plan/claim_date": "2027-02-01"},
        False,
        None,
        REVIEW,
        ["R159.4(1)(a)", "A40"],
    ),
    ("airport", {"/plan/entry_mode": "airport"}, False, None, ELIGIBLE, ["R159.4(1)(c)"]),
    (
        "airport-in-transit-us-removal",
        {"/plan/entry_mode": "airport", "/plan/in_transit_us_removal": True},
        True,
        None,
        INELIGIBLE,
        ["R159.4(2)", "A101(1)(e)"],
    ),
    ("harbour", {"/plan/entry_mode": "harbour"}, False, None, ELIGIBLE, ["R159.4(1)(b)"]),
    (
        "already-in-canada",
        {
            "/plan/entry_mode": "already_in_canada",
            "/plan/entry_date": "2026-10-01",
            "/plan/claim_date": "2026-11-22",
        },
        False,
        None,
        ELIGIBLE,
        ["R159.4(1)(a)"],
    ),
    (
        "between-ports-same-day",
        between_ports("2026-12-20", "2026-12-20"),
        True,
        None,
        INELIGIBLE,
        ["R159.4(1.1)", "A101(1)(e)"],
    ),
    (
        "between-ports-day-11",
        between_ports("2026-12-20", "2026-12-31"),
        True,
        None,
        INELIGIBLE,
        ["R159.4(1.1)"],
    ),
    (
        "between-ports-day-13-window",
        between_ports("2026-12-20", "2027-01-02"),
        True,
        None,
        INELIGIBLE,
        ["R159.4(1.1)", "A101(1)(e)"],
    ),
    (
        "between-ports-day-14-b2-bar",
        between_ports("2026-12-20", "2027-01-03"),
        False,
        None,
        INELIGIBLE,
        ["A101(1)(b.2)", "R159.4(1)(a)"],
    ),
    (
        "between-ports-entry-before-protocol",
        between_ports("2023-03-24", "2023-03-24", screening="2023-06-01"),
        False,
        None,
        ELIGIBLE,
        ["R159.4(1)(a)"],
    ),
    (
        "between-ports-entry-on-protocol-day",
        between_ports("2023-03-25", "2023-03-25", screening="2023-06-01"),
        True,
        None,
        INELIGIBLE,
        ["R159.4(1.1)", "A101(1)(e)"],
    ),
    (
        "between-ports-screened-before-protocol",
        between_ports("2023-03-24", "2023-03-24", screening="2023-03-24"),
        False,
        None,
        ELIGIBLE,
        ["R159.4(1)(a)"],
    ),
]


@pytest.mark.parametrize(
    ("changes", "applies", "exception", "outcome", "cited"),
    [case[1:] for case in SCOPE],
    ids=[case[0] for case in SCOPE],
)
def test_scope(changes, applies, exception, outcome, cited):
    assessment = screened(changes)
    assert assessment["stca"] == {"applies": applies, "exception": exception}
    expect(assessment, "refugee_claim", outcome, cited)


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"/person/stateless": None}, "/person/stateless"),
        ({"/person/citizenships": REMOVE}, "/person/citizenships"),
        (
            {"/person/citizenships": [], "/person/stateless": True},
            "/person/former_habitual_residences",
        ),
        ({"/plan/entry_mode": None}, "/plan/entry_mode"),
        ({"/plan": REMOVE}, "/plan"),
        (
            {**between_ports("2026-12-20", "2026-12-21"), "/plan/claim_date": REMOVE},
            "/plan/claim_date",
        ),
        (
            {**between_ports("2026-12-20", "2026-12-21"), "/plan/entry_date": None},
            "/plan/entry_date",
        ),
    ],
    ids=[
        "stateless",
        "citizenships",
        "habitual-residence",
        "entry-mode",
        "plan",
        "claim-date",
        "entry-date",
    ],
)
def test_undetermined_scope_is_missing_info(changes, pointer):
    assessment = screened(changes)
    assert assessment["stca"] == {"applies": None, "exception": None}
    expect(assessment, "refugee_claim", MISSING, missing=[pointer])


# (id, relatives_in_canada or spouse changes, applies, exception, outcome, citation)
FAMILY = [
    (
        "citizen-brother",
        [relative("brother", "citizen")],
        False,
        "family_member",
        ELIGIBLE,
        "R159.5(a)",
    ),
    (
        "protected-sister",
        [relative("sister", "protected_person")],
        False,
        "family_member",
        ELIGIBLE,
        "R159.5(b)(i)",
    ),
    (
        "pr-mother",
        [relative("mother", "permanent_resident")],
        False,
        "family_member",
        ELIGIBLE,
        "R159.5(b)(ii)",
    ),
    (
        "hc-stay-uncle",
        [relative("uncle", "hc_stay_of_removal")],
        False,
        "family_member",
        ELIGIBLE,
        "R159.5(b)(iii)",
    ),
    (
        "referred-adult-aunt",
        [relative("aunt", "claimant_referred", age=30)],
        False,
        "family_member",
        ELIGIBLE,
        "R159.5(c)",
    ),
    (
        "referred-minor-nephew",
        [relative("nephew", "claimant_referred", age=16)],
        True,
        None,
        INELIGIBLE,
        "A101(1)(e)",
    ),
    (
        "pending-eligibility-niece",
        [relative("niece", "claimant_pending_eligibility")],
        None,
        None,
        REVIEW,
        "R159.5(c)",
    ),
    (
        "rad-appeal-grandfather-with-permit",
        [
            relative(
                "grandfather",
                "claimant_rejected_under_appeal",
                permit_basis="r206_1_a",
                permit_valid=True,
            )
        ],
        None,
        None,
        REVIEW,
        "R159.5(c)(iii)",
    ),
    (
        "ineligible-claimant-grandmother",
        [relative("grandmother", "claimant_ineligible")],
        True,
        None,
        INELIGIBLE,
        "A101(1)(e)",
    ),
    (
        "work-permit-adult",
        [relative("brother", "work_permit", permit_basis="lmia", permit_valid=True, age=25)],
        False,
        "family_member",
        ELIGIBLE,
        "R159.5(d)",
    ),
    (
        "r206-1-b-permit",
        [relative("brother", "work_permit", permit_basis="r206_1_b", permit_valid=True)],
        True,
        None,
        INELIGIBLE,
        "A101(1)(e)",
    ),
    (
        "expired-permit",
        [relative("brother", "work_permit", permit_basis="lmia", permit_valid=False)],
        True,
        None,
        INELIGIBLE,
        "A101(1)(e)",
    ),
    (
        "rejected-claimant-with-permit",
        [relative("brother", "claimant_rejected", permit_basis="r206_1_a", permit_valid=True)],
        None,
        None,
        REVIEW,
        "R159.5(d)",
    ),
    (
        "study-permit-minor",
        [
            relative(
                "sister", "study_permit", permit_basis="study_permit", permit_valid=True, age=16
            )
        ],
        True,
        None,
        INELIGIBLE,
        "A101(1)(e)",
    ),
    ("visitor", [relative("brother", "visitor")], True, None, INELIGIBLE, "A101(1)(e)"),
    ("cousin-citizen", [relative("cousin", "citizen")], True, None, INELIGIBLE, "A101(1)(e)"),
    ("in-law-citizen", [relative("in_law", "citizen")], True, None, INELIGIBLE, "A101(1)(e)"),
    (
        "step-relative-citizen",
        [relative("step_relative", "citizen")],
        None,
        None,
        REVIEW,
        "R159.5(a)",
    ),
    (
        "half-brother-citizen",
        [relative("brother", "citizen", relationship_basis="half")],
        None,
        None,
        REVIEW,
        "R159.5(a)",
    ),
    (
        "adoptive-sister-pr",
        [relative("sister", "permanent_resident", relationship_basis="adoption")],
        None,
        None,
        REVIEW,
        "R159.5(b)(ii)",
    ),
    (
        "adult-client-guardian",
        [relative("legal_guardian", "permanent_resident")],
        True,
        None,
        INELIGIBLE,
        "A101(1)(e)",
    ),
    (
        "best-of-two-candidates",
        [relative("cousin", "citizen"), relative("sister", "citizen")],
        False,
        "family_member",
        ELIGIBLE,
        "R159.5(a)",
    ),
]


@pytest.mark.parametrize(
    ("relatives", "applies", "exception", "outcome", "citation"),
    [case[1:] for case in FAMILY],
    ids=[case[0] for case in FAMILY],
)
def test_family_member_exception(relatives, applies, exception, outcome, citation):
    assessment = screened({"/relatives_in_canada": relatives})
    assert assessment["stca"] == {"applies": applies, "exception": exception}
    expect(assessment, "refugee_claim", outcome, [citation])


@pytest.mark.parametrize(
    ("relatives", "pointer"),
    [
        ([relative("brother", None)], "/relatives_in_canada/0/status"),
        ([relative("brother", "unknown")], "/relatives_in_canada/0/status"),
        ([relative("brother", "citizen", in_canada=None)], "/relatives_in_canada/0/in_canada"),
        (
            [relative("brother", "work_permit", permit_valid=True)],
            "/relatives_in_canada/0/permit_basis",
        ),
        (
            [relative("brother", "work_permit", permit_basis="lmia")],
            "/relatives_in_canada/0/permit_valid",
        ),
        (
            [{"relationship": "sister", "status": "claimant_referred", "in_canada": True}],
            "/relatives_in_canada/0/date_of_birth",
        ),
        (None, "/relatives_in_canada"),
    ],
    ids=[
        "status-null",
        "status-unknown",
        "in-canada",
        "permit-basis",
        "permit-valid",
        "anchor-age",
        "relatives-unknown",
    ],
)
def test_family_member_facts_missing(relatives, pointer):
    assessment = screened({"/relatives_in_canada": relatives})
    assert assessment["stca"] == {"applies": None, "exception": None}
    expect(assessment, "refugee_claim", MISSING, missing=[pointer])


def test_visitor_of_unknown_whereabouts_cannot_qualify_anyway():
    assessment = screened(
        {"/relatives_in_canada": [relative("brother", "visitor", in_canada=None)]}
    )
    assert assessment["stca"] == {"applies": True, "exception": None}


def test_relative_not_in_canada_adds_a_review_reason_but_stca_still_applies():
    assessment = screened(
        {"/relatives_in_canada": [relative("brother", "citizen", in_canada=False)]}
    )
    assert assessment["stca"] == {"applies": True, "exception": None}
    result = expect(assessment, "refugee_claim", INELIGIBLE, ["A101(1)(e)"])
    assert cites(result, "R159.5(a)", REVIEW)


def test_spouse_and_common_law_partner_are_family_members():
    spouse = {"relationship": "spouse", "canadian_status": "citizen", "in_canada": True}
    assert screened({"/spouse": spouse})["stca"] == {"applies": False, "exception": "family_member"}
    partner = {
        "relationship": "common_law_partner",
        "canadian_status": "permanent_resident",
        "in_canada": True,
    }
    assert screened({"/spouse": partner})["stca"]["exception"] == "family_member"


def test_conjugal_partner_is_not_a_family_member():
    partner = {"relationship": "conjugal_partner", "canadian_status": "citizen", "in_canada": True}
    assert screened({"/spouse": partner})["stca"] == {"applies": True, "exception": None}


def test_legal_guardian_counts_for_a_minor():
    changes = {
        **MINOR,
        "/plan/accompanied_by_parent_or_guardian": True,
        "/relatives_in_canada": [relative("legal_guardian", "permanent_resident")],
    }
    assert screened(changes)["stca"] == {"applies": False, "exception": "family_member"}


def test_anchor_eighteenth_birthday_window_flags_review_without_changing_stca():
    anchor = relative("sister", "claimant_referred", date_of_birth="2008-12-30")
    assessment = screened({"/relatives_in_canada": [anchor]})
    assert assessment["stca"] == {"applies": False, "exception": "family_member"}
    result = expect(assessment, "refugee_claim", REVIEW, ["R159.5(c)"])
    assert cites(result, "R159.5(c)", ELIGIBLE) and cites(result, "R159.5(c)", REVIEW)


def test_anchor_age_range_from_age_alone_needs_review():
    # Age 17 on the screening date, claim 51 days later: 17 or 18 on the claim date.
    anchor = relative("sister", "claimant_referred", age=17)
    assessment = screened({"/relatives_in_canada": [anchor]})
    assert assessment["stca"] == {"applies": None, "exception": None}
    expect(assessment, "refugee_claim", REVIEW, ["R159.5(c)"])


# -- (e) unaccompanied minor ---------------------------------------------------------------------
UNACCOMPANIED = [
    ("met", {}, False, "unaccompanied_minor", ELIGIBLE, ["R159.5(e)", "A167(2)"]),
    (
        "accompanied",
        {"/plan/accompanied_by_parent_or_guardian": True},
        True,
        None,
        INELIGIBLE,
        ["A101(1)(e)"],
    ),
    ("married-minor", {"/person/marital_status": "married"}, None, None, REVIEW, ["R159.5(e)"]),
    ("mother-in-us", {"/parents/0/whereabouts": "us"}, True, None, INELIGIBLE, ["A101(1)(e)"]),
    (
        "father-in-canada",
        {"/parents/1/whereabouts": "canada"},
        True,
        None,
        INELIGIBLE,
        ["A101(1)(e)"],
    ),
    (
        "father-whereabouts-unknown",
        {"/parents/1/whereabouts": "unknown"},
        None,
        None,
        REVIEW,
        ["R159.5(e)"],
    ),
    (
        "informal-carer-in-us",
        {
            "/parents/2": {
                "relationship": "legal_guardian",
                "whereabouts": "us",
                "guardianship_basis": "informal_custody",
            }
        },
        None,
        None,
        REVIEW,
        ["R159.5(e)"],
    ),
    (
        "court-ordered-guardian-in-canada",
        {
            "/parents/2": {
                "relationship": "legal_guardian",
                "whereabouts": "canada",
                "guardianship_basis": "court_order",
            }
        },
        True,
        None,
        INELIGIBLE,
        ["A101(1)(e)"],
    ),
    (
        "deceased-parents",
        {"/parents/0/whereabouts": "deceased", "/parents/1/whereabouts": "deceased"},
        False,
        "unaccompanied_minor",
        ELIGIBLE,
        ["R159.5(e)"],
    ),
]


@pytest.mark.parametrize(
    ("changes", "applies", "exception", "outcome", "cited"),
    [case[1:] for case in UNACCOMPANIED],
    ids=[case[0] for case in UNACCOMPANIED],
)
def test_unaccompanied_minor(changes, applies, exception, outcome, cited):
    assessment = screened({**MINOR, **changes})
    assert assessment["stca"] == {"applies": applies, "exception": exception}
    expect(assessment, "refugee_claim", outcome, cited)


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        (
            {"/plan/accompanied_by_parent_or_guardian": None},
            "/plan/accompanied_by_parent_or_guardian",
        ),
        ({"/parents": None}, "/parents"),
        ({"/parents": [{"relationship": "mother", "whereabouts": "elsewhere"}]}, "/parents"),
        ({"/parents/1/whereabouts": None}, "/parents/1/whereabouts"),
        (
            {"/parents/2": {"relationship": "legal_guardian", "whereabouts": "us"}},
            "/parents/2/guardianship_basis",
        ),
        ({"/person/date_of_birth": None}, "/person/date_of_birth"),
    ],
    ids=[
        "accompanied",
        "parents",
        "father-not-listed",
        "whereabouts",
        "guardian-basis",
        "birth-date",
    ],
)
def test_unaccompanied_minor_missing_facts(changes, pointer):
    assessment = screened({**MINOR, **changes})
    assert assessment["stca"] == {"applies": None, "exception": None}
    expect(assessment, "refugee_claim", MISSING, missing=[pointer])


@pytest.mark.parametrize(
    ("born", "claim", "applies", "exception", "outcome"),
    [
        ("2009-02-01", "2027-01-12", False, "unaccompanied_minor", REVIEW),  # 18 in 20 days
        (
            "2009-01-02",
            "2027-01-12",
            True,
            None,
            INELIGIBLE,
        ),  # 18 ten days ago: window, still barred
        ("2008-12-12", "2027-01-12", True, None, INELIGIBLE),  # 18 thirty-one days ago: no window
        ("2009-02-12", "2027-01-12", False, "unaccompanied_minor", ELIGIBLE),  # 18 in 31 days
    ],
    ids=[
        "turns-18-in-20-days",
        "turned-18-ten-days-before",
        "turned-18-31-days-before",
        "turns-18-in-31-days",
    ],
)
def test_eighteenth_birthday_window(born, claim, applies, exception, outcome):
    changes = {
        **MINOR,
        "/person/date_of_birth": born,
        "/plan/entry_date": claim,
        "/plan/claim_date": claim,
    }
    assessment = screened(changes)
    assert assessment["stca"] == {"applies": applies, "exception": exception}
    result = expect(assessment, "refugee_claim", outcome)
    window = any(r["code"] == "AGE_BOUNDARY_WINDOW" for r in result["reasons"])
    assert window == (born in ("2009-02-01", "2009-01-02"))


@pytest.mark.parametrize(
    ("claim", "exception"),
    [("2026-02-28", "unaccompanied_minor"), ("2026-03-01", None)],
    ids=["day-before-1-march", "1-march-common-year"],
)
def test_29_february_birthday_falls_on_1_march(claim, exception):
    changes = {
        **MINOR,
        "/person/date_of_birth": "2008-02-29",
        "/screening_date": "2026-02-01",
        "/plan/entry_date": claim,
        "/plan/claim_date": claim,
    }
    assert screened(changes)["stca"]["exception"] == exception


# -- (f) document holder --------------------------------------------------------------------------
def document(kind="trv", valid_until="2029-06-30", transit_only=False):
    return {"kind": kind, "valid_until": valid_until, "transit_only": transit_only}


@pytest.mark.parametrize(
    ("documents", "applies", "exception", "outcome", "citation"),
    [
        ([document()], False, "document_holder", ELIGIBLE, "R159.5(f)(i)"),
        ([document("pr_visa")], False, "document_holder", ELIGIBLE, "R159.5(f)(i)"),
        ([document("trp")], False, "document_holder", ELIGIBLE, "R159.5(f)(ii)"),
        ([document("refugee_travel_paper")], False, "document_holder", ELIGIBLE, "R159.5(f)(iv)"),
        ([document(valid_until="2027-01-11")], None, None, REVIEW, "R159.5(f)(i)"),
        ([document(valid_until="2027-01-12")], False, "document_holder", ELIGIBLE, "R159.5(f)(i)"),
        ([document(transit_only=True)], True, None, INELIGIBLE, "A101(1)(e)"),
        ([{"kind": "work_permit"}], None, None, REVIEW, "R159.5(f)"),
        ([{"kind": "eta"}], True, None, INELIGIBLE, "A101(1)(e)"),
    ],
    ids=[
        "trv",
        "pr-visa",
        "trp",
        "refugee-travel-paper",
        "expired-day-before",
        "valid-on-claim-day",
        "transit-only",
        "work-permit-alone",
        "eta",
    ],
)
def test_document_holder(documents, applies, exception, outcome, citation):
    assessment = screened({"/canadian_documents": documents})
    assert assessment["stca"] == {"applies": applies, "exception": exception}
    expect(assessment, "refugee_claim", outcome, [citation])


@pytest.mark.parametrize(
    ("documents", "pointer"),
    [
        (None, "/canadian_documents"),
        ([document(valid_until=None)], "/canadian_documents/0/valid_until"),
        ([document(transit_only=None)], "/canadian_documents/0/transit_only"),
    ],
    ids=["documents", "validity", "transit"],
)
def test_document_facts_missing(documents, pointer):
    expect(
        screened({"/canadian_documents": documents}), "refugee_claim", MISSING, missing=[pointer]
    )


# -- (g) visa-exempt for Canada, visa needed for the US -------------------------------------------
@pytest.mark.parametrize(
    ("citizenship", "day", "us_status", "applies", "exception"),
    [
        ("MX", "2024-02-28", "undocumented", False, "visa_exempt_canada_not_us"),
        ("MX", "2024-02-29", "undocumented", True, None),
        ("MX", "2024-01-10", "lpr", True, None),
        ("BG", "2026-11-22", "tps", False, "visa_exempt_canada_not_us"),
        ("FR", "2026-11-22", "nonimmigrant_visa", True, None),
        ("IL", "2026-11-22", "nonimmigrant_visa", None, None),
    ],
    ids=[
        "mexico-day-before-visa",
        "mexico-visa-day",
        "mexican-lpr",
        "bulgaria",
        "france-vwp",
        "israel-passport-condition",
    ],
)
def test_visa_exempt_for_canada_not_us(citizenship, day, us_status, applies, exception):
    changes = {
        "/screening_date": day,
        "/plan/entry_date": day,
        "/plan/claim_date": day,
        "/person/citizenships": [citizenship],
        "/person/us_status": us_status,
    }
    assessment = screened(changes)
    assert assessment["stca"] == {"applies": applies, "exception": exception}
    if exception:
        expect(assessment, "refugee_claim", ELIGIBLE, ["R159.5(g)"])


# -- (h) refused entry to the US, R159.6 death penalty, ordering ----------------------------------
@pytest.mark.parametrize(
    ("day", "applies", "exception"),
    [("2015-02-20", False, "refused_entry_to_us"), ("2015-02-19", True, None)],
    ids=["in-force-day", "day-before-in-force"],
)
def test_refused_entry_to_us(day, applies, exception):
    changes = {
        "/screening_date": day,
        "/plan/entry_date": day,
        "/plan/claim_date": day,
        "/plan/refused_entry_to_us_without_adjudication": True,
    }
    assert screened(changes)["stca"] == {"applies": applies, "exception": exception}


def test_death_penalty_charge_takes_claim_out_but_criminality_needs_review():
    assessment = screened({"/criminality/death_penalty_charge": True})
    assert assessment["stca"] == {"applies": False, "exception": "death_penalty"}
    result = expect(assessment, "refugee_claim", REVIEW, ["R159.6", "A101(1)(f)"])
    assert cites(result, "R159.6", ELIGIBLE)


def test_possible_death_penalty_charge_needs_review():
    charge = {"country": "US", "death_penalty_possible": True}
    assessment = screened({"/criminality/pending_charges": [charge]})
    assert assessment["stca"] == {"applies": None, "exception": None}
    expect(assessment, "refugee_claim", REVIEW, ["R159.6"])


def test_death_penalty_is_the_only_exception_in_airport_transit():
    changes = {
        "/plan/entry_mode": "airport",
        "/plan/in_transit_us_removal": True,
        "/relatives_in_canada": [relative("brother", "citizen")],
    }
    assert screened(changes)["stca"] == {"applies": True, "exception": None}
    changes["/criminality/death_penalty_charge"] = True
    assert screened(changes)["stca"] == {"applies": False, "exception": "death_penalty"}


def test_first_met_exception_is_reported_and_every_met_one_gives_a_reason():
    changes = {
        **MINOR,
        "/relatives_in_canada": [relative("sister", "citizen")],
        "/canadian_documents": [document()],
    }
    assessment = screened(changes)
    assert assessment["stca"] == {"applies": False, "exception": "family_member"}
    result = assessment["pathways"]["refugee_claim"]
    assert {"R159.5(a)", "R159.5(e)", "R159.5(f)(i)"} <= set(citations(result))


def test_out_of_scope_claim_never_needs_exception_facts():
    changes = {
        "/plan/entry_mode": "airport",
        "/relatives_in_canada": None,
        "/canadian_documents": None,
        "/parents": None,
    }
    assessment = screened(changes)
    assert assessment["stca"] == {"applies": False, "exception": None}
    expect(assessment, "refugee_claim", ELIGIBLE)
