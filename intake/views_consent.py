"""Consent records on a case."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intake.consent import consent_record, consent_withdraw
from intake.forms import ConsentForm
from intake.permissions import can_edit_case
from intake.views import scoped_case
from northstar.accounts.permissions import CASE_WORKERS, access


@access(CASE_WORKERS)
@require_http_methods(["GET", "POST"])
def consent_new(request, number: str):
    case = scoped_case(request, number)
    if not can_edit_case(request.user, case):
        return render(request, "intake/documents/case_closed.html", {"case": case}, status=403)
    form = ConsentForm(request.POST or None, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            consent_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("intake:case_detail", number=case.number)
    return render(request, "intake/consent_form.html", {"case": case, "form": form})


@access(CASE_WORKERS)
@require_http_methods(["POST"])
def consent_withdrawal(request, number: str, pk: int):
    """Withdrawal stays possible on a closed case, unlike every other change (``can_edit_case``
    is not asked): it is the client's right at any time, and it is what ends partners' access
    to packets sent under that consent. A purged case is 404 (``scoped_case``)."""
    case = scoped_case(request, number)
    consent = get_object_or_404(case.consents, pk=pk)
    consent_withdraw(actor=request.user, consent=consent)
    messages.success(request, _("Consent withdrawn. Partners lose access to what it "
                                "covered."))
    return redirect("intake:case_detail", number=case.number)
