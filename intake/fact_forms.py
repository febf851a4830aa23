"""Form fields generated from the eligibility facts schema.

Why generated: the intake must capture exactly the facts the screening contract defines, with
the same types, enums and bounds. Building each field from ``facts.schema.json`` keeps the two
in step (a new enum value in the contract appears in the form) and makes the form at least as
strict as the schema, so nothing invalid is stored. Labels and plain-language questions come
from ``intake.fact_labels``.

Conventions (contract §2.1): unknown = null. A tri-state question (yes / no / don't know) maps
to true / false / null; an empty choice maps to null; a list section is null until the
counsellor either adds rows or ticks "none", which gives [].
"""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from intake.fact_labels import field_label, value_label
from intake.widgets import (
    FastSelect,
    FastSelectMultiple,
    SharedChoiceField,
    SharedChoicesMixin,
    SharedMultipleChoiceField,
)

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "eligibility" / "contract" / \
    "facts.schema.json"
UNKNOWN = ""
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


@cache
def facts_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def resolve(node: dict) -> dict:
    while "$ref" in node:
        node = facts_schema()["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def unwrap(node: dict) -> tuple[dict, bool, str | None]:
    """(the non-null schema, whether null is allowed, the $defs name if it was a reference)."""
    if "allOf" in node and "properties" not in node and "$ref" in node["allOf"][0]:
        # a reference narrowed by exclusions, e.g. a country other than CA
        inner, nullable, ref = unwrap(node["allOf"][0])
        excluded = [part["not"]["const"] for part in node["allOf"][1:]
                    if "const" in part.get("not", {})]
        return {**inner, "excluded": excluded}, nullable, ref
    ref_name = node["$ref"].rsplit("/", 1)[1] if "$ref" in node else None
    node = resolve(node)
    options = node.get("anyOf")
    if options:
        non_null = [o for o in options if o.get("type") != "null"]
        nullable = len(non_null) != len(options)
        if len(non_null) == 1:
            inner, _, inner_ref = unwrap(non_null[0])
            return inner, nullable, inner_ref
        return {"anyOf": non_null}, nullable, ref_name
    types = node.get("type")
    if isinstance(types, list):
        nullable = "null" in types
        kinds = [t for t in types if t != "null"]
        return {**node, "type": kinds[0] if len(kinds) == 1 else kinds}, nullable, ref_name
    enum = node.get("enum")
    if enum is not None and None in enum:
        return {**node, "enum": [v for v in enum if v is not None]}, True, ref_name
    return node, False, ref_name


def block_node(path: str) -> dict:
    """The schema node at a dotted path such as ``person.us_status`` or ``$defs.relative``."""
    parts = path.split(".")
    if parts[0] == "$defs":
        node = facts_schema()["$defs"][parts[1]]
        parts = parts[2:]
    else:
        node = facts_schema()
    for part in parts:
        node, _, _ = unwrap(node)
        node = node["properties"][part]
    return node


# --- field types -----------------------------------------------------------------------------

class TriStateField(SharedChoicesMixin, forms.TypedChoiceField):
    """Yes / No / Don't know → True / False / None."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            choices=[(UNKNOWN, _("Don't know")), ("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda value: {"yes": True, "no": False}.get(value),
            empty_value=None,
            widget=FastSelect,  # a select: one keystroke (Y/N) on a call, and fast to render
            **kwargs,
        )

    def prepare_value(self, value):
        return {True: "yes", False: "no", None: UNKNOWN}.get(value, value)


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value


class FactDateField(forms.DateField):
    widget = DateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return value
        return value

    def clean(self, value):
        date = super().clean(value)
        if date is not None and not EARLIEST_DATE <= date <= LATEST_DATE:
            raise ValidationError(_("Enter a date between 1900 and 2100."), code="range")
        return date


class DateListField(forms.CharField):
    """Several dates, one per line (e.g. earlier entries to Canada)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("One date per line, as YYYY-MM-DD."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def clean(self, value):
        text = super().clean(value)
        dates = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                dates.append(datetime.date.fromisoformat(line.strip()).isoformat())
            except ValueError as error:
                raise ValidationError(
                    _("Line %(number)s is not a date (YYYY-MM-DD)."),
                    params={"number": number}, code="invalid") from error
        return sorted(set(dates)) if dates else None


class MaxYearsField(forms.CharField):
    """Canadian-equivalent maximum sentence: whole years, or "life" (supplied by a lawyer)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Whole years, or “life”. Ask a lawyer for the "
                                         "Canadian equivalent."))
        kwargs.setdefault("max_length", 8)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "" if value is None else str(value)

    def clean(self, value):
        text = (super().clean(value) or "").strip().lower()
        if not text:
            return None
        if text == "life":
            return "life"
        if text.isdigit() and int(text) <= 99:
            return int(text)
        raise ValidationError(_("Enter a number of years or “life”."), code="invalid")


def country_choices(blank: bool = True, excluded: tuple = ()):
    """Countries named and sorted in the active language. A callable: Django reads it each
    time the list is used, so a field built once still follows the language (django_countries
    caches the sorted names per language)."""

    def options():
        listed = [(code, name) for code, name in countries if code not in excluded]
        return [(UNKNOWN, _("Don't know")), *listed] if blank else listed

    return options


def enum_choices(name: str, values: list, blank: bool, placeholder: bool = False) -> list:
    """The options of an enum fact: "Don't know" first when the fact may stay unknown, or an
    empty "Choose…" when it must be answered (a list entry's required field): without it the
    browser would preselect the first value and an untouched row would record it."""
    options = [(str(value), value_label(name, value)) for value in values]
    if blank:
        return [(UNKNOWN, _("Don't know")), *options]
    return [(UNKNOWN, _("Choose…")), *options] if placeholder else options


class EnumField(SharedChoicesMixin, forms.TypedChoiceField):
    """A choice among schema enum values; values keep their JSON type (True/False/strings)."""

    def __init__(self, name: str, values: list, blank: bool = True, placeholder: bool = False,
                 **kwargs):
        lookup = {str(value): value for value in values}

        def coerce(text):
            # Django also coerces unvalidated input (has_changed): unknown → ValueError.
            if text not in lookup:
                raise ValueError(text)
            return lookup[text]

        kwargs.setdefault("widget", FastSelect)
        super().__init__(choices=enum_choices(name, values, blank, placeholder), coerce=coerce,
                         empty_value=None, **kwargs)

    def prepare_value(self, value):
        return UNKNOWN if value is None else str(value)


class ScoresWidget(forms.MultiWidget):
    template_name = "intake/widgets/scores.html"
    skills = ("listening", "speaking", "reading", "writing")

    def __init__(self, attrs=None):
        number = {"type": "number", "min": 0, "max": 12, "inputmode": "numeric",
                  "class": "form-control"}
        widgets = [forms.CheckboxInput(attrs={"class": "form-check-input"})] + [
            forms.NumberInput(attrs=number) for _ in self.skills]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if value == "no_test":
            return [True, None, None, None, None]
        if isinstance(value, dict):
            return [False, *(value.get(skill) for skill in self.skills)]
        return [False, None, None, None, None]


class ScoresField(forms.MultiValueField):
    """Language test results per skill (CLB / NCLC 0–12), or "no valid test"."""

    widget = ScoresWidget

    def __init__(self, **kwargs):
        fields = [forms.BooleanField(required=False)] + [
            forms.IntegerField(min_value=0, max_value=12, required=False) for _ in range(4)]
        kwargs.setdefault("help_text", _("Canadian Language Benchmark levels (0–12) from a "
                                         "valid test, or tick “no valid test”."))
        super().__init__(fields, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        no_test, *scores = data_list
        if no_test:
            return "no_test"
        if all(score is None for score in scores):
            return None
        if any(score is None for score in scores):
            raise ValidationError(_("Give all four skills, or none."), code="incomplete")
        return dict(zip(ScoresWidget.skills, scores, strict=True))


def number_field(node: dict, integer: bool, **kwargs) -> forms.Field:
    bounds = {}
    if "minimum" in node:
        bounds["min_value"] = node["minimum"]
    if "maximum" in node:
        bounds["max_value"] = node["maximum"]
    if integer:
        return forms.IntegerField(**bounds, **kwargs)
    field = forms.FloatField(**bounds, **kwargs)
    if "exclusiveMinimum" in node:
        floor = node["exclusiveMinimum"]

        def above(value, floor=floor):
            if value is not None and value <= floor:
                raise ValidationError(_("Enter a number above %(floor)s."),
                                      params={"floor": floor}, code="min")

        field.validators.append(above)
    return field


def field_for(path: str, node: dict | None = None, *, required: bool = False) -> forms.Field:
    """The form field for the fact at ``path`` (e.g. ``person.us_status``)."""
    name = path.rsplit(".", 1)[-1]
    node = node if node is not None else block_node(path)
    inner, nullable, ref = unwrap(node)
    label, help_text = field_label(path)
    common = {"label": label, "help_text": help_text, "required": required}
    kind = inner.get("type")
    if name == "canadian_equivalent_max_years":
        return MaxYearsField(**common)
    if "anyOf" in inner and ref is None and any(o.get("const") == "no_test"
                                                  for o in inner["anyOf"]):
        return ScoresField(label=label)
    if ref == "country":
        return SharedChoiceField(
            choices=country_choices(excluded=tuple(inner.get("excluded", ()))),
            empty_value=None, widget=FastSelect, **common)
    if ref == "date" or inner.get("format") == "date":
        return FactDateField(**common)
    if "enum" in inner:
        blank = nullable or not required
        return EnumField(name, inner["enum"], blank=blank, placeholder=not blank, **common)
    if kind == "boolean":
        return TriStateField(label=label, help_text=help_text) if nullable else \
            forms.BooleanField(label=label, help_text=help_text, required=False)
    if kind == "integer":
        return number_field(inner, True, **common)
    if kind == "number":
        return number_field(inner, False, **common)
    if kind == "array":
        return array_field(path, inner, **common)
    if kind == "string":
        return forms.CharField(max_length=200, **common)
    raise ValueError(f"no form field for {path}: {node}")


def array_field(path: str, node: dict, **common) -> forms.Field:
    items, _, ref = unwrap(node["items"])
    name = path.rsplit(".", 1)[-1]
    if ref == "country":
        return SharedMultipleChoiceField(
            choices=country_choices(blank=False), empty_value=None, **common,
            widget=FastSelectMultiple(attrs={"size": 6}))
    if ref == "date":
        return DateListField(**common)
    if "enum" in items:
        return forms.TypedMultipleChoiceField(
            choices=enum_choices(name, items["enum"], blank=False), empty_value=None,
            widget=forms.CheckboxSelectMultiple, **common)
    raise ValueError(f"no list field for {path}")


def to_fact(value: Any) -> Any:
    """A cleaned form value as JSON for the facts document."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list) and not value:
        return []
    return value


def from_fact(field: forms.Field, value: Any) -> Any:
    if isinstance(field, FactDateField) and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return value
