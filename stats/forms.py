"""The period filter of the dashboard and the export request form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stats.models import ExportFormat
from stats.periods import MAX_QUARTERS, Period, recent_quarters


def quarter_choices() -> list[tuple[str, str]]:
    return [(quarter, quarter) for quarter in recent_quarters(MAX_QUARTERS)]


class PeriodForm(forms.Form):
    """Whole quarters only: dates are never published finer than a quarter."""

    from_quarter = forms.ChoiceField(label=_("From quarter"), choices=quarter_choices)
    to_quarter = forms.ChoiceField(label=_("To quarter"), choices=quarter_choices)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("from_quarter"), cleaned.get("to_quarter")
        if first and last:
            try:
                cleaned["period"] = Period(first, last)
            except ValueError as error:
                raise forms.ValidationError(
                    _("Choose a “from” quarter that is not after the “to” quarter.")) from error
        return cleaned

    @classmethod
    def initial_for(cls, period: Period) -> dict:
        return {"from_quarter": period.first, "to_quarter": period.last}


class ExportForm(PeriodForm):
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)
