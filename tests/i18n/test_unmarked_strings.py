"""Acceptance 3 (issue 7), the part makemessages cannot see: text never marked for translation.

Every template of the project (``templates/`` and the apps' own template folders) and every
Python module of its apps is scanned (``tests/i18n/unmarked.py``): a text node or user-facing
attribute outside ``{% translate %}``/``{% blocktranslate %}``, or a literal shown to users
(messages, form labels and errors, ``verbose_name``, choices labels…) outside ``gettext``,
fails the test with its file and line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from tests.i18n.unmarked import ALLOWED, Finding, python_findings, template_findings

ROOT = Path(settings.BASE_DIR).resolve()
# The pure engine has no Django and speaks English; its reasons are translated where they are
# shown (eligibility/reason_texts.py, checked by tests/eligibility/test_reason_texts.py).
NOT_SCANNED = ("migrations", "tests", "engine")


def project_apps() -> list[Path]:
    return sorted({Path(config.path).resolve() for config in apps.get_app_configs()
                   if Path(config.path).resolve().is_relative_to(ROOT)
                   and ".venv" not in Path(config.path).parts
                   and "tests" not in Path(config.path).relative_to(ROOT).parts})


def template_files() -> list[Path]:
    folders = [Path(folder).resolve() for engine in settings.TEMPLATES
               for folder in engine.get("DIRS", [])]
    folders += [app / "templates" for app in project_apps() if (app / "templates").is_dir()]
    return sorted({path for folder in folders for pattern in ("*.html", "*.txt")
                   for path in folder.rglob(pattern)})  # .txt: e-mail templates


def python_files() -> list[Path]:
    files = set()
    for app in project_apps():
        for path in app.rglob("*.py"):
            if not set(path.relative_to(app).parts[:-1]) & set(NOT_SCANNED):
                files.add(path)
    return sorted(files)


@pytest.fixture(scope="module")
def scanned() -> tuple[list[Finding], list[Finding], set[str]]:
    in_templates, used_in_templates = template_findings(template_files(), ROOT)
    in_python, used_in_python = python_findings(python_files(), ROOT)
    return in_templates, in_python, used_in_templates | used_in_python


def test_the_scan_covers_every_template_and_app():
    names = {str(path.relative_to(ROOT)) for path in template_files()}
    assert {"templates/base.html", "templates/help/form.html",
            "templates/intake/partials/_screening.html",
            "templates/referrals/packet_print.html",
            "templates/accounts/email/invitation.txt"} <= names
    assert len(names) >= 80
    modules = {str(path.relative_to(ROOT)) for path in python_files()}
    assert {"intake/forms.py", "referrals/views.py", "stats/views.py",
            "northstar/accounts/views.py", "eligibility/models.py"} <= modules
    assert not any("/engine/" in name or "/migrations/" in name for name in modules)


def test_every_text_shown_by_a_template_is_marked_for_translation(scanned):
    in_templates, _python, _used = scanned
    assert [str(finding) for finding in in_templates] == []


def test_every_text_shown_from_python_is_marked_for_translation(scanned):
    _templates, in_python, _used = scanned
    assert [str(finding) for finding in in_python] == []


def test_every_allowed_word_is_still_needed(scanned):
    *_findings, used = scanned
    assert sorted(set(ALLOWED) - used) == []


# -- the scanner itself --------------------------------------------------------------------------

SAMPLE_TEMPLATE = """{% extends "base.html" %}{% load i18n %}
{% block content_class %}ns-medium card{% endblock %}
{% block content %}
<h1>{% translate "Cases" %}</h1>
<p>Unmarked sentence.</p>
<p>{% blocktranslate with n=count %}{{ n }} cases{% endblocktranslate %} · 42 · {{ name }}</p>
<input type="submit" value="Save now"> <input type="text" value="a value typed">
<button type="submit" name="decision" value="approve">{% translate "Approve" %}</button>
<a href="/" title="Go home" aria-label="{% translate 'Home' %}">Northstar</a>
<img src="x.png" alt="A picture">
<select><option value="1">First option</option></select>
{% comment %}Never shown.{% endcomment %}{# nor this #}
<script>const label = "not prose";</script><kbd>g c</kbd> <code>case_list</code>
<p>{% if late %}Overdue{% endif %}</p>
{% endblock %}
"""
SAMPLE_BASE = '<div class="{% block content_class %}{% endblock %}">{% block content %}' \
              '{% endblock %}</div>'
SAMPLE_PYTHON = '''
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _


class Colour(models.TextChoices):
    RED = "red", "Red colour"
    BLUE = "blue", _("Blue")


class Form(forms.Form):
    name = forms.CharField(label="Full name", help_text=_("As on the passport."))
    kind = forms.ChoiceField(choices=[("a", "Kind A"), ("b", _("Kind B"))])

    def clean(self):
        raise ValidationError(f"Too late for {self.data}.")


def view(request, report):
    messages.success(request, _("Saved."))
    messages.error(request, "Could not save.")
    report.error(3, "an operator's message")
    return JsonResponse({"message": "read by programs"})
'''


def test_the_scanner_finds_unmarked_text_and_nothing_else(tmp_path):
    (tmp_path / "base.html").write_text(SAMPLE_BASE)
    (tmp_path / "page.html").write_text(SAMPLE_TEMPLATE)
    findings, used = template_findings([tmp_path / "base.html", tmp_path / "page.html"],
                                       tmp_path)
    assert [(finding.line, finding.where, finding.text) for finding in findings] == [
        (5, "text", "Unmarked sentence."),
        (7, "value", "Save now"),
        (9, "title", "Go home"),
        (10, "alt", "A picture"),
        (11, "text", "First option"),
        (14, "text", "{…}Overdue{…}"),
    ]
    assert used == {"Northstar"}


def test_the_python_scanner_finds_unmarked_literals_and_nothing_else(tmp_path):
    (tmp_path / "sample.py").write_text(SAMPLE_PYTHON)
    findings, used = python_findings([tmp_path / "sample.py"], tmp_path)
    assert [(finding.line, finding.where, finding.text) for finding in findings] == [
        (11, "Colour label", "Red colour"),
        (16, "label=", "Full name"),
        (17, "choices label", "Kind A"),
        (20, "ValidationError()", "Too late for {…}."),
        (25, "messages.error()", "Could not save."),
    ]
    assert used == set()
