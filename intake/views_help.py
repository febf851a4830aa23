"""The public "get help" form and the counsellors' triage queue.

Public pages (``help_form``, ``help_sent``) are client-facing: the language comes from the
URL (``/help/``, ``/help/es/``, ``/help/fr/``, ``/help/ht/``), never from a cookie, and they
never touch ``request.session`` or messages, so the only cookie they set is CSRF's. They
render ``help/base_public.html``: no staff navigation, no scripts, no external assets.
"""

from __future__ import annotations

import math

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intake import help_requests, selectors_help
from intake.forms_help import DismissForm, HelpRequestForm
from intake.models import HelpLanguage, HelpRequestStatus
from intake.steps import STEPS
from northstar.accounts.models import Role
from northstar.accounts.permissions import PUBLIC, access, roles
from northstar.audit.services import audit_record

COUNSELLORS = roles(Role.COUNSELLOR)
DEFAULT_LANGUAGE: str = HelpLanguage.ENGLISH.value  # a plain str: WSGI headers must be str
TRIAGE_PAGE_SIZE = 25


def public_url(name: str, lang: str) -> str:
    if lang == DEFAULT_LANGUAGE:
        return reverse(f"intake:{name}")
    return reverse(f"intake:{name}_language", kwargs={"lang": lang})


def render_public(request, template: str, lang: str, name: str, context=None, status=200):
    """Render a client-facing page in ``lang``, with links to the same page in the others."""
    languages = [{"code": code, "name": label, "url": public_url(name, code),
                  "absolute_url": request.build_absolute_uri(public_url(name, code)),
                  "current": code == lang} for code, label in HelpLanguage.choices]
    context = {**(context or {}), "page_language": lang, "page_languages": languages,
               "form_url": public_url("help_form", lang)}
    with translation.override(lang):
        response = render(request, template, context, status=status)
    response["Content-Language"] = lang
    return response


def too_many_requests(request, lang: str):
    wait_minutes = math.ceil(settings.HELP_REQUEST_RATE_WINDOW_SECONDS / 60)
    response = render_public(request, "help/too_many.html", lang, "help_form",
                             {"wait_minutes": wait_minutes}, status=429)
    response["Retry-After"] = str(settings.HELP_REQUEST_RATE_WINDOW_SECONDS)
    return response


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def help_form(request, lang: str = DEFAULT_LANGUAGE):
    if request.method == "GET":
        form = HelpRequestForm(initial={"preferred_language": lang})
        return render_public(request, "help/form.html", lang, "help_form",
                             {"form": form, "form_action": public_url("help_form", lang)})
    form = HelpRequestForm(request.POST)
    if form.is_bot:  # the honeypot: answer exactly as for a real request, store nothing
        if help_requests.help_request_rate_limit_hit(client_address(request)):
            return too_many_requests(request, lang)
        return redirect(public_url("help_sent", lang))
    with translation.override(lang):
        valid = form.is_valid()
    if not valid:
        form.link_errors()
        return render_public(request, "help/form.html", lang, "help_form",
                             {"form": form, "form_action": public_url("help_form", lang)})
    if help_requests.help_request_rate_limit_hit(client_address(request)):
        return too_many_requests(request, lang)
    data = form.cleaned_data
    help_requests.help_request_submit(
        name=data["name"], contact_method=data["contact_method"],
        contact_details=data["contact_details"], preferred_language=data["preferred_language"],
        message=data["message"])
    return redirect(public_url("help_sent", lang))


def client_address(request) -> str:
    """The same client address as allauth's login rate limits (honours its trusted-proxy
    settings)."""
    return get_account_adapter(request).get_client_ip(request)


@access(PUBLIC)
@require_http_methods(["GET"])
def help_sent(request, lang: str = DEFAULT_LANGUAGE):
    """The confirmation: the same page for everyone, showing nothing that was sent."""
    return render_public(request, "help/thanks.html", lang, "help_sent")


# --- The counsellors' triage queue ---------------------------------------------------------


def scoped_help_request(request, pk: int):
    help_request = selectors_help.help_request_for(request.user, pk)
    if help_request is None:
        raise Http404
    return help_request


@access(COUNSELLORS)
@require_http_methods(["GET"])
def triage_list(request):
    status = request.GET.get("status", HelpRequestStatus.NEW)
    if status not in HelpRequestStatus.values:
        status = HelpRequestStatus.NEW
    queue = selectors_help.triage_queue_for(request.user, status)
    page = Paginator(queue, TRIAGE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "help/triage_list.html", {
        "page": page, "status": status, "query": f"status={status}",
        "status_choices": [{"value": value, "label": label}
                           for value, label in HelpRequestStatus.choices]})


def render_detail(request, help_request, dismiss_form=None, status=200):
    return render(request, "help/triage_detail.html", {
        "help_request": help_request, "dismiss_form": dismiss_form or DismissForm(),
        "case_number": help_request.case.number if help_request.case_id else ""},
        status=status)


@access(COUNSELLORS)
@require_http_methods(["GET"])
def triage_detail(request, pk: int):
    help_request = scoped_help_request(request, pk)
    audit_record("help_request.viewed", actor=request.user, target=help_request)
    return render_detail(request, help_request)


@access(COUNSELLORS)
@require_http_methods(["POST"])
def triage_convert(request, pk: int):
    help_request = scoped_help_request(request, pk)
    try:
        case = help_requests.help_request_convert(actor=request.user, help_request=help_request)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("intake:triage_detail", pk=help_request.pk)
    messages.success(request, _("Intake started from the help request. Check the duplicate "
                                "warning on this step before going further."))
    return redirect("intake:step", number=case.number, step=STEPS[0].slug)


@access(COUNSELLORS)
@require_http_methods(["POST"])
def triage_dismiss(request, pk: int):
    help_request = scoped_help_request(request, pk)
    if help_request.status != HelpRequestStatus.NEW:
        messages.info(request, _("This request has already been handled."))
        return redirect("intake:triage_detail", pk=help_request.pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return render_detail(request, help_request, form)
    try:
        help_requests.help_request_dismiss(actor=request.user, help_request=help_request,
                                           reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("intake:triage_detail", pk=help_request.pk)
    messages.success(request, _("Help request dismissed."))
    return redirect("intake:triage_list")
