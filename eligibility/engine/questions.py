"""Plain-language questions for missing facts, used as next steps."""

from __future__ import annotations

from functools import lru_cache

FIELD_QUESTIONS = {
    "criminality": "criminal charges, convictions, death-penalty charges, extradition and "
    "security concerns, anywhere",
    "canadian_history": "earlier refugee claims, PRRAs, removal orders and deportations in Canada",
    "deported": "whether the client was ever deported from Canada",
    "prior_claims": "every refugee or asylum claim made before (country, date, kind, outcome)",
    "relatives_in_canada": "relatives who live in Canada or hold Canadian citizenship or PR",
    "status": "the relative's exact status in Canada",
    "in_canada": "whether the relative will be physically in Canada on the claim date",
    "permit_basis": "which permit the relative holds and under which provision",
    "permit_valid": "whether the relative's permit will still be valid on the claim date",
    "plan": "how and when the client would enter Canada and make a claim",
    "entry_mode": "how the client would enter Canada (land port, airport, harbour ...)",
    "entry_date": "the date of entry to Canada",
    "claim_date": "the date the claim would be made",
    "previous_entries_to_canada": "every earlier entry to Canada and its date",
    "accompanied_by_parent_or_guardian": "whether a parent or legal guardian travels with "
    "the client",
    "parents": "the mother, the father and any legal guardian: where they are, their citizenship",
    "whereabouts": "where the parent or guardian is now",
    "canadian_documents": "Canadian visas, permits and travel documents held",
    "date_of_birth": "the date of birth",
    "citizenships": "every citizenship held",
    "stateless": "whether the client is stateless",
    "us_status": "the client's status in the United States",
    "current_location": "where the client is now",
    "marital_status": "the client's marital status",
    "economic": "education, language test results and work history",
    "spouse": "the spouse or partner: status in Canada, where they live, the relationship",
}


@lru_cache(maxsize=2048)
def question_for(path: str) -> str:
    """A next-step question for the fact at ``path``."""
    parts = [part for part in path.split("/") if part and not part.isdigit()]
    field = parts[-1] if parts else ""
    topic = FIELD_QUESTIONS.get(field) or field.replace("_", " ")
    return f"Ask about {topic}."
