import json

import pytest

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_in_process_broker(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "broker": "in-process"}


def test_health_reports_a_reachable_redis(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    response = client.get("/healthz")
    assert json.loads(response.content) == {"database": "ok", "broker": "ok"}


def test_health_reports_an_unreachable_broker_with_503(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "broker": "unreachable"}


def test_health_reports_an_unreachable_database(client, monkeypatch):
    from northstar.common import views

    monkeypatch.setattr(views, "database_is_reachable", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unreachable"
