"""Find user-visible text that was never marked for translation.

The catalogue test (``test_catalogues.py``) only sees what ``makemessages`` extracts, that is
text already wrapped in ``{% translate %}``/``gettext``. This module looks for the rest:

* in templates, every HTML text node and every user-facing attribute (``title``, ``alt``,
  ``placeholder``, ``aria-label``…, the ``value`` of a submit button) whose literal part, once
  the template tags and variables are taken out, still holds a word;
* in Python sources (``ast``), string literals in the places Django shows to users:
  ``messages.success(request, "...")``, form ``label=``/``help_text=``, ``ValidationError("...")``,
  ``verbose_name``, choices labels, and the like.

A "word" has two letters or more and is not code-like (no ``_``, ``/``, ``=``, ``@``…). Proper
nouns and format names that read the same in every language are in ``ALLOWED``, each with its
reason; the test also fails when an allowed word is no longer used, so the list stays small.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

# Words that are the same in English, French, Spanish and Haitian Creole, and why.
ALLOWED = {
    "Northstar": "the product's name",
    # HelpLanguage labels are autonyms: a client must find their own language in the list.
    "English": "autonym of English (HelpLanguage)",
    "Español": "autonym of Spanish (HelpLanguage)",
    "Français": "autonym of French (HelpLanguage)",
    "Kreyòl": "autonym of Haitian Creole, « Kreyòl ayisyen » (HelpLanguage)",
    "ayisyen": "autonym of Haitian Creole, « Kreyòl ayisyen » (HelpLanguage)",
}

# Attributes whose value a person reads (or hears, with a screen reader).
TEXT_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description",
                   "aria-roledescription", "aria-valuetext", "aria-placeholder", "label",
                   "hx-confirm", "hx-prompt", "data-confirm"}
BUTTON_INPUTS = {"submit", "button", "reset"}
# Elements whose content is code or a key to press, never prose.
CODE_ELEMENTS = {"script", "style", "code", "kbd", "samp", "var", "pre", "template"}
# Block tags whose whole body is either translated or never shown.
OPAQUE_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans",
                 "comment": "endcomment", "verbatim": "endverbatim"}

BLOCK_TAG = re.compile(r"{%\s*block\s+(?P<name>\w+)\s*%}")
# A text node such as ``<{% if href %}a href="{{ href }}"{% else %}button{% endif %} ...>`` is
# a tag assembled by template logic, not prose.
ASSEMBLED_TAG = re.compile(r'[\w-]+="')
SENTINEL = "\ue000"  # stands for a template tag or variable: no letters, never a word
WORD = re.compile(r"[^\W\d_]{2,}")
CODE_LIKE = re.compile(r"[_/\\=@{}<>|#~^]|::|\w\.\w|\w\(")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    where: str   # "text", an attribute name, or the Python construct
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} [{self.where}] {self.text!r}"


def words(text: str) -> list[str]:
    """The prose words of ``text``: code-like tokens, numbers and punctuation are left out."""
    found = []
    for token in text.replace(SENTINEL, " ").split():
        if CODE_LIKE.search(token):
            continue
        found += WORD.findall(token)
    return found


# -- templates -----------------------------------------------------------------------------------

def attribute_blocks(sources: list[str]) -> set[str]:
    """Names of the ``{% block %}`` tags that some template places inside an HTML tag (such as
    ``class="{% block content_class %}{% endblock %}"``): what overrides them is an attribute
    value, not text."""
    names = set()
    for source in sources:
        for match in BLOCK_TAG.finditer(source):
            before = source[:match.start()]
            if before.rfind("<") > before.rfind(">"):
                names.add(match["name"])
    return names


def template_markup(source: str, skipped_blocks: set[str] = frozenset()) -> str:
    """The template as plain HTML: each tag, variable and translated or commented-out block
    becomes a letterless sentinel (keeping its newlines, so HTML line numbers stay right)."""
    pieces: list[str] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        raw = token.token_type
        bits = token.contents.split() or [""]
        if closing is not None:
            if raw == TokenType.BLOCK and bits[0] == closing:
                closing = None
            pieces.append(_sentinel(token))
            continue
        if raw == TokenType.TEXT:
            pieces.append(token.contents)
            continue
        if raw == TokenType.BLOCK:
            closing = OPAQUE_BLOCKS.get(bits[0])
            if bits[0] == "block" and len(bits) > 1 and bits[1] in skipped_blocks:
                closing = "endblock"
        pieces.append(_sentinel(token))
    return "".join(pieces)


def _sentinel(token) -> str:
    return SENTINEL + "\n" * token.contents.count("\n")


class _TextCollector(HTMLParser):
    def __init__(self, path: str):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.code_depth = 0
        self.findings: list[Finding] = []
        self.allowed_used: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self._attributes(tag, attrs)
        if tag in CODE_ELEMENTS:
            self.code_depth += 1

    def handle_startendtag(self, tag, attrs):
        self._attributes(tag, attrs)

    def handle_endtag(self, tag):
        if tag in CODE_ELEMENTS and self.code_depth:
            self.code_depth -= 1

    def handle_data(self, data):
        if not self.code_depth and not ASSEMBLED_TAG.search(data):
            self._check("text", data)

    def _attributes(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            shown = name in TEXT_ATTRIBUTES or (
                name == "value" and tag == "input"
                and (values.get("type") or "").lower() in BUTTON_INPUTS)
            if shown and value:
                self._check(name, value)

    def _check(self, where: str, text: str):
        found = words(text)
        self.allowed_used.update(word for word in found if word in ALLOWED)
        if any(word not in ALLOWED for word in found):
            self._add(where, text)

    def _add(self, where: str, text: str):
        line = self.getpos()[0]
        self.findings.append(Finding(self.path, line, where,
                                     " ".join(text.replace(SENTINEL, "{…}").split())))


def template_findings(paths: list[Path], root: Path) -> tuple[list[Finding], set[str]]:
    """Unmarked text in the templates at ``paths``, and the allowed words they use."""
    sources = {path: path.read_text(encoding="utf-8") for path in paths}
    skipped = attribute_blocks(list(sources.values()))
    findings, used = [], set()
    for path, source in sources.items():
        collector = _TextCollector(str(path.relative_to(root)))
        collector.feed(template_markup(source, skipped))
        collector.close()
        findings += collector.findings
        used |= collector.allowed_used
    return findings, used


# -- Python sources ------------------------------------------------------------------------------

TRANSLATION_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext",
                     "pgettext_lazy", "npgettext", "npgettext_lazy", "gettext_noop", "_noop",
                     "format_lazy"}
# Keyword arguments whose value Django renders for users.
TEXT_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label",
                 "empty_value_display", "placeholder", "title", "success_message",
                 "label_suffix"}
# ``messages.<level>(request, text)``, ``ValidationError(text)``, ``add_error(field, text)``…:
# the index of the argument that is shown.
SHOWN_ARGUMENTS = {"messages.success": 1, "messages.info": 1, "messages.warning": 1,
                   "messages.error": 1, "messages.debug": 1, "messages.add_message": 2,
                   "ValidationError": 0, "add_error": 1, "PermissionDenied": 0,
                   "HttpResponse": 0, "HttpResponseBadRequest": 0, "HttpResponseForbidden": 0,
                   "format_html": 0, "mark_safe": 0}
# Names, attributes and dict-literal keys given text that templates render.
TEXT_TARGETS = {"verbose_name", "verbose_name_plural", "label", "help_text", "title",
                "empty_label", "success_message", "heading", "message", "description",
                "summary", "hint", "placeholder", "empty"}
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}
APP_CONFIG_BASES = {"AppConfig"}


@dataclass(frozen=True)
class _Literal:
    text: str
    line: int


class _PythonCollector(ast.NodeVisitor):
    def __init__(self, path: str):
        self.path = path
        self.classes: list[ast.ClassDef] = []
        self.findings: list[Finding] = []
        self.allowed_used: set[str] = set()

    def visit_ClassDef(self, node: ast.ClassDef):
        self.classes.append(node)
        if _bases(node) & CHOICES_BASES:
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple) \
                        and len(statement.value.elts) >= 2:
                    self._check(f"{node.name} label", statement.value.elts[-1])
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call):
        name = _call_name(node)
        if name == "JsonResponse":
            return  # an API answer, read by programs (its messages mirror the CLI's)
        index = SHOWN_ARGUMENTS.get(name)
        if index is not None and len(node.args) > index:
            self._check(f"{name}()", node.args[index])
        for keyword in node.keywords:
            if keyword.arg in TEXT_KEYWORDS:
                self._check(f"{keyword.arg}=", keyword.value)
            elif keyword.arg == "choices":
                for label in _choice_labels(keyword.value):
                    self._check("choices label", label)
            elif keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                for value in keyword.value.values:
                    self._check("error_messages", value)
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value in TEXT_TARGETS:
                self._check(f"{key.value!r}:", value)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign):
        for target in node.targets:
            self._assigned(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign):
        if node.value is not None:
            self._assigned(node.target, node.value)
        self.generic_visit(node)

    def _assigned(self, target: ast.AST, value: ast.AST):
        name = target.id if isinstance(target, ast.Name) else \
            target.attr if isinstance(target, ast.Attribute) else None
        in_app_config = self.classes and _bases(self.classes[-1]) & APP_CONFIG_BASES
        if name in TEXT_TARGETS and not (in_app_config and name == "label"):  # an identifier
            self._check(f"{name} =", value)

    def _check(self, where: str, value: ast.AST):
        for literal in _untranslated_literals(value):
            found = words(literal.text)
            self.allowed_used.update(word for word in found if word in ALLOWED)
            if any(word not in ALLOWED for word in found):
                self.findings.append(Finding(self.path, literal.line, where,
                                             literal.text.replace(SENTINEL, "{…}")))


def python_findings(paths: list[Path], root: Path) -> tuple[list[Finding], set[str]]:
    """Unmarked user-visible literals in the Python files at ``paths``, and the allowed words
    they use."""
    findings, used = [], set()
    for path in paths:
        collector = _PythonCollector(str(path.relative_to(root)))
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        findings += collector.findings
        used |= collector.allowed_used
    return findings, used


def _bases(node: ast.ClassDef) -> set[str]:
    return {base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
            for base in node.bases}


def _call_name(node: ast.Call) -> str:
    """``name`` for ``name(...)`` and ``obj.name(...)``; ``messages.name`` for the messages
    framework (``messages.error(request, ...)``, not any ``.error(...)``)."""
    func = node.func
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else ""
        return f"messages.{func.attr}" if owner == "messages" else func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _choice_labels(value: ast.AST):
    if isinstance(value, ast.List | ast.Tuple):
        for item in value.elts:
            if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                label = item.elts[1]
                if isinstance(label, ast.List | ast.Tuple):  # an optgroup
                    yield from _choice_labels(label)
                else:
                    yield label


def _untranslated_literals(value: ast.AST):
    """String literals in ``value`` that no translation call wraps."""
    if isinstance(value, ast.Call) and _call_name(value) in TRANSLATION_CALLS:
        return
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        yield _Literal(value.value, value.lineno)
    elif isinstance(value, ast.JoinedStr):
        text = "".join(part.value if isinstance(part, ast.Constant) else SENTINEL
                       for part in value.values)
        yield _Literal(text, value.lineno)
    elif isinstance(value, ast.BinOp):
        yield from _untranslated_literals(value.left)
        yield from _untranslated_literals(value.right)
    elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
            and value.func.attr == "format":
        yield from _untranslated_literals(value.func.value)
    elif isinstance(value, ast.IfExp):
        yield from _untranslated_literals(value.body)
        yield from _untranslated_literals(value.orelse)
