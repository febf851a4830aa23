"""Health check and error pages. Error pages echo nothing from the request.

An uncaught error is a 500 ("Something went wrong"), except when a service the app cannot work
without is unreachable (PostgreSQL restarting, Redis down under the cache): that is a 503 with
``Retry-After`` and a page saying to try again in a moment, a JSON body for the API and a
short status line for htmx requests (the intake autosave shows it in place of "Saved").
Neither names the error: the exception is in the server log only.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import connection
from django.db.utils import InterfaceError
from django.db.utils import OperationalError as DatabaseOperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
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
    """403 when the CSRF token is missing or wrong: the "page expired" page, or JSON for the
    API (which takes the token in ``X-CSRFToken``, like our pages' background requests)."""
    if wants_json(request):
        return JsonResponse({"errors": [{"path": "", "message": CSRF_API_MESSAGE}]},
                            status=403)
    return render(request, "errors/403_csrf.html", status=403)


CSRF_API_MESSAGE = "CSRF token missing or incorrect: send the page's token as X-CSRFToken"


def bad_request(request, exception=None):
    if is_service_unavailable(exception):  # e.g. a session save failed: SessionInterrupted
        return service_unavailable(request)
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


RETRY_AFTER_SECONDS = 30


def unavailable_errors() -> tuple[type[BaseException], ...]:
    """Errors meaning "a backing service is unreachable", not "the code is wrong"."""
    import redis

    return (DatabaseOperationalError, InterfaceError, redis.ConnectionError, redis.TimeoutError)


def is_service_unavailable(error: BaseException | None) -> bool:
    """``error`` or an error it was raised from (``raise ... from``) is an outage."""
    kinds, seen = unavailable_errors(), set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kinds):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept)


def service_unavailable(request) -> HttpResponse:
    """503 "try again in a moment": a page, JSON for the API, a status line for htmx."""
    message = _("Northstar is briefly unavailable. Try again in a moment.")
    if wants_json(request):
        response = JsonResponse({"error": "service_unavailable", "message": message,
                                 "retry_after": RETRY_AFTER_SECONDS}, status=503)
    elif request.headers.get("HX-Request") == "true":
        response = HttpResponse(render_to_string("errors/_503_status.html"), status=503)
    else:
        response = HttpResponse(render_to_string("errors/503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """Rendered without the request's session or user: nothing that failed (database,
    session) is touched again. Called by Django while it handles the exception, so the
    exception is ``sys.exc_info()``."""
    if is_service_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return HttpResponseServerError(render_to_string("errors/500.html"))
