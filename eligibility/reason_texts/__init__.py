"""The screening's sentences in the reader's language.

The engine (``eligibility.engine``) is pure and writes its reasons in English, built from the
facts; the assessment contract keeps each reason as ``code``, ``citation``, ``text`` and
``effect`` (no room for parameters) and stored assessments hold exactly that. Here every reason
code has the sentence templates the engine writes for it, as gettext messages whose named
placeholders stand for the parts it fills in (``%(relationship)s``, ``%(date)s``…).

``reason_text`` finds the template that the engine's text follows (one sentence, or several
joined by spaces when the engine combines the conditions of a rule), reads the parameters off
it, translates those that are words (``words.py``: relationships, documents, statuses; country
codes are named in the active language) and fills the translated template. A code with no
entry, or a text that follows none of its templates, is shown in the engine's English:
``tests/eligibility/test_reason_texts.py`` fails when that can happen for anything the engine
emits. Citations are legal references and are never translated.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

from eligibility.reason_texts import economic, family, refugee
from eligibility.reason_texts.steps import DISCLAIMER, NEXT_STEPS
from eligibility.reason_texts.words import translate_value


def _merge(*tables: dict) -> dict[str, tuple[str, ...]]:
    merged: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for code, templates in table.items():
            if code in merged:
                raise ValueError(f"reason code {code} has templates in two modules")
            merged[code] = tuple(templates)
    return merged


REASONS = _merge(refugee.REASONS, family.REASONS, economic.REASONS)
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
SENTENCE_BREAK = re.compile(r"(?<=[.!?]) ")


# A filled-in value never spans two sentences, except ``detail`` (sentences of conditions).
VALUE = r"(?:(?!\. ).)+?"


@cache
def _pattern(template: str) -> re.Pattern:
    pieces = PLACEHOLDER.split(template)
    return re.compile("".join(
        re.escape(piece) if index % 2 == 0
        else f"(?P<{piece}>.+?)" if piece == "detail" else f"(?P<{piece}>{VALUE})"
        for index, piece in enumerate(pieces)), re.DOTALL)


def _sentence(text: str, templates: tuple[str, ...]) -> str | None:
    for template in templates:
        match = _pattern(template).fullmatch(text)
        if match is not None:
            values = {name: (_sentences(value, templates) or value) if name == "detail"
                      else translate_value(name, value)
                      for name, value in match.groupdict().items()}
            return capfirst(gettext(template) % values)
    return None


def _sentences(text: str, templates: tuple[str, ...]) -> str | None:
    """``text`` as one template, or as sentences of ``templates`` joined by spaces."""
    whole = _sentence(text, templates)
    if whole is not None:
        return whole
    for space in SENTENCE_BREAK.finditer(text):
        first = _sentence(text[:space.start()], templates)
        if first is None:
            continue
        rest = _sentences(text[space.end():], templates)
        if rest is not None:
            return f"{first} {rest}"
    return None


@lru_cache(maxsize=4096)
def _translated(text: str, templates: tuple[str, ...], language: str) -> str | None:
    return _sentences(text, templates)


def translated_reason(reason: dict) -> str | None:
    """The reason in the active language, or None when no template of its code fits."""
    templates = REASONS.get(reason["code"])
    if templates is None:
        return None
    return _translated(reason["text"], templates, get_language() or "")


def reason_text(reason: dict) -> str:
    """What the screening panel shows for ``reason`` (the engine's English as a fallback)."""
    return translated_reason(reason) or reason["text"]


def next_step_text(step: str) -> str:
    return _translated(step, NEXT_STEPS, get_language() or "") or step


def disclaimer_text(disclaimer: str) -> str:
    return _translated(disclaimer, DISCLAIMER, get_language() or "") or disclaimer
