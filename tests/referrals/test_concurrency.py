"""Acceptance 2: concurrent sends of one referral (threads against PostgreSQL) make exactly
one sent referral and one outbox row; a consent withdrawn while referrals are being sent never
leaves a packet shared without consent (and does not deadlock)."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connections
from django.test import Client

from intake.consent import consent_withdraw
from northstar.audit.models import AuditEvent
from referrals import services
from referrals.models import OutboxMessage, Referral, ReferralEvent
from referrals.models import ReferralStatus as S
from referrals.selectors import draft_preview
from tests.helpers import sign_in
from tests.referrals.referral_helpers import draft_for, give_consent, make_partner, make_world

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 10


def run_together(count: int, work) -> list:
    """Run ``work(index)`` in ``count`` threads released at once; each thread has its own
    database connection (closed at the end). Returns the results (or exceptions)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_ten_concurrent_http_sends_make_one_sent_referral_and_one_outbox_row(
        require_postgres):
    world = make_world()
    referral = draft_for(world.case, world.partner, world.coordinator)
    fingerprint = draft_preview(referral)["fingerprint"]
    clients = [sign_in(Client(), world.coordinator) for _ in range(THREADS)]
    url = f"/referrals/{referral.reference}/send/"
    statuses = run_together(THREADS, lambda index: clients[index].post(
        url, {"fingerprint": fingerprint}).status_code)
    assert sorted(statuses) == [302] + [409] * (THREADS - 1)
    referral.refresh_from_db()
    assert referral.status == S.SENT
    assert Referral.objects.filter(status=S.SENT).count() == 1
    assert OutboxMessage.objects.count() == 1
    assert ReferralEvent.objects.filter(referral=referral, to_status=S.SENT).count() == 1
    assert AuditEvent.objects.filter(action="referral.sent").count() == 1
    assert len(mail.outbox) == 1  # delivered in-process after the one commit


def test_ten_concurrent_service_sends_one_wins_the_others_are_refused(require_postgres):
    world = make_world()
    referral = draft_for(world.case, world.partner, world.coordinator)
    results = run_together(THREADS, lambda index: services.referral_send(
        actor=world.coordinator, referral=Referral.objects.get(pk=referral.pk)))
    sent = [result for result in results if isinstance(result, Referral)]
    refused = [result for result in results if isinstance(result, services.ReferralRefused)]
    assert (len(sent), len(refused)) == (1, THREADS - 1), results
    assert {error.code for error in refused} == {"not_allowed"}
    assert OutboxMessage.objects.count() == 1


def test_a_consent_withdrawn_during_sends_leaves_no_packet_shared(require_postgres):
    world = make_world()
    case, coordinator = world.case, world.coordinator
    partners = [make_partner() for _ in range(4)]
    consents = [give_consent(case, coordinator, partner=partner) for partner in partners]
    drafts = [draft_for(case, partner, coordinator) for partner in partners]

    def work(index: int):
        if index < len(drafts):
            return services.referral_send(actor=coordinator,
                                          referral=Referral.objects.get(pk=drafts[index].pk))
        for consent in consents:
            consent_withdraw(actor=coordinator, consent=consent)
        return "withdrawn"

    results = run_together(len(drafts) + 1, work)
    assert not [r for r in results if isinstance(r, Exception)
                and not isinstance(r, services.ReferralRefused)], results
    for draft in drafts:
        referral = Referral.objects.get(pk=draft.pk)
        # Either the send lost the race (still a draft, nothing shared) or it won and the
        # withdrawal then took the packet back and told the partner.
        assert referral.status in (S.DRAFT, S.WITHDRAWN), referral.status
        assert referral.packet is None
        if referral.status == S.WITHDRAWN:
            assert OutboxMessage.objects.filter(referral=referral,
                                                kind="consent_withdrawn").count() == 1
