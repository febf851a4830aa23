"""The partner portal (``/portal/``): a partner user's queues, the packet, answers, progress,
completion or hand-back, and the thread with the coordinator.

Only partner users reach these views (policy); only their organisation's referrals are in
scope (others are 404, like absent ones). The portal never loads the case or the client:
what a partner sees is the packet snapshot, nothing else, and only while the referral is open
and the consent it was sent under stands. Opening a packet is audited as a read; every
answer and message is audited by its service.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from northstar.accounts.models import Role
from northstar.accounts.permissions import access, roles
from northstar.audit.services import audit_record
from referrals import packets, selectors, services
from referrals.forms import AnswerNoteForm, DeclineForm, PartnerMessageForm, RequiredNoteForm
from referrals.models import Referral
from referrals.permissions import can_open_packet, can_post_message, referrals_visible_to

PARTNERS = roles(Role.PARTNER)
PAGE_SIZE = 25
BAD_FORM = 400
REFUSED = 409
QUEUE_TITLES = {"new": gettext_lazy("New"), "accepted": gettext_lazy("Accepted"),
                "in_progress": gettext_lazy("In progress"), "closed": gettext_lazy("Closed")}


def portal_referral_for(request, reference: str) -> Referral:
    referral = (referrals_visible_to(request.user).select_related("service", "consent")
                .filter(reference=reference, case__purged_at__isnull=True).first())
    if referral is None:
        raise Http404
    return referral


@access(PARTNERS)
@require_http_methods(["GET"])
def portal_queue(request):
    queue = request.GET.get("queue", "new")
    if queue not in selectors.PORTAL_QUEUES:
        queue = "new"
    page = Paginator(selectors.portal_queue_for(request.user, queue), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "referrals/portal/queue.html", {
        "queue": queue, "page": page, "counts": selectors.portal_queue_counts(request.user),
        "titles": {name: str(title) for name, title in QUEUE_TITLES.items()},
        "organisation": request.user.organisation, "now": timezone.now()})


def render_referral(request, referral: Referral, status: int = 200, **forms):
    packet_open = can_open_packet(request.user, referral)
    audit_record("referral.packet_opened" if packet_open else "referral.viewed",
                 actor=request.user, target=referral,
                 details={"partner": referral.partner_id, "status": referral.status,
                          "fields": referral.packet_fields if packet_open else []})
    context = {
        "referral": referral, "packet_open": packet_open,
        "rows": packets.packet_rows(referral.packet) if packet_open else [],
        "withheld": packets.withheld_labels(referral.packet) if packet_open else [],
        "targets": selectors.allowed_targets(request.user, referral),
        "thread": selectors.referral_thread(referral),
        "can_message": can_post_message(request.user, referral),
        "accept_form": AnswerNoteForm(prefix="accept"), "decline_form": DeclineForm(),
        "complete_form": AnswerNoteForm(prefix="complete"),
        "hand_back_form": RequiredNoteForm(prefix="hand_back"),
        "message_form": PartnerMessageForm(), **forms,
    }
    return render(request, "referrals/portal/referral.html", context, status=status)


@access(PARTNERS)
@require_http_methods(["GET"])
def portal_referral(request, reference: str):
    return render_referral(request, portal_referral_for(request, reference))


def answered(request, referral: Referral, change, form=None, form_name: str = ""):
    """Run one change; on refusal, the referral page again with the reason."""
    if form is not None and not form.is_valid():
        messages.error(request, _("Check the form."))
        return render_referral(request, referral, BAD_FORM, **{form_name: form})
    try:
        change(form.cleaned_data if form is not None else {})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render_referral(request, portal_referral_for(request, referral.reference),
                               REFUSED)
    return redirect("referrals:portal_referral", reference=referral.reference)


@access(PARTNERS)
@require_http_methods(["POST"])
def portal_accept(request, reference: str):
    referral = portal_referral_for(request, reference)
    response = answered(request, referral, lambda data: services.referral_accept(
        actor=request.user, referral=referral, note=data["note"]),
        AnswerNoteForm(request.POST, prefix="accept"), "accept_form")
    if response.status_code == 302:
        messages.success(request, _("Accepted. The coordinator is told."))
    return response


@access(PARTNERS)
@require_http_methods(["POST"])
def portal_decline(request, reference: str):
    referral = portal_referral_for(request, reference)
    response = answered(request, referral, lambda data: services.referral_decline(
        actor=request.user, referral=referral, reason=data["reason"], note=data["note"]),
        DeclineForm(request.POST), "decline_form")
    if response.status_code == 302:
        messages.success(request, _("Declined. The coordinator will look for another "
                                    "partner."))
    return response


@access(PARTNERS)
@require_http_methods(["POST"])
def portal_start(request, reference: str):
    referral = portal_referral_for(request, reference)
    response = answered(request, referral, lambda data: services.referral_start(
        actor=request.user, referral=referral))
    if response.status_code == 302:
        messages.success(request, _("Marked as in progress."))
    return response


@access(PARTNERS)
@require_http_methods(["POST"])
def portal_complete(request, reference: str):
    referral = portal_referral_for(request, reference)
    response = answered(request, referral, lambda data: services.referral_complete(
        actor=request.user, referral=referral, note=data["note"]),
        AnswerNoteForm(request.POST, prefix="complete"), "complete_form")
    if response.status_code == 302:
        messages.success(request, _("Completed. Thank you."))
    return response


@access(PARTNERS)
@require_http_methods(["POST"])
def portal_hand_back(request, reference: str):
    referral = portal_referral_for(request, reference)
    response = answered(request, referral, lambda data: services.referral_hand_back(
        actor=request.user, referral=referral, note=data["note"]),
        RequiredNoteForm(request.POST, prefix="hand_back"), "hand_back_form")
    if response.status_code == 302:
        messages.success(request, _("Handed back to the coordinator."))
    return response


@access(PARTNERS)
@require_http_methods(["POST"])
def portal_message(request, reference: str):
    referral = portal_referral_for(request, reference)
    form = PartnerMessageForm(request.POST)
    response = answered(request, referral, lambda data: services.referral_message_post(
        actor=request.user, referral=referral, body=data["body"],
        is_progress_update=data["is_progress_update"], submission=data["submission"]),
        form, "message_form")
    if response.status_code == 302:
        messages.success(request, _("Message sent."))
        return redirect(reverse("referrals:portal_referral",
                                kwargs={"reference": referral.reference}) + "#thread")
    return response
