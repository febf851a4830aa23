"""Plain-language labels and questions for the eligibility facts, for counsellors on a call.

Keys are ``block.field`` for top-level blocks (``person.us_status``) and ``def.field`` for the
items of lists (``relative.status``). Anything missing falls back to a readable form of its
name, so a new contract field still shows up (and a test lists unlabelled fields).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    # person
    "person.date_of_birth": (_("Date of birth"), ""),
    "person.citizenships": (_("Citizenships"), _("Every country the person is a citizen of.")),
    "person.stateless": (_("Stateless?"), _("Not a citizen of any country.")),
    "person.former_habitual_residences": (_("Countries of former habitual residence"), ""),
    "former_residence.country": (_("Country"), ""),
    "former_residence.from": (_("Lived there from"), ""),
    "former_residence.to": (_("Lived there until"), ""),
    "person.born_in_canada": (_("Born in Canada?"), ""),
    "person.canadian_status": (_("Status in Canada"), ""),
    "person.us_status": (_("Status in the United States"), ""),
    "person.current_location": (_("Where is the person now?"), ""),
    "person.marital_status": (_("Marital status"), ""),
    "person.dependent_due_to_condition": (
        _("Aged 22 or more and dependent on a parent since before 22 because of a physical or "
          "mental condition"), ""),
    # parents
    "parent.relationship": (_("Relationship"), ""),
    "parent.whereabouts": (_("Where are they now?"), ""),
    "parent.guardianship_basis": (_("Basis of guardianship"), _("For a legal guardian only.")),
    "parent.date_of_birth": (_("Their date of birth"), ""),
    "parent.born_in_canada": (_("Born in Canada?"), ""),
    "parent.canadian_citizen_at_client_birth": (
        _("Canadian citizen when the client was born?"), ""),
    "parent.naturalized": (_("Became Canadian by naturalisation (grant)?"), ""),
    "parent.citizen_by_descent": (_("Canadian by descent (born abroad to a Canadian)?"), ""),
    "parent.adoptive": (_("Adoptive parent"), ""),
    "parent.days_in_canada_before_client_birth": (
        _("Days physically in Canada before the client's birth"),
        _("Only for births on or after 2025-12-15 to a parent who is Canadian by descent.")),
    "parent.citizenship_renounced_or_lost": (_("Renounced or lost Canadian citizenship?"), ""),
    # plan
    "plan.entry_mode": (_("How would (or did) they enter Canada?"), ""),
    "plan.entry_date": (_("Date of entry to Canada"), _("Planned or actual.")),
    "plan.claim_date": (_("Date of the refugee claim"), _("Planned or actual.")),
    "plan.claim_status": (_("Refugee claim status"), ""),
    "plan.accompanied_by_parent_or_guardian": (
        _("Travelling with a parent or legal guardian?"), _("Matters for minors.")),
    "plan.in_transit_us_removal": (
        _("In transit through Canada while being removed from the US?"), ""),
    "plan.refused_entry_to_us_without_adjudication": (
        _("Refused refugee protection in the US without a decision on the merits?"),
        _("E.g. returned to Canada by the US without a hearing.")),
    "plan.previous_entries_to_canada": (_("Earlier entries to Canada"),
                                        _("Dates of every earlier entry, before this trip.")),
    # relatives
    "relative.relationship": (_("Relationship to the client"), ""),
    "relative.relationship_basis": (_("By blood, half or adoption"), ""),
    "relative.date_of_birth": (_("Their date of birth"), _("Or give their age instead.")),
    "relative.age": (_("Their age"), _("If the date of birth is not known.")),
    "relative.in_canada": (_("Will they be in Canada on the claim date?"), ""),
    "relative.resides_in_canada": (_("Do they live in Canada?"), ""),
    "relative.will_reside_in_canada": (_("If abroad, will they live in Canada?"), ""),
    "relative.province": (_("Province"), ""),
    "relative.status": (_("Their status in Canada"), ""),
    "relative.permit_basis": (_("Basis of their work or study permit"), ""),
    "relative.permit_valid": (_("Is that permit valid?"), ""),
    "relative.client_declared_when_sponsor_immigrated": (
        _("Was the client declared when this relative immigrated?"), ""),
    "relative.sponsor_disqualified": (_("Is this relative barred from sponsoring?"),
                                      _("E.g. on social assistance, in default, in prison.")),
    # spouse
    "spouse.relationship": (_("Relationship"), ""),
    "spouse.date_of_birth": (_("Their date of birth"), ""),
    "spouse.canadian_status": (_("Their status in Canada"), ""),
    "spouse.lives_in": (_("Where do they live?"), ""),
    "spouse.in_canada": (_("Will they be in Canada on the claim date?"), ""),
    "spouse.will_reside_in_canada": (_("If abroad, will they live in Canada?"), ""),
    "spouse.province": (_("Province"), ""),
    "spouse.permit_basis": (_("Basis of their work or study permit"), ""),
    "spouse.permit_valid": (_("Is that permit valid?"), ""),
    "spouse.marriage_date": (_("Date of marriage"), ""),
    "spouse.marriage_in_person": (_("Were both present at the marriage?"), ""),
    "spouse.cohabitation_start": (_("Living together since"), ""),
    "spouse.relationship_start": (_("Relationship since"), ""),
    "spouse.sponsor_five_year_bar": (
        _("Was the partner sponsored as a spouse less than five years ago?"), ""),
    "spouse.sponsor_bound_by_previous_undertaking": (
        _("Is the partner still bound by an earlier sponsorship of a spouse?"), ""),
    "spouse.sponsor_disqualified": (_("Is the partner barred from sponsoring?"), ""),
    "spouse.client_declared_when_sponsor_immigrated": (
        _("Was the client declared when the partner immigrated?"), ""),
    "spouse.accompanying": (_("Would the partner come along (Express Entry)?"), ""),
    "spouse.education": (_("Partner's education"), ""),
    "spouse.language": (_("Partner's first official language test"), ""),
    "spouse.canadian_skilled_work_years": (_("Partner's years of skilled work in Canada"), ""),
    "spouse.canadian_education": (_("Partner's Canadian education"), ""),
    # prior claims abroad
    "prior_claim.country": (_("Country"), ""),
    "prior_claim.date": (_("Date"), ""),
    "prior_claim.kind": (_("Kind of claim"), ""),
    "prior_claim.outcome": (_("Outcome"), ""),
    # Canadian history
    "canadian_history.protected_person": (_("Already a protected person in Canada?"), ""),
    "canadian_history.removal_order_in_force": (_("A Canadian removal order in force?"), ""),
    "canadian_history.deported": (_("Ever deported from Canada?"), ""),
    "canadian_claim.date": (_("Date of the claim"), ""),
    "canadian_claim.outcome": (_("Outcome"), ""),
    "canadian_claim.ineligibility_ground": (_("Ground of ineligibility"), _("A101(1) letter.")),
    "canadian_claim.final_decision_date": (_("Date of the final decision"), ""),
    "prra_application.outcome": (_("Outcome"), ""),
    "prra_application.decision_date": (_("Decision date"), ""),
    "recognized_refugee.country": (_("Country that recognised them as a refugee"), ""),
    "recognized_refugee.can_return": (_("Can they return there?"), ""),
    # documents
    "document.kind": (_("Document"), ""),
    "document.valid_until": (_("Valid until"), ""),
    "document.transit_only": (_("Transit only?"), ""),
    # criminality
    "criminality.death_penalty_charge": (
        _("Charged with or convicted of an offence punishable by death, anywhere?"), ""),
    "criminality.security_concern": (_("Any security concern (A34)?"), ""),
    "criminality.human_rights_concern": (_("Any human-rights violation concern (A35)?"), ""),
    "criminality.organized_crime_concern": (_("Any organised-crime concern (A37)?"), ""),
    "criminality.extradition_proceedings": (_("Extradition proceedings?"), ""),
    "charge.country": (_("Country"), ""),
    "charge.date": (_("Date"), ""),
    "charge.canadian_equivalent_max_years": (_("Canadian-equivalent maximum (years)"), ""),
    "charge.death_penalty_possible": (_("Punishable by death?"), ""),
    "conviction.country": (_("Country"), ""),
    "conviction.date": (_("Date"), ""),
    "conviction.sentence_months": (_("Sentence (months)"), ""),
    "conviction.sentence_completed": (_("Sentence completed on"), ""),
    "conviction.canadian_equivalent_max_years": (_("Canadian-equivalent maximum (years)"), ""),
    # fear
    "fear.grounds": (_("Grounds of fear"), _("Recorded for the file; merits are never scored.")),
    "fear.agents_of_harm": (_("Who they fear"), ""),
    "fear.countries": (_("Countries they fear"), ""),
    # economic
    "economic.education": (_("Highest education"), ""),
    "economic.education_credential_recognized": (
        _("Education assessed (ECA) or Canadian?"), ""),
    "economic.canadian_education": (_("Education in Canada"), ""),
    "economic.certificate_of_qualification": (
        _("Canadian certificate of qualification in a trade?"), ""),
    "economic.provincial_nomination": (_("Provincial nomination?"), ""),
    "economic.arranged_employment": (_("Job offer in Canada"), ""),
    "economic.sibling_in_canada": (_("Brother or sister in Canada (citizen or PR)?"), ""),
    "economic.settlement_funds_cad": (_("Settlement funds (CAD)"), ""),
    "economic.family_size": (_("Family size (for funds)"), ""),
    "economic.intended_province": (_("Intended province"), ""),
    "language.english": (_("English test (CLB)"), ""),
    "language.french": (_("French test (NCLC)"), ""),
    "language.first_official_language": (_("First official language"), ""),
    "job.country": (_("Country"), ""),
    "job.teer": (_("TEER category (0–5)"), ""),
    "job.start": (_("Start"), ""),
    "job.end": (_("End"), _("Leave empty if ongoing.")),
    "job.hours_per_week": (_("Hours per week"), ""),
    "job.authorized": (_("Authorised to work there?"), ""),
    "job.self_employed": (_("Self-employed"), ""),
    "job.full_time_student": (_("While a full-time student"), ""),
    "job.skilled_trade": (_("A skilled trade"), ""),
}

VALUE_LABELS = {
    "canadian_status": {
        "none": _("None"), "citizen": _("Canadian citizen"),
        "permanent_resident": _("Permanent resident"),
        "temporary_resident": _("Temporary resident"), "out_of_status": _("Out of status"),
        "protected_person": _("Protected person"),
        "hc_stay_of_removal": _("Humanitarian stay of removal"),
        "claimant_referred": _("Refugee claimant (referred to the IRB)"),
        "claimant_pending_eligibility": _("Refugee claimant (eligibility pending)"),
        "claimant_ineligible": _("Claim found ineligible"),
        "claimant_withdrawn": _("Claim withdrawn"), "claimant_abandoned": _("Claim abandoned"),
        "claimant_rejected": _("Claim rejected"),
        "claimant_rejected_under_appeal": _("Claim rejected, appeal (RAD) pending"),
        "work_permit": _("Work permit"), "study_permit": _("Study permit"),
        "visitor": _("Visitor"), "unknown": _("Unknown"),
    },
    "us_status": {
        "us_citizen": _("US citizen"), "lpr": _("Permanent resident (green card)"),
        "asylee": _("Granted asylum"), "refugee": _("Resettled refugee"), "tps": _("TPS"),
        "parole": _("Humanitarian parole"), "pending_asylum": _("Asylum application pending"),
        "nonimmigrant_visa": _("Visa (non-immigrant)"), "undocumented": _("Undocumented"),
        "removal_order": _("Under a removal order"), "other": _("Other"), "none": _("None"),
    },
    "current_location": {"us": _("United States"), "canada": _("Canada"),
                         "elsewhere": _("Elsewhere")},
    "whereabouts": {"canada": _("In Canada"), "us": _("In the US"),
                    "elsewhere": _("Elsewhere"), "deceased": _("Deceased"),
                    "unknown": _("Unknown")},
    "lives_in": {"canada": _("Canada"), "us": _("United States"), "elsewhere": _("Elsewhere")},
    "entry_mode": {
        "land_port_of_entry": _("At a land border crossing"),
        "train_port_of_entry": _("By train, at the border station"),
        "between_ports": _("On land, away from a border crossing"),
        "airport": _("At an airport"), "harbour": _("At a harbour"),
        "already_in_canada": _("Already in Canada (entered at a port)"),
        "undecided": _("Not decided"),
    },
    "client_declared_when_sponsor_immigrated": {
        "True": _("Yes"), "False": _("No"), "not_applicable": _("Not applicable"),
    },
    "relationship": {"legal_guardian": _("Legal guardian"), "in_law": _("In-law"),
                     "step_relative": _("Step-relative"),
                     "common_law_partner": _("Common-law partner"),
                     "conjugal_partner": _("Conjugal partner"),
                     "dating_partner": _("Dating partner")},
    "kind": {"trv": _("Visitor visa (TRV)"), "pr_visa": _("Permanent resident visa"),
             "trp": _("Temporary resident permit"), "eta": _("eTA"),
             "a31_travel_document": _("A31 travel document"),
             "refugee_travel_paper": _("Refugee travel document"),
             "r151_temporary_travel_document": _("R151 temporary travel document"),
             "asylum_affirmative": _("Asylum (affirmative, I-589)"),
             "asylum_defensive": _("Asylum (defensive, in court)"),
             "refugee_status_claim": _("Refugee status claim"),
             "credible_fear_only": _("Credible-fear interview only"),
             "withholding_or_cat_only": _("Withholding / CAT only")},
    "permit_basis": {"r206_1_a": _("R206(1)(a) (claimant, pending)"),
                     "r206_1_b": _("R206(1)(b) (unenforceable removal)"),
                     "lmia": _("LMIA"), "lmia_exempt": _("LMIA-exempt"),
                     "open_work_permit": _("Open work permit"),
                     "other_work_permit": _("Other work permit")},
    "education": {"less_than_secondary": _("Less than secondary"),
                  "secondary": _("Secondary diploma"),
                  "one_year_post_secondary": _("One-year post-secondary"),
                  "two_year_post_secondary": _("Two-year post-secondary"),
                  "bachelors_or_three_year": _("Bachelor's or 3-year program"),
                  "two_or_more_credentials": _("Two or more credentials"),
                  "masters_or_professional": _("Master's or professional degree"),
                  "doctorate": _("Doctorate")},
    "canadian_education": {"none": _("None"), "secondary_or_less": _("Secondary or less"),
                           "one_or_two_year": _("One or two years"),
                           "three_year_or_more": _("Three years or more")},
    "arranged_employment": {"none": _("None"), "job_offer": _("Job offer"),
                            "job_offer_noc_00": _("Job offer, senior management (NOC 00)")},
    "grounds": {"particular_social_group": _("Particular social group"),
                "political_opinion": _("Political opinion"), "torture": _("Torture"),
                "risk_to_life": _("Risk to life or cruel treatment")},
    "agents_of_harm": {"state": _("The state"), "non_state": _("Non-state actors"),
                       "unknown": _("Unknown")},
    "claim_status": {"planned": _("Planned"), "made": _("Made"),
                     "referred": _("Referred to the IRB")},
    "first_official_language": {"english": _("English"), "french": _("French")},
    "guardianship_basis": {"court_order": _("Court order"),
                           "written_agreement": _("Written agreement"),
                           "operation_of_law": _("By operation of law"),
                           "informal_custody": _("Informal custody")},
    "ineligibility_ground": {
        "a": _("A101(1)(a): protection already conferred"),
        "b": _("A101(1)(b): earlier claim rejected"),
        "b.1": _("A101(1)(b.1): claim made more than one year after entry"),
        "b.2": _("A101(1)(b.2): claim made 14 days or more after entering between ports"),
        "c": _("A101(1)(c): earlier claim ineligible, withdrawn or abandoned"),
        "c.1": _("A101(1)(c.1): claim made in another country"),
        "d": _("A101(1)(d): recognised as a refugee by another country"),
        "e": _("A101(1)(e): came from a designated country (Safe Third Country)"),
        "f": _("A101(1)(f): inadmissible (security, human rights, criminality)")},
    "marital_status": {"single": _("Single"), "married": _("Married"),
                       "common_law": _("Common-law"), "separated": _("Separated"),
                       "divorced": _("Divorced"), "widowed": _("Widowed")},
    "outcome": {"pending": _("Pending"), "accepted": _("Accepted"), "granted": _("Granted"),
                "rejected": _("Rejected"), "denied": _("Denied"),
                "ineligible": _("Found ineligible"), "withdrawn": _("Withdrawn"),
                "abandoned": _("Abandoned"), "other": _("Other"), "unknown": _("Unknown")},
    "province": {"AB": _("Alberta"), "BC": _("British Columbia"), "MB": _("Manitoba"),
                 "NB": _("New Brunswick"), "NL": _("Newfoundland and Labrador"),
                 "NS": _("Nova Scotia"), "NT": _("Northwest Territories"), "NU": _("Nunavut"),
                 "ON": _("Ontario"), "PE": _("Prince Edward Island"), "QC": _("Quebec"),
                 "SK": _("Saskatchewan"), "YT": _("Yukon")},
    "relationship_basis": {"blood": _("By blood"), "half": _("Half (one parent in common)"),
                           "adoption": _("By adoption")},
}
# Enum values shared by several fields of the contract.
VALUE_LABELS["intended_province"] = VALUE_LABELS["province"]
VALUE_LABELS["status"] = VALUE_LABELS["canadian_status"]
VALUE_LABELS["relationship"].update({
    "mother": _("Mother"), "father": _("Father"), "spouse": _("Spouse"),
    "child": _("Child"), "brother": _("Brother"), "sister": _("Sister"),
    "grandmother": _("Grandmother"), "grandfather": _("Grandfather"),
    "grandchild": _("Grandchild"), "aunt": _("Aunt"), "uncle": _("Uncle"),
    "niece": _("Niece"), "nephew": _("Nephew"), "cousin": _("Cousin"), "other": _("Other")})
VALUE_LABELS["kind"].update({
    "work_permit": _("Work permit"), "study_permit": _("Study permit"), "other": _("Other"),
    "unknown": _("Unknown")})
VALUE_LABELS["permit_basis"].update({"none": _("None"), "study_permit": _("Study permit")})
VALUE_LABELS["grounds"].update({
    "race": _("Race"), "religion": _("Religion"), "nationality": _("Nationality"),
    "other": _("Other")})


def humanize(name: str) -> str:
    return str(name).replace("_", " ").capitalize()


def field_label(path: str) -> tuple[str, str]:
    parts = path.split(".")
    key = ".".join(parts[-2:]) if len(parts) >= 2 else path
    return FIELD_LABELS.get(key, (humanize(parts[-1]), ""))


def value_label(field_name: str, value) -> str:
    return VALUE_LABELS.get(field_name, {}).get(str(value), humanize(value))
