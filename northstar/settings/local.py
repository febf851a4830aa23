"""Development settings: ``make run``.

SQLite and in-process tasks unless DATABASE_URL / REDIS_URL are set. The keys below are
published in this repository and therefore worthless: ``production`` refuses to start with them.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="dev-only-insecure-secret-key-do-not-use-in-production"
)

# Development keys (public, fixed so that a local database stays readable across restarts).
FIELD_ENCRYPTION_KEYS = env.str(
    "FIELD_ENCRYPTION_KEYS", default="dev1:ZGV2LW9ubHkta2V5LW5vcnRoc3Rhci0wMDAwMDAwMDE="
)
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default="ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5LTAwMDAwMDA=")
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default="ZGV2LW9ubHktYXVkaXQtaG1hYy1rZXktMDAwMDAwMDA=")

# WebAuthn and cookies work over plain http on 127.0.0.1 in development.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
