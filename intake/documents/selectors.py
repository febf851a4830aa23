"""Reads on documents. Callers pass a case already fetched through ``cases_visible_to``."""

from __future__ import annotations

from django.db.models import QuerySet

from intake.forms_documents import DocumentUploadForm
from intake.models import Case, Document
from intake.permissions import can_edit_case


def documents_of_case(case: Case) -> QuerySet[Document]:
    """The case's current documents (removed ones live on in the timeline only)."""
    return case.documents.filter(removed_at__isnull=True).select_related("uploaded_by")


def document_of_case(case: Case, pk: int) -> Document | None:
    return documents_of_case(case).filter(pk=pk).first()


def documents_panel(user, case: Case, form=None) -> dict:
    """The context ``intake/partials/_documents.html`` needs, for the case page."""
    editable = can_edit_case(user, case)
    return {
        "case": case,
        "documents": list(documents_of_case(case)),
        "documents_editable": editable,
        "document_form": (form or DocumentUploadForm()) if editable else None,
    }
