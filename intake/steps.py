"""The intake steps: which facts each step asks, as declarative sections.

A step is a list of sections; each section is a form (some fields of one block) or a list
(a formset over the items of one list in the facts). ``intake.step_forms`` builds the forms,
``intake.services.case_step_save`` stores what validated.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FieldsSection:
    """Some fields of one block. ``block`` is a dotted path into the case's facts
    (``person``, ``economic.language``), or ``client`` / ``case`` for record fields."""

    block: str
    fields: tuple[str, ...]
    title: str = ""

    @property
    def prefix(self) -> str:
        return self.block.replace(".", "-")


@dataclass(frozen=True)
class ListSection:
    """A list in the facts (``relatives_in_canada``, ``canadian_history.prior_claims``), edited
    as a formset. ``item`` names the item schema for labels (``relative``); ``none_label`` is the
    "there are none" answer that turns an unknown list into []."""

    block: str
    item: str
    fields: tuple[str, ...]
    title: str
    none_label: str
    add_label: str

    @property
    def prefix(self) -> str:
        return self.block.replace(".", "-")


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    intro: str
    sections: tuple[FieldsSection | ListSection, ...]


PARENT_FIELDS = (
    "relationship", "whereabouts", "guardianship_basis", "date_of_birth", "born_in_canada",
    "canadian_citizen_at_client_birth", "naturalized", "citizen_by_descent", "adoptive",
    "days_in_canada_before_client_birth", "citizenship_renounced_or_lost",
)
RELATIVE_FIELDS = (
    "relationship", "relationship_basis", "date_of_birth", "age", "status", "in_canada",
    "resides_in_canada", "will_reside_in_canada", "province", "permit_basis", "permit_valid",
    "client_declared_when_sponsor_immigrated", "sponsor_disqualified",
)
SPOUSE_FIELDS = (
    "relationship", "date_of_birth", "canadian_status", "lives_in", "in_canada",
    "will_reside_in_canada", "province", "permit_basis", "permit_valid", "marriage_date",
    "marriage_in_person", "cohabitation_start", "relationship_start", "sponsor_five_year_bar",
    "sponsor_bound_by_previous_undertaking", "sponsor_disqualified",
    "client_declared_when_sponsor_immigrated", "accompanying", "education", "language",
    "canadian_skilled_work_years", "canadian_education",
)
JOB_FIELDS = ("country", "teer", "start", "end", "hours_per_week", "authorized",
              "self_employed", "full_time_student", "skilled_trade")

STEPS: tuple[Step, ...] = (
    Step("identity", _("Identity"), _("Who the person is. Names are encrypted and searchable "
                                      "only by exact name and birth date."), (
        FieldsSection("client", ("given_name", "family_name", "aliases", "date_of_birth",
                                 "languages", "preferred_language")),
        FieldsSection("person", ("citizenships", "stateless", "born_in_canada",
                                 "marital_status"), _("Citizenship")),
        ListSection("person.former_habitual_residences", "former_residence",
                    ("country", "from", "to"), _("Former habitual residences (if stateless)"),
                    _("None / not stateless"), _("Add a country")),
    )),
    Step("contact", _("Safe contact and situation"), _("How to reach the person safely, and "
                                                         "their status today."), (
        FieldsSection("client", ("contact_method", "contact_details", "safe_to_call",
                                 "safe_to_leave_message", "code_word", "contact_notes",
                                 "us_city", "us_state"), _("Safe contact")),
        FieldsSection("person", ("current_location", "us_status", "canadian_status"),
                      _("Status")),
    )),
    Step("urgency", _("Urgency and household"), _("Detention risk and removal dates put a "
                                                    "case first in every queue."), (
        FieldsSection("case", ("detention_risk", "removal_date", "urgency_notes"),
                      _("Urgency")),
        ListSection("household", "household_member", ("name", "relationship",
                                                      "date_of_birth"),
                    _("Household members travelling together"), _("Travelling alone"),
                    _("Add a person")),
    )),
    Step("family", _("Parents and guardians"), _("Both parents, even if deceased or unknown, "
                                                   "and any legal guardian."), (
        ListSection("parents", "parent", PARENT_FIELDS, _("Parents and legal guardians"),
                    _("No information can be given"), _("Add a parent or guardian")),
        FieldsSection("person", ("dependent_due_to_condition",), _("Dependency")),
    )),
    Step("relatives", _("Relatives in Canada"), _("Every relative (not the partner) who lives "
                                                    "in Canada or is a Canadian citizen or "
                                                    "permanent resident."), (
        ListSection("relatives_in_canada", "relative", RELATIVE_FIELDS,
                    _("Relatives in Canada"), _("No relatives in Canada"),
                    _("Add a relative")),
    )),
    Step("spouse", _("Spouse or partner"), _("Leave this step empty if there is no spouse or "
                                               "partner."), (
        FieldsSection("spouse", SPOUSE_FIELDS, _("Spouse or partner")),
    )),
    Step("history", _("Claims and history"), _("Earlier refugee or asylum claims anywhere, "
                                                  "and any history with Canadian "
                                                  "immigration."), (
        ListSection("prior_claims", "prior_claim", ("country", "date", "kind", "outcome"),
                    _("Claims made in other countries (including a US I-589)"),
                    _("No claim in any other country"), _("Add a claim")),
        ListSection("recognized_refugee_elsewhere", "recognized_refugee",
                    ("country", "can_return"), _("Recognised as a refugee elsewhere"),
                    _("Never recognised elsewhere"), _("Add a country")),
        FieldsSection("canadian_history", ("protected_person", "removal_order_in_force",
                                           "deported"), _("History with Canada")),
        ListSection("canadian_history.prior_claims", "canadian_claim",
                    ("date", "outcome", "ineligibility_ground", "final_decision_date"),
                    _("Earlier refugee claims in Canada"), _("No earlier claim in Canada"),
                    _("Add a Canadian claim")),
        ListSection("canadian_history.prra_applications", "prra_application",
                    ("outcome", "decision_date"), _("Pre-removal risk assessments"),
                    _("No PRRA application"), _("Add a PRRA")),
    )),
    Step("plan", _("Travel plan and documents"), _("How and when the person would enter "
                                                     "Canada, and any Canadian document."), (
        FieldsSection("plan", ("entry_mode", "entry_date", "claim_date", "claim_status",
                               "accompanied_by_parent_or_guardian", "in_transit_us_removal",
                               "refused_entry_to_us_without_adjudication",
                               "previous_entries_to_canada"), _("Entry")),
        ListSection("canadian_documents", "document", ("kind", "valid_until", "transit_only"),
                    _("Canadian documents held"), _("No Canadian document"),
                    _("Add a document")),
    )),
    Step("safety", _("Criminality and fears"), _("Asked for every case: some answers change "
                                                   "which pathways are open."), (
        FieldsSection("criminality", ("death_penalty_charge", "security_concern",
                                      "human_rights_concern", "organized_crime_concern",
                                      "extradition_proceedings"), _("Criminality")),
        ListSection("criminality.pending_charges", "charge",
                    ("country", "date", "canadian_equivalent_max_years",
                     "death_penalty_possible"), _("Pending charges"), _("No pending charge"),
                    _("Add a charge")),
        ListSection("criminality.convictions", "conviction",
                    ("country", "date", "sentence_months", "sentence_completed",
                     "canadian_equivalent_max_years"), _("Convictions"), _("No conviction"),
                    _("Add a conviction")),
        FieldsSection("fear", ("grounds", "agents_of_harm", "countries"), _("Fears")),
    )),
    Step("economic", _("Education, languages and work"), _("For economic pathways (Express "
                                                             "Entry, provincial nominee)."), (
        FieldsSection("economic", ("education", "education_credential_recognized",
                                   "canadian_education", "certificate_of_qualification",
                                   "provincial_nomination", "arranged_employment",
                                   "sibling_in_canada", "settlement_funds_cad", "family_size",
                                   "intended_province"), _("Profile")),
        FieldsSection("economic.language", ("english", "french", "first_official_language"),
                      _("Official languages")),
        ListSection("economic.work_history", "job", JOB_FIELDS, _("Work history"),
                    _("No work history"), _("Add a job")),
    )),
)

REVIEW_SLUG = "review"
STEP_BY_SLUG = {step.slug: step for step in STEPS}
STEP_SLUGS = tuple(step.slug for step in STEPS)


def next_step(slug: str) -> str:
    index = STEP_SLUGS.index(slug)
    return STEP_SLUGS[index + 1] if index + 1 < len(STEP_SLUGS) else REVIEW_SLUG
