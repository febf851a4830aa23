"""From an uploaded file to a document we are willing to store, or a clear refusal.

Order: the name (cheap, and a NUL or a direction override is a trick whatever the content),
the size (empty, over 10 MB), the type from the first bytes, the type the name or browser
claims (a mismatch is a disguise or the wrong file), then the format's own checks: a PDF is
inspected and kept as is (``pdf``); an image is decoded and re-encoded (``images``).
"""

from __future__ import annotations

from dataclasses import dataclass

from intake.documents.errors import LOOKS_LIKE, TYPE_NAMES, DocumentRejected
from intake.documents.images import clean_image
from intake.documents.names import claimed_type, display_name
from intake.documents.pdf import check_pdf
from intake.documents.sniff import PDF, accepted_type, looks_like

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class CleanDocument:
    content: bytes
    content_type: str
    display_name: str


def inspect_upload(uploaded_file) -> CleanDocument:
    """Check an uploaded file (a Django ``UploadedFile``); raise ``DocumentRejected``."""
    raw_name = uploaded_file.name or ""
    name = display_name(raw_name)
    data = read_limited(uploaded_file)
    content_type = detect_type(data)
    claimed = claimed_type(raw_name, getattr(uploaded_file, "content_type", None))
    if claimed and claimed != content_type:
        raise DocumentRejected("name_mismatch", detected=TYPE_NAMES[content_type],
                               claimed=TYPE_NAMES[claimed])
    content = check_pdf(data) if content_type == PDF else clean_image(data, content_type)
    return CleanDocument(content=content, content_type=content_type, display_name=name)


def read_limited(uploaded_file) -> bytes:
    """The file's bytes, never reading more than the limit plus one."""
    if uploaded_file.size is not None and uploaded_file.size > MAX_BYTES:
        raise DocumentRejected("too_large")
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise DocumentRejected("too_large")
    if not data:
        raise DocumentRejected("empty")
    return data


def detect_type(data: bytes) -> str:
    content_type = accepted_type(data)
    if content_type is not None:
        return content_type
    what = looks_like(data)
    if what is None:
        raise DocumentRejected("not_accepted")
    raise DocumentRejected("not_accepted_looks_like", what=LOOKS_LIKE[what])
