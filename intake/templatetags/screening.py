"""Template filters for screening results shown outside the screening panel."""

from django import template

from intake.screening_panel import OUTCOME_STYLE

register = template.Library()


@register.filter
def outcome_label(outcome: str) -> str:
    """The translated label of an engine outcome (``LIKELY_ELIGIBLE`` → "Likely eligible")."""
    return OUTCOME_STYLE.get(outcome, ("", outcome))[1]
