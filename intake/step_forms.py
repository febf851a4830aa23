"""Forms of the intake steps, built from ``intake.steps`` and the facts schema.

A bound step is a list of ``Part`` objects (one per section). ``Part.values()`` returns what
validated, ready to store: a dict of field values for a fields section (only the valid
fields: a wrong date does not cost the counsellor the name typed above it), or the whole list
for a list section (all rows valid, or nothing).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from intake.fact_forms import (
    EnumField,
    FactDateField,
    TriStateField,
    block_node,
    field_for,
    from_fact,
    to_fact,
    unwrap,
)
from intake.models import ContactMethod
from intake.steps import FieldsSection, ListSection, Step
from intake.widgets import (
    FastSelect,
    FastSelectMultiple,
    SharedChoiceField,
    SharedMultipleChoiceField,
)

LANGUAGES = [
    ("en", _("English")), ("es", _("Spanish")), ("fr", _("French")), ("ht", _("Haitian Creole")),
    ("pt", _("Portuguese")), ("ar", _("Arabic")), ("fa", _("Persian")), ("ps", _("Pashto")),
    ("ru", _("Russian")), ("uk", _("Ukrainian")), ("tr", _("Turkish")), ("zh", _("Chinese")),
    ("vi", _("Vietnamese")), ("hi", _("Hindi")), ("pa", _("Punjabi")), ("ur", _("Urdu")),
    ("bn", _("Bengali")), ("ta", _("Tamil")), ("am", _("Amharic")), ("ti", _("Tigrinya")),
    ("so", _("Somali")), ("sw", _("Swahili")), ("ln", _("Lingala")), ("wo", _("Wolof")),
    ("qu", _("Quechua")), ("gn", _("Guarani")), ("my", _("Burmese")), ("ne", _("Nepali")),
    ("ku", _("Kurdish")), ("other", _("Other")),
]
US_STATE_CODES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI"
)
US_STATES = [(code, code) for code in US_STATE_CODES.split()]
DETENTION_RISK = [
    ("", _("Don't know")), ("none", _("No known risk")), ("low", _("Some risk")),
    ("high", _("High risk (e.g. check-in soon, removal order)")), ("detained", _("Detained now")),
]


class AliasesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def clean(self, value):
        text = super().clean(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


def record_field(block: str, name: str) -> forms.Field:
    """Fields stored on the Client or Case record rather than in the facts."""
    text = {"required": False, "max_length": 150}
    fields = {
        ("client", "given_name"): lambda: forms.CharField(label=_("Given name(s)"),
                                                          max_length=150),
        ("client", "family_name"): lambda: forms.CharField(label=_("Family name(s)"), **text),
        ("client", "aliases"): lambda: AliasesField(
            label=_("Other names used"), required=False, max_length=1000,
            help_text=_("One per line: earlier names, spellings, nicknames.")),
        ("client", "date_of_birth"): lambda: FactDateField(label=_("Date of birth"),
                                                           required=False),
        ("client", "languages"): lambda: SharedMultipleChoiceField(
            label=_("Languages spoken"), choices=LANGUAGES, required=False,
            widget=FastSelectMultiple(attrs={"size": 6})),
        ("client", "preferred_language"): lambda: SharedChoiceField(
            label=_("Preferred language"), choices=[("", "—"), *LANGUAGES], required=False,
            widget=FastSelect),
        ("client", "contact_method"): lambda: SharedChoiceField(
            label=_("Safe contact method"), choices=[("", "—"), *ContactMethod.choices],
            required=False, widget=FastSelect),
        ("client", "contact_details"): lambda: forms.CharField(
            label=_("Number, address or trusted person"), required=False, max_length=200),
        ("client", "safe_to_call"): lambda: TriStateField(label=_("Safe to call?")),
        ("client", "safe_to_leave_message"): lambda: TriStateField(
            label=_("Safe to leave a message?")),
        ("client", "code_word"): lambda: forms.CharField(
            label=_("Code word"), required=False, max_length=100,
            help_text=_("Agreed word to confirm it is really them.")),
        ("client", "contact_notes"): lambda: forms.CharField(
            label=_("Contact notes"), required=False, max_length=1000,
            widget=forms.Textarea(attrs={"rows": 2})),
        ("client", "us_city"): lambda: forms.CharField(label=_("City in the US"),
                                                       required=False, max_length=100),
        ("client", "us_state"): lambda: SharedChoiceField(
            label=_("US state"), choices=[("", "—"), *US_STATES], required=False,
            widget=FastSelect),
        ("case", "detention_risk"): lambda: SharedChoiceField(
            label=_("Detention risk"), choices=DETENTION_RISK, required=False,
            widget=FastSelect),
        ("case", "removal_date"): lambda: FactDateField(
            label=_("Removal date"), required=False,
            help_text=_("If a removal from the US is scheduled.")),
        ("case", "urgency_notes"): lambda: forms.CharField(
            label=_("Urgency notes"), required=False, max_length=1000,
            widget=forms.Textarea(attrs={"rows": 2})),
    }
    return fields[(block, name)]()


def household_field(name: str) -> forms.Field:
    return {
        "name": lambda: forms.CharField(label=_("Name"), max_length=150),
        "relationship": lambda: forms.CharField(label=_("Relationship to the client"),
                                                max_length=60, required=False),
        "date_of_birth": lambda: FactDateField(label=_("Date of birth"), required=False),
    }[name]()


class FactsForm(forms.Form):
    """Base of generated forms; ``clean`` applies the contract's semantic checks (§2.4) to the
    fields present, attaching each error to a field so the other fields still save."""

    def clean(self):
        cleaned = super().clean()
        self.check_order("entry_date", "claim_date",
                         _("The claim date cannot be before the entry date."))
        self.check_order("start", "end", _("The end cannot be before the start."))
        self.check_order("from", "to", _("The end cannot be before the start."))
        if cleaned.get("stateless") and cleaned.get("citizenships"):
            self.add_error("stateless", _("A stateless person has no citizenship: clear the "
                                          "citizenships or answer No."))
        if cleaned.get("date_of_birth") and cleaned.get("age") is not None:
            self.add_error("age", _("Give the date of birth or the age, not both."))
        return cleaned

    def check_order(self, first: str, second: str, message: str) -> None:
        earlier, later = self.cleaned_data.get(first), self.cleaned_data.get(second)
        if earlier and later and later < earlier:
            self.add_error(second, message)


def styled(form_class: type[forms.Form]) -> type[forms.Form]:
    """Bootstrap classes on the widgets, set once per generated class (the step template
    renders fields directly, without crispy's per-field layout machinery: much faster)."""
    for field in form_class.base_fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, forms.MultiWidget):
            continue
        else:
            css = "form-control"
        widget.attrs["class"] = css
    return form_class


