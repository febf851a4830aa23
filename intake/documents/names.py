"""File names: never trusted, never on the file system.

The name a browser sends is kept only for display, encrypted in the database, after reducing it
to a base name without control or text-direction characters (a right-to-left override turns
``invoice‮fdp.exe`` into what reads as ``invoiceexe.pdf``). The download name is rebuilt from it
with the extension of the detected type, and sent as an ASCII fallback plus RFC 5987
``filename*`` so that any browser gets a safe, readable name.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from intake.documents.errors import DocumentRejected
from intake.documents.sniff import JPEG, PDF, PNG

MAX_NAME_LENGTH = 150
FALLBACK_STEM = "document"
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"), PNG: (".png",)}
CLAIMED_BY_EXTENSION = {ext: kind for kind, exts in EXTENSIONS.items() for ext in exts}
# Bidirectional controls: they make a name read differently from what it is.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cs"})
UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def check_name(raw: str) -> None:
    """Refuse names with control characters (NUL, new lines, …) or direction overrides."""
    for char in raw:
        if char in BIDI_CONTROLS or unicodedata.category(char) in FORBIDDEN_CATEGORIES:
            raise DocumentRejected("bad_name")


def display_name(raw: str) -> str:
    """The name to keep (encrypted) and show: the last path component, NFC, trimmed."""
    check_name(raw)
    name = unicodedata.normalize("NFC", raw)
    name = re.split(r"[/\\]", name)[-1].strip().lstrip(".").strip()
    if len(name) > MAX_NAME_LENGTH:
        suffix = PurePosixPath(name).suffix[:10]
        name = name[: MAX_NAME_LENGTH - len(suffix)] + suffix
    return name


def claimed_type(raw_name: str, declared_type: str | None) -> str | None:
    """The accepted type the name's extension or the browser's declared type claims, if any
    (a mismatch with the content is refused: it is a disguise or the wrong file)."""
    by_extension = CLAIMED_BY_EXTENSION.get(PurePosixPath(raw_name or "").suffix.lower())
    if by_extension:
        return by_extension
    declared = (declared_type or "").split(";")[0].strip().lower()
    return declared if declared in EXTENSIONS else None


def download_name(name: str, content_type: str) -> str:
    """``name`` with an extension that matches the content (``.pdf``, ``.jpg``, ``.png``)."""
    path = PurePosixPath(name or FALLBACK_STEM)
    if path.suffix.lower() in EXTENSIONS[content_type]:
        return path.name
    stem = path.stem if path.suffix else path.name
    return (stem or FALLBACK_STEM) + EXTENSIONS[content_type][0]


def ascii_fallback(name: str) -> str:
    path = PurePosixPath(name)
    ascii_stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    stem = UNSAFE_ASCII.sub("_", ascii_stem).strip("._-") or FALLBACK_STEM
    suffix = UNSAFE_ASCII.sub("", path.suffix.encode("ascii", "ignore").decode())
    return stem + suffix


def content_disposition(name: str) -> str:
    """``attachment`` with a plain-ASCII ``filename`` and the exact name as ``filename*``."""
    return (f'attachment; filename="{ascii_fallback(name)}"; '
            f"filename*=UTF-8''{quote(name, safe='')}")
