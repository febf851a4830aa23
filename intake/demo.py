"""Fictional demo cases for ``seed_demo`` (development only). Every person here is invented."""

from __future__ import annotations

import datetime

from django.utils import timezone

from intake import services
from intake.consent import consent_record
from intake.models import Case, CaseStatus

DEMO_CASES = [
    {
        "name": ("Marisol", "Ejemplo"), "born": datetime.date(1994, 3, 12),
        "client": {"languages": ["es"], "preferred_language": "es", "contact_method": "signal",
                   "safe_to_call": False, "safe_to_leave_message": False,
                   "us_city": "Plattsburgh", "us_state": "NY"},
        "case": {"detention_risk": "high", "household": [{"name": "Teo Ejemplo",
                                                          "relationship": "son"}]},
        "facts": {
            "person": {"citizenships": ["HN"], "stateless": False, "born_in_canada": False,
                       "current_location": "us", "us_status": "tps",
                       "canadian_status": "none", "marital_status": "single"},
            "parents": [{"relationship": "mother", "whereabouts": "elsewhere"},
                        {"relationship": "father", "whereabouts": "deceased"}],
            "relatives_in_canada": [{"relationship": "brother", "status": "permanent_resident",
                                     "in_canada": True, "resides_in_canada": True,
                                     "province": "QC", "age": 35}],
            "prior_claims": [], "recognized_refugee_elsewhere": [],
            "canadian_history": {"protected_person": False, "removal_order_in_force": False,
                                 "deported": False, "prior_claims": [],
                                 "prra_applications": []},
            "canadian_documents": [],
            "plan": {"entry_mode": "land_port_of_entry", "claim_status": "planned",
                     "accompanied_by_parent_or_guardian": False,
                     "in_transit_us_removal": False,
                     "refused_entry_to_us_without_adjudication": False},
            "criminality": {"death_penalty_charge": False, "pending_charges": [],
                            "convictions": [], "security_concern": False,
                            "human_rights_concern": False, "organized_crime_concern": False,
                            "extradition_proceedings": False},
            "fear": {"grounds": ["particular_social_group"], "agents_of_harm": ["non_state"],
                     "countries": ["HN"]},
        },
        "open": True, "consent": "shelter",
    },
    {
        "name": ("Jean-Baptiste", "Exemple"), "born": datetime.date(1987, 11, 2),
        "client": {"languages": ["ht", "fr"], "preferred_language": "ht",
                   "contact_method": "whatsapp", "safe_to_call": True,
                   "us_city": "Boston", "us_state": "MA"},
        "case": {"detention_risk": "low"},
        "facts": {
            "person": {"citizenships": ["HT"], "stateless": False, "current_location": "us",
                       "us_status": "pending_asylum", "canadian_status": "none",
                       "marital_status": "married"},
            "plan": {"entry_mode": "between_ports"},
            "relatives_in_canada": [],
        },
        "open": True, "consent": "legal_aid",
    },
    {
        "name": ("Amina", "Muestra"), "born": datetime.date(2009, 6, 30),
        "client": {"languages": ["so", "en"], "preferred_language": "en",
                   "contact_method": "third_party"},
        "case": {"detention_risk": "none"},
        "facts": {
            "person": {"citizenships": ["SO"], "stateless": False, "current_location": "us",
                       "us_status": "parole", "marital_status": "single"},
            "parents": [{"relationship": "mother", "whereabouts": "elsewhere"},
                        {"relationship": "father", "whereabouts": "unknown"}],
            "plan": {"entry_mode": "land_port_of_entry",
                     "accompanied_by_parent_or_guardian": False},
        },
        "open": False, "consent": None,
    },
]


def seed_demo_cases(counsellor) -> list[Case]:
    """Create the demo cases once (skipped when the counsellor already has cases)."""
    if Case.objects.filter(created_by=counsellor).exists():
        return []
    from eligibility.services import case_screen

    created = []
    for spec in DEMO_CASES:
        given, family = spec["name"]
        case = services.case_create(actor=counsellor, given_name=given, family_name=family,
                                    date_of_birth=spec["born"])
        for name, value in spec["client"].items():
            setattr(case.client, name, value)
        case.client.save()
        for name, value in {**spec["case"], **spec["facts"]}.items():
            setattr(case, name, value)
        case.steps_done = ["identity", "contact", "urgency", "family", "relatives", "plan"]
        services.refresh_derived_fields(case)
        case.save()
        if spec["open"]:
            services.case_open(actor=counsellor, case=case)
        if spec["consent"]:
            consent_record(actor=counsellor, case=case, purpose="referral", method="verbal",
                           given_by="client", service_type=spec["consent"],
                           given_on=timezone.localdate())
        case_screen(case_id=case.pk)
        created.append(case)
    Case.objects.filter(pk__in=[c.pk for c in created if c.status != CaseStatus.OPEN]).update(
        last_step="plan")
    return created
