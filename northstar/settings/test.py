"""Test settings: pytest-django.

Uses DATABASE_URL / REDIS_URL when set (CI sets both: PostgreSQL and Redis); otherwise SQLite.
Two fixed, public test keys are configured so that key-rotation tests can switch between them.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-insecure-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

FIELD_ENCRYPTION_KEYS = "test2:dGVzdC1rZXktbm9ydGhzdGFyLTAwMDAwMDAwMDAwMDI=,test1:dGVzdC1rZXktbm9ydGhzdGFyLTAwMDAwMDAwMDAwMDE="  # noqa: E501
FIELD_ENCRYPTION_ACTIVE_KEY_ID = ""
BLIND_INDEX_KEY = "dGVzdC1ibGluZC1pbmRleC1rZXktMDAwMDAwMDAwMDA="
AUDIT_HMAC_KEY = "dGVzdC1hdWRpdC1obWFjLWtleS0wMDAwMDAwMDAwMDA="

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tests use a per-process in-memory cache so rate limits never leak between tests; the tests
# about Redis talk to it directly through REDIS_URL.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tasks run in-process unless a test starts a real worker (tests/conftest.py: celery_worker).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = env.str("REDIS_URL", default="") or "memory://"

MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
LOGGING["root"]["level"] = "DEBUG"  # noqa: F405  (so the log-leak tests see everything)

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405 — models for field tests
LOGGING["loggers"]["factory"] = {"level": "WARNING"}  # noqa: F405
LOGGING["loggers"]["faker"] = {"level": "WARNING"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True

# Tests do not need durable commits: skip the fsync wait on PostgreSQL (it has measured from
# 0.3 ms to 30 ms a commit, depending on the machine's disk). Production keeps the default.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
LOGGING["loggers"]["celery"] = {"level": "INFO"}  # noqa: F405
