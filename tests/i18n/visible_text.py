"""What a person reads on a rendered page, and whether it is still English.

``visible_text`` collects the text nodes and the user-facing attributes of a page (not
scripts, styles or parts marked ``lang`` in another language, such as the language switcher's
own names). ``english_in`` then flags two things in a page that should be in another language:

* a snippet with English function words ("the", "with", "your"…) used as words: a sentence
  left in English (tokens with a digit, such as a reference ``RF-AT83-4NEW``, are codes);
* a snippet that is exactly the English source of a message the catalogue translates
  differently, or not at all: a label shown without its translation (short labels have no
  function words), alone or (two words or more) inside a translated sentence.

Client-entered data and other planted test data are removed first (``ignore``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.conf import settings

from tests.html_tree import Node, parse
from tests.i18n.pofile import read_po

# Common English words that are not also words of French, Spanish or Haitian Creole ("a", "an",
# "as", "on", "or", "no", "me", "has", "son"… are left out for that reason).
ENGLISH_WORDS = frozenset({
    "the", "and", "of", "to", "for", "with", "is", "are", "this", "that", "your", "you", "from",
    "by", "be", "will", "have", "was", "were", "been", "it", "its", "if", "which", "who", "what",
    "when", "where", "how", "not", "please", "should", "would", "could", "must", "after",
    "before", "into", "about", "their", "they", "them", "our", "we", "these", "those", "there",
    "here", "than", "only", "any", "each", "all", "can", "at", "in", "yet",
})
SHOWN_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "aria-description", "label")
# Not prose: scripts and styles, and code or keys shown as such (the audit log's details).
HIDDEN_ELEMENTS = {"script", "style", "template", "head", "code", "kbd", "samp", "pre"}
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


def visible_text(html: str | bytes, language: str) -> list[str]:
    """The page's text nodes and shown attributes, one snippet each, whitespace collapsed."""
    snippets: list[str] = []
    _collect(parse(html), language, snippets)
    title = parse(html).select_one("title")
    if title is not None:
        snippets.append(" ".join(title.get_text().split()))
    return [snippet for snippet in snippets if snippet]


def _collect(node: Node, language: str, snippets: list[str]) -> None:
    for child in node.children:
        if isinstance(child, str):
            snippets.append(" ".join(child.split()))
            continue
        if child.tag in HIDDEN_ELEMENTS:
            continue
        own_language = child.get("lang")
        if own_language and not own_language.startswith(language):
            continue
        for name in SHOWN_ATTRIBUTES:
            if child.get(name):
                snippets.append(" ".join(child[name].split()))
        if child.tag == "input" and child.get("type") in ("submit", "button", "reset") \
                and child.get("value"):
            snippets.append(child["value"])
        _collect(child, language, snippets)


@cache
def translated_sources(language: str) -> frozenset[str]:
    """English sources of the catalogue's messages that read differently in ``language``:
    translated differently, or not translated at all (then they would show in English)."""
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    return frozenset(entry.msgid for entry in read_po(path)
                     if entry.msgid and not entry.obsolete and entry.msgid_plural is None
                     and (not entry.translated or entry.msgstr[0] != entry.msgid)
                     and "%" not in entry.msgid and "{" not in entry.msgid)


@cache
def embedded_sources(language: str) -> re.Pattern:
    """``translated_sources`` of two words or more, found inside a longer snippet (a label
    interpolated into a translated sentence)."""
    phrases = sorted((source for source in translated_sources(language)
                      if len(source.split()) >= 2), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)")


def english_in(html: str | bytes, language: str, ignore: list[re.Pattern]) -> list[str]:
    """Snippets of the page that are still English (see the module docstring); ``ignore``
    matches the planted data to take out first."""
    sources = translated_sources(language)
    found = []
    for snippet in visible_text(html, language):
        for planted in ignore:
            snippet = planted.sub(" ", snippet)
        snippet = " ".join(snippet.split())
        if not snippet:
            continue
        english = [word for token in snippet.split() if not any(c.isdigit() for c in token)
                   for word in WORD.findall(token) if word.lower() in ENGLISH_WORDS]
        if english or snippet in sources or embedded_sources(language).search(snippet):
            found.append(snippet)
    return found
