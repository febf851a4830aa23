"""The rule registry and the rule tables in ``eligibility/rules`` (data, with dates)."""

import json
import re
from datetime import date
from pathlib import Path

import pytest

from eligibility.engine import rules_table, rules_version
from eligibility.engine.tables import CONTRACT_DIR, RULES_DIR, settlement_funds_required

CITATION = re.compile(
    r"^(?:(?:A|R|CA)[0-9]+(?:\.[0-9]+)*(?:\([0-9a-z.]+\))*|[0-9]{4} c\.[0-9]+"
    r"(?: s\.[0-9]+)?|MI[0-9]+)$"
)
ROOT = Path(__file__).resolve().parents[2]
SPEC_CANDIDATES = [
    ROOT.parent / "shared" / "spec" / "eligibility",
    ROOT / "shared" / "spec" / "eligibility",
]


def test_every_rule_carries_a_citation_and_dates():
    table = rules_table()
    assert len(table) >= 30
    for row in table:
        assert CITATION.match(row["citation"]), row
        date.fromisoformat(row["in_force"])
        assert row["summary"], row


def test_the_effective_date_switches_are_registered():
    by_citation = {row["citation"]: row for row in rules_table()}
    assert by_citation["A101(1)(b.1)"]["in_force"] == "2026-03-26"
    assert by_citation["A101(1)(b.1)"]["claims_from"] == "2025-06-03"
    assert by_citation["A101(1)(b.2)"]["claims_from"] == "2025-06-03"
    assert by_citation["A101(1)(c.1)"]["in_force"] == "2019-06-21"
    assert by_citation["A101(1)(c.1)"]["claims_from"] == "2019-04-08"
    assert by_citation["R159.01"]["in_force"] == "2023-03-25"
    assert by_citation["R159.4(1.1)"]["in_force"] == "2023-03-25"
    assert by_citation["CA3(3)"]["in_force"] == "2025-12-15"


def test_rules_version():
    assert rules_version() == "2026-11-22"


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.json")), ids=lambda path: path.name)
def test_rule_tables_are_json_with_iso_dates(path):
    data = json.loads(path.read_text(encoding="utf-8"))

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if (
                    key in ("from", "until", "as_of")
                    and value
                    and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
                ):
                    date.fromisoformat(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)


def test_program_pause_and_visa_tables_hold_the_law_research_dates():
    pauses = json.loads((RULES_DIR / "program_pauses.json").read_text(encoding="utf-8"))["pauses"]
    assert {"id": "pgp_intake", "citation": "MI89", "from": "2026-01-01"}.items() <= pauses[
        0
    ].items()
    visas = json.loads((RULES_DIR / "visas.json").read_text(encoding="utf-8"))
    mexico = [row for row in visas["canada_visa_exempt"] if row["country"] == "MX"]
    assert mexico == [
        {"country": "MX", "from": None, "until": "2024-02-28", "basis": mexico[0]["basis"]}
    ]
    sharing = json.loads((RULES_DIR / "info_sharing_countries.json").read_text(encoding="utf-8"))
    assert {row["country"] for row in sharing["countries"]} == {"US", "GB", "AU", "NZ"}


@pytest.mark.parametrize(
    ("size", "funds"),
    [
        (1, 15263),
        (2, 19001),
        (3, 23360),
        (4, 28362),
        (5, 32168),
        (6, 36280),
        (7, 40392),
        (8, 44504),
        (10, 52728),
    ],
)
def test_settlement_funds_table(size, funds):
    assert settlement_funds_required(size) == funds


def test_crs_grid_maximums_add_up():
    crs = json.loads((RULES_DIR / "crs.json").read_text(encoding="utf-8"))
    core = crs["core"]
    for column, limit in (("with_spouse", 460), ("without_spouse", 500)):
        best = (
            max(row[column] for row in core["age"])
            + max(row[column] for row in core["education"].values())
            + 4 * max(row[column] for row in core["first_official_language_per_skill"])
            + crs["core"]["second_official_language_cap"][column]
            + max(row[column] for row in core["canadian_work_experience"])
        )
        assert best == limit
    spouse = crs["spouse"]
    assert (
        max(spouse["education"].values())
        + 4 * max(r["points"] for r in spouse["language_per_skill"])
        + max(r["points"] for r in spouse["canadian_work_experience"])
    ) == spouse["cap"]


def test_contract_schemas_are_verbatim_copies():
    spec = next((path for path in SPEC_CANDIDATES if path.is_dir()), None)
    if spec is None:
        pytest.skip("the shared spec folder is not beside the repository")
    for name in ("facts.schema.json", "assessment.schema.json"):
        assert (CONTRACT_DIR / name).read_bytes() == (spec / name).read_bytes()
    examples = Path(__file__).resolve().parent / "examples"
    for path in (spec / "examples").glob("*.json"):
        assert (examples / path.name).read_bytes() == path.read_bytes()


def test_registry_floor_matches_the_earliest_screening_date():
    from eligibility.engine.registry import EARLIEST_SCREENING_DATE
    from eligibility.engine.tables import ruleset

    assert EARLIEST_SCREENING_DATE.isoformat() == ruleset()["earliest_screening_date"]
