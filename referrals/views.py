"""The network's side of referrals: prepare one from a case (with partner suggestions),
choose the packet fields, preview exactly what the partner will see (and print it for the
client in their language), send, withdraw, discuss with the partner; and the coordinators'
dashboard.

Views stay thin: a scoped fetch (404 when hidden or absent alike), a form, one service call.
A refused change re-renders the referral page with the reason: 400 for an invalid form, 409
when the state or a check (consent, agreement, preview) refuses it. Pages that show client
data are audited as reads.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intake.views import scoped_case
from northstar.accounts.permissions import CASE_WORKERS, access
from northstar.audit.services import audit_record
from referrals import packets, selectors, services
from referrals.forms import DraftCreateForm, MessageForm, NeedsForm, PacketFieldsForm, SendForm
from referrals.models import PartnerService, ReferralStatus
from referrals.permissions import can_post_message

BAD_FORM = 400
REFUSED = 409


def scoped_referral(request, reference: str):
    referral = selectors.referral_for(request.user, reference)
    if referral is None:
        raise Http404
    return referral


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@access(CASE_WORKERS)
@require_http_methods(["GET"])
def dashboard(request):
    return render(request, "referrals/dashboard.html", {
        "dashboard": selectors.dashboard_for(request.user), "now": timezone.now()})


@access(CASE_WORKERS)
@require_http_methods(["GET", "POST"])
def referral_new(request, number: str):
    """Needs → ranked suggestions → a draft for the chosen service."""
    case = scoped_case(request, number)
    form = NeedsForm(request.GET if "needs" in request.GET else None,
                     initial={"province": selectors.default_province(case)})
    status = 200
    if request.method == "POST":
        chosen = DraftCreateForm(request.POST)
        service = PartnerService.objects.select_related("organisation").filter(
            pk=chosen.cleaned_data["service"]).first() if chosen.is_valid() else None
        if service is None:
            messages.error(request, _("Choose one of the suggested services."))
            status = BAD_FORM
        else:
            try:
                referral = services.referral_create(actor=request.user, case=case,
                                                    service=service)
            except ValidationError as error:
                messages.error(request, error_text(error))
                status = REFUSED
            else:
                messages.success(request, _("Draft referral prepared. Choose what to share and "
                                            "check the preview before sending."))
                return redirect("referrals:referral_detail", reference=referral.reference)
    suggestions = None
    if form.is_bound and form.is_valid():
        suggestions = selectors.suggestions_for_case(
            case, needs=form.cleaned_data["needs"], province=form.cleaned_data["province"])
    audit_record("case.viewed", actor=request.user, target=case,
                 details={"page": "referrals:new"})
    return render(request, "referrals/referral_new.html", {
        "case": case, "form": form, "suggestions": suggestions}, status=status)


def detail_context(request, referral, **extra) -> dict:
    context = {
        "referral": referral, "case": referral.case,
        "timeline": selectors.referral_timeline(referral),
        "thread": selectors.referral_thread(referral),
        "targets": selectors.allowed_targets(request.user, referral),
        "can_message": can_post_message(request.user, referral),
        "message_form": MessageForm(),
        "sent_rows": packets.packet_rows(referral.packet),
        "sent_withheld": packets.withheld_labels(referral.packet),
    }
    if referral.status == ReferralStatus.DRAFT:
        preview = selectors.draft_preview(referral)
        context.update(
            readiness=selectors.send_readiness(referral), preview=preview,
            send_form=SendForm(initial={"fingerprint": preview["fingerprint"]}),
            minimum_labels=[packets.field_label(name) for name in
                            packets.share_profile(referral.service_type).minimum],
            fields_form=PacketFieldsForm(service_type=referral.service_type, initial={
                "fields": referral.packet_fields,
                "coordinator_note": referral.coordinator_note}))
    context.update(extra)
    return context


def render_detail(request, referral, status: int = 200, **extra):
    audit_record("referral.viewed", actor=request.user, target=referral,
                 details={"case": referral.case_id, "status": referral.status})
    return render(request, "referrals/referral_detail.html",
                  detail_context(request, referral, **extra), status=status)


@access(CASE_WORKERS)
@require_http_methods(["GET"])
def referral_detail(request, reference: str):
    return render_detail(request, scoped_referral(request, reference))


@access(CASE_WORKERS)
@require_http_methods(["POST"])
def referral_fields(request, reference: str):
    referral = scoped_referral(request, reference)
    form = PacketFieldsForm(request.POST, service_type=referral.service_type)
    if not form.is_valid():
        messages.error(request, _("Check the fields to share."))
        return render_detail(request, referral, BAD_FORM, fields_form=form)
    try:
        services.referral_update_draft(actor=request.user, referral=referral,
                                       fields=form.cleaned_data["fields"],
                                       note=form.cleaned_data["coordinator_note"])
    except ValidationError as error:
        messages.error(request, error_text(error))
        return render_detail(request, referral, REFUSED)
    messages.success(request, _("Packet updated. Check the preview before sending."))
    return redirect("referrals:referral_detail", reference=referral.reference)


@access(CASE_WORKERS)
@require_http_methods(["GET"])
def referral_preview(request, reference: str):
    """What the partner receives, printable for the client, in the client's language."""
    referral = scoped_referral(request, reference)
    language = packets.client_language(referral.case)
    packet = referral.packet if referral.status != ReferralStatus.DRAFT \
        else services.packet_for(referral)
    with translation.override(language):
        response = render(request, "referrals/packet_print.html", {
            "referral": referral, "language": language, "rows": packets.packet_rows(packet),
            "withheld": packets.withheld_labels(packet),
            "is_draft": referral.status == ReferralStatus.DRAFT})
    audit_record("referral.packet_previewed", actor=request.user, target=referral,
                 details={"case": referral.case_id, "language": language})
    return response


