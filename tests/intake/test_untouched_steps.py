"""A step saved without touching it records nothing: what a browser sends for an untouched form
(the first option of a select without a selected one, checked boxes only) must not become a
fact. A required select in a list entry once preselected its first value, so saving the plan
step recorded a Canadian visitor visa the person did not have."""

import pytest
from django.urls import reverse

from intake.models import Case
from intake.steps import STEP_BY_SLUG, STEP_SLUGS, ListSection
from tests.helpers import sign_in
from tests.html_tree import parse

pytestmark = pytest.mark.django_db


def browser_submission(html: str) -> dict[str, list[str]]:
    """The fields of the step form as a browser submits them untouched (HTML's rules for
    successful controls; no submit button pressed: the caller adds the one it presses)."""
    form = parse(html).select_one('form[id="intake-form"]')
    data: dict[str, list[str]] = {}
    for node in form.descendants():
        name = node.get("name")
        if not name or "disabled" in node.attrs:
            continue
        if node.tag == "input":
            kind = node.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                continue
            if kind in {"checkbox", "radio"}:
                if "checked" in node.attrs:
                    data.setdefault(name, []).append(node.get("value", "on"))
                continue
            data.setdefault(name, []).append(node.get("value", ""))
        elif node.tag == "textarea":
            data.setdefault(name, []).append(node.get_text())
        elif node.tag == "select":
            options = node.select("option")
            chosen = [option for option in options if "selected" in option.attrs]
            # A single select without a selected option submits its first one.
            values = chosen if "multiple" in node.attrs else (chosen[:1] or options[:1])
            for option in values:
                data.setdefault(name, []).append(option.get("value", option.get_text()))
    return data


def stored_list(case: Case, block: str):
    """The stored value of a list block (``relatives_in_canada``, ``canadian_history.x``)."""
    root, *path = block.split(".")
    value = getattr(case, root)
    for key in path:
        value = (value or {}).get(key)
    return value


@pytest.mark.parametrize("slug", STEP_SLUGS)
def test_saving_an_untouched_step_adds_no_list_entry(client, counsellor, slug):
    sign_in(client, counsellor)
    client.post("/cases/new/", {"given_name": "Odile", "family_name": "Untouched",
                                "date_of_birth": "1990-05-01"})
    case = Case.objects.latest("id")
    url = reverse("intake:step", kwargs={"number": case.number, "step": slug})
    page = client.get(url)
    assert page.status_code == 200
    data = browser_submission(page.content.decode())
    lists = [section for section in STEP_BY_SLUG[slug].sections
             if isinstance(section, ListSection)]
    assert all(f"{section.prefix}-TOTAL_FORMS" in data for section in lists)
    before = {section.prefix: stored_list(case, section.block) for section in lists}

    response = client.post(url, data)

    assert response.status_code in (200, 302)
    case.refresh_from_db()
    assert {section.prefix: stored_list(case, section.block) for section in lists} == before
    assert all(not value for value in before.values())


def test_ticking_none_on_an_untouched_plan_step_means_no_document(client, counsellor):
    sign_in(client, counsellor)
    client.post("/cases/new/", {"given_name": "Odile", "family_name": "Untouched",
                                "date_of_birth": "1990-05-01"})
    case = Case.objects.latest("id")
    url = reverse("intake:step", kwargs={"number": case.number, "step": "plan"})
    data = browser_submission(client.get(url).content.decode())
    data["canadian_documents-none-none"] = ["on"]

    response = client.post(url, data)

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.canadian_documents == []


def test_a_list_entry_with_its_required_choice_left_blank_is_refused(client, counsellor):
    sign_in(client, counsellor)
    client.post("/cases/new/", {"given_name": "Odile", "family_name": "Untouched",
                                "date_of_birth": "1990-05-01"})
    case = Case.objects.latest("id")
    url = reverse("intake:step", kwargs={"number": case.number, "step": "plan"})
    data = browser_submission(client.get(url).content.decode())
    assert data["canadian_documents-0-kind"] == [""]
    data["canadian_documents-0-valid_until"] = ["2027-01-31"]

    response = client.post(url, data)

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    case.refresh_from_db()
    assert case.canadian_documents is None
