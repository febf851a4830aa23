"""Erasure on request, for administrators: they confirm by case number and see nothing of the
case file (an admin holds no case role)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intake.lifecycle import erasure_decide
from intake.models import ErasureRequest
from northstar.accounts.permissions import ADMIN_ONLY, access


@access(ADMIN_ONLY)
@require_http_methods(["GET"])
def erasure_list(request):
    pending = ErasureRequest.objects.filter(decided_at__isnull=True).select_related(
        "case", "requested_by")
    decided = ErasureRequest.objects.filter(decided_at__isnull=False).select_related(
        "case", "requested_by", "decided_by")[:50]
    return render(request, "intake/erasure_list.html", {"pending": pending,
                                                        "decided": decided})


@access(ADMIN_ONLY)
@require_http_methods(["POST"])
def erasure_decision(request, pk: int):
    erasure = get_object_or_404(ErasureRequest, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        erasure_decide(actor=request.user, request=erasure, approve=approve)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Erasure confirmed: the client's personal data is gone.")
                         if approve else _("Erasure request rejected."))
    return redirect("intake:erasure_list")
