"""The screening panel: the current assessment, arranged for a counsellor on a call.

Missing facts (JSON pointers) become questions with a link to the intake step that asks them.
The engine's sentences (reasons, next steps, disclaimer) are English; they are shown in the
reader's language through ``eligibility.reason_texts``. The engine's "Ask about …" next steps
are left out: the same facts are the panel's questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eligibility.engine import PATHWAYS
from eligibility.engine.questions import question_for as engine_question
from eligibility.reason_texts import disclaimer_text, next_step_text, reason_text
from intake.fact_labels import field_label
from intake.steps import STEPS, FieldsSection, ListSection

OUTCOME_STYLE = {
    "LIKELY_ELIGIBLE": ("success", _("Likely eligible")),
    "LIKELY_INELIGIBLE": ("danger", _("Likely ineligible")),
    "NEEDS_REVIEW": ("warning", _("Needs review")),
    "MISSING_INFO": ("info", _("Missing information")),
    "NOT_APPLICABLE": ("secondary", _("Not applicable")),
    "LIKELY_AVAILABLE_LATER": ("primary", _("Likely available later")),
}
PATHWAY_NAMES = {
    "refugee_claim": _("Refugee claim (eligibility to be referred)"),
    "prra": _("Pre-removal risk assessment"),
    "humanitarian": _("Humanitarian and compassionate"),
    "citizenship": _("Canadian citizenship"),
    "spousal_sponsorship": _("Spousal sponsorship"),
    "family_sponsorship": _("Family sponsorship"),
    "express_entry": _("Express Entry"),
    "provincial_nominee": _("Provincial nominee"),
    "temporary_residence": _("Temporary residence (visit)"),
}


@dataclass
class Question:
    pointer: str
    label: str
    step_url: str


@dataclass
class PathwayView:
    name: str
    title: str
    outcome: str
    style: str
    outcome_label: str
    reasons: list[dict]
    questions: list[Question]
    next_steps: list[str]
    crs_score: int | None = None
    crs_breakdown: dict | None = field(default=None)


def step_for_pointer(pointer: str) -> str:
    parts = pointer.strip("/").split("/")
    if parts[:2] == ["person", "date_of_birth"]:
        return "identity"
    for step in STEPS:
        for section in step.sections:
            block = section.block.split(".")
            if parts[:len(block)] != block:
                continue
            if isinstance(section, FieldsSection) and len(parts) > len(block) \
                    and parts[len(block)] not in section.fields:
                continue
            return step.slug
    first = parts[0]
    for step in STEPS:
        if any(section.block.split(".")[0] == first for section in step.sections):
            return step.slug
    return STEPS[0].slug


def question_label(pointer: str) -> str:
    """What the intake calls the fact at ``pointer``: the field's label (an item of a list
    takes its item's label, ``/parents/0/born_in_canada`` → ``parent.born_in_canada``), or
    the title of the section or step that asks a whole block or list."""
    parts = [part for part in pointer.strip("/").split("/") if not part.isdigit()]
    if not parts:
        return _("Facts")
    for step in STEPS:
        for section in step.sections:
            block = section.block.split(".")
            if parts[:len(block)] != block:
                continue
            rest = parts[len(block):]
            if not rest:
                return section.title or step.title
            if isinstance(section, ListSection) and len(rest) == 1:
                return field_label(f"{section.item}.{rest[0]}")[0]
    return field_label(".".join(parts[-2:]))[0]


def question_for(pointer: str, number: str) -> Question:
    step = step_for_pointer(pointer)
    return Question(pointer, question_label(pointer),
                    reverse("intake:step", kwargs={"number": number, "step": step}))


def unique_questions(questions) -> list[Question]:
    seen, unique = set(), []
    for question in questions:
        key = (str(question.label), question.step_url)
        if key not in seen:
            seen.add(key)
            unique.append(question)
    return unique


def screening_panel(assessment, number: str) -> dict | None:
    if assessment is None:
        return None
    result = assessment.result
    pathways = []
    for name in PATHWAYS:  # the contract's order (stored JSON may reorder keys)
        data = result["pathways"][name]
        style, outcome_label = OUTCOME_STYLE.get(data["outcome"], ("secondary",
                                                                   data["outcome"]))
        asked = {engine_question(pointer) for pointer in data["missing"]}
        pathways.append(PathwayView(
            name=name, title=PATHWAY_NAMES.get(name, name), outcome=data["outcome"],
            style=style, outcome_label=outcome_label,
            reasons=[{**reason, "text": reason_text(reason)} for reason in data["reasons"]],
            questions=unique_questions(question_for(pointer, number)
                                       for pointer in data["missing"]),
            next_steps=[next_step_text(step) for step in data["next_steps"]
                        if step not in asked],
            crs_score=data.get("crs_score"), crs_breakdown=data.get("crs_breakdown")))
    return {"assessment": assessment, "pathways": pathways, "stca": result["stca"],
            "disclaimer": disclaimer_text(result["disclaimer"]),
            "rules_version": result["rules_version"], "screening_date": result["screening_date"]}
