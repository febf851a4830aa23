"""Production settings (gunicorn, docker compose).

Every secret is required: a missing one stops the process at start-up with a message naming it
(django-environ's ImproperlyConfigured "Set the X environment variable"). The keys are then
validated by ``northstar.security.checks`` (format, length, not the published dev/test keys).
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

FIELD_ENCRYPTION_KEYS = env.str("FIELD_ENCRYPTION_KEYS")
FIELD_ENCRYPTION_ACTIVE_KEY_ID = env.str("FIELD_ENCRYPTION_ACTIVE_KEY_ID", default="")
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY")
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY")
REDIS_URL = env.str("REDIS_URL")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)  # noqa: F405

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "northstar",
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Cookies: __Host- prefix (Secure, Path=/, no Domain), HttpOnly, SameSite.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_NAME = "__Host-language"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Django's message cookie is named "messages", fixed: this storage names it __Host-messages
# (Secure, HttpOnly, SameSite and domain as the session cookie).
MESSAGE_STORAGE = "northstar.security.cookies.MessageStorage"
MESSAGES_COOKIE_NAME = "__Host-messages"

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
