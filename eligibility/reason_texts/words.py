"""The words the engine puts into its sentences (relationships, documents, statuses…), in
English as the engine writes them, with their translations.

A placeholder of a reason template names its vocabulary (``%(relationship)s``,
``%(document)s``…); ``translate_value`` turns the English value found in the engine's text
into the active language. Countries come as ISO codes and are named by django_countries.
Values outside a vocabulary (dates, numbers, citations) are shown as they are.
"""

from __future__ import annotations

import re

from django.utils.formats import number_format
from django.utils.translation import pgettext_lazy
from django_countries import countries

RELATIONSHIPS = {
    "mother": pgettext_lazy("relative in a screening reason", "mother"),
    "father": pgettext_lazy("relative in a screening reason", "father"),
    "legal guardian": pgettext_lazy("relative in a screening reason", "legal guardian"),
    "child": pgettext_lazy("relative in a screening reason", "child"),
    "brother": pgettext_lazy("relative in a screening reason", "brother"),
    "sister": pgettext_lazy("relative in a screening reason", "sister"),
    "grandfather": pgettext_lazy("relative in a screening reason", "grandfather"),
    "grandmother": pgettext_lazy("relative in a screening reason", "grandmother"),
    "grandchild": pgettext_lazy("relative in a screening reason", "grandchild"),
    "uncle": pgettext_lazy("relative in a screening reason", "uncle"),
    "aunt": pgettext_lazy("relative in a screening reason", "aunt"),
    "nephew": pgettext_lazy("relative in a screening reason", "nephew"),
    "niece": pgettext_lazy("relative in a screening reason", "niece"),
    "cousin": pgettext_lazy("relative in a screening reason", "cousin"),
    "in law": pgettext_lazy("relative in a screening reason", "in-law"),
    "step relative": pgettext_lazy("relative in a screening reason", "step-relative"),
    "other": pgettext_lazy("relative in a screening reason", "other relative"),
    "spouse": pgettext_lazy("relative in a screening reason", "spouse"),
    "common-law partner": pgettext_lazy("relative in a screening reason", "common-law partner"),
    "conjugal partner": pgettext_lazy("relative in a screening reason", "conjugal partner"),
    "dating partner": pgettext_lazy("relative in a screening reason", "dating partner"),
}
# stca_family writes "half-brother" and "adoptive mother".
RELATIONSHIP_PREFIXES = {
    "half-": pgettext_lazy("relative in a screening reason", "half-%(relationship)s"),
    "adoptive ": pgettext_lazy("relative in a screening reason", "adoptive %(relationship)s"),
}
DOCUMENTS = {
    "temporary resident visa": pgettext_lazy(
        "document in a screening reason", "temporary resident visa"
    ),
    "permanent resident visa": pgettext_lazy(
        "document in a screening reason", "permanent resident visa"
    ),
    "temporary resident permit": pgettext_lazy(
        "document in a screening reason", "temporary resident permit"
    ),
    "A31(3) travel document": pgettext_lazy(
        "document in a screening reason", "A31(3) travel document"
    ),
    "refugee travel paper": pgettext_lazy("document in a screening reason", "refugee travel paper"),
    "R151 temporary travel document": pgettext_lazy(
        "document in a screening reason", "R151 temporary travel document"
    ),
    "work permit": pgettext_lazy("document in a screening reason", "work permit"),
    "study permit": pgettext_lazy("document in a screening reason", "study permit"),
}
# anchor_statuses.json labels, and stca_family's "of unknown status".
STATUSES = {
    "a Canadian citizen": pgettext_lazy("status in a screening reason", "a Canadian citizen"),
    "a protected person": pgettext_lazy("status in a screening reason", "a protected person"),
    "a permanent resident": pgettext_lazy("status in a screening reason", "a permanent resident"),
    "a person whose removal is stayed under R233": pgettext_lazy(
        "status in a screening reason", "a person whose removal is stayed under R233"
    ),
    "a refugee claimant whose claim was referred to the IRB": pgettext_lazy(
        "status in a screening reason", "a refugee claimant whose claim was referred to the IRB"
    ),
    "a refugee claimant whose eligibility is not yet decided": pgettext_lazy(
        "status in a screening reason", "a refugee claimant whose eligibility is not yet decided"
    ),
    "a refugee claimant rejected by the RPD with a RAD appeal pending": pgettext_lazy(
        "status in a screening reason",
        "a refugee claimant rejected by the RPD with a RAD appeal pending",
    ),
    "a claimant whose claim was found ineligible": pgettext_lazy(
        "status in a screening reason", "a claimant whose claim was found ineligible"
    ),
    "a claimant whose claim was withdrawn": pgettext_lazy(
        "status in a screening reason", "a claimant whose claim was withdrawn"
    ),
    "a claimant whose claim was abandoned": pgettext_lazy(
        "status in a screening reason", "a claimant whose claim was abandoned"
    ),
    "a claimant whose claim was rejected": pgettext_lazy(
        "status in a screening reason", "a claimant whose claim was rejected"
    ),
    "a work permit holder": pgettext_lazy("status in a screening reason", "a work permit holder"),
    "a study permit holder": pgettext_lazy("status in a screening reason", "a study permit holder"),
    "a visitor": pgettext_lazy("status in a screening reason", "a visitor"),
    "without Canadian status": pgettext_lazy(
        "status in a screening reason", "without Canadian status"
    ),
    "of unknown status": pgettext_lazy("status in a screening reason", "of unknown status"),
}
CLAIM_OUTCOMES = {
    "determined ineligible": pgettext_lazy("earlier claim outcome", "determined ineligible"),
    "withdrawn": pgettext_lazy("earlier claim outcome", "withdrawn"),
    "abandoned": pgettext_lazy("earlier claim outcome", "abandoned"),
}
DECISION_KINDS = {
    "refugee claim": pgettext_lazy("decision in a screening reason", "refugee claim"),
    "PRRA": pgettext_lazy("decision in a screening reason", "PRRA"),
}
OFFENCES = {
    "criminality": pgettext_lazy("inadmissibility in a screening reason", "criminality"),
    "serious criminality (10-year maximum or more)": pgettext_lazy(
        "inadmissibility in a screening reason", "serious criminality (10-year maximum or more)"
    ),
}
CONCERNS = {
    "A security concern": pgettext_lazy("concern in a screening reason", "A security concern"),
    "A human or international rights concern": pgettext_lazy(
        "concern in a screening reason", "A human or international rights concern"
    ),
    "An organized-criminality concern": pgettext_lazy(
        "concern in a screening reason", "An organized-criminality concern"
    ),
}
# visas.json "basis" of a visa exemption limited to some passports.
VISA_BASES = {
    "Israeli national passport holders only": pgettext_lazy(
        "visa exemption basis", "Israeli national passport holders only"
    ),
    "Hong Kong SAR or BN(O) passport holders only": pgettext_lazy(
        "visa exemption basis", "Hong Kong SAR or BN(O) passport holders only"
    ),
    "Taiwan passport with personal ID number only": pgettext_lazy(
        "visa exemption basis", "Taiwan passport with personal ID number only"
    ),
    "Holy See passport holders only": pgettext_lazy(
        "visa exemption basis", "Holy See passport holders only"
    ),
    "Certain Romanian electronic (chip) passports only": pgettext_lazy(
        "visa exemption basis", "Certain Romanian electronic (chip) passports only"
    ),
    "Schedule 1.1 (R190(1)(a))": pgettext_lazy("visa exemption basis", "Schedule 1.1 (R190(1)(a))"),
}
# draw_cutoffs.json round types and periods, processing_times.json durations.
DRAW_TYPES = {
    "Canadian Experience Class": pgettext_lazy("Express Entry round", "Canadian Experience Class"),
    "Provincial Nominee Program": pgettext_lazy(
        "Express Entry round", "Provincial Nominee Program"
    ),
    "French-language proficiency": pgettext_lazy(
        "Express Entry round", "French-language proficiency"
    ),
    "Healthcare and social services": pgettext_lazy(
        "Express Entry round", "Healthcare and social services"
    ),
    "Trades": pgettext_lazy("Express Entry round", "Trades"),
    "Transport occupations": pgettext_lazy("Express Entry round", "Transport occupations"),
    "Senior managers with Canadian work experience": pgettext_lazy(
        "Express Entry round", "Senior managers with Canadian work experience"
    ),
    "Physicians with Canadian work experience": pgettext_lazy(
        "Express Entry round", "Physicians with Canadian work experience"
    ),
    "Skilled military recruits": pgettext_lazy("Express Entry round", "Skilled military recruits"),
}
PERIODS = {
    "Jan-Aug 2026": pgettext_lazy("period of an Express Entry round", "Jan-Aug 2026"),
    "Jul-Dec 2025": pgettext_lazy("period of an Express Entry round", "Jul-Dec 2025"),
    "late 2025": pgettext_lazy("period of an Express Entry round", "late 2025"),
}
DURATIONS = {
    "about 15 to 16 months": pgettext_lazy("processing time", "about 15 to 16 months"),
    "about 21 to 25 months": pgettext_lazy("processing time", "about 21 to 25 months"),
    "12 months (IRCC service standard)": pgettext_lazy(
        "processing time", "12 months (IRCC service standard)"
    ),
}

