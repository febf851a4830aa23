"""Writes on referrals. Each is atomic, leaves an event on the referral (and the case
timeline), queues its notifications in the same transaction (``referrals.outbox``) and writes
its audit row last.

Every status change goes through ``referral_transition``, driven by the table in
``referrals.transitions``; the named functions (``referral_send``, ``referral_accept``, …) are
thin wrappers that say which change they want.

Locks are always taken in the same order — consent, then case, then referral — the order the
consent withdrawal (``intake.consent.consent_withdraw`` → our hook) and the purge
(``intake.lifecycle.case_purge`` → our hook) also follow, so none of them can deadlock with a
send. Ten concurrent sends of one referral serialise on the referral's row lock: the first
finds it a draft and sends it, the others find it sent and are refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import Case, CaseEvent, CaseStatus, Consent, ConsentPurpose
from northstar.accounts.models import Organisation
from northstar.audit.services import audit_record
from referrals import packets
from referrals.directory.selectors import has_valid_agreement
from referrals.models import (
    DeclineReason,
    PartnerService,
    Referral,
    ReferralEvent,
    ReferralEventKind,
    ReferralMessage,
    ReferralStatus,
    ServiceStatus,
)
from referrals.outbox import outbox_enqueue
from referrals.permissions import (
    acting_roles,
    can_post_message,
    can_prepare_referrals,
    can_transition,
    referrals_visible_to,
)
from referrals.transitions import (
    CASE_REFERABLE,
    CONSENT_AND_AGREEMENT,
    DECLINE_REASON,
    NOTE_REQUIRED,
    PREVIEW_UNCHANGED,
    TO_PARTNER,
    Transition,
    transition_for,
)

# Statuses that mean "this case has been handed off" (the case shows as referred).
HANDED_OFF = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS,
              ReferralStatus.COMPLETED)
# Statuses of a referral still in play (a second one to the same partner is not prepared).
UNFINISHED = (ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED,
              ReferralStatus.IN_PROGRESS)
REFERABLE_CASE_STATUSES = (CaseStatus.OPEN, CaseStatus.REFERRED)


class ReferralRefused(ValidationError):
    """A change the table or a check refuses. ``code`` says which: ``not_allowed`` (not from
    this status), ``no_consent``, ``no_agreement``, ``case_not_referable``,
    ``preview_changed``, ``reason_required``, ``note_required``."""


@dataclass
class TransitionInput:
    """What the caller adds to a change: the partner's note, the decline reason, the
    fingerprint of the previewed packet, and (for the system) why it happens."""

    note: str = ""
    reason: str = ""
    preview_fingerprint: str | None = None
    cause: str = ""
    notice: str = ""
    details: dict = field(default_factory=dict)


# --- create and edit drafts -----------------------------------------------------------------

@transaction.atomic
def referral_create(*, actor, case: Case, service: PartnerService,
                    fields: list[str] | None = None, note: str = "") -> Referral:
    """A draft referral of ``case`` to ``service`` (its organisation and type), with the
    minimum packet fields. If an unfinished referral to that partner for that service type
    exists, it is returned instead (the case row lock serialises two clicks)."""
    if not can_prepare_referrals(actor):
        raise PermissionDenied
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_case_referable(case, for_sending=False)
    if service.status != ServiceStatus.ACTIVE or not service.organisation.is_partner \
            or not service.organisation.is_active:
        raise ReferralRefused(_("This service does not take referrals."), code="service")
    existing = Referral.objects.filter(
        case=case, partner_id=service.organisation_id, service_type=service.service_type,
        status__in=UNFINISHED).first()
    if existing is not None:
        return existing
    referral = Referral.objects.create(
        case=case, partner_id=service.organisation_id, service=service,
        service_type=service.service_type, created_by=actor, coordinator_note=note,
        packet_fields=packets.chosen_fields(service.service_type, fields or ()))
    ReferralEvent.objects.create(referral=referral, kind=ReferralEventKind.CREATED,
                                 actor=actor, to_status=ReferralStatus.DRAFT)
    case_event(referral, actor, ReferralStatus.DRAFT)
    audit_record("referral.created", actor=actor, target=referral,
                 details={"case": case.pk, "partner": referral.partner_id,
                          "service_type": referral.service_type})
    return referral


@transaction.atomic
def referral_update_draft(*, actor, referral: Referral, fields: list[str],
                          note: str) -> Referral:
    """Choose the optional packet fields and the note for the partner, while a draft."""
    referral = locked_in_scope(actor, referral)
    if referral.status != ReferralStatus.DRAFT:
        raise ReferralRefused(_("Only a draft can be changed."), code="not_allowed")
    chosen = packets.chosen_fields(referral.service_type, fields)
    changed = [name for name, value in (("packet_fields", chosen), ("coordinator_note", note))
               if getattr(referral, name) != value]
    referral.packet_fields, referral.coordinator_note = chosen, note
    referral.save(update_fields=["packet_fields", "coordinator_note"])
    ReferralEvent.objects.create(referral=referral, kind=ReferralEventKind.FIELDS_CHANGED,
                                 actor=actor, details={"fields": chosen, "changed": changed})
    audit_record("referral.fields_changed", actor=actor, target=referral,
                 details={"fields": chosen, "changed": changed})
    return referral


@transaction.atomic
def referral_discard(*, actor, referral: Referral) -> None:
    """Delete a draft (it never left the network)."""
    referral = locked_in_scope(actor, referral)
    if referral.status != ReferralStatus.DRAFT:
        raise ReferralRefused(_("Only a draft can be discarded."), code="not_allowed")
    reference, case_id = referral.reference, referral.case_id
    referral.delete()
    CaseEvent.objects.create(case_id=case_id, kind=CaseEvent.Kind.REFERRAL, actor=actor,
                             details={"referral": reference, "status": "discarded"})
    audit_record("referral.discarded", actor=actor, object_type="referrals.referral",
                 object_id=reference, details={"case": case_id})


def locked_in_scope(actor, referral: Referral) -> Referral:
    """The referral, row-locked, if ``actor`` may prepare referrals for its case."""
    if not can_prepare_referrals(actor):
        raise PermissionDenied
    Case.objects.select_for_update().filter(pk=referral.case_id).first()
    locked = referrals_visible_to(actor).select_for_update().filter(pk=referral.pk).first()
    if locked is None:
        raise PermissionDenied
    return locked


# --- the one guarded status change ----------------------------------------------------------

def referral_transition(*, actor, referral: Referral, to: str,
                        given: TransitionInput | None = None) -> Referral:
    """Move ``referral`` to ``to`` if the transitions table allows it for ``actor`` (None: the
    system) and the row's checks pass; stamp, snapshot or close the packet, write the events,
    queue the notifications and audit — all in one transaction. Raises ``PermissionDenied``
    (role or scope) or ``ReferralRefused`` (state or check); nothing changes then."""
    given = given or TransitionInput()
    consent = covering_consent(referral) if to == ReferralStatus.SENT else None
    with transaction.atomic():
        if consent is not None:
            consent = Consent.objects.select_for_update().get(pk=consent.pk)
        case = Case.objects.select_for_update().get(pk=referral.case_id)
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        locked.case = case
        rule = transition_for(locked.status, to)
        if rule is None:
            raise ReferralRefused(_("This referral cannot go from “%(from)s” to “%(to)s”.")
                                  % {"from": locked.get_status_display(),
                                     "to": ReferralStatus(to).label}, code="not_allowed")
        if not can_transition(actor, locked, to):
            raise PermissionDenied
        run_checks(rule, locked, consent, given)
        apply(rule, locked, actor, consent, given)
    return locked


def run_checks(rule: Transition, referral: Referral, consent: Consent | None,
               given: TransitionInput) -> None:
    if CASE_REFERABLE in rule.checks:
        check_case_referable(referral.case, for_sending=True)
    if CONSENT_AND_AGREEMENT in rule.checks:
        check_consent_and_agreement(referral, consent)
    if PREVIEW_UNCHANGED in rule.checks and given.preview_fingerprint is not None:
        current = packets.packet_fingerprint(packet_for(referral, consent))
        if current != given.preview_fingerprint:
            raise ReferralRefused(_("The case changed since the preview. Check the packet "
                                    "again before sending."), code="preview_changed")
    if DECLINE_REASON in rule.checks and given.reason not in DeclineReason.values:
        raise ReferralRefused(_("Choose a reason for declining."), code="reason_required")
    if NOTE_REQUIRED in rule.checks and not given.note.strip():
        raise ReferralRefused(_("Say why, in a note for the coordinator."),
                              code="note_required")


def apply(rule: Transition, referral: Referral, actor, consent: Consent | None,
          given: TransitionInput) -> None:
    now = timezone.now()
    source = referral.status
    referral.status = rule.target
    changed = ["status"]
    for stamp in rule.stamps:
        setattr(referral, stamp, now)
        changed.append(stamp)
    if rule.snapshot_packet:
        referral.packet = {**packet_for(referral, consent), "built_at": now.isoformat()}
        referral.consent = consent
        referral.stat_province = referral.case.stat_province
        referral.stat_age_band = referral.case.stat_age_band
        referral.stat_nationality = referral.case.stat_nationality
        changed += ["packet", "consent", "stat_province", "stat_age_band", "stat_nationality"]
    if given.reason:
        referral.decline_reason = given.reason
        changed.append("decline_reason")
    if given.note:
        referral.answer_note = given.note
        changed.append("answer_note")
    referral.save(update_fields=changed)
    details = {**given.details, **({"cause": given.cause} if given.cause else {}),
               **({"reason": given.reason} if given.reason else {})}
    ReferralEvent.objects.create(referral=referral, kind=ReferralEventKind.TRANSITION,
                                 actor=actor, from_status=source, to_status=rule.target,
                                 created_at=now, details=details)
    case_event(referral, actor, rule.target)
    case_status_sync(referral.case)
    for audience, kind in rule.notify:
        notify(referral, audience, given.notice or kind, key_part=rule.target)
    audit_record(rule.action, actor=actor, target=referral,
                 details={"from": source, "case": referral.case_id,
                          "partner": referral.partner_id, **details,
                          **({"fields": referral.packet_fields}
                             if rule.snapshot_packet else {})})


def notify(referral: Referral, audience: str, kind: str, *, key_part: str) -> None:
    recipient = referral.partner if audience == TO_PARTNER else network_organisation()
    outbox_enqueue(kind=kind, referral=referral, recipient=recipient,
                   key=f"{referral.reference}.{key_part}.{audience}")


def network_organisation() -> Organisation:
    organisation = Organisation.objects.filter(kind=Organisation.Kind.NETWORK).first()
    if organisation is None:  # a fresh install before the first staff invitation
        organisation, _created = Organisation.objects.get_or_create(
            kind=Organisation.Kind.NETWORK, defaults={"name": "Northstar network"})
    return organisation


def case_event(referral: Referral, actor, status: str) -> None:
    CaseEvent.objects.create(case_id=referral.case_id, kind=CaseEvent.Kind.REFERRAL,
                             actor=actor, details={"referral": referral.reference,
                                                   "status": str(status)})


def case_status_sync(case: Case) -> None:
    """An open case shows as referred while it has a referral handed off; back to open when
    none is left (declined, expired, withdrawn, handed back: it needs a new handoff)."""
    handed_off = Referral.objects.filter(case=case, status__in=HANDED_OFF).exists()
    if handed_off and case.status == CaseStatus.OPEN:
        case.status = CaseStatus.REFERRED
    elif not handed_off and case.status == CaseStatus.REFERRED:
        case.status = CaseStatus.OPEN
    else:
        return
    case.save(update_fields=["status"])


# --- the checks -----------------------------------------------------------------------------

def check_case_referable(case: Case, *, for_sending: bool) -> None:
    if case.purged_at is not None or case.status == CaseStatus.CLOSED:
        raise ReferralRefused(_("The case is closed."), code="case_not_referable")
    if for_sending and case.status not in REFERABLE_CASE_STATUSES:
        raise ReferralRefused(_("Complete the intake before sending a referral."),
                              code="case_not_referable")


def consents_for(referral: Referral, purpose: str) -> list[Consent]:
    """Consents in force today for ``purpose`` that cover this partner, the ones naming the
    partner first (the rule of ``intake.consent.consent_covering``, restricted to one
    purpose)."""
    from intake.consent import consents_in_force

    candidates = list(consents_in_force(referral.case).filter(purpose=purpose)
                      .order_by("-given_on", "-pk"))
    named = [c for c in candidates if c.partner_id == referral.partner_id]
    typed = [c for c in candidates if not c.partner_id
             and c.service_type == referral.service_type]
    return named + typed


def covering_consent(referral: Referral) -> Consent | None:
    """The consent to share for a referral that a send would use, or None."""
    found = consents_for(referral, ConsentPurpose.REFERRAL)
    return found[0] if found else None


def contact_consented(referral: Referral) -> bool:
    return bool(consents_for(referral, ConsentPurpose.CONTACT))


def check_consent_and_agreement(referral: Referral, consent: Consent | None) -> None:
    today = timezone.localdate()
    if consent is None or not consent.is_in_force(today) or not consent.covers(
            partner_id=referral.partner_id, service_type=referral.service_type):
        raise ReferralRefused(_("No consent in force covers sharing with this partner for "
                                "this service. Record the client's consent first."),
                              code="no_consent")
    if not has_valid_agreement(referral.partner, today):
        raise ReferralRefused(_("This partner has no data-sharing agreement in force."),
                              code="no_agreement")


def packet_for(referral: Referral, consent: Consent | None = None) -> dict:
    """The packet a send would share now (what the preview shows)."""
    return packets.build_packet(referral.case, service_type=referral.service_type,
                                fields=referral.packet_fields,
                                contact_consented=contact_consented(referral))


# --- named changes --------------------------------------------------------------------------

def referral_send(*, actor, referral: Referral,
                  preview_fingerprint: str | None = None) -> Referral:
    """Send a draft: consent and agreement checked under lock, packet snapshotted and
    encrypted, the partner notified through the outbox."""
    return referral_transition(actor=actor, referral=referral, to=ReferralStatus.SENT,
                               given=TransitionInput(preview_fingerprint=preview_fingerprint))


def referral_accept(*, actor, referral: Referral, note: str = "") -> Referral:
    return referral_transition(actor=actor, referral=referral, to=ReferralStatus.ACCEPTED,
                               given=TransitionInput(note=note))


def referral_decline(*, actor, referral: Referral, reason: str, note: str = "") -> Referral:
    return referral_transition(actor=actor, referral=referral, to=ReferralStatus.DECLINED,
                               given=TransitionInput(reason=reason, note=note))


def referral_start(*, actor, referral: Referral) -> Referral:
    return referral_transition(actor=actor, referral=referral, to=ReferralStatus.IN_PROGRESS)


def referral_complete(*, actor, referral: Referral, note: str = "") -> Referral:
    return referral_transition(actor=actor, referral=referral, to=ReferralStatus.COMPLETED,
                               given=TransitionInput(note=note))


def referral_hand_back(*, actor, referral: Referral, note: str) -> Referral:
    return referral_transition(actor=actor, referral=referral,
                               to=ReferralStatus.HANDED_BACK, given=TransitionInput(note=note))


def referral_withdraw(*, actor, referral: Referral) -> Referral:
    return referral_transition(actor=actor, referral=referral, to=ReferralStatus.WITHDRAWN,
                               given=TransitionInput(cause="coordinator"))


def referral_expire(*, referral: Referral) -> Referral:
    """The SLA task: no answer in time."""
    return referral_transition(actor=None, referral=referral, to=ReferralStatus.EXPIRED,
                               given=TransitionInput(cause="no_answer"))


# --- messages -------------------------------------------------------------------------------

@transaction.atomic
def referral_message_post(*, actor, referral: Referral, body: str,
                          is_progress_update: bool = False,
                          submission: uuid.UUID | None = None) -> ReferralMessage:
    """A message in the thread (encrypted); the other side is notified (no content in the
    e-mail). Partner users may mark it as a progress update. ``submission`` (the form's id)
    makes a repeat harmless: the message it stored is returned, nobody is notified again."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referrals_visible_to(actor).filter(pk=referral.pk).exists():
        raise PermissionDenied
    if submission is not None:
        # The referral row is locked: a second copy of the same form waits here for the first.
        stored = ReferralMessage.objects.filter(referral=referral, submission=submission).first()
        if stored is not None:
            return stored
    if not can_post_message(actor, referral):
        raise ReferralRefused(_("Messages can be written while the referral is open."),
                              code="not_allowed")
    if not body.strip():
        raise ReferralRefused(_("Write a message."), code="empty")
    from_partner = actor.is_partner
    message = ReferralMessage.objects.create(
        referral=referral, author=actor, body=body.strip(),
        is_progress_update=is_progress_update and from_partner, submission=submission)
    audience = "network" if from_partner else TO_PARTNER
    notify(referral, audience, "message", key_part=f"message.{message.pk}")
    audit_record("referral.message_posted", actor=actor, target=referral,
                 details={"message": message.pk, "progress_update":
                          message.is_progress_update, "by": sorted(acting_roles(actor))})
    return message
