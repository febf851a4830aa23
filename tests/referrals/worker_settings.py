"""Settings of the real Celery worker the delivery tests start (``test_outbox.py``): the test
settings, but tasks go through the broker (not in-process) and e-mail goes to the file sink
(``tests/referrals/mail_sink.py``)."""

from northstar.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "tests.referrals.mail_sink.SinkBackend"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