ROUND = re.compile(r"^(?P<kind>.+) (?P<range>[0-9-]+) \((?P<period>[^)]*)\)$")
VOCABULARIES = {
    "relationship": RELATIONSHIPS,
    "document": DOCUMENTS,
    "status": STATUSES,
    "claim_outcome": CLAIM_OUTCOMES,
    "decision": DECISION_KINDS,
    "offence": OFFENCES,
    "concern": CONCERNS,
    "basis": VISA_BASES,
    "duration": DURATIONS,
}


def translate_relationship(value: str) -> str:
    for prefix, template in RELATIONSHIP_PREFIXES.items():
        if value.startswith(prefix) and value[len(prefix) :] in RELATIONSHIPS:
            return str(template) % {"relationship": RELATIONSHIPS[value[len(prefix) :]]}
    word = RELATIONSHIPS.get(value)
    return str(word) if word is not None else value


def translate_rounds(value: str) -> str:
    """``Canadian Experience Class 507-518 (Jan-Aug 2026); …`` round by round."""
    rounds = []
    for item in value.split("; "):
        match = ROUND.match(item)
        if match is None:
            rounds.append(item)
            continue
        kind, period = match["kind"], match["period"]
        rounds.append(
            f"{DRAW_TYPES.get(kind, kind)} {match['range']} ({PERIODS.get(period, period)})"
        )
    return "; ".join(rounds)


def translate_value(name: str, value: str) -> str:
    """The value of placeholder ``name`` (as the engine wrote it), in the active language."""
    base = name.rstrip("0123456789")
    if base in ("relationship", "label"):
        return translate_relationship(value)
    if base == "country":
        return str(countries.name(value)) or value if len(value) == 2 else value
    if base == "rounds":
        return translate_rounds(value)
    if base == "amount" and value.replace(",", "").isdigit():
        return number_format(int(value.replace(",", "")), force_grouping=True)
    vocabulary = VOCABULARIES.get(base)
    if vocabulary is not None and value in vocabulary:
        return str(vocabulary[value])
    return value
