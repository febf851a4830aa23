"""Production settings: `check --deploy` is clean, and a missing secret stops the process."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def fresh_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def production_env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "FIELD_", "BLIND_", "AUDIT_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "northstar.settings.production",
        "DJANGO_SECRET_KEY": base64.urlsafe_b64encode(os.urandom(48)).decode(),
        "DJANGO_ALLOWED_HOSTS": "northstar.example",
        "FIELD_ENCRYPTION_KEYS": f"k1:{fresh_key()}",
        "BLIND_INDEX_KEY": fresh_key(),
        "AUDIT_HMAC_KEY": fresh_key(),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "sqlite:////tmp/northstar-check.db",
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
    })
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_check_deploy_passes_at_warning_level():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "variable",
    ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY",
     "AUDIT_HMAC_KEY", "REDIS_URL"],
)
def test_missing_secret_stops_the_app_naming_it(variable):
    result = manage("check", env=production_env(**{variable: None}))
    assert result.returncode != 0
    assert f"Set the {variable} environment variable" in result.stderr


def test_malformed_key_stops_the_app_naming_it():
    result = manage("check", env=production_env(BLIND_INDEX_KEY="c2hvcnQ="))
    assert result.returncode != 0
    assert "BLIND_INDEX_KEY: keys must be 32 bytes" in result.stdout + result.stderr


def test_published_development_keys_are_refused():
    result = manage("check", "--deploy", env=production_env(
        AUDIT_HMAC_KEY="ZGV2LW9ubHktYXVkaXQtaG1hYy1rZXktMDAwMDAwMDA="))
    assert result.returncode != 0
    assert "AUDIT_HMAC_KEY holds a key published" in result.stdout + result.stderr


def test_production_cookies_and_transport_settings():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    result = manage("shell", "-c", code, env=production_env())
    assert result.stdout.strip().splitlines()[-1].split() == [
        "__Host-sessionid", "__Host-csrftoken", "True", "True", "True", "Lax", "63072000",
        "True", "False"]
