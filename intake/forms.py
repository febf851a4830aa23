"""Forms of the counsellor's workspace (the intake steps' forms are in ``step_forms``)."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eligibility.engine import PATHWAYS
from intake.fact_forms import FactDateField
from intake.models import (
    Case,
    CaseStatus,
    CloseReason,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    Urgency,
)
from intake.screening_panel import OUTCOME_STYLE, PATHWAY_NAMES
from intake.widgets import FastSelect
from northstar.accounts.models import Organisation
from northstar.common.forms import SubmittedOnceForm
from referrals.models.directory import ServiceType

OUTCOMES = ["LIKELY_ELIGIBLE", "LIKELY_INELIGIBLE", "NEEDS_REVIEW", "MISSING_INFO",
            "NOT_APPLICABLE", "LIKELY_AVAILABLE_LATER"]


class NewCaseForm(forms.Form):
    given_name = forms.CharField(label=_("Given name(s)"), max_length=150)
    family_name = forms.CharField(label=_("Family name(s)"), max_length=150, required=False)
    date_of_birth = FactDateField(label=_("Date of birth"), required=False,
                                  help_text=_("Lets us warn you if this person already has a "
                                              "case."))


class SearchForm(forms.Form):
    """Sent by POST so that names and birth dates never appear in a URL or a log."""

    case_number = forms.CharField(label=_("Case number"), max_length=20, required=False,
                                  widget=forms.TextInput(attrs={"data-search-field": ""}))
    full_name = forms.CharField(label=_("Full name or alias"), max_length=300, required=False)
    date_of_birth = FactDateField(label=_("Date of birth"), required=False)

    def clean(self):
        cleaned = super().clean()
        by_number = bool(cleaned.get("case_number"))
        by_name = bool(cleaned.get("full_name")) and cleaned.get("date_of_birth") is not None
        if not by_number and not by_name:
            raise forms.ValidationError(
                _("Enter a case number, or a full name together with the date of birth."),
                code="incomplete")
        return cleaned


SELECT = {"class": "form-select"}


class CaseFilter(django_filters.FilterSet):
    """Filters of the case list (GET): nothing personal, only statuses, levels, ids, dates.
    Selects are ``FastSelect`` and the template renders the fields without crispy: the list is
    the busiest page, and Django's per-option templates cost more than its rows."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices,
                                         method="filter_status", empty_label=_("Active"),
                                         widget=FastSelect(attrs=SELECT))
    urgency = django_filters.ChoiceFilter(label=_("Urgency at least"), choices=Urgency.choices,
                                          field_name="urgency", lookup_expr="gte",
                                          widget=FastSelect(attrs=SELECT))
    pathway = django_filters.ChoiceFilter(
        label=_("Pathway"), method="filter_outcome", widget=FastSelect(attrs=SELECT),
        choices=[(name, PATHWAY_NAMES[name]) for name in PATHWAYS])
    outcome = django_filters.ChoiceFilter(
        label=_("Screening outcome"), method="filter_outcome", widget=FastSelect(attrs=SELECT),
        choices=[(word, OUTCOME_STYLE[word][1]) for word in OUTCOMES])
    assigned = django_filters.ChoiceFilter(
        label=_("Assigned"), method="filter_assigned", widget=FastSelect(attrs=SELECT),
        choices=[("me", _("To me")), ("none", _("Unassigned"))])
    created_after = django_filters.DateFilter(
        label=_("Created from"), field_name="created_at", lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    created_before = django_filters.DateFilter(
        label=_("Created to"), field_name="created_at", lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value) if value else queryset

    def filter_assigned(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assigned_to=self.request.user)
        if value == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset

    def filter_outcome(self, queryset, name, value):
        """Pathway and outcome combine: with both, that pathway has that outcome; with only an
        outcome, any pathway has it."""
        pathway = self.form.cleaned_data.get("pathway")
        outcome = self.form.cleaned_data.get("outcome")
        if name == "pathway" and outcome:
            return queryset  # applied once, by the outcome filter
        if pathway and outcome:
            return queryset.filter(**{f"screening_outcomes__{pathway}": outcome})
        if outcome:
            condition = Q()
            for candidate in PATHWAYS:
                condition |= Q(**{f"screening_outcomes__{candidate}": outcome})
            return queryset.filter(condition)
        return queryset


class NoteForm(SubmittedOnceForm):
    body = forms.CharField(label=_("New note"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CloseReason.choices)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Counsellor"), required=False, empty_label=_("Unassigned"),
        queryset=get_user_model().objects.filter(is_active=True, is_counsellor=True))


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(label=_("Why (for the administrator)"), max_length=1000,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("The client asked for all their data to be erased."))


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), required=False,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.PARTNER, is_active=True))
    service_type = forms.ChoiceField(
        label=_("…or every partner of this service type"), required=False,
        choices=[("", "—"), *ServiceType.choices])
    method = forms.ChoiceField(label=_("How it was given"), choices=ConsentMethod.choices)
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    given_on = FactDateField(label=_("Given on"))
    expires_on = FactDateField(label=_("Expires on"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 2}))
