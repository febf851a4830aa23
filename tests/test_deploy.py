"""What `docker compose up` runs, tested without Docker: the compose file's shape, and the
web command (gunicorn with production settings) serving /healthz against PostgreSQL + Redis."""

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_like_services():
    services = compose()["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat", "mailpit"}
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert "gunicorn northstar.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "northstar", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "northstar", "beat"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://")
        assert services[name]["environment"]["REDIS_URL"].startswith("redis://")


def test_env_example_names_every_required_variable():
    text = (ROOT / ".env.example").read_text()
    for variable in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS",
                     "BLIND_INDEX_KEY", "AUDIT_HMAC_KEY", "DATABASE_URL", "REDIS_URL"):
        assert f"{variable}=" in text


def test_dockerfile_installs_the_locked_requirements_and_runs_unprivileged():
    text = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in text
    assert "pip install --no-cache-dir -r requirements/base.txt" in text
    assert "USER northstar" in text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_web_command_serves_health_under_gunicorn(require_postgres, redis_url):
    from django.db import connection

    database = connection.settings_dict
    port = free_port()
    key = lambda: base64.urlsafe_b64encode(os.urandom(32)).decode()  # noqa: E731
    env = {**os.environ,
           "DJANGO_SETTINGS_MODULE": "northstar.settings.production",
           "DJANGO_SECRET_KEY": base64.urlsafe_b64encode(os.urandom(48)).decode(),
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
           "FIELD_ENCRYPTION_KEYS": f"k1:{key()}", "BLIND_INDEX_KEY": key(),
           "AUDIT_HMAC_KEY": key(), "REDIS_URL": redis_url,
           "DATABASE_URL": (f"postgres://{database['USER']}@{database['HOST']}:"
                            f"{database['PORT']}/{database['NAME']}"),
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "northstar.wsgi:application",
         "--config", "deploy/gunicorn.conf.py"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body, status = None, None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    status, body = r.status, json.loads(r.read())
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                time.sleep(0.3)
        assert status == 200
        assert body == {"database": "ok", "broker": "ok"}
        # Everything else is redirected to HTTPS in production.
        request = urllib.request.Request(f"http://127.0.0.1:{port}/accounts/login/")
        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(request, timeout=5)
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"].startswith("https://")
    finally:
        process.terminate()
        process.wait(timeout=20)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
