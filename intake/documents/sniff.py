"""What a file is, from its first bytes (never from its name or the browser's claim).

Only three signatures are accepted, each at offset 0: ``%PDF-``, the JPEG start-of-image
marker, the PNG signature. Requiring offset 0 refuses the classic polyglots that put HTML or
a script before a PDF header (readers accept the header anywhere in the first kilobyte).
Everything else is named as precisely as we can so that the message tells the counsellor what
they actually picked.
"""

from __future__ import annotations

import re

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = re.compile(rb"%PDF-[12]\.\d")

BINARY_SIGNATURES = (
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"MZ", "exe"),
    (b"\x7fELF", "elf"),
    (b"\xcf\xfa\xed\xfe", "macho"),
    (b"\xfe\xed\xfa\xcf", "macho"),
    (b"\xca\xfe\xba\xbe", "macho"),
    (b"#!", "script"),
)
MARKUP = (
    (re.compile(rb"<svg[\s>/]|<!doctype\s+svg", re.IGNORECASE), "svg"),
    (re.compile(rb"<!doctype\s+html|<html|<head|<body|<script|<iframe|<meta|<a\s|<div|<p>",
                re.IGNORECASE), "html"),
    (re.compile(rb"<\?xml", re.IGNORECASE), "xml"),
)
TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def accepted_type(data: bytes) -> str | None:
    """The accepted content type whose signature starts ``data``, or None."""
    if data.startswith(PNG_SIGNATURE):
        return PNG
    if data.startswith(JPEG_SIGNATURE):
        return JPEG
    if PDF_SIGNATURE.match(data):
        return PDF
    return None


def looks_like(data: bytes) -> str | None:
    """A key of ``errors.LOOKS_LIKE`` naming what a refused file seems to be, or None."""
    for signature, name in BINARY_SIGNATURES:
        if data.startswith(signature):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
        return "heic"
    head = data[:4096]
    for bom in TEXT_BOMS:
        head = head.removeprefix(bom)
    if head.startswith(b"\x00") or b"\x00" in head[:512]:
        return None  # binary we do not recognise (or UTF-16 text): nothing useful to say
    for pattern, name in MARKUP:
        if pattern.search(head):
            return name
    if is_text(head):
        return "text"
    return None


def is_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not just a character cut at the end of the sample
            return False
        text = head[:error.start].decode("utf-8")
    return all(char.isprintable() or char in "\r\n\t\f" for char in text)
