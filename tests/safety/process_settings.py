"""Settings of the app processes the safety tests start (a flows script, gunicorn, a Celery
worker) on a private PostgreSQL cluster or a private Redis: the test settings, with media and
the mail sink in the test's own directory (``MEDIA_ROOT``, ``MAIL_SINK_DIR``) and, when
``SAFETY_BROKER`` is "redis", tasks going through the broker (``REDIS_URL``) and the cache on
that Redis too, as in production."""

import os
from pathlib import Path

from northstar.settings.test import *  # noqa: F403

MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])
EMAIL_BACKEND = "tests.referrals.mail_sink.SinkBackend"
if os.environ.get("SAFETY_BROKER") == "redis":
    CELERY_TASK_ALWAYS_EAGER = False
    CELERY_BROKER_URL = os.environ["REDIS_URL"]
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"], "KEY_PREFIX": "northstar"}}
