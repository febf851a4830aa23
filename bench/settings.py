"""Settings of the benchmark processes (seeder, gunicorn, Celery worker): production-like.

Production settings refuse the published keys and insist on HTTPS, so the benchmark cannot use
them as they are; this module keeps what matters for speed from production (DEBUG off,
persistent database connections, the Redis cache, a real Celery worker, a non-debug template
loader) and uses the published *test* keys, which is harmless because every row of the
benchmark database is fictional and the database is dropped and re-created by each run.
Only ``python -m bench`` points processes at this module, always with a ``DATABASE_URL``
naming the benchmark database (never the ``test`` one).
"""

from northstar.settings.base import *  # noqa: F403
from northstar.settings.base import DATABASES, LOGGING, REDIS_URL, env

DEBUG = False
SECRET_KEY = "bench-only-insecure-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

# Published test keys: fictional data only, in a database the benchmark owns.
FIELD_ENCRYPTION_KEYS = "test2:dGVzdC1rZXktbm9ydGhzdGFyLTAwMDAwMDAwMDAwMDI=,test1:dGVzdC1rZXktbm9ydGhzdGFyLTAwMDAwMDAwMDAwMDE="  # noqa: E501
FIELD_ENCRYPTION_ACTIVE_KEY_ID = ""
BLIND_INDEX_KEY = "dGVzdC1ibGluZC1pbmRleC1rZXktMDAwMDAwMDAwMDA="
AUDIT_HMAC_KEY = "dGVzdC1hdWRpdC1obWFjLWtleS0wMDAwMDAwMDAwMDA="

DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# A safety net: no statement of a benchmark process runs longer than 10 minutes, and a session
# left idle in a transaction (a crashed run) is ended after 5, so that it never blocks others.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    "-c statement_timeout=600000 -c idle_in_transaction_session_timeout=300000")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "northstar-bench",
        }
    }
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = REDIS_URL or "memory://"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # bench users only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_ABSOLUTE_SECONDS = 24 * 3600
SESSION_IDLE_SECONDS = SESSION_COOKIE_AGE = 24 * 3600
LOGGING["root"]["level"] = "WARNING"
