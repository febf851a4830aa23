"""How long a signed-in session has left: the idle limit (the session backend's
``SESSION_COOKIE_AGE``, pushed forward by every request) or the absolute lifetime
(``SESSION_ABSOLUTE_SECONDS`` after login, ``SessionLifetimeMiddleware``), whichever ends first."""

from __future__ import annotations

import time

from django.conf import settings

from northstar.accounts.receivers import LOGIN_AT_KEY


def idle_seconds(request) -> int:
    """How long the session lasts after this request if nothing else happens."""
    return max(0, int(request.session.get_expiry_age()))


def absolute_seconds_left(request) -> int:
    started = request.session.get(LOGIN_AT_KEY)
    if started is None:
        return settings.SESSION_ABSOLUTE_SECONDS
    return max(0, int(settings.SESSION_ABSOLUTE_SECONDS - (time.time() - float(started))))


def session_seconds_left(request) -> int:
    return min(idle_seconds(request), absolute_seconds_left(request))
