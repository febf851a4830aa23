import time

import pytest

from northstar.audit.models import AuditEvent
from northstar.common.tasks import worker_ping


@pytest.mark.worker
def test_a_real_worker_runs_a_task_sent_through_redis(celery_worker_process, require_postgres):
    worker_ping.delay()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if AuditEvent.objects.filter(action="system.worker_ping").exists():
            break
        assert celery_worker_process.poll() is None, celery_worker_process.stderr.read()
        time.sleep(0.25)
    assert AuditEvent.objects.filter(action="system.worker_ping").count() == 1


def test_celery_is_configured_for_ids_only_json_and_late_acks():
    from northstar.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
