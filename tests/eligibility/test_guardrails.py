"""Guardrails (README 6): no text suggests crossing between ports or hiding an intention to claim,
none says "eligible for refugee status", and PRRA is never shown as available from the US."""

import re

from hypothesis import HealthCheck, given, settings

from eligibility.engine import screen
from tests.eligibility.builders import BASELINE, ECONOMIC, example_pairs, facts_with
from tests.eligibility.strategies import valid_facts

FORBIDDEN = [
    re.compile(r"eligible for refugee status", re.I),
    re.compile(r"refugee status eligib", re.I),
    # suggestions to cross away from a port of entry, or to wait out the 14 days
    re.compile(
        r"\b(you|they|the client)\s+(can|could|should|may|might)\s+(cross|enter)\b[^.]*"
        r"\b(between ports|away from a port)",
        re.I,
    ),
    re.compile(
        r"\b(cross|crossing|enter|entering)\s+between ports\s+(instead|and wait|to avoid)", re.I
    ),
    re.compile(r"\bwait\b[^.]*\b(14|fourteen|two weeks)\b", re.I),
    re.compile(r"\b(avoid|get around|bypass|escape)\b[^.]*\b(stca|safe third country)", re.I),
    # suggestions to hide an intention to claim
    re.compile(r"\b(hide|hiding|hidden|conceal|concealing)\b", re.I),
    re.compile(
        r"\b(do not|don't|never|without)\s+(mention|mentioning|tell|telling|say|saying|"
        r"reveal|revealing)\b",
        re.I,
    ),
    re.compile(
        r"\b(visa|eta|visitor|tourist)\b[^.]*\b(in order to|so (that )?you can|and then)\s+"
        r"(make|file|claim)",
        re.I,
    ),
    # PRRA from the United States
    re.compile(r"\bapply (for )?(a )?prra (now|today|from)", re.I),
]

SITUATIONS = {
    "between-ports-day-3": {
        "/plan/entry_mode": "between_ports",
        "/plan/entry_date": "2026-12-20",
        "/plan/claim_date": "2026-12-23",
    },
    "between-ports-day-13": {
        "/plan/entry_mode": "between_ports",
        "/plan/entry_date": "2026-12-20",
        "/plan/claim_date": "2027-01-02",
    },
    "between-ports-day-30": {
        "/plan/entry_mode": "between_ports",
        "/plan/entry_date": "2026-12-20",
        "/plan/claim_date": "2027-01-19",
    },
    "inland-after-visit": {"/plan/claim_date": "2027-03-01"},
    "airport": {"/plan/entry_mode": "airport"},
    "stca-bar": {},
    "us-asylum": {"/person/us_status": "pending_asylum", "/plan/entry_mode": "airport"},
    "in-canada-removal-order": {
        "/person/current_location": "canada",
        "/canadian_history/removal_order_in_force": True,
    },
    "lpr-visitor": {"/person/us_status": "lpr"},
    "valid-trv": {
        "/canadian_documents": [{"kind": "trv", "valid_until": "2030-01-01", "transit_only": False}]
    },
    "economic": {"/economic": ECONOMIC},
}


def texts(assessment):
    yield assessment["disclaimer"]
    for result in assessment["pathways"].values():
        for reason in result["reasons"]:
            yield reason["text"]
        yield from result["next_steps"]


def violations(assessment):
    return [
        (pattern.pattern, text)
        for text in texts(assessment)
        for pattern in FORBIDDEN
        if pattern.search(text)
    ]


def test_the_patterns_catch_what_they_should():
    bad = {
        "disclaimer": "You are eligible for refugee status.",
        "pathways": {
            "x": {
                "reasons": [
                    {"text": "You could cross between ports and wait 14 days."},
                    {"text": "Do not mention the claim when you apply for a visitor visa."},
                    {"text": "Get a visitor visa in order to make a claim."},
                    {"text": "Apply for a PRRA now."},
                ],
                "next_steps": ["Hide the plan from the officer."],
            }
        },
    }
    assert len({pattern for pattern, _ in violations(bad)}) >= 6


def test_worked_examples_and_situations_respect_the_guardrails():
    corpus = [facts for _, facts, _ in example_pairs()]
    corpus += [facts_with(changes, base=BASELINE) for changes in SITUATIONS.values()]
    for facts in corpus:
        assessment = screen(facts)
        assert violations(assessment) == []
        assert assessment["pathways"]["prra"]["outcome"] != "LIKELY_ELIGIBLE"


def test_between_ports_facts_explain_b2_and_point_to_a_land_port():
    assessment = screen(facts_with(SITUATIONS["between-ports-day-3"]))
    guardrail = [
        reason["text"]
        for reason in assessment["pathways"]["refugee_claim"]["reasons"]
        if reason["citation"] == "A101(1)(b.2)"
    ]
    assert guardrail and "land port of entry" in guardrail[0] and "never advised" in guardrail[0]


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(valid_facts)
def test_generated_corpus_respects_the_guardrails(facts):
    assessment = screen(facts)
    assert violations(assessment) == []
    assert assessment["pathways"]["prra"]["outcome"] != "LIKELY_ELIGIBLE"
