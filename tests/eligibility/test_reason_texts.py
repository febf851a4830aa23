"""The screening's sentences are shown in the reader's language (issue 7, acceptance 3).

``eligibility.reason_texts`` maps every reason code the engine can emit to the templates of
the English sentences it writes; these tests fail when a code has no entry, when a sentence
the engine writes fits none of its code's templates (it would be shown in English), or when a
word the engine puts into a sentence has no translation.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings

from eligibility.engine import (
    InvalidFacts,
    family,
    overlays,
    refugee,
    screen,
    stca,
    stca_exceptions,
    stca_family,
)
from eligibility.engine.tables import draw_cutoffs, load
from eligibility.reason_texts import (
    REASONS,
    disclaimer_text,
    next_step_text,
    reason_text,
    translated_reason,
    words,
)
from eligibility.reason_texts.steps import NEXT_STEPS
from tests.eligibility.builders import example_pairs
from tests.eligibility.strategies import valid_facts

ENGINE = Path(stca.__file__).resolve().parent
CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
# Findings methods and how many positional arguments they take at least (a set's or the FSW
# points' ``add`` takes fewer).
RECORDERS = {"add": 4, "need": 4, "caveat": 3}
# Where the engine builds a code instead of writing it: (module, function).
BUILT_CODES = {("model.py", "need"), ("express_entry.py", "_emit"), ("stca.py", "_result"),
               ("prra.py", "_within_twelve_months")}
EMIT_SUFFIXES = ("", "_FACTS_MISSING", "_NOT_MET", "_REVIEW")


def engine_codes() -> tuple[set[str], set[tuple[str, str]]]:
    """Every reason code written in the engine's source, and where codes are built."""
    codes, built = set(), set()
    for path in sorted(ENGINE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.attr if isinstance(node.func, ast.Attribute) else \
                    getattr(node.func, "id", "")
                if name == "_emit":
                    codes.update(node.args[2].value + suffix for suffix in EMIT_SUFFIXES)
                    continue
                for argument in node.args:  # (code, citation, kind) labels
                    if isinstance(argument, ast.Tuple) and len(argument.elts) == 3 and all(
                            isinstance(item, ast.Constant) for item in argument.elts) \
                            and CODE.match(str(argument.elts[0].value)):
                        codes.add(argument.elts[0].value)
                if name not in RECORDERS or len(node.args) < RECORDERS[name]:
                    continue
                first = node.args[0]
                if isinstance(first, ast.Constant) and CODE.match(str(first.value)):
                    codes.add(first.value)
                else:
                    built.add((path.name, function.name))
    codes.update(f"STCA_EXCEPTION_{name.upper()}" for name, _check in stca.EXCEPTIONS)
    return codes, built


def test_every_reason_code_the_engine_can_emit_has_templates():
    codes, built = engine_codes()
    assert built == BUILT_CODES  # a new way of building codes must be listed above
    assert len(codes) > 150
    assert sorted(codes - set(REASONS)) == []
    assert sorted(set(REASONS) - codes) == []  # no template for a code that no longer exists


@pytest.fixture(scope="module")
def screened() -> list[dict]:
    return [screen(facts) for _name, facts, _expected in example_pairs()]


def untranslatable(assessment: dict) -> list[str]:
    """Reasons that fit no template of their code, or whose translation still carries one of
    the engine's English sentences (a value that swallowed the next sentence)."""
    problems = []
    for result in assessment["pathways"].values():
        for reason in result["reasons"]:
            shown = translated_reason(reason)
            english = [sentence for sentence in reason["text"].split(". ")
                       if len(sentence.split()) >= 4]
            if shown is None or any(sentence in shown for sentence in english):
                problems.append(f"{reason['code']}: {reason['text']} → {shown}")
    return problems


def unknown_steps(assessment: dict) -> list[str]:
    return [step for result in assessment["pathways"].values() for step in result["next_steps"]
            if step not in NEXT_STEPS and not step.startswith("Ask about ")]


def test_every_sentence_of_the_worked_examples_follows_a_template(screened):
    with translation.override("fr"):
        assert [problem for assessment in screened for problem in untranslatable(assessment)] \
            == []
        assert [step for assessment in screened for step in unknown_steps(assessment)] == []


@settings(max_examples=250, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(valid_facts)
def test_every_sentence_of_generated_facts_follows_a_template(facts):
    try:
        assessment = screen(facts)
    except InvalidFacts:
        return
    with translation.override("fr"):
        assert untranslatable(assessment) == []
        assert unknown_steps(assessment) == []


# -- what the reader sees ------------------------------------------------------------------------

@pytest.mark.parametrize(("reason", "french"), [
    ({"code": "STCA_IN_LAND_PORT",
      "text": "A claim made at a land port of entry is within the STCA unless an exception "
              "applies."},
     "Une demande présentée à un point d’entrée terrestre relève de l’ETPS, sauf si une "
     "exception s’applique."),
    ({"code": "A101_1_D_REVIEW",
      "text": "Refugee status was granted by MX; whether return is possible needs review."},
     "Le statut de réfugié a été accordé par le pays suivant : Mexique; la possibilité d’y "
     "être renvoyé est à examiner."),
    ({"code": "CIT_PARENT_MISSING", "text": "The client's mother is not listed."},
     "Mère du client : ne figure pas dans la liste."),
    ({"code": "FSW_FACTS_MISSING",
      "text": "The work history is unknown. Between 47 and 71 FSW points: the unknown factors "
              "decide the pass mark of 67."},
     "Les antécédents de travail sont inconnus. Entre 47 et 71 points TQF : les facteurs "
     "inconnus décident de la note de passage de 67."),
    ({"code": "NOT_SPONSORABLE",
      "text": "A aunt can sponsor only an orphaned relative under 18. The client is 18 or "
              "over."},
     "Une personne ayant ce lien (tante) ne peut parrainer qu’un proche orphelin de moins "
     "de 18 ans. Le client a 18 ans ou plus."),
])
def test_reasons_are_shown_in_french(reason, french):
    with translation.override("fr"):
        assert reason_text(reason) == french


def test_an_unknown_code_or_sentence_is_shown_as_the_engine_wrote_it():
    unknown_code = {"code": "NEW_RULE", "text": "A sentence of a future rule."}
    changed_text = {"code": "STCA_IN_LAND_PORT", "text": "A reworded sentence."}
    with translation.override("fr"):
        assert reason_text(unknown_code) == "A sentence of a future rule."
        assert reason_text(changed_text) == "A reworded sentence."
        assert translated_reason(changed_text) is None


def test_next_steps_and_disclaimer_are_shown_in_french():
    with translation.override("fr"):
        assert next_step_text("Bring every passport held.") == "Apportez tous les passeports."
        assert next_step_text("Something new.") == "Something new."
        assert disclaimer_text(screen(example_pairs()[0][1])["disclaimer"]).startswith(
            "Aide à l’évaluation pour les conseillers, pas un avis juridique.")


# -- the words the engine puts into its sentences -------------------------------------------------

def test_every_word_the_engine_fills_in_has_a_translation():
    statuses = {row["label"] for version in load("anchor_statuses")["versions"]
                for row in version["statuses"].values()} | {"of unknown status"}
    assert sorted(statuses - set(words.STATUSES)) == []
    documents = {label for _citation, label in stca_exceptions.QUALIFYING_DOCUMENTS.values()}
    assert sorted({*documents, *stca_exceptions.PERMITS.values()} - set(words.DOCUMENTS)) == []
    relatives = {value.replace("_", " ") for value in
                 ("mother", "father", "legal_guardian", *family.ORPHAN_SPONSORS,
                  "child", "grandchild", "nephew", "niece", "cousin", "in_law", "step_relative",
                  "other", "spouse", "conjugal_partner", "dating_partner")}
    relatives |= set(stca_family.LABELS.values())
    assert sorted(relatives - set(words.RELATIONSHIPS)) == []
    assert sorted(set(refugee.BARRED_CANADIAN_OUTCOMES.values()) - set(words.CLAIM_OUTCOMES)) \
        == []
    assert sorted({label for _flag, _citation, label in overlays.CONCERN_CITATIONS}
                  - set(words.CONCERNS)) == []
    rounds = draw_cutoffs()["rounds"][:4]  # the rounds the outlook caveat quotes
    assert sorted({row["type"] for row in rounds} - set(words.DRAW_TYPES)) == []
    assert sorted({row["period"] for row in rounds if not row["period"][:1].isdigit()}
                  - set(words.PERIODS)) == []
    bases = {row["basis"] for row in load("visas")["canada_visa_exempt"]
             if row.get("passport_condition")}
    assert sorted(bases - set(words.VISA_BASES)) == []
    durations = {figure["text"] for figure in load("processing_times")["figures"].values()}
    assert sorted(durations - set(words.DURATIONS)) == []


def test_filled_in_words_are_translated():
    with translation.override("fr"):
        assert words.translate_value("relationship", "half-brother") == "demi-frère"
        assert words.translate_value("label", "adoptive mother") == "mère (par adoption)"
        assert words.translate_value("country", "US") == "États-Unis d'Amérique"
        assert words.translate_value("amount", "23,360") == "23\u00a0360"
        assert words.translate_value("date", "2026-11-22") == "2026-11-22"
        assert words.translate_value("status", "a new status") == "a new status"
