"""Property tests (Hypothesis): contract invariants over generated facts documents."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from eligibility.engine import InvalidFacts, screen
from eligibility.engine.tables import contract_schema
from eligibility.engine.validation import schema_errors, semantic_errors
from tests.eligibility.builders import BASELINE, ECONOMIC, REMOVE, facts_with
from tests.eligibility.strategies import any_facts, valid_facts

ASSESSMENT = Draft202012Validator(
    contract_schema("assessment"), format_checker=Draft202012Validator.FORMAT_CHECKER
)
PATHWAYS = [
    "refugee_claim",
    "prra",
    "humanitarian",
    "citizenship",
    "spousal_sponsorship",
    "family_sponsorship",
    "express_entry",
    "provincial_nominee",
    "temporary_residence",
]
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_invariants(facts: dict, assessment: dict) -> None:
    """Everything the contract promises about any assessment."""
    errors = sorted(error.message for error in ASSESSMENT.iter_errors(assessment))
    assert errors == []
    assert list(assessment["pathways"]) == PATHWAYS
    assert assessment["rules_version"] == "2026-11-22"
    disclaimer = assessment["disclaimer"]
    assert "not legal advice" in disclaimer
    assert assessment["rules_version"] in disclaimer and "2026-07-23" in disclaimer
    assert assessment["screening_date"] in disclaimer
    if "screening_date" in facts:
        assert assessment["screening_date"] == facts["screening_date"]
    stca = assessment["stca"]
    if stca["exception"] is not None:
        assert stca["applies"] is False
    for name, result in assessment["pathways"].items():
        effects = {reason["effect"] for reason in result["reasons"]}
        assert result["outcome"] in effects, name
        assert result["missing"] == sorted(set(result["missing"])), name
        if result["outcome"] == "MISSING_INFO":
            assert result["missing"], name
        if name != "prra":
            assert result["outcome"] != "LIKELY_AVAILABLE_LATER"
    assert assessment["pathways"]["prra"]["outcome"] != "LIKELY_ELIGIBLE"
    if assessment["pathways"]["citizenship"]["outcome"] == "LIKELY_ELIGIBLE":
        others = [n for n in PATHWAYS if n != "citizenship"]
        assert {assessment["pathways"][n]["outcome"] for n in others} == {"NOT_APPLICABLE"}
        assert stca == {"applies": False, "exception": None}
    express = assessment["pathways"]["express_entry"]
    if express["crs_score"] is not None:
        assert express["crs_score"] == express["crs_breakdown"]["total"]


@SETTINGS
@given(valid_facts)
def test_valid_facts_give_a_valid_assessment(facts):
    original = copy.deepcopy(facts)
    assessment = screen(facts)
    assert facts == original, "screen() must not change the facts"
    assert_invariants(facts, assessment)
    assert screen(copy.deepcopy(facts)) == assessment, "screening is deterministic"


@SETTINGS
@given(any_facts)
def test_schema_valid_facts_are_screened_or_rejected_by_the_semantic_checks(facts):
    if semantic_errors(facts):
        with pytest.raises(InvalidFacts) as raised:
            screen(facts)
        assert raised.value.errors
        assert all(set(error) == {"path", "message"} for error in raised.value.errors)
    else:
        assert_invariants(facts, screen(facts))


@settings(max_examples=60, deadline=None)
@given(
    any_facts,
    st.sampled_from(
        [
            "/person/date_of_birth",
            "/plan/entry_date",
            "/screening_date",
            "/person/citizenships",
            "/criminality/convictions",
        ]
    ),
    st.sampled_from([12, "2026-13-01", "2025-02-29", [], {"x": 1}, "US\n"]),
)
def test_fast_and_reference_validators_agree(facts, pointer, value):
    facts = facts_with({pointer: value}, base=facts)
    try:
        screen(facts)
        accepted = True
    except InvalidFacts:
        accepted = False
    reference = not schema_errors(facts) and not semantic_errors(facts)
    assert accepted == reference


# -- (b) removing a fact a rule needs gives MISSING_INFO naming it ---------------------------------
COMPLETE = {
    "baseline": BASELINE,
    "airport": facts_with({"/plan/entry_mode": "airport"}),
    "family-exception": facts_with(
        {
            "/relatives_in_canada": [
                {
                    "relationship": "sister",
                    "status": "claimant_referred",
                    "in_canada": True,
                    "date_of_birth": "1990-01-01",
                }
            ]
        }
    ),
    "minor": facts_with(
        {"/person/date_of_birth": "2010-08-30", "/plan/accompanied_by_parent_or_guardian": False}
    ),
    "between-ports": facts_with(
        {
            "/plan/entry_mode": "between_ports",
            "/plan/entry_date": "2026-12-20",
            "/plan/claim_date": "2026-12-23",
        }
    ),
    "skilled-worker": {**BASELINE, "economic": ECONOMIC},
    "lpr": facts_with({"/person/us_status": "lpr"}),
    "citizen-parent": facts_with(
        {
            "/person/date_of_birth": "2026-03-01",
            "/parents/0": {
                "relationship": "mother",
                "whereabouts": "us",
                "canadian_citizen_at_client_birth": True,
                "citizen_by_descent": True,
                "days_in_canada_before_client_birth": 2000,
                "citizenship_renounced_or_lost": False,
            },
        }
    ),
}

# (base, pathway, pointer removed): the decisive rule of that pathway needs the fact.
NEEDED = [
    ("baseline", "refugee_claim", "/person/citizenships"),
    ("baseline", "refugee_claim", "/person/stateless"),
    ("baseline", "refugee_claim", "/plan/entry_mode"),
    ("baseline", "refugee_claim", "/relatives_in_canada"),
    ("baseline", "refugee_claim", "/canadian_documents"),
    ("baseline", "refugee_claim", "/criminality/death_penalty_charge"),
    ("baseline", "refugee_claim", "/criminality"),
    ("baseline", "prra", "/relatives_in_canada"),
    ("airport", "refugee_claim", "/canadian_history/removal_order_in_force"),
    ("airport", "refugee_claim", "/canadian_history/protected_person"),
    ("airport", "refugee_claim", "/canadian_history/prior_claims"),
    ("airport", "refugee_claim", "/prior_claims"),
    ("airport", "refugee_claim", "/recognized_refugee_elsewhere"),
    ("airport", "refugee_claim", "/canadian_history/deported"),
    ("airport", "refugee_claim", "/criminality/convictions"),
    ("airport", "prra", "/canadian_history/prra_applications"),
    ("airport", "prra", "/criminality/security_concern"),
    ("airport", "humanitarian", "/person/current_location"),
    ("family-exception", "refugee_claim", "/relatives_in_canada/0/status"),
    ("family-exception", "refugee_claim", "/relatives_in_canada/0/in_canada"),
    ("family-exception", "refugee_claim", "/relatives_in_canada/0/date_of_birth"),
    ("minor", "refugee_claim", "/plan/accompanied_by_parent_or_guardian"),
    ("minor", "refugee_claim", "/parents"),
    ("minor", "refugee_claim", "/parents/0/whereabouts"),
    ("between-ports", "refugee_claim", "/plan/claim_date"),
    ("between-ports", "refugee_claim", "/plan/entry_date"),
    ("skilled-worker", "express_entry", "/economic"),
    ("skilled-worker", "express_entry", "/economic/education_credential_recognized"),
    ("skilled-worker", "express_entry", "/economic/language"),
    ("skilled-worker", "express_entry", "/economic/work_history"),
    ("skilled-worker", "express_entry", "/economic/work_history/0/authorized"),
    ("skilled-worker", "express_entry", "/economic/family_size"),
    ("skilled-worker", "express_entry", "/economic/settlement_funds_cad"),
    ("skilled-worker", "provincial_nominee", "/economic"),
    ("lpr", "temporary_residence", "/person/us_status"),
    ("lpr", "temporary_residence", "/criminality/human_rights_concern"),
    ("citizen-parent", "citizenship", "/parents"),
    ("citizen-parent", "citizenship", "/parents/0/canadian_citizen_at_client_birth"),
    ("citizen-parent", "citizenship", "/parents/0/days_in_canada_before_client_birth"),
    ("citizen-parent", "citizenship", "/person/date_of_birth"),
]


def _nearest_present(facts: dict, pointer: str) -> str:
    """The pointer itself if its parent exists after removal, else the nearest absent ancestor."""
    parts = pointer.split("/")[1:]
    node = facts
    for depth, part in enumerate(parts):
        key = int(part) if isinstance(node, list) else part
        child = (
            node[key]
            if isinstance(node, list) and key < len(node)
            else (node.get(key) if isinstance(node, dict) else None)
        )
        if child is None:
            return "/" + "/".join(parts[: depth + 1])
        node = child
    return pointer


@pytest.mark.parametrize(
    ("base", "pathway", "pointer"), NEEDED, ids=[f"{b}:{p}:{ptr}" for b, p, ptr in NEEDED]
)
def test_complete_baselines_are_decided(base, pathway, pointer):
    assert screen(COMPLETE[base])["pathways"][pathway]["outcome"] != "MISSING_INFO"


@settings(max_examples=len(NEEDED) * 2, deadline=None)
@given(st.sampled_from(NEEDED), st.booleans())
def test_removing_a_needed_fact_gives_missing_info_naming_it(case, as_null):
    base, pathway, pointer = case
    facts = facts_with(
        {pointer: None if as_null and _nullable(pointer) else REMOVE}, base=COMPLETE[base]
    )
    result = screen(facts)["pathways"][pathway]
    assert result["outcome"] == "MISSING_INFO"
    assert _nearest_present(facts, pointer) in result["missing"]


def _nullable(pointer: str) -> bool:
    # Blocks typed "object" (person, plan, criminality, canadian_history, economic) cannot be null.
    return pointer not in ("/criminality", "/economic", "/economic/language", "/canadian_history")


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(sorted(COMPLETE)),
    st.sampled_from(
        [
            "/criminality/death_penalty_charge",
            "/criminality/pending_charges",
            "/criminality/convictions",
            "/criminality/security_concern",
            "/criminality/human_rights_concern",
            "/criminality/organized_crime_concern",
            "/criminality/extradition_proceedings",
            "/canadian_history/deported",
        ]
    ),
)
def test_unknown_overlay_facts_turn_eligible_outcomes_into_missing_info(base, pointer):
    before = screen(COMPLETE[base])
    after = screen(facts_with({pointer: REMOVE}, base=COMPLETE[base]))
    for name in PATHWAYS:
        if name == "citizenship":
            continue
        if before["pathways"][name]["outcome"] in ("LIKELY_ELIGIBLE", "LIKELY_AVAILABLE_LATER"):
            assert after["pathways"][name]["outcome"] == "MISSING_INFO", name
            assert pointer in after["pathways"][name]["missing"], name


def test_the_strategies_reach_many_outcomes():
    seen = set()

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(valid_facts)
    def collect(facts):
        assessment = screen(facts)
        for name, result in assessment["pathways"].items():
            seen.add((name, result["outcome"]))
        seen.add(("stca", json.dumps(assessment["stca"], sort_keys=True)))

    collect()
    outcomes = {outcome for _, outcome in seen}
    assert {
        "LIKELY_ELIGIBLE",
        "LIKELY_INELIGIBLE",
        "NEEDS_REVIEW",
        "MISSING_INFO",
        "NOT_APPLICABLE",
    } <= outcomes
    assert len(seen) >= 25
