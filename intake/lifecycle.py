"""End of a case's life: retention purge of closed cases, and erasure on request.

A purge removes every piece of personal data (client identity and contact, facts, notes,
documents, screening details) and keeps only the anonymised statistical record: status,
dates, urgency level, the coarse fields ``stat_*`` and the outcome words of the screening.
The client record itself is wiped once none of their cases holds personal data.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import Case, CaseEvent, CaseStatus, Client, CloseReason, ErasureRequest
from intake.permissions import can_confirm_erasure, can_request_erasure
from northstar.audit.services import audit_record

PURGE_HOOKS: list = []  # callables (case) -> None registered by other apps (documents, packets)


def register_purge_hook(hook) -> None:
    if hook not in PURGE_HOOKS:
        PURGE_HOOKS.append(hook)


def wipe_case(case: Case) -> None:
    for block in ("person", "plan", "canadian_history"):
        setattr(case, block, {})
    for block in ("parents", "relatives_in_canada", "spouse", "prior_claims",
                  "canadian_documents", "recognized_refugee_elsewhere", "criminality", "fear",
                  "economic"):
        setattr(case, block, None)
    case.detention_risk = None
    case.removal_date = None
    case.urgency_notes = ""
    case.household = []


def wipe_client(client: Client) -> None:
    client.given_name = ""
    client.family_name = ""
    client.aliases = []
    client.date_of_birth = None
    client.languages = []
    client.preferred_language = ""
    client.contact_method = ""
    client.contact_details = ""
    client.safe_to_call = None
    client.safe_to_leave_message = None
    client.code_word = ""
    client.contact_notes = ""
    client.us_city = ""
    client.us_state = ""
    client.purged_at = timezone.now()
    client.save()
    client.name_indexes.all().delete()


@transaction.atomic
def case_purge(*, case: Case, reason: str, actor=None) -> Case:
    case = Case.objects.select_for_update().select_related("client").get(pk=case.pk)
    if case.purged_at is not None:
        return case
    for hook in PURGE_HOOKS:
        hook(case)
    wipe_case(case)
    case.notes.all().delete()
    case.assessments.all().delete()
    case.erasure_requests.update(reason="")
    if case.status != CaseStatus.CLOSED:
        case.status = CaseStatus.CLOSED
        case.closed_at = timezone.now()
        case.close_reason = CloseReason.OTHER
    case.purged_at = timezone.now()
    case.save()
    if not case.client.cases.filter(purged_at__isnull=True).exclude(pk=case.pk).exists():
        wipe_client(case.client)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.PURGED, actor=actor,
                             details={"reason": reason})
    audit_record("case.purged", actor=actor, target=case, details={"reason": reason})
    return case


def purge_expired_closed_cases(*, now=None) -> int:
    """Purge every case closed more than RETENTION_DAYS ago. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.RETENTION_DAYS)
    due = Case.objects.filter(status=CaseStatus.CLOSED, closed_at__lt=cutoff,
                              purged_at__isnull=True).values_list("pk", flat=True)
    count = 0
    for case_id in list(due):
        case_purge(case=Case(pk=case_id), reason="retention")
        count += 1
    return count


@transaction.atomic
def erasure_request_create(*, actor, case: Case, reason: str = "") -> ErasureRequest:
    if not can_request_erasure(actor):
        raise PermissionDenied
    existing = case.erasure_requests.filter(decided_at__isnull=True).first()
    if existing is not None:
        return existing
    request = ErasureRequest.objects.create(case=case, requested_by=actor, reason=reason)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.ERASURE_REQUESTED, actor=actor)
    audit_record("case.erasure_requested", actor=actor, target=case,
                 details={"request": request.pk})
    return request


@transaction.atomic
def erasure_decide(*, actor, request: ErasureRequest, approve: bool) -> ErasureRequest:
    """An admin confirms (every case of that client is purged) or rejects the request. The
    person who asked cannot confirm their own request."""
    if not can_confirm_erasure(actor):
        raise PermissionDenied
    request = ErasureRequest.objects.select_for_update().select_related("case").get(
        pk=request.pk)
    if request.decided_at is not None:
        raise ValidationError(_("This request was already decided."), code="decided")
    if request.requested_by_id == actor.pk:
        raise ValidationError(_("Another administrator must confirm your own request."),
                              code="four_eyes")
    request.decided_by, request.decided_at, request.approved = actor, timezone.now(), approve
    request.save(update_fields=["decided_by", "decided_at", "approved"])
    audit_record("case.erasure_decided", actor=actor, target=request.case,
                 details={"request": request.pk, "approved": approve})
    if approve:
        for case in request.case.client.cases.filter(purged_at__isnull=True):
            case_purge(case=case, reason="erasure_request", actor=actor)
    return request
