"""What a step's sections currently hold, to prefill their forms."""

from __future__ import annotations

from intake.models import Case
from intake.steps import Step


def value_at(case: Case, block: str):
    root, *path = block.split(".")
    value = getattr(case, root)
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def stored_values(case: Case, step: Step) -> dict:
    values = {}
    for section in step.sections:
        if section.block == "client":
            values[section.prefix] = {name: getattr(case.client, name)
                                      for name in section.fields}
        elif section.block == "case":
            values[section.prefix] = {name: getattr(case, name) for name in section.fields}
        else:
            values[section.prefix] = value_at(case, section.block)
    return values