@access(CASE_WORKERS)
@require_http_methods(["POST"])
def referral_send(request, reference: str):
    referral = scoped_referral(request, reference)
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Open the preview and send from there."))
        return render_detail(request, referral, BAD_FORM)
    try:
        services.referral_send(actor=request.user, referral=referral,
                               preview_fingerprint=form.cleaned_data["fingerprint"])
    except ValidationError as error:
        messages.error(request, error_text(error))
        return render_detail(request, selectors.referral_for(request.user, reference),
                             REFUSED)
    messages.success(request, _("Sent. The partner is notified (without any personal data) "
                                "and sees the packet in their portal."))
    return redirect("referrals:referral_detail", reference=referral.reference)


@access(CASE_WORKERS)
@require_http_methods(["POST"])
def referral_withdraw(request, reference: str):
    referral = scoped_referral(request, reference)
    try:
        services.referral_withdraw(actor=request.user, referral=referral)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return render_detail(request, referral, REFUSED)
    messages.success(request, _("Withdrawn. The partner no longer sees the packet."))
    return redirect("referrals:referral_detail", reference=referral.reference)


@access(CASE_WORKERS)
@require_http_methods(["POST"])
def referral_discard(request, reference: str):
    referral = scoped_referral(request, reference)
    number = referral.case.number
    try:
        services.referral_discard(actor=request.user, referral=referral)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return render_detail(request, referral, REFUSED)
    messages.success(request, _("Draft discarded."))
    return redirect("intake:case_detail", number=number)


@access(CASE_WORKERS)
@require_http_methods(["POST"])
def referral_message(request, reference: str):
    referral = scoped_referral(request, reference)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a message (at most 5000 characters)."))
        return render_detail(request, referral, BAD_FORM, message_form=form)
    try:
        services.referral_message_post(actor=request.user, referral=referral,
                                       body=form.cleaned_data["body"],
                                       submission=form.cleaned_data["submission"])
    except ValidationError as error:
        messages.error(request, error_text(error))
        return render_detail(request, referral, REFUSED)
    messages.success(request, _("Message sent."))
    return redirect(reverse("referrals:referral_detail",
                            kwargs={"reference": referral.reference}) + "#thread")
