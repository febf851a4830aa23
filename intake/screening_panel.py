"""The screening panel: the current assessment, arranged for a counsellor on a call.

Missing facts (JSON pointers) become questions with a link to the intake step that asks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eligibility.engine import PATHWAYS
from intake.fact_labels import field_label
from intake.steps import STEPS, FieldsSection

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


def question_for(pointer: str, number: str) -> Question:
    parts = [part for part in pointer.strip("/").split("/") if not part.isdigit()]
    label = field_label(".".join(parts[-2:]))[0] if parts else _("Facts")
    step = step_for_pointer(pointer)
    return Question(pointer, label, reverse("intake:step", kwargs={"number": number,
                                                                    "step": step}))


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
        pathways.append(PathwayView(
            name=name, title=PATHWAY_NAMES.get(name, name), outcome=data["outcome"],
            style=style, outcome_label=outcome_label, reasons=data["reasons"],
            questions=unique_questions(question_for(pointer, number)
                                       for pointer in data["missing"]),
            next_steps=data["next_steps"], crs_score=data.get("crs_score"),
            crs_breakdown=data.get("crs_breakdown")))
    return {"assessment": assessment, "pathways": pathways, "stca": result["stca"],
            "disclaimer": result["disclaimer"], "rules_version": result["rules_version"],
            "screening_date": result["screening_date"]}
