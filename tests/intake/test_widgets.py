"""The fast selects of the intake steps share one choice list between all copies of a form,
so that the options' markup is built once per list and language, not once per page."""

from django.utils import translation

from intake import widgets
from intake.step_forms import build_parts
from intake.steps import STEP_BY_SLUG


def select_widgets(parts):
    found = {}
    for part in parts:
        forms = list(part.formset) if part.is_list else [part.form]
        for form in forms[:1]:
            for name, field in form.fields.items():
                if isinstance(field.widget, widgets.FastSelectMixin):
                    found[f"{part.section.prefix}-{name}"] = field.widget
    return found


def test_copies_of_a_step_form_share_their_choice_lists():
    first = select_widgets(build_parts(STEP_BY_SLUG["safety"], {}))
    second = select_widgets(build_parts(STEP_BY_SLUG["safety"], {}))
    assert first and first.keys() == second.keys()
    for name, widget in first.items():
        assert widget is not second[name]
        assert widget.choices is second[name].choices, name
        assert widget.attrs is not second[name].attrs  # attributes stay per copy


def test_the_options_markup_is_built_once_per_list_and_language():
    with translation.override("en"):
        parts = build_parts(STEP_BY_SLUG["safety"], {})
        widget = select_widgets(parts)["fear-countries"]
        widget.render("fear-countries", [])
        cached = len(widgets._OPTIONS_CACHE)
        again = select_widgets(build_parts(STEP_BY_SLUG["safety"], {}))["fear-countries"]
        html = again.render("fear-countries", ["HN"])
        assert len(widgets._OPTIONS_CACHE) == cached
        assert '<option value="HN" selected>' in html
