"""Service levels: reminder, escalation (dashboard and e-mail), expiry — each once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from intake.models import CaseStatus
from northstar.audit.models import AuditEvent
from referrals.models import OutboxMessage, Referral, ReferralEvent
from referrals.models import ReferralStatus as S
from referrals.outbox import outbox_deliver
from referrals.sla import referrals_sla_sweep
from referrals.tasks import sla_sweep
from tests.helpers import sign_in
from tests.referrals.referral_helpers import draft_for, make_world, walk_to

pytestmark = pytest.mark.django_db


def sent_hours_ago(world, hours: float, status=S.SENT) -> Referral:
    referral = walk_to(draft_for(world.case, world.partner, world.coordinator), status,
                       coordinator=world.coordinator, partner=world.partner.user)
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=timezone.now() - timedelta(hours=hours))
    return Referral.objects.get(pk=referral.pk)


def kinds(referral) -> list[tuple[str, str]]:
    return sorted(OutboxMessage.objects.filter(referral=referral).exclude(
        kind="referral_sent").values_list("kind", "recipient_organisation__kind"))


def test_the_settings_and_the_beat_schedule():
    assert (settings.REFERRAL_REMINDER_HOURS, settings.REFERRAL_ESCALATE_HOURS,
            settings.REFERRAL_EXPIRE_DAYS) == (48, 96, 14)
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"referrals.sweep_outbox", "referrals.sla_sweep"} <= tasks


def test_nothing_happens_before_the_reminder_is_due():
    world = make_world()
    referral = sent_hours_ago(world, 47)
    assert sla_sweep.delay().get() == {"reminded": 0, "escalated": 0, "expired": 0}
    assert kinds(referral) == []


def test_a_reminder_after_the_reminder_hours_once():
    world = make_world()
    referral = sent_hours_ago(world, 49)
    assert referrals_sla_sweep().reminded == 1
    assert referrals_sla_sweep().reminded == 0
    referral.refresh_from_db()
    assert referral.reminded_at is not None and referral.escalated_at is None
    assert kinds(referral) == [("reminder", "partner")]
    assert ReferralEvent.objects.filter(referral=referral, kind="reminded").count() == 1
    assert AuditEvent.objects.filter(action="referral.reminder", actor_id=None).count() == 1


def test_escalation_reaches_the_dashboard_and_the_coordinators_by_email():
    world = make_world()
    referral = sent_hours_ago(world, 97)
    waiting = sent_hours_ago(make_world(), 10)
    result = referrals_sla_sweep()
    assert (result.reminded, result.escalated, result.expired) == (1, 1, 0)
    assert kinds(referral) == [("escalation", "network"), ("reminder", "partner")]
    escalation = OutboxMessage.objects.get(referral=referral, kind="escalation")
    mail.outbox.clear()
    assert outbox_deliver(escalation.pk) == "delivered"
    assert world.coordinator.email in mail.outbox[0].bcc
    assert world.partner.user.email not in mail.outbox[0].bcc
    assert referral.reference in mail.outbox[0].body and "Marisol" not in mail.outbox[0].body
    html = sign_in(Client(), world.coordinator).get("/referrals/").content.decode()
    overdue = html[html.index('data-section="overdue"'):]
    overdue = overdue[:overdue.index("</table>")]
    assert f'data-referral="{referral.reference}"' in overdue
    assert waiting.reference not in overdue
    waiting_section = html[html.index('data-section="waiting"'):]
    assert f'data-referral="{waiting.reference}"' in waiting_section[
        :waiting_section.index("</table>")]


def test_expiry_after_the_expiry_days_closes_the_referral_without_a_late_reminder():
    world = make_world()
    referral = sent_hours_ago(world, 14 * 24 + 1)
    result = referrals_sla_sweep()
    assert (result.reminded, result.escalated, result.expired) == (0, 0, 1)
    referral.refresh_from_db()
    assert (referral.status, referral.closed_at is not None) == (S.EXPIRED, True)
    assert kinds(referral) == [("expired", "network"), ("expired", "partner")]
    event = ReferralEvent.objects.get(referral=referral, to_status=S.EXPIRED)
    assert (event.actor, event.details) == (None, {"cause": "no_answer"})
    assert AuditEvent.objects.get(action="referral.expired").actor_id is None
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.OPEN
    # Re-running finds nothing; the portal no longer shows the packet.
    assert referrals_sla_sweep().expired == 0
    page = sign_in(Client(), world.partner.user).get(
        f"/portal/referrals/{referral.reference}/").content.decode()
    assert "data-packet-field" not in page


def test_answered_referrals_are_left_alone():
    world = make_world()
    referral = sent_hours_ago(world, 30 * 24, status=S.ACCEPTED)
    result = referrals_sla_sweep()
    assert (result.reminded, result.escalated, result.expired) == (0, 0, 0)
    assert Referral.objects.get(pk=referral.pk).status == S.ACCEPTED


def test_the_deadlines_come_from_the_settings(settings):
    settings.REFERRAL_REMINDER_HOURS = 1
    settings.REFERRAL_ESCALATE_HOURS = 2
    settings.REFERRAL_EXPIRE_DAYS = 1
    world = make_world()
    reminded = sent_hours_ago(world, 1.5)
    escalated = sent_hours_ago(make_world(), 3)
    expired = sent_hours_ago(make_world(), 25)
    result = referrals_sla_sweep()
    assert (result.reminded, result.escalated, result.expired) == (2, 1, 1)
    assert Referral.objects.get(pk=reminded.pk).escalated_at is None
    assert Referral.objects.get(pk=escalated.pk).escalated_at is not None
    assert Referral.objects.get(pk=expired.pk).status == S.EXPIRED


def test_a_withdrawn_referral_is_not_reminded():
    world = make_world()
    referral = sent_hours_ago(world, 100, status=S.WITHDRAWN)
    assert referrals_sla_sweep().reminded == 0
    assert kinds(referral) == [("withdrawn", "partner")]
