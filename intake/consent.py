"""Recording and withdrawing consent, and finding the consent that covers a referral."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import Case, CaseEvent, Consent
from northstar.accounts.models import Organisation
from northstar.audit.services import audit_record

# Callables (consent) -> None run when a consent is withdrawn, in the same transaction: the
# referrals app registers one that notifies partners and closes their access to packets.
CONSENT_WITHDRAWN_HOOKS: list = []


def register_consent_withdrawn_hook(hook) -> None:
    if hook not in CONSENT_WITHDRAWN_HOOKS:
        CONSENT_WITHDRAWN_HOOKS.append(hook)


def validate_consent(*, partner: Organisation | None, service_type: str,
                     given_on: datetime.date, expires_on: datetime.date | None) -> None:
    errors = {}
    if bool(partner) == bool(service_type):
        errors["partner"] = _("Choose either one partner organisation or one service type.")
    if partner is not None and not partner.is_partner:
        errors["partner"] = _("Consent can only name a partner organisation.")
    if given_on > timezone.localdate():
        errors["given_on"] = _("The date consent was given cannot be in the future.")
    if expires_on is not None and expires_on < given_on:
        errors["expires_on"] = _("The expiry cannot be before the date consent was given.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def consent_record(*, actor, case: Case, purpose: str, method: str, given_by: str,
                   given_on: datetime.date, partner: Organisation | None = None,
                   service_type: str = "", expires_on: datetime.date | None = None,
                   notes: str = "") -> Consent:
    validate_consent(partner=partner, service_type=service_type, given_on=given_on,
                     expires_on=expires_on)
    consent = Consent.objects.create(
        case=case, purpose=purpose, partner=partner, service_type=service_type, method=method,
        given_by=given_by, given_on=given_on, expires_on=expires_on, notes=notes,
        recorded_by=actor)
    scope = {"partner": partner.pk} if partner else {"service_type": service_type}
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.CONSENT_RECORDED, actor=actor,
                             details={"consent": consent.pk, **scope})
    audit_record("case.consent_recorded", actor=actor, target=case,
                 details={"consent": consent.pk, "purpose": purpose, "method": method,
                          **scope})
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent) -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    for hook in CONSENT_WITHDRAWN_HOOKS:
        hook(consent)
    CaseEvent.objects.create(case_id=consent.case_id, kind=CaseEvent.Kind.CONSENT_WITHDRAWN,
                             actor=actor, details={"consent": consent.pk})
    audit_record("case.consent_withdrawn", actor=actor, object_type="intake.case",
                 object_id=consent.case_id, details={"consent": consent.pk})
    return consent


def consents_in_force(case: Case, on: datetime.date | None = None):
    on = on or timezone.localdate()
    return case.consents.filter(withdrawn_at__isnull=True, given_on__lte=on).exclude(
        expires_on__lt=on)


def consent_covering(case: Case, *, partner_id: int, service_type: str,
                     on: datetime.date | None = None) -> Consent | None:
    """The consent in force that covers sending to this partner for this service type:
    one naming the partner, else one naming the service type."""
    candidates = list(consents_in_force(case, on))
    named = [c for c in candidates if c.partner_id == partner_id]
    typed = [c for c in candidates if not c.partner_id and c.service_type == service_type]
    return (named or typed or [None])[0]
