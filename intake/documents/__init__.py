"""Case documents: checked by content, stripped, encrypted, served only through an
access-checked view. Public API below; see each module for the reasons behind the rules."""

from intake.documents.errors import DocumentRejected, DocumentUnavailable
from intake.documents.inspection import MAX_BYTES, inspect_upload
from intake.documents.services import (
    CaseReadOnly,
    DocumentContent,
    case_documents_purge,
    document_add,
    document_open,
    document_remove,
    documents_purge_hook,
    rotate_document_keys,
)

__all__ = [
    "MAX_BYTES",
    "CaseReadOnly",
    "DocumentContent",
    "DocumentRejected",
    "DocumentUnavailable",
    "case_documents_purge",
    "document_add",
    "document_open",
    "document_remove",
    "documents_purge_hook",
    "inspect_upload",
    "rotate_document_keys",
]
