"""Health check and error pages. Error pages echo nothing from the request."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from northstar.accounts.permissions import PUBLIC, access

logger = logging.getLogger(__name__)


def database_is_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.warning("health: database unreachable")
        return False


def broker_state() -> str:
    """'ok', 'unreachable', or 'in-process' (the embedded default runs tasks without a broker)."""
    if not settings.REDIS_URL:
        return "in-process"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1,
                                      socket_timeout=1)
        client.ping()
        return "ok"
    except redis.RedisError:
        logger.warning("health: broker unreachable")
        return "unreachable"


@access(PUBLIC)
@require_http_methods(["GET"])
def healthz(request):
    database = "ok" if database_is_reachable() else "unreachable"
    broker = broker_state()
    healthy = database == "ok" and broker != "unreachable"
    return JsonResponse({"database": database, "broker": broker},
                        status=200 if healthy else 503)


def csrf_failure(request, reason=""):
    return render(request, "errors/403_csrf.html", status=403)


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """Rendered without the request: nothing that failed (database, session) is touched again."""
    return HttpResponseServerError(render_to_string("errors/500.html"))
