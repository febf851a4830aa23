"""Settings shared by every environment.

Everything comes from the environment through django-environ. Secrets (keys) are read lazily by
the modules that use them (``northstar.security.keyring``), never at import time elsewhere.
``local``, ``test`` and ``production`` adjust this module; nothing here is a production secret.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

from northstar import languages

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Applications ---------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "django_countries",  # its catalogues name the countries in French and Spanish
    "csp",
    "northstar.common",
    "northstar.security",
    "northstar.accounts",
    "northstar.audit",
    "intake",
    "eligibility",
    "referrals",
    "stats",
]

MIDDLEWARE = [
    # Outermost, so that every response gets the headers: errors from any inner layer, static
    # files from WhiteNoise, SecurityMiddleware's redirect to HTTPS.
    "northstar.security.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "northstar.common.middleware.RequestIdMiddleware",
    "northstar.common.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "northstar.accounts.languages.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "northstar.accounts.middleware.SessionLifetimeMiddleware",
    "northstar.accounts.middleware.AccessPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "northstar.urls"
WSGI_APPLICATION = "northstar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "northstar.accounts.context_processors.navigation",
                "northstar.accounts.context_processors.session_timeout",
                "northstar.accounts.languages.language_choices",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------

DATABASES = {
    # An empty DATABASE_URL means "not set" (the embedded SQLite default).
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "northstar",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"  # documents are served only through access-checked views
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Keys (read lazily by northstar.security.keyring) ---------------------------------------
# FIELD_ENCRYPTION_KEYS: "kid:base64key,kid:base64key" (32-byte AES-256 keys, urlsafe base64).
# The first key, or FIELD_ENCRYPTION_ACTIVE_KEY_ID, encrypts; every key listed can decrypt.
FIELD_ENCRYPTION_KEYS = env.str("FIELD_ENCRYPTION_KEYS", default="")
FIELD_ENCRYPTION_ACTIVE_KEY_ID = env.str("FIELD_ENCRYPTION_ACTIVE_KEY_ID", default="")
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default="")
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default="")
# After a rotation of AUDIT_HMAC_KEY, the earlier keys (comma-separated, newest first): they
# only verify the seals made before (docs/OPERATIONS.md, "Rotating the audit key").
AUDIT_HMAC_RETIRED_KEYS = env.str("AUDIT_HMAC_RETIRED_KEYS", default="")

# --- Accounts, authentication, MFA ----------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ACCOUNT_ADAPTER = "northstar.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"  # sign-up is closed; invitations prove the address
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "5/m/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
MFA_ADAPTER = "northstar.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ALLOW_UNVERIFIED_EMAIL = True  # accounts are created by invitation or by an operator
MFA_TRUST_ENABLED = False
MFA_TOTP_ISSUER = "Northstar"
MFA_RECOVERY_CODE_COUNT = 10
MFA_TOTP_TOLERANCE = 1  # one 30 s step of clock drift; replays are refused by allauth

INVITATION_TTL_HOURS = 72

# --- Sessions and cookies -------------------------------------------------------------------

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=15 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
# The browser warns this long before an idle session ends ("Stay signed in"), saving any
# intake step being typed first (static/js/session.js).
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=2 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True  # each request pushes the idle deadline forward
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "northstar.common.views.csrf_failure"

# --- Security headers (production tightens cookies and HSTS) --------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
    },
}

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "en"
# All four languages are known to Django (LocaleMiddleware, set_language, translation.override),
# but staff and partner screens exist only in STAFF_LANGUAGES: Spanish and Haitian Creole are
# translated for client-facing pages alone. UserLanguageMiddleware (northstar.accounts.languages)
# keeps every other page in a staff language (the signed-in user's saved preference), so an
# es/ht browser or cookie never gets a half-translated staff screen. Pages under
# CLIENT_LANGUAGE_PATHS accept all four, chosen by ?lang= (no cookie) or the browser.
# See northstar/languages.py (it also registers "ht", which Django does not ship).
LANGUAGES = languages.CLIENT_LANGUAGES
STAFF_LANGUAGES = languages.STAFF_LANGUAGES
CLIENT_LANGUAGE_PATHS = ("/help/",)
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "America/Toronto"
USE_TZ = True

# --- Forms ----------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"  # widgets use templates/ too

# --- Celery ---------------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL  # the embedded default: tasks run in-process
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="northstar")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "purge-expired-closed-cases": {"task": "intake.purge_expired_closed_cases",
                                   "schedule": 24 * 3600},
    "refresh-urgency": {"task": "intake.refresh_urgency", "schedule": 6 * 3600},
    "purge-expired-help-requests": {"task": "intake.purge_expired_help_requests",
                                    "schedule": 24 * 3600},
    "rescreen-if-rules-changed": {"task": "eligibility.rescreen_if_rules_changed",
                                  "schedule": 3600},
    "screen-pending": {"task": "eligibility.screen_pending",
                       "schedule": env.int("SCREEN_PENDING_SWEEP_SECONDS", default=120)},
    "audit-seal-pending": {"task": "audit.seal_pending", "schedule": 60},
    "referrals-sweep-outbox": {"task": "referrals.sweep_outbox",
                               "schedule": env.int("REFERRAL_OUTBOX_SWEEP_SECONDS", default=60)},
    "referrals-sla": {"task": "referrals.sla_sweep", "schedule": 15 * 60},
    "stats-purge-expired-exports": {"task": "stats.purge_expired_exports", "schedule": 15 * 60},
}

# Referrals: no answer within REMINDER hours → reminder; ESCALATE hours → coordinators;
# EXPIRE days → expired. The outbox re-queues a notification not delivered after RETRY s.
REFERRAL_REMINDER_HOURS = env.int("REFERRAL_REMINDER_HOURS", default=48)
REFERRAL_ESCALATE_HOURS = env.int("REFERRAL_ESCALATE_HOURS", default=96)
REFERRAL_EXPIRE_DAYS = env.int("REFERRAL_EXPIRE_DAYS", default=14)
REFERRAL_OUTBOX_RETRY_SECONDS = env.int("REFERRAL_OUTBOX_RETRY_SECONDS", default=120)

# Closed cases keep personal data this many days, then only the statistical record remains.
RETENTION_DAYS = env.int("RETENTION_DAYS", default=730)

# The public "get help" form: at most HELP_REQUEST_RATE_LIMIT submissions per client address per
# HELP_REQUEST_RATE_WINDOW_SECONDS (counted in the default cache); handled requests (converted
# or dismissed) keep their personal fields HELP_REQUEST_RETENTION_DAYS.
HELP_REQUEST_RATE_LIMIT = env.int("HELP_REQUEST_RATE_LIMIT", default=5)
HELP_REQUEST_RATE_WINDOW_SECONDS = env.int("HELP_REQUEST_RATE_WINDOW_SECONDS", default=600)
HELP_REQUEST_RETENTION_DAYS = env.int("HELP_REQUEST_RETENTION_DAYS", default=30)

# Anonymised statistics: a count from 1 to k−1 is published as "<k" (k = STATS_MIN_CELL), and
# an export's download link works for STATS_EXPORT_LINK_MINUTES after the file is ready.
STATS_MIN_CELL = env.int("STATS_MIN_CELL", default=11)
STATS_EXPORT_LINK_MINUTES = env.int("STATS_EXPORT_LINK_MINUTES", default=30)

# --- E-mail ---------------------------------------------------------------------------------

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Northstar <no-reply@northstar.example>")

# --- Logging: no personal data; every line carries the request id ---------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "northstar.common.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Never log SQL: parameters would include ciphertext and blind indexes.
        "django.db.backends": {"level": "WARNING", "propagate": True},
        # Pillow's debug output prints EXIF values (GPS positions) of uploaded images.
        "PIL": {"level": "INFO"},
    },
}
