"""Forms of the partner directory: the list filter and the capacity report."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from referrals.directory.languages import language_choices
from referrals.directory.selectors import DirectoryFilter
from referrals.directory.validation import check_capacity
from referrals.models import Province, ServiceType

MAXIMUM_PLACES = 100_000


class DirectoryFilterForm(forms.Form):
    service_type = forms.ChoiceField(label=_("Service"), required=False)
    province = forms.ChoiceField(label=_("Province or territory"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    accepting_only = forms.BooleanField(label=_("Only services accepting referrals"),
                                        required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].choices = [("", _("Any service")), *ServiceType.choices]
        self.fields["province"].choices = [("", _("Anywhere in Canada")), *Province.choices]
        self.fields["language"].choices = [("", _("Any language")), *language_choices()]

    def directory_filter(self) -> DirectoryFilter:
        data = self.cleaned_data
        return DirectoryFilter(service_type=data["service_type"], province=data["province"],
                               language=data["language"],
                               accepting_only=data["accepting_only"])


class CapacityForm(forms.Form):
    """What a partner reports: places free now, places in all, and the accepting switch."""

    capacity_available = forms.IntegerField(label=_("Available now"), min_value=0,
                                            max_value=MAXIMUM_PLACES)
    capacity_maximum = forms.IntegerField(label=_("In all"), min_value=0,
                                          max_value=MAXIMUM_PLACES)
    accepting_referrals = forms.BooleanField(
        label=_("Accepting new referrals"), required=False,
        help_text=_("Untick to pause new referrals, for example when you are full."))

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if unit:
            # Help texts are rendered as HTML (Django's and crispy's templates): the unit comes
            # from the partner's data, so it is escaped here.
            counted_in = mark_safe(_("Counted in: %(unit)s") % {"unit": conditional_escape(unit)})
            for name in ("capacity_available", "capacity_maximum"):
                self.fields[name].help_text = counted_in
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save capacity")))

    def clean(self):
        cleaned = super().clean()
        available = cleaned.get("capacity_available")
        maximum = cleaned.get("capacity_maximum")
        if available is not None and maximum is not None:
            try:
                check_capacity(available, maximum)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned
