"""What the foundation promises on every response, as one check: ``header_problems(response)``
returns what is missing or wrong (an empty list when all is well).

Every response: a Content-Security-Policy of same-origin sources only (``'self'``, ``'none'``,
``data:`` images, a per-response nonce; no host, scheme or ``'unsafe-…'`` source) with
``default-src 'none'``; ``X-Frame-Options: DENY``; ``X-Content-Type-Options: nosniff``;
``Referrer-Policy: same-origin``; the ``Permissions-Policy``; same-origin opener and resource
policies; ``Cache-Control: no-store``. Pages also carry ``frame-ancestors 'none'``; an HTML
page with scripts has a nonce in ``script-src`` and every inline script carries it. A
download (attachment) keeps its own stricter policy (``default-src 'none'; sandbox``). A
static file is public and may be cached (``Cache-Control: public``), but has every other
header. Under the production settings (``production=True``) also HSTS for two years with
subdomains and preload, and every cookie set is ``__Host-``-prefixed, Secure, Path=/, without
Domain, SameSite=Lax, and HttpOnly.
"""

from __future__ import annotations

import re

from northstar.security.middleware import PERMISSIONS_POLICY

ALLOWED_SOURCES = {"'self'", "'none'", "data:"}
NONCE = re.compile(r"'nonce-[A-Za-z0-9+/=]{16,}'")
PAGE_DIRECTIVES = {"default-src": ["'none'"], "frame-ancestors": ["'none'"],
                   "base-uri": ["'none'"], "object-src": ["'none'"]}
DATA_BLOCK = re.compile(r'type="application/(ld\+)?json"')  # data, never run: CSP-exempt
DOWNLOAD_POLICY = "default-src 'none'; sandbox"
HSTS = "max-age=63072000; includeSubDomains; preload"
COMMON = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def csp_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def csp_problems(response, kind: str) -> list[str]:
    policy = response.get("Content-Security-Policy")
    if policy is None:
        return ["no Content-Security-Policy"]
    if kind == "download" and policy == DOWNLOAD_POLICY:
        return []  # else a download carries the pages' policy (allauth's recovery codes)
    problems = []
    directives = csp_directives(policy)
    for name, expected in PAGE_DIRECTIVES.items():
        if directives.get(name) != expected:
            problems.append(f"CSP {name} is {directives.get(name)}, expected {expected}")
    for name, sources in directives.items():
        for source in sources:
            if source not in ALLOWED_SOURCES and not NONCE.fullmatch(source):
                problems.append(f"CSP {name} allows {source}")
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html") and not getattr(response, "streaming", False):
        html = response.content.decode(errors="replace")
        inline = [tag for tag in re.findall(r"<script\b[^>]*>", html)
                  if " src=" not in tag and not DATA_BLOCK.search(tag)]
        if inline:
            nonces = [s for s in directives.get("script-src", []) if NONCE.fullmatch(s)]
            if len(nonces) != 1:
                problems.append("inline scripts but no nonce in script-src")
            else:
                value = nonces[0][len("'nonce-"):-1]
                problems += [f"script without the nonce: {tag}" for tag in inline
                             if f'nonce="{value}"' not in tag]
        for source in re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html):
            if not source.startswith("/") or source.startswith("//"):
                problems.append(f"script from {source}")  # another origin
    return problems


def cookie_problems(response) -> list[str]:
    problems = []
    for name, morsel in response.cookies.items():
        deleted = morsel.value == "" or morsel["max-age"] == 0
        if not name.startswith("__Host-"):
            problems.append(f"cookie {name} without the __Host- prefix")
        if not morsel["secure"]:
            problems.append(f"cookie {name} not Secure")
        if morsel["path"] != "/":
            problems.append(f"cookie {name} path {morsel['path']!r}")
        if morsel["domain"]:
            problems.append(f"cookie {name} has a Domain")
        if morsel["samesite"] != "Lax":
            problems.append(f"cookie {name} SameSite {morsel['samesite']!r}")
        if not deleted and not morsel["httponly"]:
            problems.append(f"cookie {name} not HttpOnly")
    return problems


def kind_of(response) -> str:
    from whitenoise.middleware import WhiteNoiseFileResponse

    if isinstance(response, WhiteNoiseFileResponse):
        return "static"
    if response.get("Content-Disposition", "").startswith("attachment"):
        return "download"
    return "page"


def header_problems(response, *, kind: str | None = None, production: bool = False
                    ) -> list[str]:
    """``kind``: "page" (anything Django answers), "download" or "static"; by default
    the response says which (WhiteNoise's class, an attachment)."""
    kind = kind or kind_of(response)
    problems = csp_problems(response, kind)
    for header, expected in COMMON.items():
        if response.get(header) != expected:
            problems.append(f"{header}: {response.get(header)!r}, expected {expected!r}")
    cache = response.get("Cache-Control", "")
    if kind == "static":
        if "public" not in cache or "no-store" in cache:
            problems.append(f"static Cache-Control {cache!r}")
    elif cache != "no-store":
        problems.append(f"Cache-Control {cache!r}, expected 'no-store'")
    if production:
        if response.get("Strict-Transport-Security") != HSTS:
            problems.append(f"HSTS {response.get('Strict-Transport-Security')!r}")
        problems += cookie_problems(response)
    return problems


def assert_headers(response, *, kind: str | None = None, production: bool = False) -> None:
    problems = header_problems(response, kind=kind, production=production)
    assert problems == [], f"{response.status_code} {getattr(response, 'url', '')}: {problems}"