class SpouseForm(FactsForm):
    """The spouse block exists only with a relationship; an empty form means no partner."""

    def clean(self):
        cleaned = super().clean()
        filled = [name for name, value in cleaned.items()
                  if name != "relationship" and value not in (None, "", [], False)]
        if filled and not cleaned.get("relationship") and "relationship" not in self.errors:
            self.add_error("relationship", _("Choose the relationship, or clear this step if "
                                             "there is no spouse or partner."))
            for name in filled:
                cleaned.pop(name, None)
        return cleaned


@cache
def fields_form_class(section: FieldsSection) -> type[forms.Form]:
    if section.block in ("client", "case"):
        fields = {name: record_field(section.block, name) for name in section.fields}
    else:
        fields = {name: field_for(f"{section.block}.{name}") for name in section.fields}
    base = SpouseForm if section.block == "spouse" else FactsForm
    return styled(type(f"{section.prefix.title()}Form", (base,), fields))


def list_item_schema(section: ListSection) -> tuple[dict, set[str]]:
    items, _, _ = unwrap(unwrap(block_node(section.block))[0]["items"])
    return items["properties"], set(items.get("required", []))


@cache
def item_form_class(section: ListSection) -> type[forms.Form]:
    if section.block == "household":
        fields = {name: household_field(name) for name in section.fields}
    else:
        properties, required = list_item_schema(section)
        fields = {name: field_for(f"{section.item}.{name}", properties[name],
                                  required=name in required)
                  for name in section.fields}
    return styled(type(f"{section.item.title()}ItemForm", (FactsForm,), fields))


class ParentsFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = [form.cleaned_data.get("relationship") for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        for relationship in ("mother", "father"):
            if seen.count(relationship) > 1:
                raise ValidationError(_("Give at most one %(who)s."),
                                      params={"who": relationship}, code="duplicate")


class NoneForm(forms.Form):
    none = forms.BooleanField(required=False)


@dataclass
class Part:
    section: FieldsSection | ListSection
    form: forms.Form | None = None
    formset: forms.BaseFormSet | None = None
    none_form: NoneForm | None = None

    @property
    def is_list(self) -> bool:
        return self.formset is not None

    def is_valid(self) -> bool:
        if not self.is_list:
            return self.form.is_valid()
        return self.formset.is_valid() & self.none_form.is_valid() & self.none_consistent()

    def none_consistent(self) -> bool:
        if not (self.formset.is_valid() and self.none_form.is_valid()):
            return True
        if self.none_form.cleaned_data["none"] and self.rows():
            self.none_form.add_error("none", _("You ticked “none” but also added entries."))
            return False
        return True

    def rows(self) -> list[dict]:
        return [
            {key: to_fact(value) for key, value in form.cleaned_data.items()
             if key != "DELETE" and value is not None and value != ""}
            for form in self.formset.forms
            if form.cleaned_data and form.has_changed() and not form.cleaned_data.get("DELETE")
        ]

    def values(self) -> dict[str, Any] | list | None:
        """What may be stored: valid fields (dict) or the whole list; ``...`` for nothing."""
        if not self.is_list:
            self.form.is_valid()
            if self.section.block in ("client", "case"):  # model fields keep Python values
                return dict(self.form.cleaned_data)
            return {name: to_fact(value) for name, value in self.form.cleaned_data.items()}
        if not self.is_valid():
            return ...
        rows = self.rows()
        if rows:
            return rows
        return [] if self.none_form.cleaned_data["none"] else None

    @property
    def has_errors(self) -> bool:
        if not self.is_list:
            return bool(self.form.errors)
        return bool(self.formset.total_error_count() or self.none_form.errors)


def build_parts(step: Step, stored: dict, data=None, add: str = "") -> list[Part]:
    """Bind (``data``) or prefill (``stored``: section prefix → stored value) every section."""
    parts = []
    for section in step.sections:
        value = stored.get(section.prefix)
        if isinstance(section, FieldsSection):
            form_class = fields_form_class(section)
            initial = {name: from_fact(field, (value or {}).get(name))
                       for name, field in form_class.base_fields.items()}
            parts.append(Part(section, form=form_class(data, prefix=section.prefix,
                                                        initial=initial)))
            continue
        item_class = item_form_class(section)
        rows = value if isinstance(value, list) else []
        initial = [{name: from_fact(item_class.base_fields[name], row.get(name))
                    for name in item_class.base_fields} for row in rows]
        extra = 1 if (not rows or add == section.prefix) else 0
        formset_class = forms.formset_factory(
            item_class, formset=ParentsFormSet if section.block == "parents"
            else forms.BaseFormSet, extra=extra, can_delete=True, max_num=50,
            validate_max=True, absolute_max=60)
        formset = formset_class(data, prefix=section.prefix, initial=initial)
        if data is not None and add == section.prefix:
            formset = rebound_with_extra_row(formset_class, data, section.prefix, initial)
        none_form = NoneForm(data, prefix=f"{section.prefix}-none",
                             initial={"none": value == []})
        parts.append(Part(section, formset=formset, none_form=none_form))
    return parts


def rebound_with_extra_row(formset_class, data, prefix, initial):
    """The counsellor pressed "add a row": keep what they typed and show one more row."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    with contextlib.suppress(ValueError):
        data[key] = str(int(data.get(key, "0")) + 1)
    return formset_class(data, prefix=prefix, initial=initial)


__all__ = ["EnumField", "Part", "build_parts"]
