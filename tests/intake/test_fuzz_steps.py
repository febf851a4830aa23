"""Acceptance: at least 500 generated submissions per intake step → 0 server errors; invalid
input re-renders with messages, and nothing stored ever breaks the facts contract."""

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.fact_forms import ScoresField
from intake.services import case_create, facts_errors
from intake.step_forms import build_parts
from intake.steps import STEP_BY_SLUG, STEP_SLUGS
from tests.factories import UserFactory
from tests.helpers import sign_in

EXAMPLES = int(__import__("os").environ.get("FUZZ_EXAMPLES", "500"))
NASTY_TEXT = st.sampled_from([
    "", " ", "<script>alert(1)</script>", "2026-02-30", "1900-01-01", "9999-12-31", "-1",
    "1e309", "NaN", "null", "true", "\x00", "ñ" * 300, "../../etc/passwd", "' OR 1=1 --",
    "yes", "no", "life", "CA", "US", "HN", "ON", "QC", "no_test", "12", "0", "130", "131",
])


def choice_values(field: forms.Field) -> list[str]:
    values = []
    for value, label in getattr(field, "choices", []):
        if isinstance(label, list | tuple):
            values.extend(str(v) for v, _ in label)
        else:
            values.append(str(value))
    return values


def value_strategy(field: forms.Field):
    text = st.one_of(NASTY_TEXT, st.text(max_size=40))
    if isinstance(field, forms.MultipleChoiceField):
        return st.lists(st.one_of(st.sampled_from(choice_values(field) or [""]), text),
                        max_size=4)
    if isinstance(field, forms.ChoiceField) and choice_values(field):
        return st.one_of(st.sampled_from(choice_values(field)), text)
    if isinstance(field, forms.DateField):
        return st.one_of(st.dates().map(lambda d: d.isoformat()), text)
    if isinstance(field, forms.IntegerField | forms.FloatField):
        return st.one_of(st.integers(-5, 200).map(str), st.floats(allow_nan=True).map(str),
                         text)
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "false", "x"])
    return text


def add_field(data: dict, draw, name: str, field: forms.Field) -> None:
    if draw(st.booleans()):
        return  # leave the field out entirely
    if isinstance(field, ScoresField):
        for index in range(5):
            data[f"{name}_{index}"] = draw(st.one_of(st.integers(-1, 13).map(str), NASTY_TEXT))
        return
    value = draw(value_strategy(field))
    data[name] = value


@st.composite
def submissions(draw, slug: str):
    parts = build_parts(STEP_BY_SLUG[slug], {})
    data: dict = {}
    for part in parts:
        if not part.is_list:
            for bound in part.form:
                add_field(data, draw, bound.html_name, bound.field)
            continue
        prefix = part.section.prefix
        rows = draw(st.integers(0, 3))
        data[f"{prefix}-TOTAL_FORMS"] = draw(st.one_of(st.just(str(rows)), NASTY_TEXT))
        data[f"{prefix}-INITIAL_FORMS"] = draw(st.sampled_from(["0", "0", "1", "x"]))
        if draw(st.booleans()):
            data[f"{prefix}-none-none"] = "on"
        item_fields = part.formset.empty_form.fields
        for index in range(rows):
            for name, field in item_fields.items():
                add_field(data, draw, f"{prefix}-{index}-{name}", field)
    if draw(st.booleans()):
        data[draw(st.sampled_from(["save", "save_next", "add"]))] = draw(NASTY_TEXT)
    return data


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("slug", STEP_SLUGS)
def test_fuzzed_submissions_never_fail_and_never_store_invalid_facts(client, slug,
                                                                    monkeypatch):
    # Screening after each save has its own property tests; here it would only add time. So
    # does the test client's copy of every template's context (a sixth of each submission).
    monkeypatch.setattr("intake.services.queue_screening", lambda case: None)
    monkeypatch.setattr("django.test.client.store_rendered_templates",
                        lambda *args, **kwargs: None)
    counsellor = UserFactory(counsellor=True)
    case = case_create(actor=counsellor, given_name="Fuzz", family_name="Target")
    sign_in(client, counsellor)
    url = f"/cases/{case.number}/intake/{slug}/"
    statuses: dict[int, int] = {}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])
    @given(data=submissions(slug))
    def submit(data):
        response = client.post(url, data)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            html = response.content.decode()
            assert "<form" in html
        case.refresh_from_db()
        assert facts_errors(case) == []

    submit()
    assert sum(statuses.values()) >= EXAMPLES
    assert 200 in statuses  # invalid input was generated and re-rendered
