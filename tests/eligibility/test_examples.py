"""Every worked example of the contract gives its expected outcomes (README 7)."""

import pytest

from eligibility.engine import screen
from tests.eligibility.builders import citation_matches, example_pairs

EXAMPLES = example_pairs()


def test_there_are_worked_examples():
    assert len(EXAMPLES) == 8


@pytest.mark.parametrize(("name", "facts", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_outcomes_citations_missing_and_crs(name, facts, expected):
    assessment = screen(facts)
    if "stca" in expected:
        assert assessment["stca"] == expected["stca"]
    for pathway_name, wanted in expected["pathways"].items():
        result = assessment["pathways"][pathway_name]
        assert result["outcome"] == wanted["outcome"], pathway_name
        actual = [reason["citation"] for reason in result["reasons"]]
        for citation in wanted.get("citations", []):
            assert any(citation_matches(found, citation) for found in actual), (
                pathway_name,
                citation,
            )
        for pointer in wanted.get("missing", []):
            assert pointer in result["missing"], (pathway_name, pointer)
        if "crs_score" in wanted:
            assert result["crs_score"] == wanted["crs_score"]
        if "crs_breakdown" in wanted:
            assert result["crs_breakdown"] == wanted["crs_breakdown"]


def test_prefix_matching_is_at_a_paragraph_boundary():
    assert citation_matches("R159.5(b)(ii)", "R159.5(b)")
    assert not citation_matches("A101(1)(b.1)", "A101(1)(b)")
    assert not citation_matches("R159.51", "R159.5")
