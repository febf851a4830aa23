"""Why an upload is refused: one code per reason, each with a clear, translatable message.

The message is what the counsellor reads under the file field; the code is what tests and
callers match on. Messages never repeat the file name or anything read from the file.
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("Files must be 10 MB or smaller."),
    "not_accepted": _("This file is not a PDF, JPEG or PNG."),
    "not_accepted_looks_like": _("This file is not a PDF, JPEG or PNG (it looks like {what})."),
    "name_mismatch": _("This file is a {detected}, but its name or type says {claimed}. "
                       "Check that you chose the right file."),
    "bad_name": _("The file name contains characters that are not allowed (control or "
                  "text-direction characters). Rename the file and try again."),
    "damaged": _("The file is damaged or incomplete. Save or scan it again and upload the "
                 "new copy."),
    "trailing_data": _("The file has extra data hidden after its end. Save or scan it again "
                       "and upload the new copy."),
    "polyglot": _("The file mixes a PDF with web page code (HTML or script). Print it to a new "
                  "PDF and upload that."),
    "pdf_active": _("The PDF contains scripts, automatic actions or attached files, which are "
                    "not accepted. Print it to a new PDF and upload that."),
    "pdf_encrypted": _("The PDF is password-protected or encrypted, so it cannot be checked. "
                       "Remove the password and upload it again."),
    "pdf_unchecked": _("The PDF is built in a way that cannot be checked (unusual compression "
                       "or too much compressed data). Print it to a new PDF and upload that."),
    "too_many_pixels": _("The image is too large (more than {megapixels} megapixels). Resize "
                         "it and upload it again."),
}

# What a refused file looks like, for the "not_accepted_looks_like" message.
LOOKS_LIKE = {
    "html": _("a web page (HTML)"),
    "svg": _("an SVG image"),
    "xml": _("an XML document"),
    "gif": _("a GIF image"),
    "webp": _("a WebP image"),
    "tiff": _("a TIFF image"),
    "bmp": _("a BMP image"),
    "heic": _("a HEIC image"),
    "zip": _("a ZIP archive or Office document"),
    "exe": _("a Windows program"),
    "elf": _("a Linux program"),
    "macho": _("a macOS program"),
    "script": _("a script"),
    "text": _("plain text"),
}

TYPE_NAMES = {
    "application/pdf": _("PDF"),
    "image/jpeg": _("JPEG image"),
    "image/png": _("PNG image"),
}


class DocumentRejected(Exception):
    """An upload refused for ``code`` (a key of ``MESSAGES``); ``message`` is lazy."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        self.message = format_lazy(MESSAGES[code], **params) if params else MESSAGES[code]
        super().__init__(code)

    def __str__(self) -> str:
        return str(self.message)


class DocumentUnavailable(Exception):
    """A stored document cannot be served: removed, missing from storage, or its stored file
    does not authenticate (tampered, or encrypted under a key no longer configured)."""
