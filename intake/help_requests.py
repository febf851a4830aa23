"""Writes on help requests from the public form: receive, rate-limit, convert, dismiss, purge.

The public side never looks anything up: a submission is stored (or silently dropped by the
honeypot, or refused by the rate limit) without checking whether the person already has a
case, so nothing the public pages answer can reveal it. Counsellors see the duplicate warning
(blind index) on the first intake step once they convert a request.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from intake.models import Case, HelpRequest, HelpRequestStatus
from intake.services import case_create
from northstar.audit.services import audit_record

RATE_LIMIT_KEY_SALT = "northstar.help-requests.rate-limit"


def help_request_rate_limit_hit(client_address: str) -> bool:
    """Count one submission from ``client_address``; True when it is over the limit
    (``HELP_REQUEST_RATE_LIMIT`` submissions per ``HELP_REQUEST_RATE_WINDOW_SECONDS``).

    The cache key is a keyed hash of the address, so not even the cache holds it. The window
    is fixed: it starts at the first submission and its counter expires with it.
    """
    digest = salted_hmac(RATE_LIMIT_KEY_SALT, client_address, algorithm="sha256").hexdigest()
    key = f"help-request-rate:{digest[:32]}"
    cache.add(key, 0, timeout=settings.HELP_REQUEST_RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this submission opens a new window
        cache.add(key, 1, timeout=settings.HELP_REQUEST_RATE_WINDOW_SECONDS)
        count = 1
    return count > settings.HELP_REQUEST_RATE_LIMIT


@transaction.atomic
def help_request_submit(*, name: str, contact_method: str, contact_details: str,
                        preferred_language: str, message: str) -> HelpRequest:
    """Store a request from the public form (the form has checked consent). No lookup of
    existing clients happens here, on purpose (see the module docstring)."""
    now = timezone.now()
    help_request = HelpRequest.objects.create(
        name=name, contact_method=contact_method, contact_details=contact_details,
        preferred_language=preferred_language, message=message, consent_given_at=now,
        created_at=now)
    audit_record("help_request.received", target=help_request,
                 details={"language": preferred_language})
    return help_request


def locked_new_request(help_request: HelpRequest) -> HelpRequest | None:
    """The request, locked for update, if it is still new (a second click finds it handled)."""
    locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    return locked if locked.status == HelpRequestStatus.NEW else None


@transaction.atomic
def help_request_convert(*, actor, help_request: HelpRequest) -> Case:
    """Turn a new request into a client and a draft case (assigned to ``actor``) carrying the
    name, contact method and details and the language. Raises ``ValidationError`` when the
    request was already handled (nothing changes)."""
    locked = locked_new_request(help_request)
    if locked is None:
        raise ValidationError(_("This request has already been handled."), code="handled")
    case = case_create(actor=actor, given_name=locked.name)
    client = case.client
    client.contact_method = locked.contact_method
    client.contact_details = locked.contact_details
    client.preferred_language = locked.preferred_language
    client.languages = [locked.preferred_language]
    client.save(update_fields=["contact_method", "contact_details", "preferred_language",
                               "languages"])
    locked.status = HelpRequestStatus.CONVERTED
    locked.case = case
    locked.handled_by = actor
    locked.handled_at = timezone.now()
    locked.save(update_fields=["status", "case", "handled_by", "handled_at"])
    audit_record("help_request.converted", actor=actor, target=locked,
                 details={"case": case.number})
    return case


@transaction.atomic
def help_request_dismiss(*, actor, help_request: HelpRequest, reason: str) -> HelpRequest:
    """Close a new request without a case. Raises ``ValidationError`` when it was already
    handled (nothing changes)."""
    locked = locked_new_request(help_request)
    if locked is None:
        raise ValidationError(_("This request has already been handled."), code="handled")
    locked.status = HelpRequestStatus.DISMISSED
    locked.dismiss_reason = reason
    locked.handled_by = actor
    locked.handled_at = timezone.now()
    locked.save(update_fields=["status", "dismiss_reason", "handled_by", "handled_at"])
    audit_record("help_request.dismissed", actor=actor, target=locked,
                 details={"reason": reason})
    return locked


def wipe_help_request(help_request: HelpRequest) -> None:
    help_request.name = ""
    help_request.contact_method = ""
    help_request.contact_details = ""
    help_request.message = ""
    help_request.purged_at = timezone.now()
    help_request.save(update_fields=["name", "contact_method", "contact_details", "message",
                                     "purged_at"])


@transaction.atomic
def help_request_purge(*, help_request: HelpRequest, reason: str) -> None:
    locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    if locked.purged_at is not None:
        return
    wipe_help_request(locked)
    audit_record("help_request.purged", target=locked, details={"reason": reason})


def help_requests_purge_expired(*, now=None) -> int:
    """Remove the personal fields of every request handled (converted or dismissed) more
    than ``HELP_REQUEST_RETENTION_DAYS`` ago. New requests wait for a counsellor. Returns how
    many were purged."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.HELP_REQUEST_RETENTION_DAYS)
    due = HelpRequest.objects.exclude(status=HelpRequestStatus.NEW).filter(
        handled_at__lt=cutoff, purged_at__isnull=True).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        help_request_purge(help_request=HelpRequest(pk=pk), reason="retention")
        count += 1
    return count


def help_request_purge_hook(case: Case) -> None:
    """For ``intake.lifecycle.register_purge_hook``: a purged or erased case takes the copy
    of the person's details in the request it came from with it."""
    for pk in HelpRequest.objects.filter(case=case, purged_at__isnull=True).values_list(
            "pk", flat=True):
        help_request_purge(help_request=HelpRequest(pk=pk), reason="case_purged")
