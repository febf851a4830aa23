"""The Celery application.

Tasks take ids only (never personal data), are acknowledged late and must be idempotent.
Without ``REDIS_URL`` the settings make every task run in-process (eager), so ``make run``
needs no broker; with it, a real worker consumes the queue.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "northstar.settings.local")

app = Celery("northstar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
