"""Document views: upload, download, remove. Each fetches the case through the user's scope
(404 outside it, as for a case that does not exist) and the document within that case.

Downloads are always attachments with the detected type, ``nosniff``, ``no-store`` and a
sandboxing CSP, so a document is never rendered as a page of this site.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from intake.case_numbers import is_case_number
from intake.documents import (
    CaseReadOnly,
    DocumentRejected,
    DocumentUnavailable,
    document_add,
    document_open,
    document_remove,
)
from intake.documents.names import content_disposition
from intake.documents.selectors import document_of_case
from intake.documents.uploads import DocumentUploadHandler
from intake.forms_documents import DocumentUploadForm
from intake.models import Case
from intake.permissions import can_edit_case, cases_visible_to
from northstar.accounts.permissions import CASE_WORKERS, access

DOWNLOAD_CSP = "default-src 'none'; sandbox"


def case_in_scope(request, number: str) -> Case:
    """The case if the user sees it and it still holds its data: a purged case is 404, as
    on every case page (its documents are gone, and its existence is not revealed)."""
    if not is_case_number(number):
        raise Http404
    return get_object_or_404(cases_visible_to(request.user), number=number,
                             purged_at__isnull=True)


def case_page(case: Case) -> str:
    return reverse("intake:case_detail", kwargs={"number": case.number})


def case_closed(request, case: Case):
    return render(request, "intake/documents/case_closed.html", {"case": case}, status=403)


@access(CASE_WORKERS)
@csrf_exempt  # only so that the upload handler can be set first; upload_page checks CSRF
@require_http_methods(["GET", "POST"])
def upload(request, number: str):
    request.upload_handlers = [DocumentUploadHandler(request)]
    return upload_page(request, number)


@csrf_protect
def upload_page(request, number: str):
    case = case_in_scope(request, number)
    if not can_edit_case(request.user, case):
        return case_closed(request, case)
    if request.method != "POST":
        form = DocumentUploadForm()
    else:
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document_add(actor=request.user, case=case, kind=form.cleaned_data["kind"],
                             uploaded_file=form.cleaned_data["file"])
            except DocumentRejected as error:
                form.add_error("file", ValidationError(error.message, code=error.code))
            except CaseReadOnly:
                return case_closed(request, case)
            else:
                messages.success(request, _("Document added."))
                return redirect(case_page(case))
    return render(request, "intake/documents/upload.html", {"case": case, "form": form})


@access(CASE_WORKERS)
@require_http_methods(["GET"])
def download(request, number: str, pk: int):
    case = case_in_scope(request, number)
    document = document_of_case(case, pk)
    if document is None:
        raise Http404
    try:
        opened = document_open(actor=request.user, document=document)
    except DocumentUnavailable as error:
        raise Http404 from error
    response = HttpResponse(opened.content, content_type=opened.content_type)
    response["Content-Disposition"] = content_disposition(opened.download_name)
    response["Content-Length"] = str(len(opened.content))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    return response


@access(CASE_WORKERS)
@require_http_methods(["POST"])
def remove(request, number: str, pk: int):
    case = case_in_scope(request, number)
    document = document_of_case(case, pk)
    if document is None:
        raise Http404
    try:
        document_remove(actor=request.user, document=document)
    except CaseReadOnly:
        return case_closed(request, case)
    messages.success(request, _("Document removed."))
    return redirect(case_page(case))
