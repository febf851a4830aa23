"""The counsellor's workspace: case list, search, new case, intake steps, case page.

Views stay thin: a scoped fetch (404 when hidden or absent alike), a form, one service call.
Every page that shows a case is audited as a read.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from eligibility.selectors import current_assessment
from intake import selectors, services
from intake.documents.selectors import documents_panel
from intake.forms import (
    AssignForm,
    CaseFilter,
    CloseForm,
    ErasureRequestForm,
    NewCaseForm,
    NoteForm,
    SearchForm,
)
from intake.models import ContactMethod
from intake.permissions import can_edit_case
from intake.screening_panel import screening_panel
from intake.step_forms import build_parts
from intake.steps import REVIEW_SLUG, STEP_BY_SLUG, STEPS, next_step
from intake.stored_values import stored_values
from northstar.accounts.models import Role
from northstar.accounts.permissions import CASE_WORKERS, access, roles
from northstar.audit.services import audit_record
from northstar.common.pagination import BoundedPaginator
from referrals.selectors import case_referrals_panel

PAGE_SIZES = (10, 25, 50)
COORDINATORS = roles(Role.COORDINATOR)


def scoped_case(request, number: str):
    case = selectors.case_for(request.user, number)
    if case is None or case.purged_at is not None:
        raise Http404
    return case


def audit_read(request, case, page: str) -> None:
    audit_record("case.viewed", actor=request.user, target=case, details={"page": page})


@access(CASE_WORKERS)
@require_http_methods(["GET"])
def case_list(request):
    include_closed = request.GET.get("status") == "closed"
    cases = selectors.case_list_for(request.user, include_closed=include_closed)
    filters = CaseFilter(request.GET or None, queryset=cases, request=request)
    per_page = int(request.GET.get("per_page", 25)) if request.GET.get("per_page", "25") in {
        str(size) for size in PAGE_SIZES} else 25
    page = BoundedPaginator(filters.qs, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "intake/case_list.html", {
        "filters": filters, "page": page, "query": query.urlencode(),
        "page_sizes": PAGE_SIZES, "search_form": SearchForm()})


@access(CASE_WORKERS)
@require_http_methods(["GET", "POST"])
def case_search(request):
    form = SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = selectors.case_search(request.user, **form.cleaned_data)
        kind = "number" if form.cleaned_data.get("case_number") else "name_and_birth_date"
        audit_record("case.searched", actor=request.user,
                     details={"by": kind, "results": len(results)})
    return render(request, "intake/case_search.html", {"form": form, "results": results})


@access(roles(Role.COUNSELLOR))
@require_http_methods(["GET", "POST"])
def case_new(request):
    form = NewCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = services.case_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Case %(number)s started. Answers are saved as you type.")
                         % {"number": case.number})
        return redirect("intake:step", number=case.number, step=STEPS[0].slug)
    if request.method == "POST":
        messages.error(request, _("The case was not started: check the answers below."))
    return render(request, "intake/case_new.html", {"form": form})


@access(CASE_WORKERS)
@require_http_methods(["GET"])
def intake_resume(request, number: str):
    """Open the intake where it stopped: the first step not done, after the last one saved."""
    case = scoped_case(request, number)
    pending = [step.slug for step in STEPS if step.slug not in case.steps_done]
    target = pending[0] if pending else REVIEW_SLUG
    if case.last_step in STEP_BY_SLUG and case.last_step not in case.steps_done:
        target = case.last_step
    return redirect("intake:step", number=case.number, step=target)


@access(CASE_WORKERS)
@require_http_methods(["GET", "POST"])
def intake_step(request, number: str, step: str):
    case = scoped_case(request, number)
    if step == REVIEW_SLUG:
        return intake_review(request, case)
    definition = STEP_BY_SLUG.get(step)
    if definition is None:
        raise Http404
    editable = can_edit_case(request.user, case)
    if request.method == "POST" and editable:
        add = request.POST.get("add", "")
        parts = build_parts(definition, stored_values(case, definition), request.POST, add)
        result = services.case_step_save(actor=request.user, case=case, step=definition,
                                         parts=parts)
        if request.POST.get("autosave") and request.htmx:
            return render(request, "intake/partials/_autosave_status.html",
                          {"result": result, "saved_at": timezone.localtime()})
        if result.complete and not add and "save_next" in request.POST:
            messages.success(request, _("Saved."))
            return redirect("intake:step", number=case.number, step=next_step(step))
        if result.complete and not add:
            messages.success(request, _("Saved."))
            return redirect("intake:step", number=case.number, step=step)
        if not result.complete:
            messages.error(request, _("Some answers need attention; everything else was "
                                      "saved."))
        case.refresh_from_db()
    else:
        parts = build_parts(definition, stored_values(case, definition))
        audit_read(request, case, f"intake:{step}")
    duplicates = selectors.possible_duplicates(request.user, case) if step == "identity" \
        else ([], 0)
    return render(request, "intake/intake_step.html", {
        "case": case, "step": definition, "steps": STEPS, "parts": parts,
        "editable": editable, "duplicates": duplicates[0], "hidden_duplicates": duplicates[1],
        "next_step": next_step(step), "review_slug": REVIEW_SLUG})


def intake_review(request, case):
    if request.method == "POST" and can_edit_case(request.user, case):
        services.case_open(actor=request.user, case=case)
        messages.success(request, _("Intake complete. The case is open."))
        return redirect("intake:case_detail", number=case.number)
    audit_read(request, case, "intake:review")
    return render(request, "intake/intake_review.html", {
        "case": case, "steps": STEPS, "review_slug": REVIEW_SLUG,
        "panel": screening_panel(current_assessment(case), case.number)})


@access(CASE_WORKERS)
@require_http_methods(["GET"])
def case_detail(request, number: str):
    case = scoped_case(request, number)
    audit_read(request, case, "case")
    return render(request, "intake/case_detail.html", {
        **documents_panel(request.user, case),
        "consents": case.consents.select_related("partner", "recorded_by"),
        "contact_method_label": dict(ContactMethod.choices).get(case.client.contact_method,
                                                                ""),
        "today": timezone.localdate(),
        "case": case,
        "panel": screening_panel(current_assessment(case), case.number),
        "timeline": selectors.case_timeline(case),
        "notes": case.notes.select_related("author")[:50],
        "note_form": NoteForm(), "close_form": CloseForm(),
        "assign_form": AssignForm(initial={"assignee": case.assigned_to_id}),
        "erasure_form": ErasureRequestForm(), "steps": STEPS,
        "editable": can_edit_case(request.user, case),
        **case_referrals_panel(request.user, case),
    })


@access(CASE_WORKERS)
@require_http_methods(["GET"])
def screening_partial(request, number: str):
    """The screening panel alone, refreshed by htmx after a save."""
    case = scoped_case(request, number)
    audit_read(request, case, "screening")
    return render(request, "intake/partials/_screening.html",
                  {"case": case, "panel": screening_panel(current_assessment(case),
                                                          case.number)})


@access(CASE_WORKERS)
@require_http_methods(["POST"])
def note_add(request, number: str):
    case = scoped_case(request, number)
    form = NoteForm(request.POST)
    if form.is_valid() and can_edit_case(request.user, case):
        services.note_add(actor=request.user, case=case, body=form.cleaned_data["body"],
                          submission=form.cleaned_data["submission"])
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("The note was not added: write something (at most 5000 "
                                  "characters) on an open case."))
    return redirect(reverse("intake:case_detail", kwargs={"number": number}) + "#notes")


@access(CASE_WORKERS)
@require_http_methods(["POST"])
def case_close(request, number: str):
    """No ``can_edit_case`` check, on purpose: it refuses only closed and purged cases, and
    both are already harmless here (a purged case is 404 in ``scoped_case``; closing a closed
    case changes nothing, ``services.case_close`` returns it as it is)."""
    case = scoped_case(request, number)
    form = CloseForm(request.POST)
    if form.is_valid():
        services.case_close(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        messages.success(request, _("Case closed."))
    else:
        messages.error(request, _("Choose a reason to close the case."))
    return redirect("intake:case_detail", number=number)


@access(CASE_WORKERS)
@require_http_methods(["POST"])
def case_reopen(request, number: str):
    case = scoped_case(request, number)
    services.case_reopen(actor=request.user, case=case)
    messages.success(request, _("Case reopened."))
    return redirect("intake:case_detail", number=number)


@access(COORDINATORS)
@require_http_methods(["POST"])
def case_assign(request, number: str):
    case = scoped_case(request, number)
    form = AssignForm(request.POST)
    if form.is_valid():
        services.case_assign(actor=request.user, case=case,
                             assignee=form.cleaned_data["assignee"])
        messages.success(request, _("Assignment saved."))
    else:
        messages.error(request, _("Choose an active counsellor."))
    return redirect("intake:case_detail", number=number)


@access(COORDINATORS)
@require_http_methods(["POST"])
def erasure_request(request, number: str):
    from intake.lifecycle import erasure_request_create

    case = scoped_case(request, number)
    form = ErasureRequestForm(request.POST)
    if form.is_valid():
        erasure_request_create(actor=request.user, case=case,
                               reason=form.cleaned_data["reason"])
        messages.success(request, _("Erasure requested. An administrator must confirm it."))
    else:
        messages.error(request, _("Confirm that the client asked for erasure."))
    return redirect("intake:case_detail", number=number)
