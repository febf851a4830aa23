"""Build POST data for intake steps the way the browser sends it."""

from __future__ import annotations

from intake.steps import STEP_BY_SLUG, ListSection

TRI = {True: "yes", False: "no", None: ""}


def encode(value):
    if isinstance(value, bool) or value is None:
        return TRI[value]
    return value


def step_post(slug: str, values: dict | None = None, none: set[str] | frozenset = frozenset(),
              **buttons) -> dict:
    """``values``: section prefix → {field: value} (fields) or [row, ...] (lists).
    ``none``: list prefixes whose "there are none" box is ticked."""
    values = values or {}
    data: dict = {}
    for section in STEP_BY_SLUG[slug].sections:
        prefix = section.prefix
        given = values.get(prefix)
        if isinstance(section, ListSection):
            rows = given or []
            data[f"{prefix}-TOTAL_FORMS"] = str(max(len(rows), 1))
            data[f"{prefix}-INITIAL_FORMS"] = "0"
            for index, row in enumerate(rows):
                for name, value in row.items():
                    data[f"{prefix}-{index}-{name}"] = encode(value)
            if prefix in none:
                data[f"{prefix}-none-none"] = "on"
            continue
        for name, value in (given or {}).items():
            if isinstance(value, dict) and set(value) <= {"listening", "speaking", "reading",
                                                          "writing"}:
                for index, skill in enumerate(("listening", "speaking", "reading",
                                               "writing"), start=1):
                    data[f"{prefix}-{name}_{index}"] = str(value[skill])
            elif value == "no_test":
                data[f"{prefix}-{name}_0"] = "on"
            elif value is True and name in ("adoptive", "dependent_due_to_condition"):
                data[f"{prefix}-{name}"] = "on"
            else:
                data[f"{prefix}-{name}"] = encode(value)
    data.update(dict.fromkeys(buttons, "1"))
    return data


# A complete, fictional case: Honduran in the US, brother PR in Canada, land port entry.
COMPLETE_CASE = {
    "identity": ({
        "client": {"given_name": "Marisol", "family_name": "Testcase", "aliases": "Mari T.",
                   "date_of_birth": "1994-03-12", "languages": ["es", "en"],
                   "preferred_language": "es"},
        "person": {"citizenships": ["HN"], "stateless": False, "born_in_canada": False,
                   "marital_status": "single"},
    }, {"person-former_habitual_residences"}),
    "contact": ({
        "client": {"contact_method": "signal", "contact_details": "+1 555 0100",
                   "safe_to_call": False, "safe_to_leave_message": False,
                   "code_word": "heron", "us_city": "Plattsburgh", "us_state": "NY"},
        "person": {"current_location": "us", "us_status": "pending_asylum",
                   "canadian_status": "none"},
    }, set()),
    "urgency": ({"case": {"detention_risk": "high", "removal_date": "",
                          "urgency_notes": "Check-in next month."}}, {"household"}),
    "family": ({"parents": [
        {"relationship": "mother", "whereabouts": "elsewhere"},
        {"relationship": "father", "whereabouts": "deceased"}]}, set()),
    "relatives": ({"relatives_in_canada": [
        {"relationship": "brother", "status": "permanent_resident", "in_canada": True,
         "resides_in_canada": True, "province": "QC", "age": 35}]}, set()),
    "spouse": ({}, set()),
    "history": ({"canadian_history": {"protected_person": False,
                                      "removal_order_in_force": False, "deported": False},
                 "prior_claims": [{"country": "US", "date": "2025-06-01",
                                   "kind": "asylum_affirmative", "outcome": "pending"}]},
                {"recognized_refugee_elsewhere", "canadian_history-prior_claims",
                 "canadian_history-prra_applications"}),
    "plan": ({"plan": {"entry_mode": "land_port_of_entry", "entry_date": "2026-12-10",
                       "claim_status": "planned", "accompanied_by_parent_or_guardian": False,
                       "in_transit_us_removal": False,
                       "refused_entry_to_us_without_adjudication": False}},
             {"canadian_documents"}),
    "safety": ({"criminality": {"death_penalty_charge": False, "security_concern": False,
                                "human_rights_concern": False,
                                "organized_crime_concern": False,
                                "extradition_proceedings": False},
                "fear": {"grounds": ["particular_social_group"], "agents_of_harm": ["non_state"],
                         "countries": ["HN"]}},
               {"criminality-pending_charges", "criminality-convictions"}),
    "economic": ({"economic": {"education": "secondary", "intended_province": "QC"},
                  "economic-language": {"english": "no_test", "french": "no_test"}},
                 {"economic-work_history"}),
}
