"""Redis stopped during intakes and referral sends (issue 8, "Reliability").

Quick tests (default run): a broker error while queueing the screening of a saved step is
logged without personal data and swallowed; the page is the normal one; the beat sweeper
``eligibility.screen_pending`` screens the case later, once.

Fault test: a private redis-server (never the shared one), a real Celery worker with beat, the
cache on that Redis as in production. Redis is SIGKILLed; counsellors then save intake steps
and a coordinator sends referrals through the HTTP client → every answer and every send is
saved, no response is a server error; Redis comes back → every case is screened and every
notification delivered exactly once (counted at a file mail sink by Message-ID).
"""

from __future__ import annotations

import datetime
import logging
import time

import pytest
from django.db.models import F, Q
from django.test import Client
from kombu.exceptions import OperationalError

from eligibility.models import Assessment
from eligibility.services import cases_screen_pending
from eligibility.tasks import screen_case
from intake.models import Case
from intake.services import case_create
from referrals.models import OutboxMessage, Referral
from referrals.models import ReferralStatus as S
from referrals.selectors import draft_preview
from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.intake.intake_helpers import step_post
from tests.referrals.mail_sink import raw_sends
from tests.referrals.test_outbox import (
    assert_exactly_once,
    delivered_count,
    referrals_ready_to_send,
    wait_until,
)

IDENTITY = {"client": {"given_name": "Ondine", "family_name": "Faultline",
                       "date_of_birth": "1990-04-02"},
            "person": {"citizenships": ["HN"], "stateless": False, "born_in_canada": False}}


def unscreened():
    return Case.objects.filter(Q(screened_at__isnull=True) | Q(screened_at__lt=F("updated_at")))


@pytest.mark.django_db
def test_broker_down_a_saved_step_is_screened_later_by_the_sweeper(
        monkeypatch, caplog, django_capture_on_commit_callbacks):
    counsellor = UserFactory(counsellor=True)
    case = case_create(actor=counsellor, given_name="Ondine", family_name="Faultline",
                       date_of_birth=datetime.date(1990, 4, 2))
    queued = []

    def broker_down(*args, **kwargs):
        queued.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(screen_case, "delay", broker_down)
    client = sign_in(Client(), counsellor)
    with caplog.at_level(logging.WARNING, logger="intake.services"), \
            django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cases/{case.number}/intake/identity/",
                               step_post("identity", IDENTITY))
    assert response.status_code == 302  # the normal page, not a server error
    assert queued == [(case.pk,)]  # the task gets the id only
    case.refresh_from_db()
    assert "identity" in case.steps_done and case.client.family_name == "Faultline"
    assert f"case {case.pk}: screening not queued (OperationalError)" in caplog.text
    assert "Ondine" not in caplog.text and case.number not in caplog.text
    assert list(unscreened()) == [case] and Assessment.objects.count() == 0

    monkeypatch.undo()
    assert cases_screen_pending() == 1
    assert Assessment.objects.filter(case=case).count() == 1
    assert list(unscreened()) == []
    assert cases_screen_pending() == 0  # screened: left alone, nothing screened twice
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_the_sweeper_leaves_a_case_screened_since_its_last_save_alone():
    counsellor = UserFactory(counsellor=True)
    case = case_create(actor=counsellor, given_name="Ondine", date_of_birth=None)
    assert cases_screen_pending() == 1
    Case.objects.filter(pk=case.pk).update(updated_at=F("screened_at"))
    assert cases_screen_pending() == 0
    # An unchanged case screened again (same facts, rules and day) is marked as looked at.
    Case.objects.filter(pk=case.pk).update(screened_at=None)
    assert cases_screen_pending() == 1 and Assessment.objects.filter(case=case).count() == 1
    assert list(unscreened()) == []


@pytest.mark.fault
@pytest.mark.worker
@pytest.mark.slow
def test_redis_stopped_during_intakes_and_sends(fault_rig, settings):
    redis, sink, make_worker = fault_rig
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis.url, "KEY_PREFIX": "northstar"}}
    counsellor = UserFactory(counsellor=True)
    cases = [case_create(actor=counsellor, given_name=f"Ondine {index}",
                         date_of_birth=datetime.date(1990, 4, 2 + index)) for index in range(10)]
    coordinator, drafts = referrals_ready_to_send(10)
    Case.objects.update(screened_at=F("updated_at"))  # start from a screened state
    worker = make_worker(SCREEN_PENDING_SWEEP_SECONDS="2").start()
    redis.kill()

    intake_client = sign_in(Client(), counsellor)
    referral_client = sign_in(Client(), coordinator)
    statuses = []
    started = time.monotonic()
    for index, (case, draft) in enumerate(zip(cases, drafts, strict=True)):
        identity = {**IDENTITY, "client": {**IDENTITY["client"],
                                           "given_name": f"Ondine {index}",
                                           "date_of_birth": f"1990-04-{2 + index:02d}"}}
        response = intake_client.post(f"/cases/{case.number}/intake/identity/",
                                      step_post("identity", identity))
        statuses.append(response.status_code)
        response = referral_client.post(f"/referrals/{draft.reference}/send/",
                                        {"fingerprint": draft_preview(draft)["fingerprint"]})
        statuses.append(response.status_code)
    took_down = time.monotonic() - started
    assert statuses == [302] * 20  # normal pages: the step saved, the referral sent

    # Everything entered is saved; nothing is screened or delivered yet.
    for index, case in enumerate(cases):
        case.refresh_from_db()
        assert "identity" in case.steps_done
        assert (case.client.given_name, case.client.family_name,
                case.client.date_of_birth) == (f"Ondine {index}", "Faultline",
                                               datetime.date(1990, 4, 2 + index))
    assert unscreened().count() == 10
    assert Referral.objects.filter(status=S.SENT).count() == 10
    assert OutboxMessage.objects.count() == 10 and delivered_count() == 0
    assert raw_sends(sink) == {}

    redis.start()
    took = wait_until(lambda: delivered_count() == 10 and not unscreened().exists(),
                      timeout=120, worker=worker)
    time.sleep(6)  # a few more sweeps: nothing may be sent or screened again
    worker.stop()
    counts = assert_exactly_once(sink, raw_duplicates_allowed=0)
    assert counts == {"notifications": 10, "raw_sends": 10, "raw_duplicates": 0}
    for case in cases:
        assert Assessment.objects.filter(case=case).count() == 1  # screened once
    print(f"\nRedis down: 10 step saves and 10 sends in {took_down:.1f} s, all 302; screened "
          f"and delivered {took:.1f} s after Redis returned; {counts}")
