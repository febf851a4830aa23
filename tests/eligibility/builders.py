"""Facts documents for the engine tests: a complete baseline plus JSON-pointer overrides."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from eligibility.engine import screen

EXAMPLES = Path(__file__).resolve().parent / "examples"
REMOVE = object()

CLEAN_CRIMINALITY = {
    "death_penalty_charge": False,
    "pending_charges": [],
    "convictions": [],
    "security_concern": False,
    "human_rights_concern": False,
    "organized_crime_concern": False,
    "extradition_proceedings": False,
}

# A Honduran adult in the US planning a claim at a land port of entry, with every fact the
# refugee pathways need: the STCA applies and no exception is met.
BASELINE = {
    "schema": "northstar.eligibility.facts/1",
    "screening_date": "2026-11-22",
    "person": {
        "date_of_birth": "1990-05-15",
        "citizenships": ["HN"],
        "stateless": False,
        "born_in_canada": False,
        "canadian_status": "none",
        "us_status": "undocumented",
        "current_location": "us",
        "marital_status": "single",
    },
    "parents": [
        {
            "relationship": "mother",
            "whereabouts": "elsewhere",
            "born_in_canada": False,
            "canadian_citizen_at_client_birth": False,
        },
        {
            "relationship": "father",
            "whereabouts": "elsewhere",
            "born_in_canada": False,
            "canadian_citizen_at_client_birth": False,
        },
    ],
    "plan": {
        "entry_mode": "land_port_of_entry",
        "entry_date": "2027-01-12",
        "claim_date": "2027-01-12",
        "previous_entries_to_canada": [],
    },
    "relatives_in_canada": [],
    "prior_claims": [],
    "canadian_history": {
        "prior_claims": [],
        "protected_person": False,
        "removal_order_in_force": False,
        "deported": False,
        "prra_applications": [],
    },
    "canadian_documents": [],
    "recognized_refugee_elsewhere": [],
    "criminality": CLEAN_CRIMINALITY,
}

# A skilled worker profile: FSW-eligible on its own (see test_express_entry.py).
ECONOMIC = {
    "education": "bachelors_or_three_year",
    "education_credential_recognized": True,
    "canadian_education": "none",
    "language": {
        "english": {"listening": 9, "speaking": 9, "reading": 9, "writing": 9},
        "french": "no_test",
        "first_official_language": "english",
    },
    "work_history": [
        {
            "country": "US",
            "teer": 1,
            "start": "2020-01-06",
            "end": None,
            "hours_per_week": 40,
            "authorized": True,
        },
    ],
    "certificate_of_qualification": False,
    "provincial_nomination": False,
    "arranged_employment": "none",
    "sibling_in_canada": False,
    "settlement_funds_cad": 20000,
    "family_size": 1,
    "intended_province": "ON",
}


def facts_with(changes: dict | None = None, base: dict | None = None) -> dict:
    """A deep copy of ``base`` (the baseline) with ``{json_pointer: value}`` applied.

    ``REMOVE`` deletes the key; missing parent objects are created.
    """
    facts = copy.deepcopy(BASELINE if base is None else base)
    for pointer, value in (changes or {}).items():
        _set(facts, pointer, value)
    return facts


def _set(document: dict, pointer: str, value: object) -> None:
    parts = [_unescape(part) for part in pointer.split("/")[1:]]
    node = document
    for part in parts[:-1]:
        key = int(part) if isinstance(node, list) else part
        if isinstance(node, dict) and node.get(key) is None:
            node[key] = {}
        node = node[key]
    last = int(parts[-1]) if isinstance(node, list) else parts[-1]
    if value is REMOVE:
        del node[last]
    elif isinstance(node, list) and last == len(node):
        node.append(copy.deepcopy(value))
    else:
        node[last] = copy.deepcopy(value)


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def screened(changes: dict | None = None, base: dict | None = None) -> dict:
    """The assessment of the baseline with ``changes``."""
    return screen(facts_with(changes, base))


def pathway(assessment: dict, name: str) -> dict:
    """One pathway of an assessment."""
    return assessment["pathways"][name]


def citations(result: dict) -> list[str]:
    """The citations of a pathway's reasons, in order."""
    return [reason["citation"] for reason in result["reasons"]]


def cites(result: dict, citation: str, effect: str | None = None) -> bool:
    """True when a reason cites ``citation`` (prefix at a paragraph boundary, README 5)."""
    return any(
        citation_matches(reason["citation"], citation)
        and (effect is None or reason["effect"] == effect)
        for reason in result["reasons"]
    )


def citation_matches(actual: str, expected: str) -> bool:
    """``R159.5(b)`` matches ``R159.5(b)(ii)`` but not ``R159.5(b.1)``; ``A112(1)`` is exact."""
    if actual == expected:
        return True
    return actual.startswith(expected) and actual[len(expected)] == "("


def example_pairs() -> list[tuple[str, dict, dict]]:
    """(name, facts, expected) for every worked example."""
    pairs = []
    for path in sorted(EXAMPLES.glob("*.facts.json")):
        name = path.name.removesuffix(".facts.json")
        expected = json.loads((EXAMPLES / f"{name}.expected.json").read_text(encoding="utf-8"))
        pairs.append((name, json.loads(path.read_text(encoding="utf-8")), expected))
    return pairs


def expect(
    assessment: dict,
    pathway_name: str,
    outcome: str,
    cited: tuple | list = (),
    missing: tuple | list = (),
) -> dict:
    """Assert a pathway's exact outcome, the citations among its reasons and missing pointers."""
    result = assessment["pathways"][pathway_name]
    assert result["outcome"] == outcome, (pathway_name, result)
    for citation in cited:
        assert cites(result, citation), (pathway_name, citation, citations(result))
    for pointer in missing:
        assert pointer in result["missing"], (pathway_name, pointer, result["missing"])
    return result
